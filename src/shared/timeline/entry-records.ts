import type { Entry, EntryKind, Message, WireView } from '../model';
import { MAX_LIFECYCLE_STEPS } from '../model';
import type { WireEvent, PageEvent, Payload, TabRecord } from '../protocol';
import { base64ToBytes, encodeUtf8, toBase64, utf8Text } from '../bytes';
import { payloadData } from '../har/payload';

/** How entries are built from records, one record at a time: no lookups, no joins. */

export type PageStart = Extract<PageEvent, { type: 'start' }>;

/** The entry kind of a wire-only request, from webRequest's resource type. */
export function wireKind(resourceType: string): EntryKind {
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
export function wireMethod(entry: Entry): string {
  return entry.kind === 'websocket' || entry.kind === 'eventsource' || entry.kind === 'jsonp' || entry.kind === 'script'
    ? 'GET'
    : entry.method.toUpperCase();
}

export function pushStep(entry: Entry, step: Entry['lifecycle'][number]) {
  if (entry.lifecycle.length < MAX_LIFECYCLE_STEPS) entry.lifecycle.push(step);
}

/**
 * Adds message `m` to the entry's messages (past `maxMessages`, counts it in droppedMessages
 * instead), before the last ones it `goesBefore`: messages reach an entry on two paths, the
 * page's and deep capture's. Views read the list as appended to (the entry's size, messages
 * inline), so a message placed before others makes a new list, which they take for new.
 */
export function insertMessage(entry: Entry, m: Message, maxMessages: number, goesBefore: (other: Message) => boolean) {
  if (entry.messages.length >= maxMessages) {
    entry.droppedMessages++;
    return;
  }
  const list = entry.messages;
  let i = list.length;
  while (i > 0 && goesBefore(list[i - 1])) i--;
  if (i === list.length) list.push(m);
  else entry.messages = [...list.slice(0, i), m, ...list.slice(i)];
}

/** A new entry for a page `start` record; its id is `${doc}:${page id}`. */
export function pageEntry(rec: TabRecord, ev: PageStart): Entry {
  const entry: Entry = {
    id: pageEntryId(rec, ev.id),
    tabId: rec.tabId,
    frameId: rec.frameId,
    frameUrl: rec.frameUrl,
    doc: rec.doc,
    kind: ev.kind,
    method: ev.method,
    url: ev.url,
    startTime: ev.t,
    state: 'pending',
    request: { headers: ev.headers, body: ev.body, meta: ev.meta },
    lifecycle: [{ t: ev.t, step: 'start' }],
    messages: [],
    droppedMessages: 0,
    initiator: ev.stack,
  };
  if (rec.frameOrigin !== undefined) entry.frameOrigin = rec.frameOrigin;
  return entry;
}

export function pageEntryId(rec: TabRecord, pageId: string): string {
  return `${rec.doc ?? 'page'}:${pageId}`;
}

/**
 * Applies a page record other than `start` to its entry. Messages past `maxMessages` are counted
 * in `droppedMessages`, not kept. A message is kept as the record's own object (no copy): its
 * extra `type` and `id` fields are harmless and a million copies are not.
 */
export function applyPageEvent(entry: Entry, ev: Exclude<PageEvent, PageStart>, maxMessages: number) {
  switch (ev.type) {
    case 'step':
      pushStep(entry, { t: ev.t, step: ev.step, detail: ev.detail });
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
      // Before the unlistened events of later times deep capture put there (deep.ts).
      insertMessage(entry, ev, maxMessages, (other) => !!other.unlistened && other.t > ev.t);
      break;
    case 'end':
      entry.endTime = ev.t;
      pushStep(entry, { t: ev.t, step: `end:${ev.outcome}` });
      entry.state = ev.outcome === 'ok' ? 'done' : ev.outcome === 'abort' ? 'aborted' : ev.outcome === 'closed' ? 'closed' : ev.outcome;
      if (ev.error) entry.error = ev.error;
      if (ev.close) entry.websocket = { ...entry.websocket, close: ev.close };
      if (entry.kind !== 'websocket' && entry.kind !== 'eventsource' && entry.response && !entry.response.body) {
        const body = bodyFromChunks(entry);
        if (body) entry.response.body = body;
      }
      break;
    case 'jsonp':
      entry.jsonp = { callback: ev.callback, called: ev.called, args: ev.args, payload: ev.payload, threw: ev.threw };
      if (ev.called) entry.kind = 'jsonp';
      break;
    case 'listen':
      entry.eventSource = { listened: ev.names };
      break;
  }
}

/**
 * Whether `entry` stands for a request seen only on the wire so far (made by wireEntry): a page
 * entry of the same exchange absorbs it when the page's records arrive.
 */
export function isWireOnly(entry: Entry): boolean {
  return entry.id.startsWith('wire:');
}

/** A new entry for a request seen only on the wire; its id is `wire:${requestId}`. */
export function wireEntry(rec: TabRecord, ev: WireEvent, wire: WireView, kind: EntryKind): Entry {
  return {
    id: `wire:${ev.requestId}`,
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
}

/** Fills the wire view from one webRequest record; for wire-only entries also the response and state. */
export function updateWire(entry: Entry | undefined, wire: WireView, ev: WireEvent) {
  switch (ev.phase) {
    case 'send':
      // After a redirect the browser sends another request (a 303 turns a POST into a GET with
      // no body): the entry's URL, method and body are the first request's, and so are the
      // headers kept (unless none were seen), as each hop's response is in `redirects`.
      if (!wire.redirects.length || !wire.requestHeaders) wire.requestHeaders = ev.requestHeaders;
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
  if (!entry || !isWireOnly(entry)) return;
  if (wire.statusCode !== undefined) {
    entry.response = { status: wire.statusCode, statusText: statusTextOf(wire.statusLine), headers: wire.responseHeaders ?? [] };
  }
  if (ev.phase === 'send' && ev.requestHeaders && wire.requestHeaders === ev.requestHeaders) entry.request.headers = ev.requestHeaders;
  if (ev.phase === 'completed') {
    entry.state = 'done';
    entry.endTime = ev.t;
  } else if (ev.phase === 'error') {
    entry.state = 'error';
    entry.error = ev.error;
    entry.endTime = ev.t;
  }
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
