/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as netlens writes it: the standard
 * types come from `@types/har-format`; here are only our extensions of them (Chrome's
 * `_resourceType`, `_webSocketMessages`, `_initiator`, `_error`, and our `_eventSourceMessages`,
 * `_netlens`). Custom fields start with `_`, as the spec asks.
 *
 * One deliberate departure: HAR 1.2 says `postData.text` and `postData.params` are mutually
 * exclusive (and `har-format` types them so); we write both (the text as sent, the params decoded
 * or as the page gave them). So the request, and the entry, log and HAR holding it, omit the
 * standard `postData`, `request`, `entries` and `log` and declare ours.
 */
import type { HarTransfer } from '../transfers';
import type { Cookie, Entry, Har as StandardHar, Header, Initiator, Log, Param, PostDataCommon, Request, Response } from 'har-format';
import type { EntryKind, EntryState, LifecycleStep, WireView } from '../model';
import type { StartMeta } from '../protocol';
import type { RESERIALIZED } from '../page-events';
import type { DeepWorker } from '../deep/events';

export type Reserialized = (typeof RESERIALIZED)[number];

/** Chrome writes `sameSite` too (not in HAR 1.2). */
export interface HarCookie extends Cookie {
  sameSite?: string;
}

export interface HarParam extends Param {
  /** netlens: the size of a file part we did not keep. */
  _size?: number;
}

export interface HarPostData extends PostDataCommon {
  text?: string;
  params?: HarParam[];
  /** netlens: `text` is base64 (HAR 1.2 has no encoding for request bodies). */
  _encoding?: 'base64';
}

export interface HarRequest extends Omit<Request, 'postData'> {
  cookies: HarCookie[];
  postData?: HarPostData;
}

export interface HarResponse extends Response {
  cookies: HarCookie[];
  /** Chrome: the network error of a failed request. */
  _error?: string;
}

/** Chrome DevTools' `_resourceType` names. */
export type HarResourceType = NonNullable<Entry['_resourceType']>;

/** Per-message facts Chrome's format has no field for; only present when not the default. */
export interface HarMessageExtras {
  size?: number;
  truncated?: boolean;
  mimeType?: string;
  source?: string;
  /** WebSocket: 'none' (nothing captured); SSE: data is not text. */
  encoding?: 'none' | 'base64';
  origin?: string;
  bufferedAmount?: number;
  dropped?: boolean;
  eventName?: string;
  eventId?: string;
  dir?: 'send' | 'receive';
  /** SSE, deep capture: the browser received this event but the page listened to no such name. */
  unlistened?: true;
  /** SSE: parsed from `_netlens.chunks` (so import skips it and parses the chunks again). */
  fromChunks?: true;
}

type ChromeWebSocketMessage = NonNullable<Entry['_webSocketMessages']>[number];

/** As Chrome DevTools writes them: `time` in epoch seconds, opcode 1 text, 2 binary (base64), 8 close. */
export interface HarWebSocketMessage extends ChromeWebSocketMessage {
  _netlens?: HarMessageExtras;
}

export interface HarEventSourceMessage {
  time: number;
  eventName: string;
  eventId: string;
  data: string;
  _netlens?: HarMessageExtras;
}

/** Chrome's `_initiator`: a script's call frames, a preflight's request, or "other". */
export interface HarInitiator extends Initiator {
  columnNumber?: number;
  stack?: { callFrames: HarCallFrame[] };
}

export interface HarCallFrame {
  functionName: string;
  scriptId?: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** A Payload as JSON (an ArrayBuffer becomes base64). */
export interface PayloadJson {
  encoding: 'text' | 'base64' | 'none';
  data: string;
  size: number;
  truncated: boolean;
  mimeType?: string;
  source?: string;
}

/**
 * `_netlens.jsonp`. `payload` is the value the callback received, as JSON (its argument, or the
 * argument list when `args` > 1), present when the captured text is that value whole; the
 * captured text's facts sit in `payloadInfo`, with the text itself as `payloadInfo.data` only when
 * it is not a whole JSON value (cut at the cap). Format 1 wrote the Payload wrapper as `payload`
 * and no `payloadInfo`; import reads both.
 */
export interface HarJsonp {
  callback: string;
  called: boolean;
  args?: number;
  payload?: unknown;
  payloadInfo?: Omit<PayloadJson, 'data'> & { data?: string };
  threw?: string;
}

/** The webRequest view as JSON: the HAR's headers are the wire's when `requestHeaders` / `responseHeaders` say so. */
export interface WireJson extends Omit<WireView, 'requestHeaders' | 'responseHeaders' | 'redirects'> {
  requestHeaders?: true;
  responseHeaders?: true;
  redirects: (Omit<WireView['redirects'][number], 'headers'> & { headers?: Header[] })[];
}

export interface DecodeError {
  where: string;
  message: string;
}

/** Everything beyond HAR, on each entry. */
export interface HarNetlens {
  id: string;
  tabId: number;
  frameId: number;
  frameUrl?: string;
  /** The document's origin when its URL does not say it: a srcdoc or about:blank frame's (its creator's), a sandboxed one's ("null"). */
  frameOrigin?: string;
  doc?: string;
  kind: EntryKind;
  state: EntryState;
  error?: string;
  /** Epoch ms with sub-ms precision (startedDateTime keeps only ms). */
  startTime: number;
  endTime?: number;
  lifecycle: LifecycleStep[];
  initiator?: string;
  meta?: StartMeta;
  /** The page's request headers when they differ from the wire's ones in `request.headers`. */
  requestHeaders?: Header[];
  /** The page's view of the response; `headers` only when they differ from `response.headers`. */
  response?: { status: number; statusText: string; headers?: Header[]; url?: string; redirected?: boolean };
  wire?: WireJson;
  jsonp?: HarJsonp;
  protocol?: string;
  extensions?: string;
  close?: { code: number; reason: string; wasClean: boolean; by: 'page' | 'server' | 'unknown' };
  listened?: string[];
  cors?: unknown;
  /** A member of a resumable/chunked upload (shared/transfers.ts); derived, recomputed on import. */
  transfer?: HarTransfer;
  requestBodySize?: number;
  requestBodyTruncated?: boolean;
  requestBodyMimeType?: string;
  requestBodySource?: string;
  /** `postData.params` are the page's FormData/URLSearchParams entries (not decoded from text). */
  requestForm?: true;
  responseBodySize?: number;
  responseBodyTruncated?: boolean;
  responseBodyMimeType?: string;
  /**
   * `content.text` is not the bytes the server sent but the page's view written again (Payload
   * `reserialized`): `json`, `document`, or `text` (decoded text as UTF-8); `content.size` is still
   * the true byte count (-1 when unknown).
   */
  responseBodyReserialized?: Reserialized;
  /** Raw chunks of a streamed fetch/XHR body, in Chrome's message shape. */
  chunks?: HarWebSocketMessage[];
  /** WebSocket sends that never went out (not OPEN, or send threw), kept out of `_webSocketMessages`. */
  unsentMessages?: HarWebSocketMessage[];
  droppedMessages?: number;
  decodeErrors?: DecodeError[];
  /** The page reported a response the wire view of its tab never saw (src/shared/wire-check.ts). */
  notOnWire?: true;
  preflightFor?: string;
  preflightId?: string;
  /** Deep capture: the worker that made the request (absent: the tab's documents). */
  worker?: DeepWorker;
  /** Deep capture: a text/event-stream's raw text as it arrived (`retry:` lines, comments), `time` in epoch seconds. */
  rawStream?: { time: number; text: string }[];
  rawStreamDropped?: number;
  /** Deep capture: the WebSocket handshake as sent and answered. */
  handshake?: { requestHeaders?: Header[]; status?: number; statusText?: string; responseHeaders?: Header[]; error?: string };
  /** Deep capture: Chromium's network error for the request. */
  chromiumError?: string;
}

export interface HarEntry extends Omit<Entry, 'request'> {
  request: HarRequest;
  response: HarResponse;
  _resourceType?: HarResourceType;
  _initiator?: HarInitiator;
  _webSocketMessages?: HarWebSocketMessage[];
  _eventSourceMessages?: HarEventSourceMessage[];
  _netlens?: HarNetlens;
}

export interface HarLog extends Omit<Log, 'entries'> {
  entries: HarEntry[];
  /**
   * `wireSince`: when the wire view (webRequest) began recording the traced tab (ISO 8601), when
   * not all along: entries started before it were not seen on the wire and carry no `notOnWire`.
   */
  _netlens?: { format: number; redacted: boolean; wireSince?: string };
}

export interface Har extends Omit<StandardHar, 'log'> {
  log: HarLog;
}

/**
 * Version of the `_netlens` fields; bump when their meaning changes. 2: `_netlens.jsonp.payload`
 * is the callback's value (format 1: a Payload wrapper).
 */
export const NETLENS_HAR_FORMAT = 2;
