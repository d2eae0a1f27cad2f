import { WIRE_RESOURCE_TYPES, type Header, type WireEvent } from '../shared/protocol';

/**
 * What went over the wire, from webRequest with extraHeaders: the preflight OPTIONS and its
 * response, the headers the browser added (Origin, Cookie, Sec-Fetch-*), Set-Cookie, redirects,
 * the WebSocket handshake, and requests JavaScript never saw.
 */
const TYPES = [...WIRE_RESOURCE_TYPES] as chrome.webRequest.ResourceType[];

type Emit = (tabId: number, ev: WireEvent) => void;

const headers = (list?: chrome.webRequest.HttpHeader[]): Header[] | undefined =>
  list?.map((h) => [h.name, h.value ?? (h.binaryValue ? String.fromCharCode(...h.binaryValue) : '')]);

/**
 * Listens to the requests of one tab (`tabId`) or, without it, of every tab (`<all_urls>`, the
 * resource types above), and emits what `keep(tabId, initiator)` accepts. Which tabs are listened
 * to is src/shared/wire-scope.ts's choice (applied by src/background/wire-switch.ts). `keep` is
 * how a site switched off (src/shared/scope.ts) costs next to nothing: a filter cannot leave sites
 * out, so every listener returns at once for those requests, before any header is copied.
 * Returns what removes these listeners again (nothing to remove when the extension does not hold
 * the `webRequest` permission: then `chrome.webRequest` is undefined and nothing is listened to).
 */
export function observeWebRequest(emit: Emit, ownOrigin: string, keep: (tabId: number, initiator: string | undefined) => boolean = () => true, tabId?: number): () => void {
  const filter: chrome.webRequest.RequestFilter = { urls: ['<all_urls>'], types: TYPES, ...(tabId === undefined ? {} : { tabId }) };
  const removals: (() => void)[] = [];
  /** What the listeners are handed: the wire event's facts, with Chrome's header objects. */
  type Details = chrome.webRequest.WebRequestDetails &
    Pick<WireEvent, 'statusCode' | 'statusLine' | 'fromCache' | 'ip' | 'error' | 'redirectUrl'> & {
      requestHeaders?: chrome.webRequest.HttpHeader[];
      responseHeaders?: chrome.webRequest.HttpHeader[];
    };
  const base = (d: Details, phase: WireEvent['phase']): WireEvent | undefined => {
    if (d.tabId < 0 || d.initiator?.startsWith(ownOrigin) || !keep(d.tabId, d.initiator)) return undefined;
    return {
      type: 'wire',
      phase,
      requestId: d.requestId,
      t: d.timeStamp,
      method: d.method,
      url: d.url,
      resourceType: d.type,
      frameId: d.frameId,
      initiator: d.initiator,
    };
  };
  const on = <T extends Details>(
    event: { addListener(cb: (d: T) => void, filter: chrome.webRequest.RequestFilter, spec?: string[]): void; removeListener(cb: (d: T) => void): void },
    phase: WireEvent['phase'],
    spec: string[] | undefined,
    fill: (ev: WireEvent, d: T) => void,
  ) => {
    const listener = (d: T) => {
      const ev = base(d, phase);
      if (!ev) return;
      fill(ev, d);
      emit(d.tabId, ev);
    };
    event.addListener(listener, filter, spec);
    removals.push(() => event.removeListener(listener));
  };
  // Without the permission (netlens as released: its wire view comes from DevTools; what holding
  // it costs every tab is the bench's `withwebrequest` column), there is nothing to listen to.
  const wr = chrome.webRequest as typeof chrome.webRequest | undefined;
  if (!wr) return () => {};
  on(wr.onSendHeaders as never, 'send', ['requestHeaders', 'extraHeaders'], (ev, d: Details) => {
    ev.requestHeaders = headers(d.requestHeaders);
  });
  on(wr.onHeadersReceived as never, 'headers', ['responseHeaders', 'extraHeaders'], (ev, d: Details) => {
    ev.responseHeaders = headers(d.responseHeaders);
    ev.statusCode = d.statusCode;
    ev.statusLine = d.statusLine;
  });
  on(wr.onBeforeRedirect as never, 'redirect', ['responseHeaders', 'extraHeaders'], (ev, d: Details) => {
    ev.responseHeaders = headers(d.responseHeaders);
    ev.statusCode = d.statusCode;
    ev.redirectUrl = d.redirectUrl;
  });
  // Status, cache and IP only: the headers came with onHeadersReceived, and asking for them again
  // (with extraHeaders) costs every request another trip through the browser process.
  on(wr.onCompleted as never, 'completed', undefined, (ev, d: Details) => {
    ev.statusCode = d.statusCode;
    ev.statusLine = d.statusLine;
    ev.fromCache = d.fromCache;
    ev.ip = d.ip;
  });
  on(wr.onErrorOccurred as never, 'error', undefined, (ev, d: Details) => {
    ev.error = d.error;
  });
  return () => {
    for (const remove of removals) remove();
  };
}
