/**
 * The page's view checked against the wire's (issue #15): what the page script reports cannot be
 * trusted on its own, the browser's view of the same tab can (webRequest's, or DevTools' log in
 * netlens as released: src/shared/har/devtools-wire.ts). An exchange the page says got a
 * response, which the wire never saw, is marked; traffic the wire saw that no page record claims
 * is an entry of its own (a wire-only row, see src/shared/timeline), never dropped.
 */
import type { Entry } from './model';

/** Kinds whose requests webRequest always sees when they reach the network or the HTTP cache. */
const CHECKED_KINDS: ReadonlySet<Entry['kind']> = new Set(['fetch', 'xhr', 'eventsource', 'websocket']);
const NETWORK_URL = /^(?:https?|wss?):/i;

/**
 * Ms after the wire view of a tab started (`wireSince`) before a request is checked against it:
 * the listeners are registered by a message to the browser, which a request sent meanwhile passes.
 */
export const WIRE_SINCE_SLACK_MS = 200;

/**
 * Whether `entry` started before the wire view of its tab could see it: before `wireSince` (epoch
 * ms, see notOnWire) or within WIRE_SINCE_SLACK_MS after. False when the wire view saw the tab
 * all along (`wireSince` undefined); true for every entry while it is not known (Infinity).
 */
export function startedBeforeWire(entry: Entry, wireSince: number | undefined): boolean {
  return wireSince !== undefined && !(entry.startTime >= wireSince + WIRE_SINCE_SLACK_MS);
}

/**
 * Whether the page reports a response to `entry` that the wire view of its tab never saw: an
 * http(s)/ws(s) fetch, XHR, EventSource or WebSocket with a response status from the page and no
 * webRequest record joined to it. True also for a response a page's service worker made up
 * (webRequest sees only the worker's own requests, of no tab). Meaningful only where the wire was
 * recorded (a live capture: see `sawWire`); an entry still waiting for its wire records may be
 * marked for a moment. `wireSince` (epoch ms; src/shared/wire-scope.ts WireState.since): when
 * the tab's wire view started; an entry started before it (or within WIRE_SINCE_SLACK_MS after)
 * is not checked. Undefined: the wire view recorded the tab all along. `fromDevtools`: the wire
 * view came from DevTools' log (wireFromDevtools), which has no WebSocket handshakes and tells a
 * request only once it finished: WebSockets and unfinished entries are not checked then.
 */
export function notOnWire(entry: Entry, wireSince?: number, fromDevtools = false): boolean {
  if (startedBeforeWire(entry, wireSince)) return false;
  if (fromDevtools && (entry.kind === 'websocket' || entry.endTime === undefined)) return false;
  return CHECKED_KINDS.has(entry.kind) && !entry.wire && (entry.response?.status ?? 0) > 0 && NETWORK_URL.test(entry.url);
}

/** Whether a trace's wire view came from DevTools' log (netlens as released: request ids `devtools:…`, src/shared/har/devtools-wire.ts). */
export function wireFromDevtools(entries: readonly Entry[]): boolean {
  return entries.some((e) => e.wire?.requestId.startsWith('devtools:') === true);
}

/** Whether a trace holds any wire view at all: one imported without it cannot be checked. */
export function sawWire(entries: readonly Entry[]): boolean {
  return entries.some((e) => e.wire !== undefined);
}
