/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as netlens writes it, with the
 * Chrome-compatible extensions (`_resourceType`, `_webSocketMessages`, `_initiator`, `_error`) and
 * our own (`_eventSourceMessages`, `_netlens`). Custom fields start with `_`, as the spec asks.
 */
import type { EntryKind, EntryState, LifecycleStep } from '../model';
import type { StartMeta } from '../protocol';

export interface HarNameValue {
  name: string;
  value: string;
  comment?: string;
}

export interface HarCookie extends HarNameValue {
  path?: string;
  domain?: string;
  expires?: string | null;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

export interface HarParam {
  name: string;
  value?: string;
  fileName?: string;
  contentType?: string;
  comment?: string;
  /** netlens: the size of a file part we did not keep. */
  _size?: number;
}

export interface HarPostData {
  mimeType: string;
  text?: string;
  params?: HarParam[];
  comment?: string;
  /** netlens: `text` is base64 (HAR 1.2 has no encoding for request bodies). */
  _encoding?: 'base64';
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
  comment?: string;
}

export interface HarContent {
  size: number;
  compression?: number;
  mimeType: string;
  text?: string;
  encoding?: string;
  comment?: string;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  comment?: string;
  /** Chrome: the network error of a failed request. */
  _error?: string;
}

export interface HarTimings {
  blocked?: number;
  dns?: number;
  connect?: number;
  send: number;
  wait: number;
  receive: number;
  ssl?: number;
  comment?: string;
}

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
  /** SSE: parsed from `_netlens.chunks` (so import skips it and parses the chunks again). */
  fromChunks?: true;
}

/** As Chrome DevTools writes them: `time` in epoch seconds, opcode 1 text, 2 binary (base64), 8 close. */
export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  time: number;
  opcode: number;
  data: string;
  _netlens?: HarMessageExtras;
}

export interface HarEventSourceMessage {
  time: number;
  eventName: string;
  eventId: string;
  data: string;
  _netlens?: HarMessageExtras;
}

export interface HarInitiator {
  type: string;
  url?: string;
  lineNumber?: number;
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

export interface WireJson {
  requestId: string;
  resourceType: string;
  /** True when the HAR's request headers are the wire's (the page's then sit in `_netlens.requestHeaders` if different). */
  requestHeaders?: true;
  responseHeaders?: true;
  statusCode?: number;
  statusLine?: string;
  fromCache?: boolean;
  ip?: string;
  error?: string;
  redirects: { url: string; status?: number; location?: string; headers?: HarNameValue[] }[];
  sendTime?: number;
  headersTime?: number;
  endTime?: number;
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
  requestHeaders?: HarNameValue[];
  /** The page's view of the response; `headers` only when they differ from `response.headers`. */
  response?: { status: number; statusText: string; headers?: HarNameValue[]; url?: string; redirected?: boolean };
  wire?: WireJson;
  jsonp?: { callback: string; called: boolean; payload?: PayloadJson; threw?: string };
  protocol?: string;
  extensions?: string;
  close?: { code: number; reason: string; wasClean: boolean; by: 'page' | 'server' | 'unknown' };
  listened?: string[];
  cors?: unknown;
  requestBodySize?: number;
  requestBodyTruncated?: boolean;
  requestBodyMimeType?: string;
  requestBodySource?: string;
  /** `postData.params` are the page's FormData/URLSearchParams entries (not decoded from text). */
  requestForm?: true;
  responseBodySize?: number;
  responseBodyTruncated?: boolean;
  responseBodyMimeType?: string;
  /** Raw chunks of a streamed fetch/XHR body, in Chrome's message shape. */
  chunks?: HarWebSocketMessage[];
  droppedMessages?: number;
  decodeErrors?: DecodeError[];
  preflightFor?: string;
  preflightId?: string;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, unknown>;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  comment?: string;
  _resourceType?: string;
  _initiator?: HarInitiator;
  _webSocketMessages?: HarWebSocketMessage[];
  _eventSourceMessages?: HarEventSourceMessage[];
  _netlens?: HarNetlens;
}

export interface HarPage {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: { onContentLoad?: number; onLoad?: number; comment?: string };
  comment?: string;
}

export interface HarLog {
  version: string;
  creator: { name: string; version: string; comment?: string };
  browser?: { name: string; version: string; comment?: string };
  pages?: HarPage[];
  entries: HarEntry[];
  comment?: string;
  _netlens?: { format: number; redacted: boolean };
}

export interface Har {
  log: HarLog;
}

/** Version of the `_netlens` fields; bump when their meaning changes. */
export const NETLENS_HAR_FORMAT = 1;
