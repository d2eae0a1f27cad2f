import { WIRE_RESOURCE_TYPES, type WireEvent } from '../protocol';
import { normUrl, originOf } from '../url';
import { headerValue } from '../headers';
import { fromHarHeaders } from './headers';
import { chromeFromCache, statusLineOf, wireTimes } from './import-foreign';
import { num, obj, str } from './read';
import { importedType } from './resource-type';

/**
 * The wire view from Chrome DevTools' own network log, for a netlens that does not hold the
 * `webRequest` permission (holding it makes Chromium proxy every request of every tab through
 * the browser process, listeners or not: the bench's `withwebrequest` column). That is netlens as
 * released (README, "The wire view").
 *
 * A DevTools page hears each request of its inspected tab once it finished
 * (`chrome.devtools.network.onRequestFinished`), as a HAR 1.2 entry with Chrome's extensions
 * (`_resourceType`, `_error`, `_fromCache`): the headers as sent (Origin, Cookie, Sec-Fetch-*),
 * the response's headers (Set-Cookie, those CORS hides from the page), each CORS preflight as an
 * entry of its own (`_resourceType: "preflight"`), each redirect hop as an entry of its own
 * (`response.redirectURL`), and failed requests (`response._error`, `net::ERR_FAILED` for a CORS
 * block). This turns them into the WireEvents webRequest gives, so the timeline joins them with
 * the page's records and the CORS doctor reads them alike:
 * - `send` (request headers, at the send time of the HAR timings) when the request went out: a
 *   response came, or a connection carried it (`_connectionId`). A request a failed preflight
 *   held back has timings of 0, no connection and DevTools' provisional headers; webRequest
 *   reports no send for it either;
 * - `headers` when a response came (status > 0);
 * - `redirect` for a hop that answered with a redirect: the next hop (the entry whose URL is the
 *   resolved `redirectURL` without fragment, starting no earlier, met within MAX_REDIRECTS_WAITING)
 *   continues the same request id, as webRequest's one id per chain;
 * - else `completed`, or `error` with `_error` (also for a 3xx the browser would not follow);
 * - a 304 (the browser revalidated its cached copy) is `completed` from cache, without the 304's
 *   headers, which are not those of the response the page got (webRequest: 200 from cache).
 *
 * What DevTools does not say, so the events lack: the frame (every event says frame 0; the
 * timeline lets such a record join a page entry of another frame of the tab when the initiator's
 * origin matches: taken from the `Origin` request header, else the `Referer`'s origin) and any
 * request before it finished (a stream's wire view comes at its end). WebSocket handshakes are
 * not in DevTools' HAR; a response the page's service worker gave (`_fetchedViaServiceWorker`) is
 * left out, as webRequest never sees it. Types webRequest is not asked for (documents, images, styles, fonts,
 * media) are left out as there (src/background/web-request.ts).
 *
 * Untrusted input (header text is the page's and the server's): read field by field, a field of
 * the wrong type reads as absent; an entry without a method, URL or start time gives nothing.
 */
export interface DevtoolsWire {
  /** One finished request's HAR entry → its wire events, in order (none when it is not one the wire view keeps). */
  events(raw: unknown): WireEvent[];
}

const KEPT_TYPES = new Set<string>(WIRE_RESOURCE_TYPES);
/**
 * Chrome's `_resourceType`s of page loads that importedType reads as webRequest's 'other' (it has
 * no name of theirs): left out as documents, styles, images, fonts and media are by KEPT_TYPES.
 */
const LEFT_OUT_CHROME_TYPES = new Set(['manifest', 'texttrack', 'signed-exchange', 'prefetch']);
/** Redirect hops waiting for the entry of their next hop, at most. */
export const MAX_REDIRECTS_WAITING = 256;

const ignore = () => {};

/**
 * `idPrefix`: what makes this converter's request ids its own (`devtools:<prefix>:<n>`): each
 * DevTools page port has a converter, and one tab sees many (DevTools closed and opened again, a
 * worker stopped and started); ids that repeat would join new records to old entries. Random
 * unless given (tests).
 */
export function createDevtoolsWire(idPrefix: string = randomPrefix()): DevtoolsWire {
  let counter = 0;
  /**
   * Redirect target URL (without fragment) → the chains waiting for their next hop there, oldest
   * first (two requests may be redirected to one URL at once), each with its hop's start; at most
   * MAX_REDIRECTS_WAITING hops in all (the oldest go first).
   */
  const redirects = new Map<string, { requestId: string; t: number }[]>();
  let waiting = 0;
  const hopWaits = (target: string, requestId: string, t: number) => {
    const list = redirects.get(target);
    if (list) list.push({ requestId, t });
    else redirects.set(target, [{ requestId, t }]);
    if (++waiting <= MAX_REDIRECTS_WAITING) return;
    const [oldestKey, oldest] = redirects.entries().next().value as [string, { requestId: string; t: number }[]];
    oldest.shift();
    if (!oldest.length) redirects.delete(oldestKey);
    waiting--;
  };
  /** The chain the hop to `url` starting at `start` continues, taken from the waiting ones. */
  const chainOf = (url: string, start: number): string | undefined => {
    const list = redirects.get(url);
    const k = list ? list.findIndex((w) => w.t <= start) : -1;
    if (!list || k < 0) return undefined;
    const [w] = list.splice(k, 1);
    if (!list.length) redirects.delete(url);
    waiting--;
    return w.requestId;
  };

  return {
    events(raw) {
      const h = obj(raw);
      const request = obj(h?.request);
      const response = obj(h?.response) ?? {};
      const method = str(request?.method);
      const url = str(request?.url);
      const start = Date.parse(str(h?.startedDateTime) ?? '');
      if (!h || !method || !url || Number.isNaN(start)) return [];
      const chromeType = str(h._resourceType)?.toLowerCase();
      if (chromeType && LEFT_OUT_CHROME_TYPES.has(chromeType)) return [];
      // A response the page's service worker gave never went on the wire from the page (webRequest
      // does not see it either: src/shared/wire-check.ts marks its entry "not on wire").
      if (response._fetchedViaServiceWorker === true) return [];
      // Pseudo-headers (HTTP/2 and 3 `:authority`…) are DevTools' rendering; webRequest has none.
      const requestHeaders = fromHarHeaders(request!.headers, '', ignore).filter(([n]) => !n.startsWith(':'));
      const responseHeaders = fromHarHeaders(response.headers, '', ignore).filter(([n]) => !n.startsWith(':'));
      const status = num(response.status) ?? 0;
      const statusCode = Number.isInteger(status) && status > 0 && status <= 999 ? status : undefined;
      const type = importedType({ resourceType: h._resourceType, method, url, requestHeaders, responseHeaders, status: statusCode ?? 0, hasWebSocketMessages: false, hasEventSourceMessages: false });
      if (!KEPT_TYPES.has(type.webRequestType)) return [];

      const requestId = chainOf(normUrl(url), start) ?? `devtools:${idPrefix}:${++counter}`;
      const requester = headerValue(requestHeaders, 'origin');
      const initiator = requester && requester !== 'null' ? requester : originOf(headerValue(requestHeaders, 'referer'));
      const times = wireTimes(obj(h.timings), start);
      const time = num(h.time);
      const end = times.endTime ?? (time !== undefined && time >= 0 ? start + time : start);
      const base = { type: 'wire' as const, requestId, method, url, resourceType: type.webRequestType, frameId: 0, ...(initiator ? { initiator } : {}) };
      const out: WireEvent[] = [];
      const connected = h._connectionId !== undefined && h._connectionId !== null && h._connectionId !== '';
      const fromCache = chromeFromCache(h._fromCache);
      // Sent: a response came, or a connection carried it. A request a failed preflight held back
      // has timings of 0 but no connection (and DevTools' provisional headers).
      if (times.sendTime !== undefined && (statusCode !== undefined || connected)) {
        // A response from the HTTP cache with no connection: DevTools has only the provisional
        // headers the page's loader made, not what the browser would have sent.
        out.push(fromCache && !connected ? { ...base, phase: 'send', t: times.sendTime } : { ...base, phase: 'send', t: times.sendTime, requestHeaders });
      }
      const error = str(response._error) || str(h._error);
      if (statusCode === 304 && !error) {
        // The browser revalidated its cached copy: the page got that copy (webRequest says 200
        // from cache), whose headers the 304 does not carry. No response headers, then.
        out.push({ ...base, phase: 'completed', t: end, fromCache: true });
        return out;
      }
      const statusLine = statusCode === undefined ? undefined : statusLineOf(str(response.httpVersion) ?? '', statusCode, str(response.statusText) ?? '');
      if (statusCode !== undefined) out.push({ ...base, phase: 'headers', t: times.headersTime ?? end, statusCode, statusLine, responseHeaders });
      const location = str(response.redirectURL);
      const target = !error && statusCode !== undefined && statusCode >= 300 && statusCode < 400 && location ? resolved(location, url) : undefined;
      if (target) {
        out.push({ ...base, phase: 'redirect', t: times.headersTime ?? end, statusCode, responseHeaders, redirectUrl: target });
        hopWaits(normUrl(target), requestId, start);
      } else if (error) {
        // Also a redirect hop the browser refused to follow (CORS): webRequest ends its chain so.
        out.push({ ...base, phase: 'error', t: end, error });
      } else {
        const ev: WireEvent = { ...base, phase: 'completed', t: end, statusCode, statusLine };
        if (fromCache) ev.fromCache = true;
        const ip = str(h.serverIPAddress);
        if (ip) ev.ip = ip;
        out.push(ev);
      }
      return out;
    },
  };
}

function randomPrefix(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** `location` resolved against `base` (a redirect's Location may be relative), or undefined when it is no URL. */
function resolved(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}
