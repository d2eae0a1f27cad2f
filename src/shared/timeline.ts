import { headerValue } from './headers';
import type { Entry, EntryKind, WireView } from './model';
import { MAX_LIFECYCLE_STEPS, MAX_MESSAGES_PER_ENTRY } from './model';
import type { NetEvent, PageEvent, Payload, TabRecord } from './protocol';
import { originOf } from './url';
import { PAGE_DROPPED_WHERE } from './protocol';
import { base64ToBytes, encodeUtf8, toBase64, utf8Text } from './bytes';
import { payloadData } from './har/payload';

/**
 * Builds entries from stored records. Pure: the background, the panel and the CLI all replay the
 * same records through it, in any order page and wire records happen to arrive.
 *
 * Page records and wire records of one exchange are joined by tab, frame, method and URL: the
 * page-side record carries what JavaScript did, the wire record what went over the network.
 */
export interface Timeline {
  apply(record: TabRecord): void;
  /** Entries in start order. */
  entries(): Entry[];
  get(id: string): Entry | undefined;
  /** Bumped on every change, so views can tell when to recompute. */
  readonly version: number;
  readonly captureErrors: number;
  /** Page events the page script reported it could not hand over (its queue was full…). */
  readonly pageEventsDropped: number;
}

// 'other' and 'script' records are held for a page match: DevTools' own source loads, favicons
// and parser-inserted scripts are not JavaScript traffic.
const WIRE_TYPES_SHOWN_ALONE = new Set(['xmlhttprequest', 'websocket', 'ping']);

function wireKind(resourceType: string): EntryKind {
  switch (resourceType) {
    case 'websocket':
      return 'websocket';
    case 'ping':
      return 'beacon';
    case 'script':
      return 'script';
    default:
      return 'other';
  }
}

/** The method a page entry shows on the wire: WebSocket handshakes and EventSource are GETs. */
function wireMethod(entry: Entry): string {
  return entry.kind === 'websocket' || entry.kind === 'eventsource' || entry.kind === 'jsonp' || entry.kind === 'script'
    ? 'GET'
    : entry.method.toUpperCase();
}

/** webRequest reports ws: URLs as-is; page URLs are already absolute. Ignore fragments. */
function normUrl(url: string): string {
  const hash = url.indexOf('#');
  return hash >= 0 ? url.slice(0, hash) : url;
}

export function createTimeline(): Timeline {
  const byId = new Map<string, Entry>();
  const order: string[] = [];
  /** Page entries still waiting for their wire record, by join key. */
  const pageWaiting = new Map<string, string[]>();
  /** Wire-only entries (or unshown wire records) still waiting for a page record, by join key. */
  const wireWaiting = new Map<string, string[]>();
  const wireById = new Map<string, string>(); // requestId → entry id
  /** Preflight entries not yet paired with their request, by `${tab}|${METHOD}|${url}`. */
  const preflightWaiting = new Map<string, string[]>();
  const requestsWaitingPreflight = new Map<string, string[]>();
  /** Wire records of types not shown alone (scripts), held for a page match. */
  const heldWire = new Map<string, WireView & { frameId: number; tabId: number; method: string; url: string; t: number }>();
  /** EventSource entries by join key: a later request to the same URL is a reconnection. */
  const eventSources = new Map<string, string>();
  let sorted: Entry[] | undefined;
  let version = 0;
  let captureErrors = 0;
  let pageEventsDropped = 0;

  /** Waiting lists are bounded: past the cap the oldest key's list goes (it is stale by then). */
  const push = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key);
    if (list) {
      list.push(id);
      if (list.length > MAX_WAITING_PER_KEY) list.shift();
    } else {
      map.set(key, [id]);
      if (map.size > MAX_WAITING_KEYS) map.delete(map.keys().next().value as string);
    }
  };
  /** The first waiting id that `fits` (others before it that are too old are dropped). */
  const take = (map: Map<string, string[]>, key: string, fits: (id: string) => 'yes' | 'no' | 'stale' = () => 'yes'): string | undefined => {
    const list = map.get(key);
    if (!list) return undefined;
    let found: string | undefined;
    for (let i = 0; i < list.length; i++) {
      const verdict = fits(list[i]);
      if (verdict === 'stale') list.splice(i--, 1);
      else if (verdict === 'yes') {
        found = list.splice(i, 1)[0];
        break;
      }
    }
    if (!list.length) map.delete(key);
    return found;
  };
  const shift = (map: Map<string, string[]>, key: string) => take(map, key);

  /**
   * May this page entry take that wire record? Same frame first; a frame-0 wire record may go to
   * another frame of the tab only when that frame is about:blank-like or of the requester's
   * origin (webRequest reports such frames as 0; a cross-origin frame cannot claim another's
   * traffic). Outside the time window the page entry is stale.
   */
  const pageFits = (wire: { t: number; frameId: number; initiator?: string }) => (id: string): 'yes' | 'no' | 'stale' => {
    const page = byId.get(id);
    if (!page) return 'stale';
    if (wire.t - page.startTime > JOIN_WINDOW_MS) return 'stale';
    if (page.startTime - wire.t > JOIN_WINDOW_MS) return 'no';
    if (page.frameId === wire.frameId) return 'yes';
    if (wire.frameId !== 0) return 'no';
    const origin = originOf(page.frameUrl);
    return origin === 'null' || origin === undefined || origin === wire.initiator ? 'yes' : 'no';
  };

  function add(entry: Entry) {
    byId.set(entry.id, entry);
    order.push(entry.id);
  }

  function pairPreflight(pre: Entry, target: Entry) {
    pre.preflightFor = target.id;
    target.preflightId = pre.id;
  }

  function applyPage(rec: TabRecord, ev: PageEvent) {
    const id = `${rec.doc ?? 'page'}:${ev.id}`;
    if (ev.type === 'capture-error') {
      captureErrors++;
      if (ev.where === PAGE_DROPPED_WHERE) pageEventsDropped += droppedCount(ev.message);
      return;
    }
    if (ev.type === 'start') {
      if (byId.has(id)) return; // A repeated id (forged or replayed): the first one stands.
      const entry: Entry = {
        id,
        tabId: rec.tabId,
        frameId: rec.frameId,
        frameUrl: rec.frameUrl,
        doc: rec.doc,
        kind: ev.kind,
        method: ev.method,
        url: ev.url,
        startTime: ev.t,
        state: ev.kind === 'websocket' || ev.kind === 'eventsource' ? 'pending' : 'pending',
        request: { headers: ev.headers, body: ev.body, meta: ev.meta },
        lifecycle: [{ t: ev.t, step: 'start' }],
        messages: [],
        droppedMessages: 0,
        initiator: ev.stack,
      };
      add(entry);
      const key = joinKey(rec.tabId, rec.frameId, wireMethod(entry), entry.url);
      if (entry.kind === 'eventsource') eventSources.set(key, entry.id);
      const wireId = take(wireWaiting, key, (wid) => {
        const w = byId.get(wid);
        if (!w) return 'stale';
        return pageFits({ t: w.startTime, frameId: w.frameId, initiator: w.initiator })(entry.id) === 'yes' ? 'yes' : 'no';
      });
      if (wireId) {
        absorbWire(entry, wireId);
      } else {
        const held = heldWire.get(key);
        if (held) {
          heldWire.delete(key);
          const { frameId: _f, tabId: _t, method: _m, url: _u, t: _time, ...wire } = held;
          entry.wire = wire;
          wireById.set(wire.requestId, entry.id);
        } else {
          push(pageWaiting, key, entry.id);
        }
      }
      // Only a cross-origin request can have a preflight.
      if (originOf(entry.url) !== originOf(entry.frameUrl)) {
        const pfKey = `${rec.tabId}|${wireMethod(entry)}|${normUrl(entry.url)}`;
        const preId = shift(preflightWaiting, pfKey);
        const pre = preId ? byId.get(preId) : undefined;
        if (pre) pairPreflight(pre, entry);
        else push(requestsWaitingPreflight, pfKey, entry.id);
      }
      return;
    }
    const entry = byId.get(id);
    if (!entry) return;
    switch (ev.type) {
      case 'step':
        if (entry.lifecycle.length < MAX_LIFECYCLE_STEPS) {
          entry.lifecycle.push({ t: ev.t, step: ev.step, detail: ev.detail });
        }
        if (ev.step === 'open' && (entry.kind === 'websocket' || entry.kind === 'eventsource')) entry.state = 'open';
        break;
      case 'response':
        entry.response = {
          status: ev.status,
          statusText: ev.statusText,
          headers: ev.headers,
          url: ev.url,
          redirected: ev.redirected,
          body: entry.response?.body,
        };
        if (ev.protocol !== undefined || ev.extensions !== undefined) {
          entry.websocket = { ...entry.websocket, protocol: ev.protocol, extensions: ev.extensions };
        }
        break;
      case 'body':
        if (ev.which === 'request') entry.request.body = ev.body;
        else if (entry.response) entry.response.body = ev.body;
        else entry.response = { status: 0, statusText: '', headers: [], body: ev.body };
        break;
      case 'message':
        if (entry.messages.length < MAX_MESSAGES_PER_ENTRY) {
          const { type: _type, id: _id, ...message } = ev;
          entry.messages.push(message);
        } else {
          entry.droppedMessages++;
        }
        break;
      case 'end':
        entry.endTime = ev.t;
        if (entry.lifecycle.length < MAX_LIFECYCLE_STEPS) entry.lifecycle.push({ t: ev.t, step: `end:${ev.outcome}` });
        entry.state =
          ev.outcome === 'ok'
            ? 'done'
            : ev.outcome === 'abort'
              ? 'aborted'
              : ev.outcome === 'closed'
                ? 'closed'
                : ev.outcome;
        if (ev.error) entry.error = ev.error;
        if (ev.close) entry.websocket = { ...entry.websocket, close: ev.close };
        if (entry.kind !== 'websocket' && entry.kind !== 'eventsource' && entry.response && !entry.response.body) {
          const body = bodyFromChunks(entry);
          if (body) entry.response.body = body;
        }
        break;
      case 'jsonp':
        entry.jsonp = { callback: ev.callback, called: ev.called, payload: ev.payload, threw: ev.threw };
        if (ev.called) entry.kind = 'jsonp';
        break;
      case 'listen':
        entry.eventSource = { listened: ev.names };
        break;
    }
  }

  function absorbWire(page: Entry, wireEntryId: string) {
    const wireEntry = byId.get(wireEntryId);
    if (!wireEntry?.wire) return;
    page.wire = wireEntry.wire;
    wireById.set(wireEntry.wire.requestId, page.id);
    if (wireEntry.preflightId) {
      const pre = byId.get(wireEntry.preflightId);
      if (pre) pairPreflight(pre, page);
    }
    byId.delete(wireEntryId);
    const at = order.lastIndexOf(wireEntryId);
    if (at >= 0) order.splice(at, 1);
  }

  function applyNet(rec: TabRecord, ev: NetEvent) {
    const existingId = wireById.get(ev.requestId);
    if (existingId) {
      const entry = byId.get(existingId);
      if (entry?.wire) updateWire(entry, entry.wire, ev);
      return;
    }
    const held = heldWire.get(heldKey(ev.requestId));
    if (held) {
      updateWire(undefined, held, ev);
      // Finished and never claimed by a page record soon: let it go.
      if (ev.phase === 'completed' || ev.phase === 'error') heldWire.delete(heldKey(ev.requestId));
      return;
    }
    if (ev.phase !== 'send' && ev.phase !== 'headers' && ev.phase !== 'error') return;
    const wire: WireView = {
      requestId: ev.requestId,
      resourceType: ev.resourceType,
      redirects: [],
    };
    const acrm = headerValue(ev.requestHeaders, 'access-control-request-method');
    if (ev.method === 'OPTIONS' && acrm) {
      const entry = wireEntry(rec, ev, wire, 'preflight');
      const pfKey = `${rec.tabId}|${acrm.toUpperCase()}|${normUrl(ev.url)}`;
      const targetId = shift(requestsWaitingPreflight, pfKey);
      const target = targetId ? byId.get(targetId) : undefined;
      if (target) pairPreflight(entry, target);
      else push(preflightWaiting, pfKey, entry.id);
      return;
    }
    const key = joinKey(rec.tabId, ev.frameId, ev.method.toUpperCase(), ev.url);
    const pageId = take(pageWaiting, key, pageFits(ev));
    const page = pageId ? byId.get(pageId) : undefined;
    const source = page ? undefined : byId.get(eventSources.get(key) ?? '');
    if (source?.wire && ev.phase === 'send') {
      // EventSource reconnects to the same URL: one channel, a reconnection step.
      wireById.set(ev.requestId, source.id);
      if (source.lifecycle.length < MAX_LIFECYCLE_STEPS) source.lifecycle.push({
        t: ev.t,
        step: 'wire:reconnect',
        detail: { lastEventId: headerValue(ev.requestHeaders, 'last-event-id') ?? null },
      });
      source.wire.requestHeaders = ev.requestHeaders;
      return;
    }
    if (page) {
      page.wire = wire;
      wireById.set(ev.requestId, page.id);
      updateWire(page, wire, ev);
      return;
    }
    if (WIRE_TYPES_SHOWN_ALONE.has(ev.resourceType)) {
      const entry = wireEntry(rec, ev, wire, wireKind(ev.resourceType));
      push(wireWaiting, key, entry.id);
      // A wire-only request that a preflight was sent for: pair them now.
      const pfKey = `${rec.tabId}|${ev.method.toUpperCase()}|${normUrl(ev.url)}`;
      const preId = shift(preflightWaiting, pfKey);
      const pre = preId ? byId.get(preId) : undefined;
      if (pre) pairPreflight(pre, entry);
    } else {
      const heldView = { ...wire, frameId: ev.frameId, tabId: rec.tabId, method: ev.method, url: ev.url, t: ev.t };
      updateWire(undefined, heldView, ev);
      heldWire.set(key, heldView);
      heldWire.set(heldKey(ev.requestId), heldView);
      while (heldWire.size > MAX_HELD) heldWire.delete(heldWire.keys().next().value as string);
    }
  }

  function wireEntry(rec: TabRecord, ev: NetEvent, wire: WireView, kind: EntryKind): Entry {
    const entry: Entry = {
      id: `net:${ev.requestId}`,
      tabId: rec.tabId,
      frameId: ev.frameId,
      kind,
      method: ev.method,
      url: ev.url,
      startTime: ev.t,
      state: 'pending',
      request: { headers: [] },
      lifecycle: [],
      messages: [],
      droppedMessages: 0,
      initiator: ev.initiator,
      wire,
    };
    add(entry);
    wireById.set(ev.requestId, entry.id);
    updateWire(entry, wire, ev);
    return entry;
  }

  /** Fills the wire view; for wire-only entries also the response and state. */
  function updateWire(entry: Entry | undefined, wire: WireView, ev: NetEvent) {
    switch (ev.phase) {
      case 'send':
        wire.requestHeaders = ev.requestHeaders;
        wire.sendTime = ev.t;
        break;
      case 'headers':
        wire.responseHeaders = ev.responseHeaders;
        wire.statusCode = ev.statusCode;
        wire.statusLine = ev.statusLine;
        wire.headersTime = ev.t;
        break;
      case 'redirect':
        wire.redirects.push({ url: ev.url, status: ev.statusCode, location: ev.redirectUrl, headers: ev.responseHeaders });
        break;
      case 'completed':
        wire.statusCode = ev.statusCode ?? wire.statusCode;
        wire.statusLine = ev.statusLine ?? wire.statusLine;
        wire.fromCache = ev.fromCache;
        wire.ip = ev.ip;
        wire.endTime = ev.t;
        if (ev.responseHeaders) wire.responseHeaders = ev.responseHeaders;
        break;
      case 'error':
        wire.error = ev.error;
        wire.endTime = ev.t;
        break;
    }
    if (!entry || !entry.id.startsWith('net:')) return;
    if (wire.statusCode !== undefined) {
      entry.response = {
        status: wire.statusCode,
        statusText: statusTextOf(wire.statusLine),
        headers: wire.responseHeaders ?? [],
      };
    }
    if (ev.phase === 'send' && ev.requestHeaders) entry.request.headers = ev.requestHeaders;
    if (ev.phase === 'completed') {
      entry.state = 'done';
      entry.endTime = ev.t;
    } else if (ev.phase === 'error') {
      entry.state = 'error';
      entry.error = ev.error;
      entry.endTime = ev.t;
    }
  }

  return {
    apply(record) {
      version++;
      sorted = undefined;
      try {
        if (record.ev.type === 'net') applyNet(record, record.ev);
        else applyPage(record, record.ev);
      } catch {
        // A record the validators let through but that does not fit: counted, never fatal, and
        // no half-built entry is left behind.
        captureErrors++;
        if (record.ev.type === 'start') byId.delete(`${record.doc ?? 'page'}:${record.ev.id}`);
      }
    },
    entries() {
      if (sorted) return sorted;
      const out: Entry[] = [];
      for (const id of order) {
        const entry = byId.get(id);
        if (entry) out.push(entry);
      }
      // Records arrive by two paths (page relay, webRequest): show them in start order.
      out.sort((a, b) => a.startTime - b.startTime);
      return (sorted = out);
    },
    get: (id) => byId.get(id),
    get version() {
      return version;
    },
    get captureErrors() {
      return captureErrors;
    },
    get pageEventsDropped() {
      return pageEventsDropped;
    },
  };
}

/** "<n> page events dropped: …" → n. */
function droppedCount(message: string): number {
  const m = /^(\d+) /.exec(message);
  return m ? Number(m[1]) : 0;
}

/**
 * The frame is not part of the key: webRequest reports frameId 0 for requests from about:blank
 * and document.write frames, whose page records carry their own frame. Within a tab, same method
 * and URL at nearly the same time are joined in order.
 */
function joinKey(tabId: number, _frameId: number, method: string, url: string): string {
  return `${tabId}|${method}|${normUrl(url)}`;
}

const JOIN_WINDOW_MS = 30_000;
const MAX_WAITING_KEYS = 5_000;
const MAX_WAITING_PER_KEY = 100;
const MAX_HELD = 4_000;


function heldKey(requestId: string): string {
  return `req:${requestId}`;
}

function statusTextOf(statusLine: string | undefined): string {
  if (!statusLine) return '';
  // "HTTP/1.1 404 Not Found" → "Not Found"
  const m = /^\S+\s+\d{3}\s*(.*)$/.exec(statusLine);
  return m ? m[1] : '';
}

/**
 * A streamed fetch/XHR body ended with its chunks only: the body is their concatenation (the
 * bytes the page received), so the HAR carries it beside the parsed messages. Truncated when a
 * chunk was, or when chunks were dropped.
 */
export function bodyFromChunks(entry: Entry): Payload | undefined {
  const chunks = entry.messages.filter((m) => m.dir === 'receive' && m.eventName === undefined);
  if (!chunks.length) return undefined;
  const parts: Uint8Array[] = [];
  let size = 0;
  let truncated = entry.droppedMessages > 0;
  let allText = true;
  for (const m of chunks) {
    const { encoding, data } = payloadData(m.data);
    const bytes = encoding === 'text' ? encodeUtf8(data) : encoding === 'base64' ? base64ToBytes(data) : undefined;
    if (!bytes) return undefined;
    if (encoding !== 'text') allText = false;
    parts.push(bytes);
    size += m.data.size >= 0 ? m.data.size : bytes.length;
    if (m.data.truncated) truncated = true;
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const text = allText ? undefined : utf8Text(all);
  const mimeType = chunks[0].data.mimeType;
  const base = { size: entry.droppedMessages > 0 ? -1 : size, truncated, source: 'stream', mimeType };
  if (allText) return { encoding: 'text', data: chunks.map((m) => m.data.data).join(''), ...base };
  if (text !== undefined) return { encoding: 'text', data: text, ...base };
  return { encoding: 'base64', data: toBase64(all), ...base };
}
