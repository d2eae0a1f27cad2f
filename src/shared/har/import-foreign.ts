import { base64Length, utf8Length } from '../bytes';
import { exchangeOver, type Entry, type EntryState, type WireView } from '../model';
import type { Payload } from '../protocol';
import { stackFromInitiator } from './initiator';
import { fromEventSourceMessages, fromWebSocketMessages } from './messages';
import { payloadFromPostData } from './post-data';
import { BYTE_SIZE, HTTP_STATUS, num, obj, ranged, str, type Obj } from './read';
import { importedType } from './resource-type';
import { epochMs } from './times';
import type { StandardParts } from './import-netlens';

type Warn = (message: string) => void;

/** Response content from any tool: a body only when there is text or a known size (a size out of range left out with a warning). */
function contentPayload(c: Obj | undefined, warn: Warn): Payload | undefined {
  if (!c) return undefined;
  const text = str(c.text);
  const size = ranged(c.size, BYTE_SIZE, 'response.content.size', warn);
  if (!text && !(size && size > 0)) return undefined;
  const base64 = !!text && str(c.encoding)?.toLowerCase() === 'base64';
  const captured = text ? (base64 ? base64Length(text) : utf8Length(text)) : 0;
  const p: Payload = {
    encoding: text ? (base64 ? 'base64' : 'text') : 'none',
    data: text ?? '',
    size: size !== undefined && size >= 0 ? size : captured,
    truncated: !text,
  };
  const mimeType = str(c.mimeType);
  if (mimeType) p.mimeType = mimeType;
  return p;
}

/**
 * HAR timings → wire times, epoch ms (`connect` includes `ssl`, as the spec says): none when
 * `send` or `wait` is missing or negative (the request never went out: HAR's -1).
 */
export function wireTimes(timings: Obj | undefined, start: number): Pick<WireView, 'sendTime' | 'headersTime' | 'endTime'> {
  if (!timings) return {};
  const part = (k: string) => Math.max(0, num(timings[k]) ?? 0);
  const send = num(timings.send);
  const wait = num(timings.wait);
  if (send === undefined || wait === undefined || send < 0 || wait < 0) return {};
  const sendTime = start + part('blocked') + part('dns') + part('connect');
  const headersTime = sendTime + send + wait;
  const endTime = epochMs(headersTime + part('receive'));
  // Phases too long for a Date (1e308 ms) are no times.
  return endTime === undefined ? {} : { sendTime, headersTime, endTime };
}

/** Chrome's `_fromCache` (`"memory"` or `"disk"`) says a response came from a cache; false, null or "" say it did not. */
export function chromeFromCache(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v !== '');
}

/** A response's status line as webRequest gives it (`HTTP/1.1 200 OK`), from a HAR response's parts; the parts it lacks left out. */
export function statusLineOf(httpVersion: string, status: number, statusText: string): string {
  return [httpVersion, status, statusText].filter((x) => x !== '').join(' ');
}

/** An entry of a HAR from Chrome, Firefox, mitmproxy, Charles…: what it says went over the network. */
export function foreignEntry(h: Obj, index: number, parts: StandardParts, warn: Warn): Entry {
  const status = ranged(parts.response.status, HTTP_STATUS, 'response.status', warn) ?? 0;
  const statusText = str(parts.response.statusText) ?? '';
  const ws = fromWebSocketMessages(h._webSocketMessages, warn);
  const sse = fromEventSourceMessages(h._eventSourceMessages, warn);
  const type = importedType({
    resourceType: h._resourceType,
    method: parts.method,
    url: parts.url,
    requestHeaders: parts.requestHeaders,
    responseHeaders: parts.responseHeaders,
    status,
    hasWebSocketMessages: Array.isArray(h._webSocketMessages),
    hasEventSourceMessages: Array.isArray(h._eventSourceMessages),
  });
  const error = str(parts.response._error) || str(h._error) || undefined;
  const time = num(h.time);
  const id = `har:${index}`;
  const httpVersion = str(parts.response.httpVersion) ?? '';
  const wire: WireView = {
    requestId: id,
    resourceType: type.webRequestType,
    requestHeaders: parts.requestHeaders,
    responseHeaders: parts.responseHeaders,
    redirects: [],
    ...wireTimes(obj(h.timings), parts.startTime),
  };
  if (status) {
    wire.statusCode = status;
    wire.statusLine = statusLineOf(httpVersion, status, statusText);
  }
  const ip = str(h.serverIPAddress);
  if (ip) wire.ip = ip;
  if (error) wire.error = error;
  if (chromeFromCache(h._fromCache)) wire.fromCache = true;

  const entry: Entry = {
    id,
    tabId: -1,
    frameId: 0,
    kind: type.kind,
    method: parts.method,
    url: parts.url,
    startTime: parts.startTime,
    state: stateOf(type.kind === 'websocket', status, error, !!ws.close),
    request: { headers: parts.requestHeaders },
    lifecycle: [],
    messages: [...ws.messages, ...sse],
    droppedMessages: 0,
    wire,
  };
  const doc = str(h.pageref);
  if (doc) entry.doc = doc;
  // Without `time` (Firefox writes null for some finished requests), a finished one ends where
  // its timings do, else where it began (its length unknown): it is not running.
  if (time !== undefined && time >= 0) {
    const endTime = epochMs(parts.startTime + time);
    if (endTime !== undefined) entry.endTime = endTime;
  } else if (exchangeOver(entry)) entry.endTime = wire.endTime ?? parts.startTime;
  if (error) entry.error = error;
  const body = payloadFromPostData(parts.request.postData, parts.request.bodySize, warn);
  if (body) entry.request.body = body;
  const resBody = contentPayload(parts.content, warn);
  if (status || parts.responseHeaders.length || resBody) {
    entry.response = { status, statusText, headers: parts.responseHeaders };
    if (resBody) entry.response.body = resBody;
  }
  const initiator = stackFromInitiator(h._initiator);
  if (initiator) entry.initiator = initiator;
  if (ws.close) {
    const { t: _t, ...close } = ws.close;
    entry.websocket = { close };
  }
  return entry;
}

function stateOf(socket: boolean, status: number, error: string | undefined, closed: boolean): EntryState {
  if (error) return 'error';
  if (socket) return closed ? 'closed' : status === 101 ? 'open' : status ? 'error' : 'pending';
  return status ? 'done' : 'pending';
}
