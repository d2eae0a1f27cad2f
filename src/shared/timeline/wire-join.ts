import { documentOriginOf, normUrl } from '../url';
import type { Entry, WireView } from '../model';
import type { WireEvent } from '../protocol';
import { updateWire } from './entry-records';
import { createWaitingLists, type Fit } from './waiting';

/**
 * Joins what the page's JavaScript did with what webRequest saw on the wire. Both sides arrive in
 * any order; each waits under a join key (tab, method, URL without fragment) for the other.
 *
 * - A page entry waits for its wire record (`pageWaiting`).
 * - A wire-only entry (XHR/fetch, WebSocket, ping types are shown alone) waits for a page entry
 *   that will absorb it (`wireWaiting`).
 * - Wire records of types not shown alone (scripts, 'other': DevTools' own loads, favicons,
 *   parser-inserted scripts) are held for a page match, never shown by themselves.
 */
export interface WireJoin {
  /** The entry a webRequest id is bound to. */
  entryOf(requestId: string): string | undefined;
  bind(requestId: string, entryId: string): void;
  /** A page entry started: the id of a waiting wire-only entry to absorb, if one fits. */
  takeWireEntry(key: string, page: Entry): string | undefined;
  /**
   * A page entry started with no wire entry waiting: a held wire view for it, removed from the
   * hold. Of several held loads of its URL, the oldest sent at or after the page entry started;
   * else the oldest within CLOCK_SKEW_MS before (the page's clock and the browser's may differ a
   * little). Loads sent earlier than that (a parser-inserted script of the same URL) are not this
   * entry's: they stay for an entry that started before them (records of frames may come out of
   * order), until the bound lets them go.
   */
  takeHeldView(key: string, page: Entry): WireView | undefined;
  waitForWire(key: string, pageId: string): void;
  /** A wire record opened a request: the page entry waiting for it, if one fits. */
  takePage(key: string, ev: WireEvent): string | undefined;
  waitForPage(key: string, wireEntryId: string): void;
  /** A later record of a held request: updates its view; false when it is not held. */
  updateHeld(ev: WireEvent): boolean;
  hold(key: string, ev: WireEvent, view: WireView): void;
}

/**
 * webRequest's types shown alone (a wire-only entry until a page entry absorbs it). Records of
 * other types are held for a page match: 'other' and 'script' loads (DevTools' own source loads,
 * favicons, parser-inserted scripts) are not JavaScript traffic.
 */
export const WIRE_TYPES_SHOWN_ALONE = new Set(['xmlhttprequest', 'websocket', 'ping']);

/**
 * Page entry kinds whose requests are of a type shown alone (fetch and XHR are xmlhttprequest,
 * sendBeacon ping): a held record is never theirs, but a script or other load of the same URL.
 */
const KINDS_NEVER_HELD = new Set<string>(['xhr', 'fetch', 'beacon', 'websocket']);
/** Page entry kinds whose requests are held ('script'): a wire-only entry is never theirs, but a fetch or XHR of the same URL. */
const KINDS_ALWAYS_HELD = new Set<string>(['jsonp', 'script']);

/** The join key: frame is left out, since webRequest reports about:blank frames as frame 0. */
export function joinKey(tabId: number, method: string, url: string): string {
  return `${tabId}|${method}|${normUrl(url)}`;
}

/** The join state of one timeline; `lookup` finds an entry by id (undefined once it is gone). */
export function createWireJoin(lookup: (id: string) => Entry | undefined): WireJoin {
  const pageWaiting = createWaitingLists(MAX_WAITING_KEYS, MAX_WAITING_PER_KEY);
  const wireWaiting = createWaitingLists(MAX_WAITING_KEYS, MAX_WAITING_PER_KEY);
  const wireById = new Map<string, string>();
  /** Held views by webRequest id (oldest first: the bound drops from the front), and their ids by join key. */
  const held = new Map<string, WireView>();
  const heldWaiting = createWaitingLists(MAX_HELD, MAX_HELD_PER_KEY);
  /** When a held load went out (its send; else the first phase seen). */
  const heldTime = (view: WireView) => view.sendTime ?? view.headersTime ?? view.endTime ?? 0;

  /**
   * May this page entry take that wire record? Same frame first; a frame-0 wire record may go to
   * another frame of the tab only when that frame is about:blank-like or of the requester's
   * origin (webRequest reports such frames as 0; a cross-origin frame cannot claim another's
   * traffic). Outside the time window the page entry is stale. A record of a held type is never a
   * fetch's, XHR's, beacon's or WebSocket's; one of a type shown alone never a script's.
   */
  const pageFits = (wire: { t: number; frameId: number; initiator?: string; held: boolean }) => (id: string): Fit => {
    const page = lookup(id);
    if (!page) return 'stale';
    if (wire.t - page.startTime > JOIN_WINDOW_MS) return 'stale';
    if (page.startTime - wire.t > earlierBy(page)) return 'no';
    if ((wire.held ? KINDS_NEVER_HELD : KINDS_ALWAYS_HELD).has(page.kind)) return 'no';
    if (page.frameId === wire.frameId) return 'yes';
    if (wire.frameId !== 0) return 'no';
    const origin = documentOriginOf(page);
    return origin === 'null' || origin === undefined || origin === wire.initiator ? 'yes' : 'no';
  };

  return {
    entryOf: (requestId) => wireById.get(requestId),
    bind(requestId, entryId) {
      wireById.set(requestId, entryId);
    },
    takeWireEntry(key, page) {
      return wireWaiting.take(key, (wid) => {
        const w = lookup(wid);
        if (!w) return 'stale';
        return pageFits({ t: w.startTime, frameId: w.frameId, initiator: w.initiator, held: false })(page.id) === 'yes' ? 'yes' : 'no';
      });
    },
    takeHeldView(key, page) {
      if (KINDS_NEVER_HELD.has(page.kind)) return undefined;
      const since = (requestId: string): number | undefined => {
        const view = held.get(requestId);
        return view && heldTime(view) - page.startTime;
      };
      const fits = (skew: number) => (requestId: string): Fit => {
        const d = since(requestId);
        if (d === undefined) return 'stale';
        return d >= skew && d <= JOIN_WINDOW_MS ? 'yes' : 'no';
      };
      const requestId = heldWaiting.take(key, fits(0)) ?? heldWaiting.take(key, fits(-earlierBy(page)));
      if (requestId === undefined) return undefined;
      const view = held.get(requestId);
      held.delete(requestId);
      return view;
    },
    waitForWire: (key, pageId) => pageWaiting.push(key, pageId),
    takePage: (key, ev) => pageWaiting.take(key, pageFits({ t: ev.t, frameId: ev.frameId, initiator: ev.initiator, held: !WIRE_TYPES_SHOWN_ALONE.has(ev.resourceType) })),
    waitForPage: (key, wireEntryId) => wireWaiting.push(key, wireEntryId),
    updateHeld(ev) {
      const view = held.get(ev.requestId);
      if (!view) return false;
      // A finished load stays held: its page record may come after it (the bound lets it go).
      updateWire(undefined, view, ev);
      return true;
    },
    hold(key, ev, view) {
      updateWire(undefined, view, ev);
      held.set(ev.requestId, view);
      heldWaiting.push(key, ev.requestId);
      // Past the bound the oldest go; their ids left in a list are judged stale when met.
      if (held.size > MAX_HELD) held.delete(held.keys().next().value as string);
    },
  };
}

/** How much later than its page entry a request may go out (queued behind others, a slow frame). */
const JOIN_WINDOW_MS = 30_000;
/**
 * How much earlier than its page entry's start a request may seem to go out: the page stamps its
 * records with its own clock (performance.timeOrigin + now()), webRequest with the browser's, and
 * a request goes out after the call that made it. A wire-only request sent earlier than that (a
 * worker's fetch of the same URL) is no later page entry's.
 */
const CLOCK_SKEW_MS = 1_000;
/**
 * How much earlier than `page` started its request may have gone out: CLOCK_SKEW_MS, or the join
 * window for a script the page script saw only at its load event (`via: 'load-event'`, stamped
 * once it had loaded).
 */
function earlierBy(page: Entry): number {
  return page.request.meta?.via === 'load-event' ? JOIN_WINDOW_MS : CLOCK_SKEW_MS;
}

const MAX_WAITING_KEYS = 5_000;
const MAX_WAITING_PER_KEY = 100;
const MAX_HELD = 4_000;
const MAX_HELD_PER_KEY = 32;
