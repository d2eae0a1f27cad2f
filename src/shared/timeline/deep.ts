import type { Entry, EntryKind, Message } from '../model';
import type { DeepEvent, DeepFacts } from '../deep/events';
import { MAX_RAW_CHUNKS } from '../deep/events';
import type { TabRecord } from '../protocol';
import { headerValue } from '../headers';
import { utf8Length } from '../bytes';
import { insertMessage, pushStep } from './entry-records';
import { createWaitingLists } from './waiting';
import { joinKey } from './wire-join';

/**
 * Merges deep capture's records (src/shared/deep) into the timeline.
 *
 * - A worker's request, WebSocket or EventSource becomes an entry of its own
 *   (`deep:<session>:<requestId>`), marked with its worker.
 * - A request of the tab's own documents joins the page entry of the same tab, method and URL
 *   (oldest waiting first, either side may arrive first): its EventSource events the page did
 *   not listen to become messages marked `unlistened`; the raw text of an event stream, the
 *   WebSocket handshake as sent and Chromium's CORS verdict go to `entry.deep`. What arrives
 *   before its page entry waits (bounded); an EventSource's reconnections join its entry.
 */
export interface DeepMerge {
  /** A page entry started (`key`: its join key): claims a waiting deep request. */
  pageStarted(key: string, entry: Entry): void;
  apply(rec: TabRecord, ev: DeepEvent): void;
  /** The page started listening to more EventSource names: those events are no longer unlistened. */
  listened(entry: Entry): void;
}

export interface DeepMergeHost {
  lookup(id: string): Entry | undefined;
  add(entry: Entry): void;
  touch(entry: Entry): void;
  maxMessages: number;
}

export function createDeepMerge(host: DeepMergeHost): DeepMerge {
  /** Deep request id → entry id. */
  const bound = new Map<string, string>();
  /** Page entries with no deep request yet, and deep requests (tab's) with no page entry yet. */
  const pages = createWaitingLists(MAX_KEYS, MAX_PER_KEY);
  const requests = createWaitingLists(MAX_KEYS, MAX_PER_KEY);
  /** Records of a tab request that waits for its page entry. */
  const pending = new Map<string, DeepEvent[]>();
  /** The EventSource last bound under a key: its reconnections are new requests. */
  const sources = new Map<string, string>();

  const bind = (deepId: string, entry: Entry) => {
    bound.set(deepId, entry.id);
    while (bound.size > MAX_BOUND) bound.delete(bound.keys().next().value as string);
    entry.deep ??= {};
    if (entry.kind === 'eventsource') {
      sources.set(joinKey(entry.tabId, 'GET', entry.url), entry.id);
      if (sources.size > MAX_KEYS) sources.delete(sources.keys().next().value as string);
    }
    const held = pending.get(deepId);
    pending.delete(deepId);
    for (const ev of held ?? []) mergeTab(entry, ev);
    host.touch(entry);
  };

  const open = (deepId: string, key: string) => {
    const pageId = pages.take(key, (id) => (host.lookup(id) ? 'yes' : 'stale'));
    const page = pageId ? host.lookup(pageId) : undefined;
    if (page) return bind(deepId, page);
    const source = sources.get(key);
    const reopened = source ? host.lookup(source) : undefined;
    if (reopened) return bind(deepId, reopened);
    requests.push(key, deepId);
    pending.set(deepId, []);
    while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value as string);
  };

  function mergeTab(entry: Entry, ev: DeepEvent) {
    const deep = (entry.deep ??= {});
    switch (ev.phase) {
      case 'sse': {
        const listened = entry.eventSource?.listened ?? [];
        // 'message' reaches onmessage, which the page script does not list as a listened name.
        if (entry.kind !== 'eventsource' || ev.eventName === 'message' || listened.includes(ev.eventName)) return;
        pushMessage(entry, { t: ev.t, dir: 'receive', data: text(ev.data), eventName: ev.eventName, eventId: ev.eventId, unlistened: true });
        return;
      }
      case 'raw':
        return pushRaw(deep, ev.t, ev.text);
      case 'response':
        // Chromium let the response through (a CORS block comes as the end's verdict instead).
        if (deep.cors === undefined) deep.cors = null;
        return;
      case 'end':
        deep.cors = ev.cors ?? null;
        if (ev.error) deep.error = ev.error;
        return;
      case 'ws-handshake':
        deep.handshake = { ...deep.handshake, requestHeaders: ev.headers };
        return;
      case 'ws-response':
        deep.handshake = { ...deep.handshake, status: ev.status, statusText: ev.statusText, responseHeaders: ev.headers };
        return;
      case 'ws-error':
        deep.handshake = { ...deep.handshake, error: ev.error };
        return;
      default:
        return;
    }
  }

  /** In time order: deep and page messages arrive on separate paths. */
  const pushMessage = (entry: Entry, m: Message) => insertMessage(entry, m, host.maxMessages, (other) => other.t > m.t);

  function applyWorker(rec: TabRecord, ev: DeepEvent) {
    const id = `deep:${ev.requestId}`;
    let entry = host.lookup(id);
    if (ev.phase === 'request' || ev.phase === 'ws-created') {
      if (ev.phase === 'request' && ev.preflightFor) return;
      if (entry) {
        // A redirect: the same request goes on to another URL (as a GET after a 303, or a POST's 301/302).
        if (ev.phase === 'request') {
          pushStep(entry, { t: ev.t, step: 'redirect', detail: { url: ev.url } });
          entry.url = ev.url;
          entry.method = ev.method;
          host.touch(entry);
        }
        return;
      }
      const isWs = ev.phase === 'ws-created';
      entry = {
        id,
        tabId: rec.tabId,
        frameId: rec.frameId,
        kind: isWs ? 'websocket' : kindOf(ev.cdpType),
        method: isWs ? 'GET' : ev.method,
        url: ev.url,
        startTime: ev.t,
        state: 'pending',
        request: { headers: isWs ? [] : ev.headers, body: isWs ? undefined : ev.body },
        lifecycle: [{ t: ev.t, step: 'start' }],
        messages: [],
        droppedMessages: 0,
        worker: ev.worker,
        deep: {},
      };
      host.add(entry);
      return;
    }
    if (!entry) return;
    const deep = (entry.deep ??= {});
    switch (ev.phase) {
      case 'response':
        entry.response = { status: ev.status, statusText: ev.statusText, headers: ev.headers, body: entry.response?.body };
        if (ev.headers.length) entry.response.headers = ev.headers;
        pushStep(entry, { t: ev.t, step: 'response', detail: { status: ev.status } });
        if (entry.kind === 'eventsource' && ev.status === 200) entry.state = 'open';
        break;
      case 'body':
        entry.response ??= { status: 0, statusText: '', headers: [] };
        entry.response.body = ev.body;
        break;
      case 'end':
        entry.endTime = ev.t;
        entry.state = ev.error ? (ev.canceled ? 'aborted' : 'error') : entry.kind === 'eventsource' ? 'closed' : 'done';
        if (ev.error) entry.error = ev.error;
        deep.cors = ev.cors ?? null;
        pushStep(entry, { t: ev.t, step: ev.error ? 'error' : 'end', detail: ev.error ? { error: ev.error } : undefined });
        break;
      case 'sse':
        pushMessage(entry, { t: ev.t, dir: 'receive', data: text(ev.data), eventName: ev.eventName, eventId: ev.eventId });
        break;
      case 'raw':
        pushRaw(deep, ev.t, ev.text);
        break;
      case 'ws-handshake':
        entry.request.headers = ev.headers;
        deep.handshake = { ...deep.handshake, requestHeaders: ev.headers };
        break;
      case 'ws-response':
        entry.response = { status: ev.status, statusText: ev.statusText, headers: ev.headers };
        deep.handshake = { ...deep.handshake, status: ev.status, statusText: ev.statusText, responseHeaders: ev.headers };
        if (ev.status === 101) {
          entry.state = 'open';
          entry.websocket = { protocol: headerValue(ev.headers, 'sec-websocket-protocol') ?? '', extensions: headerValue(ev.headers, 'sec-websocket-extensions') ?? '' };
        }
        pushStep(entry, { t: ev.t, step: 'open' });
        break;
      case 'ws-frame':
        pushMessage(entry, { t: ev.t, dir: ev.dir, data: ev.data });
        break;
      case 'ws-error':
        entry.error = ev.error || 'connection failed';
        deep.handshake = { ...deep.handshake, error: ev.error };
        break;
      case 'ws-closed':
        entry.endTime = ev.t;
        if (entry.state !== 'error') entry.state = entry.error ? 'error' : 'closed';
        pushStep(entry, { t: ev.t, step: 'close' });
        break;
    }
    host.touch(entry);
  }

  return {
    listened(entry) {
      const names = entry.eventSource?.listened ?? [];
      // The page's own capture has these events: the deep copies go.
      const keep = entry.messages.filter((m) => !(m.unlistened && names.includes(m.eventName ?? '')));
      if (keep.length !== entry.messages.length) entry.messages = keep;
    },
    pageStarted(key, entry) {
      if (entry.kind === 'jsonp' || entry.kind === 'script') return;
      const deepId = requests.take(key, (id) => (pending.has(id) ? 'yes' : 'stale'));
      if (deepId) bind(deepId, entry);
      else pages.push(key, entry.id);
    },
    apply(rec, ev) {
      if (ev.worker) return applyWorker(rec, ev);
      if (ev.phase === 'request' || ev.phase === 'ws-created') {
        if (ev.phase === 'request' && ev.preflightFor) return;
        if (bound.has(ev.requestId) || pending.has(ev.requestId)) return;
        const key = ev.phase === 'request' ? joinKey(rec.tabId, ev.method.toUpperCase(), ev.url) : joinKey(rec.tabId, 'GET', ev.url);
        return open(ev.requestId, key);
      }
      const entryId = bound.get(ev.requestId);
      const entry = entryId ? host.lookup(entryId) : undefined;
      if (entry) {
        mergeTab(entry, ev);
        host.touch(entry);
        return;
      }
      const held = pending.get(ev.requestId);
      if (held && held.length < MAX_HELD_RECORDS) held.push(ev);
    },
  };
}

/** CDP's ResourceType as our entry kind. */
function kindOf(cdpType: string): EntryKind {
  switch (cdpType) {
    case 'Fetch':
      return 'fetch';
    case 'XHR':
      return 'xhr';
    case 'EventSource':
      return 'eventsource';
    case 'Ping':
      return 'beacon';
    default:
      return 'other';
  }
}

function text(data: string) {
  return { encoding: 'text' as const, data, size: utf8Length(data), truncated: false };
}

function pushRaw(deep: DeepFacts, t: number, chunk: string) {
  const raw = (deep.raw ??= []);
  if (raw.length >= MAX_RAW_CHUNKS) deep.rawDropped = (deep.rawDropped ?? 0) + 1;
  else raw.push({ t, text: chunk });
}

const MAX_KEYS = 5_000;
const MAX_PER_KEY = 100;
const MAX_PENDING = 2_000;
const MAX_HELD_RECORDS = 1_000;
const MAX_BOUND = 20_000;
