import * as v from 'valibot';
import { EntryKindSchema, EntryStateSchema, type Entry, type EntryKind, type EntryState, type LifecycleStep, type WireView } from '../model';
import { RESERIALIZED, StartMetaSchema, StepDetailValueSchema, pickValid, type Header, type Payload, type StepDetail } from '../page-events';
import { serializeOrigin } from '../cors/origin';
import { fromHarHeaders } from './headers';
import { closeCode, fromEventSourceMessages, fromWebSocketMessages, NO_CLOSE_CODE } from './messages';
import { payloadFromJson } from './payload';
import { epochMs, fromEpochSeconds } from './times';
import { fieldsFromParams } from './post-data';
import { arr, bool, BYTE_SIZE, COUNT, HTTP_STATUS, num, obj, ranged, str, type Obj } from './read';
import type { PayloadJson } from './types';

type Warn = (message: string) => void;

export interface StandardParts {
  method: string;
  url: string;
  startTime: number;
  requestHeaders: Header[];
  responseHeaders: Header[];
  request: Obj;
  response: Obj;
  content: Obj | undefined;
}

/** Whether `_netlens` is ours and whole enough to rebuild the entry from. */
export function isNetlensExtra(n: Obj | undefined): n is Obj {
  return !!n && typeof n.id === 'string' && v.is(EntryKindSchema, n.kind) && v.is(EntryStateSchema, n.state) && epochMs(n.startTime) !== undefined;
}

function lifecycle(list: unknown): LifecycleStep[] {
  const out: LifecycleStep[] = [];
  for (const raw of arr(list)) {
    const s = obj(raw);
    const t = epochMs(s?.t);
    const step = str(s?.step);
    if (!s || t === undefined || step === undefined) continue;
    const item: LifecycleStep = { t, step };
    const d = obj(s.detail);
    if (d) {
      const detail: StepDetail = {};
      for (const [k, val] of Object.entries(d)) if (v.is(StepDetailValueSchema, val)) detail[k] = val;
      item.detail = detail;
    }
    out.push(item);
  }
  return out;
}

function wire(v: unknown, parts: StandardParts, warn: Warn): WireView | undefined {
  const w = obj(v);
  if (!w || typeof w.requestId !== 'string') return undefined;
  const view: WireView = { requestId: w.requestId, resourceType: str(w.resourceType) ?? 'other', redirects: [] };
  if (w.requestHeaders === true) view.requestHeaders = parts.requestHeaders;
  if (w.responseHeaders === true) view.responseHeaders = parts.responseHeaders;
  const statusCode = ranged(w.statusCode, HTTP_STATUS, '_netlens.wire.statusCode', warn);
  if (statusCode !== undefined) view.statusCode = statusCode;
  for (const key of ['sendTime', 'headersTime', 'endTime'] as const) {
    const t = epochMs(w[key]);
    if (t !== undefined) view[key] = t;
  }
  for (const key of ['statusLine', 'ip', 'error'] as const) {
    const s = str(w[key]);
    if (s !== undefined) view[key] = s;
  }
  const fromCache = bool(w.fromCache);
  if (fromCache !== undefined) view.fromCache = fromCache;
  for (const raw of arr(w.redirects)) {
    const r = obj(raw);
    if (!r || typeof r.url !== 'string') continue;
    const hop: WireView['redirects'][number] = { url: r.url };
    const status = ranged(r.status, HTTP_STATUS, '_netlens.wire.redirects[].status', warn);
    if (status !== undefined) hop.status = status;
    if (str(r.location) !== undefined) hop.location = r.location as string;
    if (Array.isArray(r.headers)) hop.headers = fromHarHeaders(r.headers, '_netlens.wire.redirects[].headers', warn);
    view.redirects.push(hop);
  }
  return view;
}

function payloadJson(v: unknown, warn: Warn): Payload | undefined {
  const p = obj(v);
  if (!p || typeof p.data !== 'string' || !['text', 'base64', 'none'].includes(p.encoding as string)) return undefined;
  const size = ranged(p.size, BYTE_SIZE, '_netlens.jsonp size', warn) ?? -1;
  const j: PayloadJson = { encoding: p.encoding as PayloadJson['encoding'], data: p.data, size, truncated: p.truncated === true };
  if (typeof p.mimeType === 'string') j.mimeType = p.mimeType;
  if (typeof p.source === 'string') j.source = p.source;
  return payloadFromJson(j);
}

/**
 * A body captured by netlens: HAR text (+ encoding) with size, truncation, type and source from
 * `_netlens`. `<prefix>BodySize` says there was one; a size out of range (-5, 1.5, 1e308) is left
 * out with a warning: the body is kept, its size unknown (-1).
 */
function body(text: unknown, base64: boolean, n: Obj, prefix: 'request' | 'response', warn: Warn): Payload | undefined {
  const raw = n[`${prefix}BodySize`];
  if (typeof raw !== 'number') return undefined;
  const p: Payload = {
    encoding: typeof text === 'string' ? (base64 ? 'base64' : 'text') : 'none',
    data: typeof text === 'string' ? text : '',
    size: ranged(raw, BYTE_SIZE, `_netlens.${prefix}BodySize`, warn) ?? -1,
    truncated: n[`${prefix}BodyTruncated`] === true,
  };
  const mimeType = str(n[`${prefix}BodyMimeType`]);
  if (mimeType !== undefined) p.mimeType = mimeType;
  const reserialized = n[`${prefix}BodyReserialized`];
  if (v.is(v.picklist(RESERIALIZED), reserialized)) p.reserialized = reserialized;
  return p;
}

/** Rebuilds an entry netlens exported: `_netlens` holds what HAR cannot. */
export function netlensEntry(n: Obj, h: Obj, parts: StandardParts, warn: Warn): { entry: Entry; cors?: unknown } {
  const kind = n.kind as EntryKind;
  const pageRequestHeaders = Array.isArray(n.requestHeaders) ? fromHarHeaders(n.requestHeaders, '_netlens.requestHeaders', warn) : undefined;
  const entry: Entry = {
    id: n.id as string,
    tabId: num(n.tabId) ?? -1,
    frameId: num(n.frameId) ?? 0,
    kind,
    method: parts.method,
    url: parts.url,
    startTime: n.startTime as number,
    state: n.state as EntryState,
    request: { headers: pageRequestHeaders ?? parts.requestHeaders },
    lifecycle: lifecycle(n.lifecycle),
    messages: [],
    droppedMessages: ranged(n.droppedMessages, COUNT, '_netlens.droppedMessages', warn) ?? 0,
  };
  const copy = <K extends keyof Entry>(key: K, value: Entry[K] | undefined) => {
    if (value !== undefined) entry[key] = value;
  };
  copy('frameUrl', str(n.frameUrl));
  const frameOrigin = str(n.frameOrigin);
  // An origin as Chromium serializes it, or "null": anything else would be taken for one.
  if (frameOrigin !== undefined && serializeOrigin(frameOrigin) === frameOrigin) entry.frameOrigin = frameOrigin;
  else if (frameOrigin !== undefined) warn(`frameOrigin ${JSON.stringify(frameOrigin.slice(0, 100))} is no origin, left out`);
  copy('doc', str(n.doc));
  copy('endTime', epochMs(n.endTime));
  copy('error', str(n.error));
  copy('initiator', str(n.initiator));
  copy('preflightFor', str(n.preflightFor));
  copy('preflightId', str(n.preflightId));
  copy('wire', wire(n.wire, parts, warn));

  const meta = pickValid(StartMetaSchema, n.meta);
  if (meta) entry.request.meta = meta;
  const pd = obj(parts.request.postData);
  const reqBody = body(pd?.text, pd?._encoding === 'base64', n, 'request', warn);
  if (reqBody) {
    const source = str(n.requestBodySource);
    if (source !== undefined) reqBody.source = source;
    if (n.requestForm === true) reqBody.form = fieldsFromParams(arr(pd?.params), 'request.postData.params', warn);
    entry.request.body = reqBody;
  }

  const r = obj(n.response);
  if (r) {
    entry.response = {
      status: ranged(r.status, HTTP_STATUS, '_netlens.response.status', warn) ?? 0,
      statusText: str(r.statusText) ?? '',
      headers: Array.isArray(r.headers) ? fromHarHeaders(r.headers, '_netlens.response.headers', warn) : parts.responseHeaders,
    };
    if (str(r.url) !== undefined) entry.response.url = r.url as string;
    if (bool(r.redirected) !== undefined) entry.response.redirected = r.redirected as boolean;
    const resBody = body(parts.content?.text, parts.content?.encoding === 'base64', n, 'response', warn);
    if (resBody) entry.response.body = resBody;
  }

  if (kind === 'websocket') {
    const sent = fromWebSocketMessages(h._webSocketMessages, warn).messages;
    const unsent = fromWebSocketMessages(n.unsentMessages, warn, { closeFrames: false }).messages;
    for (const m of unsent) m.dropped = true;
    // Back into one list: each list keeps its own order; an unsent message goes before the first
    // sent one that is later than it (a merge, so a re-export gives the same two lists).
    const all: typeof sent = [];
    let i = 0;
    for (const m of unsent) {
      while (i < sent.length && sent[i].t <= m.t) all.push(sent[i++]);
      all.push(m);
    }
    while (i < sent.length) all.push(sent[i++]);
    entry.messages = all;
  }
  else if (kind === 'eventsource') entry.messages = fromEventSourceMessages(h._eventSourceMessages, warn);
  else entry.messages = [...fromWebSocketMessages(n.chunks, warn, { closeFrames: false }).messages, ...fromEventSourceMessages(h._eventSourceMessages, warn)];

  const close = obj(n.close);
  const protocol = str(n.protocol);
  const extensions = str(n.extensions);
  if (protocol !== undefined || extensions !== undefined || close) {
    entry.websocket = {};
    if (protocol !== undefined) entry.websocket.protocol = protocol;
    if (extensions !== undefined) entry.websocket.extensions = extensions;
    if (close) {
      const by = close.by === 'page' || close.by === 'server' ? close.by : 'unknown';
      // A code out of 0–65535 (70000, a fraction, a 400-digit number JSON reads as Infinity) is no close code.
      const code = closeCode(close.code);
      if (code === undefined && typeof close.code === 'number') warn(`_netlens.close.code ${close.code} is not 0–65535, read as ${NO_CLOSE_CODE} (no code)`);
      entry.websocket.close = { code: code ?? NO_CLOSE_CODE, reason: str(close.reason) ?? '', wasClean: close.wasClean === true, by };
    }
  }
  readDeep(entry, n, warn);
  if (Array.isArray(n.listened)) entry.eventSource = { listened: n.listened.filter((x): x is string => typeof x === 'string') };
  const j = obj(n.jsonp);
  if (j && typeof j.callback === 'string') {
    entry.jsonp = { callback: j.callback, called: j.called === true };
    const args = num(j.args);
    if (args !== undefined && Number.isInteger(args) && args >= 0) entry.jsonp.args = args;
    const info = obj(j.payloadInfo);
    // Format 2: the value, its facts beside it (the text there when it is not whole JSON).
    // Format 1: `payload` is the Payload wrapper itself.
    const payload = info ? payloadJson({ ...info, data: typeof info.data === 'string' ? info.data : 'payload' in j ? jsonText(j.payload, warn) : undefined }, warn) : payloadJson(j.payload, warn);
    if (payload) entry.jsonp.payload = payload;
    if (str(j.threw) !== undefined) entry.jsonp.threw = j.threw as string;
  }
  return { entry, cors: n.cors };
}

/** A JSONP payload's value as JSON text; undefined, warned, when it cannot be written (nested too deep for `JSON.stringify`'s stack). */
function jsonText(value: unknown, warn: Warn): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (e) {
    warn(`jsonp payload left out: ${(e as Error)?.message ?? String(e)}`);
    return undefined;
  }
}

/** Deep capture's facts back from `_netlens` (worker, rawStream, handshake, chromiumError, cors.chromium). */
function readDeep(entry: Entry, n: Obj, warn: Warn) {
  const w = obj(n.worker);
  if (w && (w.type === 'dedicated' || w.type === 'shared' || w.type === 'service')) entry.worker = { type: w.type, url: str(w.url) ?? '' };
  const deep: NonNullable<Entry['deep']> = {};
  if (Array.isArray(n.rawStream)) {
    deep.raw = [];
    for (const r of n.rawStream) {
      const o = obj(r);
      const t = typeof o?.time === 'number' ? epochMs(fromEpochSeconds(o.time)) : undefined;
      if (o && t !== undefined && typeof o.text === 'string') deep.raw.push({ t, text: o.text });
    }
  }
  if (num(n.rawStreamDropped)) deep.rawDropped = n.rawStreamDropped as number;
  const h = obj(n.handshake);
  if (h) {
    deep.handshake = {};
    if (Array.isArray(h.requestHeaders)) deep.handshake.requestHeaders = fromHarHeaders(h.requestHeaders, '_netlens.handshake.requestHeaders', warn);
    const status = ranged(h.status, HTTP_STATUS, '_netlens.handshake.status', warn);
    if (status !== undefined) deep.handshake.status = status;
    if (str(h.statusText) !== undefined) deep.handshake.statusText = h.statusText as string;
    if (Array.isArray(h.responseHeaders)) deep.handshake.responseHeaders = fromHarHeaders(h.responseHeaders, '_netlens.handshake.responseHeaders', warn);
    if (str(h.error) !== undefined) deep.handshake.error = h.error as string;
  }
  if (str(n.chromiumError) !== undefined) deep.error = n.chromiumError as string;
  const cors = obj(n.cors);
  if (cors && 'chromium' in cors) {
    const c = obj(cors.chromium);
    deep.cors = c && typeof c.corsError === 'string' ? { corsError: c.corsError, failedParameter: str(c.failedParameter) ?? '' } : null;
  }
  if (Object.keys(deep).length) entry.deep = deep;
}
