import type { Header, Payload } from '../page-events';

/**
 * What deep capture (chrome.debugger, the Chrome DevTools Protocol's Network domain) adds to a
 * tab's records: facts the page's JavaScript cannot see. The background maps CDP events into these
 * (./cdp.ts) and stores them beside page and wire records; the timeline merges them into entries
 * (../timeline/deep.ts).
 *
 * `requestId` is CDP's, scoped by the DevTools session it came from (`<session>:<id>`, the tab's own
 * session being `tab`), since a worker's session and the tab's may reuse an id.
 * `t` is epoch milliseconds (CDP's monotonic timestamps moved onto the wall clock).
 */
export type DeepEvent =
  /** Network.requestWillBeSent. `cdpType` is CDP's ResourceType (Fetch, XHR, EventSource, Preflight…). */
  | (DeepBase & { phase: 'request'; method: string; url: string; cdpType: string; headers: Header[]; body?: Payload; preflightFor?: string })
  /** Network.responseReceived. */
  | (DeepBase & { phase: 'response'; status: number; statusText: string; headers: Header[]; mimeType: string })
  /** Network.getResponseBody after loadingFinished (worker requests only: the page sees its own bodies). */
  | (DeepBase & { phase: 'body'; body: Payload })
  /** Network.loadingFinished / loadingFailed, with Chromium's CORS verdict when it blocked the request. */
  | (DeepBase & { phase: 'end'; error?: string; canceled?: boolean; cors?: ChromiumCors })
  /** Network.eventSourceMessageReceived: every event the browser parsed, listened to or not. */
  | (DeepBase & { phase: 'sse'; eventName: string; eventId: string; data: string })
  /** Network.dataReceived after streamResourceContent: the raw text of a text/event-stream (retry lines, comments). */
  | (DeepBase & { phase: 'raw'; text: string })
  /** Network.webSocketCreated. */
  | (DeepBase & { phase: 'ws-created'; url: string })
  /** Network.webSocketWillSendHandshakeRequest: the handshake request headers as sent. */
  | (DeepBase & { phase: 'ws-handshake'; headers: Header[] })
  /** Network.webSocketHandshakeResponseReceived. */
  | (DeepBase & { phase: 'ws-response'; status: number; statusText: string; headers: Header[] })
  /** Network.webSocketFrameSent / Received (opcode 1 text, 2 binary as base64). */
  | (DeepBase & { phase: 'ws-frame'; dir: 'send' | 'receive'; data: Payload })
  /** Network.webSocketFrameError. */
  | (DeepBase & { phase: 'ws-error'; error: string })
  /** Network.webSocketClosed. */
  | (DeepBase & { phase: 'ws-closed' });

export interface DeepBase {
  type: 'deep';
  requestId: string;
  t: number;
  /** The worker whose session reported it; absent for the tab's own documents. */
  worker?: DeepWorker;
}

/** A worker as CDP's Target domain names it (TargetInfo.type `worker`, `shared_worker`, `service_worker`). */
export interface DeepWorker {
  type: 'dedicated' | 'shared' | 'service';
  url: string;
}

/** Chromium's own CORS verdict (CDP Network.CorsErrorStatus). */
export interface ChromiumCors {
  /** CDP's CorsError name: `MissingAllowOriginHeader`, `PreflightInvalidStatus`, … */
  corsError: string;
  failedParameter: string;
}

export type DeepPhase = DeepEvent['phase'];

/** What deep capture adds to an entry (Entry.deep). */
export interface DeepFacts {
  /**
   * The raw text of a text/event-stream as it arrived (every line: `retry:`, comments, fields),
   * in arrival order; at most MAX_RAW_CHUNKS, later ones counted in `rawDropped`.
   */
  raw?: { t: number; text: string }[];
  rawDropped?: number;
  /** The WebSocket handshake as sent and answered (CDP webSocketWillSendHandshakeRequest / …ResponseReceived). */
  handshake?: { requestHeaders?: Header[]; status?: number; statusText?: string; responseHeaders?: Header[]; error?: string };
  /**
   * Chromium's own CORS verdict: its corsErrorStatus when it blocked the request, `null` when deep
   * capture saw the request end without one.
   */
  cors?: ChromiumCors | null;
  /** Chromium's network error for the request (Network.loadingFailed errorText). */
  error?: string;
}

export const MAX_RAW_CHUNKS = 10_000;
