/**
 * Every message between page, relay, background and panel, in one place.
 *
 * Changelog (append only; bump PROTOCOL_VERSION on any change a peer must know about):
 *   1 — page events (start/step/response/body/message/end/jsonp/capture-error), net events from
 *       webRequest, relay batches with acks, panel subscribe/snapshot/records/clear.
 *   1 — (compatible) snapshot carries `boot`: the id of the service worker's current run.
 *   1 — (compatible) snapshots come in pages (`more` on snapshot/records).
 *   1 — (compatible) relay → page: `{ type: 'config', bodyCap }` on the private port; settings
 *       live in extension storage under SETTINGS_KEY.
 *   1 — (compatible) capture-error `where: 'page:dropped'` (PAGE_DROPPED_WHERE): page events the
 *       page script could not hand over, the count first in the message.
 */
export const PROTOCOL_VERSION = 1;

/** Header list in the order seen; names keep their case. */
export type Header = [name: string, value: string];

export type PageKind =
  | 'xhr'
  | 'fetch'
  | 'beacon'
  | 'websocket'
  | 'eventsource'
  | 'jsonp'
  | 'script';

/**
 * A captured body or message payload, bounded by a cap. Page side may hand over an ArrayBuffer
 * (`encoding: 'buffer'`); the relay turns it into base64 before it leaves the page's process.
 */
export interface Payload {
  encoding: 'text' | 'base64' | 'buffer' | 'none';
  /** Text, or base64 when encoding is base64. */
  data: string;
  buffer?: ArrayBuffer;
  /** True size in bytes (UTF-8 for text), -1 when unknown. */
  size: number;
  truncated: boolean;
  mimeType?: string;
  /** What the page passed: string, json, urlsearchparams, formdata, blob, arraybuffer, view, document, stream. */
  source?: string;
  /** FormData / URLSearchParams entries; files as name/type/size only. */
  form?: FormField[];
}

export interface FormField {
  name: string;
  value?: string;
  fileName?: string;
  type?: string;
  size?: number;
}

/** Facts about how the request was made, beyond method/url/headers. */
export interface StartMeta {
  async?: boolean;
  user?: string;
  /** Never the password itself. */
  hasPassword?: boolean;
  timeout?: number;
  withCredentials?: boolean;
  responseType?: string;
  credentials?: string;
  mode?: string;
  cache?: string;
  redirect?: string;
  keepalive?: boolean;
  /** fetch: a ReadableStream body; xhr: an upload listener was registered before send(). */
  streamBody?: boolean;
  uploadListener?: boolean;
  protocols?: string[];
  binaryType?: string;
  accepted?: boolean;
  /** Script insertion path (appendChild, insertBefore, document.write, …). */
  via?: string;
  /** JSONP callback recognised at insertion. */
  callback?: string;
  callbackParam?: string;
}

export interface StepDetail {
  readyState?: number;
  loaded?: number;
  total?: number;
  lengthComputable?: boolean;
  status?: number;
  [key: string]: string | number | boolean | null | undefined;
}

interface Base {
  /** Entry id, unique within the document. */
  id: string;
  /** Epoch milliseconds with sub-ms precision (performance.timeOrigin + performance.now()). */
  t: number;
}

export type PageEvent =
  | (Base & {
      type: 'start';
      kind: PageKind;
      method: string;
      url: string;
      headers: Header[];
      body?: Payload;
      meta?: StartMeta;
      /** Who started it: a JS stack. */
      stack?: string;
      documentUrl?: string;
    })
  | (Base & { type: 'step'; step: string; detail?: StepDetail })
  | (Base & {
      type: 'response';
      status: number;
      statusText: string;
      headers: Header[];
      url?: string;
      redirected?: boolean;
      protocol?: string;
      extensions?: string;
    })
  | (Base & { type: 'body'; which: 'request' | 'response'; body: Payload })
  | (Base & {
      type: 'message';
      dir: 'send' | 'receive';
      data: Payload;
      /** SSE: event type; WebSocket: absent. */
      eventName?: string;
      eventId?: string;
      origin?: string;
      bufferedAmount?: number;
      /** A send on a socket that was not OPEN. */
      dropped?: boolean;
    })
  | (Base & {
      type: 'end';
      outcome: 'ok' | 'error' | 'abort' | 'timeout' | 'closed';
      error?: string;
      close?: { code: number; reason: string; wasClean: boolean; by: 'page' | 'server' | 'unknown' };
    })
  | (Base & {
      type: 'jsonp';
      callback: string;
      called: boolean;
      payload?: Payload;
      threw?: string;
    })
  | (Base & {
      type: 'capture-error';
      /** Where it failed (`xhr:open`, `relay`…); PAGE_DROPPED_WHERE for page events the page script lost. */
      where: string;
      message: string;
    })
  | (Base & {
      type: 'listen';
      /** EventSource event names the page listens to (so unlistened ones can be pointed out). */
      names: string[];
    });

/**
 * `where` of the capture-error the page script sends when it could not hand over events (its
 * queue was full, or posting failed). The message starts with the count: "<n> page events
 * dropped: <why>".
 */
export const PAGE_DROPPED_WHERE = 'page:dropped';

export type PageEventType = PageEvent['type'];
export const PAGE_EVENT_TYPES: readonly PageEventType[] = [
  'start',
  'step',
  'response',
  'body',
  'message',
  'end',
  'jsonp',
  'capture-error',
  'listen',
];

/** What webRequest (with extraHeaders) saw on the wire. */
export interface NetEvent {
  type: 'net';
  phase: 'send' | 'headers' | 'redirect' | 'completed' | 'error';
  requestId: string;
  t: number;
  method: string;
  url: string;
  resourceType: string;
  frameId: number;
  requestHeaders?: Header[];
  responseHeaders?: Header[];
  statusCode?: number;
  statusLine?: string;
  fromCache?: boolean;
  ip?: string;
  error?: string;
  redirectUrl?: string;
  initiator?: string;
}

/** One stored record: an event with where it came from. */
export interface TabRecord {
  /** Monotonic per tab; lets a panel resume without duplicates. */
  seq: number;
  tabId: number;
  frameId: number;
  /** Per-document id chosen by the page script; net records have none. */
  doc?: string;
  frameUrl?: string;
  ev: PageEvent | NetEvent;
}

// ---- page ⇄ relay (private MessagePort, never seen by the page's message listeners) ----

/** Posted once on window with a MessagePort; intercepted before any page listener. */
export const HANDSHAKE_KEY = '__netlens_handshake__';
export interface Handshake {
  [HANDSHAKE_KEY]: true;
  v: number;
  doc: string;
}
/** The user's settings (extension local storage). */
export const SETTINGS_KEY = 'netlens.settings';
export interface Settings {
  /** Per-body capture cap in bytes (default 1 MiB). */
  bodyCap: number;
}
export const DEFAULT_SETTINGS: Settings = { bodyCap: 1024 * 1024 };
export interface PageConfigMessage {
  type: 'config';
  bodyCap: number;
}

export interface PageBatch {
  v: number;
  events: PageEvent[];
}

// ---- relay ⇄ background (runtime port "netlens-relay") ----

export const RELAY_PORT = 'netlens-relay';
export interface RelayBatch {
  type: 'batch';
  v: number;
  doc: string;
  /** Per-relay batch number; the background acks it, the relay re-sends what was not acked. */
  seq: number;
  frameUrl: string;
  events: PageEvent[];
}
export type BackgroundToRelay = { type: 'ack'; seq: number };

// ---- panel ⇄ background (runtime port "netlens-panel") ----

export const PANEL_PORT = 'netlens-panel';
export type PanelToBackground =
  | { type: 'subscribe'; v: number; tabId: number; afterSeq?: number }
  | { type: 'clear'; tabId: number };
export type BackgroundToPanel =
  /** A snapshot comes in pages: `more` says further `records` pages of it follow. */
  | { type: 'snapshot'; tabId: number; records: TabRecord[]; dropped: number; boot?: string; more?: boolean }
  | { type: 'records'; tabId: number; records: TabRecord[]; more?: boolean }
  | { type: 'cleared'; tabId: number };
