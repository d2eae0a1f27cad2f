import type { Content } from 'har-format';
import { utf8Text } from '../bytes';
import { parseContentType } from '../decode/header-params';
import { isTextual } from '../decode/multipart';
import { headerValue } from '../headers';
import type { Entry, Message, WireView } from '../model';
import type { Header, StartMeta } from '../protocol';
import { sniffEventStream } from './decoders';
import { httpVersionOf, queryString, requestCookies, responseCookies, sameHeaders, statusTextOf, toHarHeaders } from './headers';
import { harInitiator } from './initiator';
import { eventsFromChunks, toEventSourceMessage, toWebSocketMessage, unsentMessages, webSocketMessages } from './messages';
import { capturedLength, payloadBytes, payloadData, payloadToJson } from './payload';
import { toPostData } from './post-data';
import { chromeResourceType } from './resource-type';
import { harTime, harTimings, isoTime, toEpochSeconds } from './times';
import type { HarTransfer } from '../transfers';
import { notOnWire } from '../wire-check';
import type { DecodeError, HarEntry, HarJsonp, HarNetlens, HarResponse, WireJson } from './types';
import type { DeepFacts } from '../deep/events';

export interface EntryExportOptions {
  /** The CORS analyzer's report for an entry, stored as `_netlens.cors`. */
  cors?: (entry: Entry) => unknown;
  /** The resumable upload an entry belongs to (see shared/transfers), stored as `_netlens.transfer`. */
  transfer?: (entry: Entry) => HarTransfer | undefined;
  /** The trace has a wire view to check page records against: `_netlens.notOnWire` (see shared/wire-check). */
  wireChecked?: boolean;
  /** That wire view came from DevTools' log (see shared/wire-check notOnWire). */
  wireFromDevtools?: boolean;
  /** When the tab's wire view started (epoch ms, see notOnWire); undefined: all along. */
  wireSince?: number;
}

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;

function openedSocket(entry: Entry): boolean {
  return entry.kind === 'websocket' && (entry.state === 'open' || entry.lifecycle.some((s) => s.step === 'open'));
}

/** Status from the page's response, else the wire's; an opened WebSocket had its 101. */
function responseStatus(entry: Entry): number {
  const page = entry.response?.status;
  if (page) return page;
  return entry.wire?.statusCode ?? page ?? (openedSocket(entry) ? 101 : 0);
}

/**
 * A response body kept as bytes (a fetch's, as read; an XHR's arraybuffer or blob), as the text
 * HAR readers expect for a textual type (multipart.ts isTextual: JSON, HTML, XML, JavaScript,
 * text/*), as Chrome's HAR export writes it, when the bytes are UTF-8 and decode without loss (a
 * BOM kept), so the text encodes back to the very bytes: the `charset` says utf-8, or none is
 * given and the type is JSON (always UTF-8, RFC 8259 §8.1) or the bytes are ASCII (a page without
 * a charset may be windows-1252 to a browser). Else undefined: the body stays base64.
 */
function utf8TextOf(bytes: Uint8Array, mimeType: string): string | undefined {
  const type = parseContentType(mimeType);
  if (!type || !isTextual(type.mime, type.suffix)) return undefined;
  const charset = type.params.charset?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return undefined;
  const text = utf8Text(bytes);
  // (`+json` subtypes included.)
  if (text === undefined || charset !== undefined || /json/.test(type.subtype)) return text;
  // ASCII: UTF-8 spends more than one byte on any other character.
  return text.length === bytes.length ? text : undefined;
}

function content(entry: Entry, mimeType: string, errors: DecodeError[]): Content {
  const body = entry.response?.body;
  if (!body) return { size: 0, mimeType };
  const bytes = payloadBytes(body);
  const text = bytes && utf8TextOf(bytes, mimeType);
  if (text !== undefined) return { size: body.size >= 0 ? body.size : bytes!.length, mimeType, text };
  const { encoding, data } = payloadData(body);
  const c: Content = { size: body.size >= 0 ? body.size : capturedLength(encoding, data), mimeType };
  if (encoding === 'text') c.text = data;
  else if (encoding === 'base64') {
    c.text = data;
    c.encoding = 'base64';
  } else if (body.encoding === 'buffer') {
    errors.push({ where: 'response.content', message: 'binary body without its bytes' });
  }
  return c;
}

function wireJson(wire: WireView): WireJson {
  const { requestHeaders, responseHeaders, redirects, ...rest } = wire;
  const out: WireJson = {
    ...rest,
    redirects: redirects.map(({ headers, ...hop }) => (headers ? { ...hop, headers: toHarHeaders(headers) } : hop)),
  };
  if (requestHeaders) out.requestHeaders = true;
  if (responseHeaders) out.responseHeaders = true;
  return dropUndefined(out);
}

/** A streamed body is SSE when its type says so, or, with no type at all, when its first chunks look like it. */
function isEventStream(chunks: Message[], mimeType: string): boolean {
  if (mimeType) return /^text\/event-stream\b/i.test(mimeType);
  let head = '';
  for (const c of chunks) {
    if (c.dir !== 'receive' || c.data.encoding !== 'text') continue;
    head += c.data.data;
    if (head.length >= 4096) break;
  }
  return head !== '' && sniffEventStream(head);
}

/** One entry as HAR: wire headers first (what really went out), the page's kept under `_netlens` when different. */
export function toHarEntry(entry: Entry, options: EntryExportOptions = {}): HarEntry {
  const wire = entry.wire;
  const errors: DecodeError[] = [];
  const reqHeaders: Header[] = wire?.requestHeaders ?? entry.request.headers;
  const resHeaders: Header[] = wire?.responseHeaders ?? entry.response?.headers ?? [];
  const status = responseStatus(entry);
  const httpVersion = httpVersionOf(wire?.statusLine);
  const resMime = headerValue(resHeaders, 'content-type') ?? entry.response?.body?.mimeType ?? '';
  const post = toPostData(entry.request.body, reqHeaders);
  errors.push(...post.errors);
  const location = status >= 300 && status < 400 ? headerValue(resHeaders, 'location') : undefined;

  const response: HarResponse = {
    status,
    statusText: entry.response?.statusText || statusTextOf(wire?.statusLine) || (status === 101 ? 'Switching Protocols' : ''),
    httpVersion,
    cookies: responseCookies(resHeaders),
    headers: toHarHeaders(resHeaders),
    content: content(entry, resMime, errors),
    redirectURL: location ?? '',
    headersSize: -1,
    bodySize: -1,
  };
  const failure = entry.error ?? wire?.error;
  if (failure !== undefined) response._error = failure;

  const har: HarEntry = {
    startedDateTime: isoTime(entry.startTime),
    time: harTime(entry),
    request: {
      method: entry.method,
      url: entry.url,
      httpVersion,
      cookies: requestCookies(reqHeaders),
      headers: toHarHeaders(reqHeaders),
      queryString: queryString(entry.url),
      headersSize: -1,
      bodySize: entry.request.body ? entry.request.body.size : 0,
    },
    response,
    cache: {},
    timings: harTimings(entry),
    _resourceType: chromeResourceType(entry),
    _initiator: harInitiator(entry.initiator, entry.kind === 'preflight' ? entry.url : undefined),
  };
  if (entry.doc !== undefined) har.pageref = entry.doc;
  if (post.postData) har.request.postData = post.postData;
  if (wire?.ip && IP.test(wire.ip)) har.serverIPAddress = wire.ip;

  const chunks = entry.kind === 'websocket' || entry.kind === 'eventsource' ? [] : entry.messages.filter((m) => m.eventName === undefined);
  if (entry.kind === 'websocket') {
    har._webSocketMessages = webSocketMessages(entry);
  } else {
    const events = (entry.kind === 'eventsource' ? entry.messages : entry.messages.filter((m) => m.eventName !== undefined)).map(toEventSourceMessage);
    if (chunks.length && isEventStream(chunks, resMime)) {
      const parsed = eventsFromChunks(chunks);
      // One by one: spread as call arguments, a long stream's events overflow the stack.
      for (const ev of parsed.events) events.push(ev);
      for (const error of parsed.errors) errors.push(error);
    }
    if (events.length || entry.kind === 'eventsource') har._eventSourceMessages = events;
  }

  const n: HarNetlens = {
    id: entry.id,
    tabId: entry.tabId,
    frameId: entry.frameId,
    frameUrl: entry.frameUrl,
    frameOrigin: entry.frameOrigin,
    doc: entry.doc,
    kind: entry.kind,
    state: entry.state,
    error: entry.error,
    startTime: entry.startTime,
    endTime: entry.endTime,
    lifecycle: entry.lifecycle.map((s) => (s.detail ? { ...s, detail: { ...s.detail } } : { ...s })),
    initiator: entry.initiator,
    meta: copyMeta(entry.request.meta),
    preflightFor: entry.preflightFor,
    preflightId: entry.preflightId,
  };
  if (wire) n.wire = wireJson(wire);
  if (wire?.requestHeaders && !sameHeaders(wire.requestHeaders, entry.request.headers)) n.requestHeaders = toHarHeaders(entry.request.headers);
  if (entry.response) {
    const r = entry.response;
    n.response = dropUndefined({ status: r.status, statusText: r.statusText, url: r.url, redirected: r.redirected });
    if (!sameHeaders(r.headers, resHeaders)) n.response.headers = toHarHeaders(r.headers);
  }
  const body = entry.request.body;
  if (body) {
    n.requestBodySize = body.size;
    n.requestBodyTruncated = body.truncated;
    n.requestBodyMimeType = body.mimeType;
    n.requestBodySource = body.source;
    if (post.fromForm) n.requestForm = true;
  }
  const resBody = entry.response?.body;
  if (resBody) {
    n.responseBodySize = resBody.size;
    n.responseBodyTruncated = resBody.truncated;
    n.responseBodyMimeType = resBody.mimeType;
    n.responseBodyReserialized = resBody.reserialized;
  }
  if (entry.jsonp) n.jsonp = jsonpJson(entry.jsonp);
  if (entry.websocket) {
    n.protocol = entry.websocket.protocol;
    n.extensions = entry.websocket.extensions;
    if (entry.websocket.close) n.close = { ...entry.websocket.close };
  }
  if (entry.eventSource) n.listened = [...entry.eventSource.listened];
  if (chunks.length) n.chunks = chunks.map(toWebSocketMessage);
  if (entry.kind === 'websocket') {
    const unsent = unsentMessages(entry);
    if (unsent.length) n.unsentMessages = unsent;
  }
  if (entry.droppedMessages) n.droppedMessages = entry.droppedMessages;
  const cors = options.cors?.(entry);
  if (cors !== undefined) n.cors = cors;
  if (entry.worker) n.worker = { ...entry.worker };
  if (entry.deep) deepJson(n, entry.deep, cors);
  const transfer = options.transfer?.(entry);
  if (transfer) n.transfer = transfer;
  if (errors.length) n.decodeErrors = errors;
  if (options.wireChecked && notOnWire(entry, options.wireSince, options.wireFromDevtools)) n.notOnWire = true;
  har._netlens = dropUndefined(n);
  return har;
}

/**
 * Deep capture's facts on `_netlens`: `rawStream`, `handshake`, `chromiumError`, and Chromium's
 * CORS verdict as `cors.chromium` beside the doctor's (only when the doctor judged the exchange,
 * or Chromium blocked it).
 */
function deepJson(n: HarNetlens, deep: DeepFacts, doctor: unknown) {
  if (deep.raw?.length) n.rawStream = deep.raw.map((r) => ({ time: toEpochSeconds(r.t), text: r.text }));
  if (deep.rawDropped) n.rawStreamDropped = deep.rawDropped;
  if (deep.handshake) {
    const h = deep.handshake;
    n.handshake = dropUndefined({
      requestHeaders: h.requestHeaders && toHarHeaders(h.requestHeaders),
      status: h.status,
      statusText: h.statusText,
      responseHeaders: h.responseHeaders && toHarHeaders(h.responseHeaders),
      error: h.error,
    });
  }
  if (deep.error) n.chromiumError = deep.error;
  if (deep.cors !== undefined && (deep.cors || (doctor && typeof doctor === 'object'))) {
    n.cors = { ...(doctor && typeof doctor === 'object' ? doctor : {}), chromium: deep.cors ? { ...deep.cors } : null };
  }
}

/**
 * `_netlens.jsonp` (see HarJsonp): the callback's value as JSON when the captured text is exactly
 * that value (whole, and what JSON.stringify of it gives back, so import rebuilds the same text);
 * otherwise the text stays in `payloadInfo.data`.
 */
function jsonpJson(j: NonNullable<Entry['jsonp']>): HarJsonp {
  const out: HarJsonp = { callback: j.callback, called: j.called, args: j.args, threw: j.threw };
  if (j.payload) {
    const { data, ...info } = payloadToJson(j.payload);
    const whole = info.encoding === 'text' && !info.truncated ? exactJson(data) : undefined;
    if (whole) {
      out.payload = whole.value;
      out.payloadInfo = info;
    } else out.payloadInfo = { ...info, data };
  }
  return dropUndefined(out);
}

/** The value of a JSON text that JSON.stringify gives back unchanged; undefined for anything else. */
function exactJson(text: string): { value: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) === text ? { value } : undefined;
  } catch {
    return undefined;
  }
}

function copyMeta(meta: StartMeta | undefined): StartMeta | undefined {
  if (!meta) return undefined;
  const copy = { ...meta };
  if (meta.protocols) copy.protocols = [...meta.protocols];
  return copy;
}

export function dropUndefined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}
