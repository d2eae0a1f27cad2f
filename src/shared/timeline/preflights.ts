import type { Entry } from '../model';
import { normUrl } from '../url';
import { createWaitingLists } from './waiting';

/**
 * Pairs CORS preflights (OPTIONS with Access-Control-Request-Method, entries of their own) with
 * the request they were sent for: same tab, the method the preflight asked about, same URL.
 * Either may come first; each waits for the other (a request until it goes on the wire: its
 * preflight goes before it). Paired: `pre.preflightFor = target.id`,
 * `target.preflightId = pre.id`, and `onPair` hears of both.
 */
export interface PreflightPairing {
  /** A cross-origin request started (page side): pair it with a waiting preflight, or wait. */
  requestStarted(entry: Entry, method: string): void;
  /** A wire-only request: pair it with a waiting preflight if there is one (it does not wait). */
  wireRequestSeen(entry: Entry): void;
  /** A preflight for `method` was seen on the wire. */
  preflightSeen(pre: Entry, method: string): void;
  /** Moves a pairing to `to` (a page entry absorbing a wire-only entry). */
  pair(pre: Entry, to: Entry): void;
}

/** `lookup` finds an entry by id; `onPair(pre, target)` is told of every pairing (both entries changed). */
export function createPreflightPairing(lookup: (id: string) => Entry | undefined, onPair: (pre: Entry, target: Entry) => void): PreflightPairing {
  const preflights = createWaitingLists();
  const requests = createWaitingLists();
  const key = (tabId: number, method: string, url: string) => `${tabId}|${method.toUpperCase()}|${normUrl(url)}`;
  const pair = (pre: Entry, target: Entry) => {
    pre.preflightFor = target.id;
    target.preflightId = pre.id;
    onPair(pre, target);
  };
  const takePreflight = (entry: Entry, method: string) => {
    const preId = preflights.take(key(entry.tabId, method, entry.url));
    return preId ? lookup(preId) : undefined;
  };
  return {
    pair,
    requestStarted(entry, method) {
      const pre = takePreflight(entry, method);
      if (pre) pair(pre, entry);
      else requests.push(key(entry.tabId, method, entry.url), entry.id);
    },
    wireRequestSeen(entry) {
      const pre = takePreflight(entry, entry.method);
      if (pre) pair(pre, entry);
    },
    preflightSeen(pre, method) {
      // A request already sent on the wire went without one (its preflight cached): it waits no
      // more. One the wire saw only fail (a failed preflight held it back) may still get its
      // preflight when that comes later, as DevTools' log may tell them (src/shared/har/devtools-wire.ts),
      // if it began before that failure.
      const targetId = requests.take(key(pre.tabId, method, pre.url), (id) => {
        const target = lookup(id);
        const wire = target?.wire;
        return target && (!wire || (wire.sendTime === undefined && pre.startTime <= (wire.endTime ?? Infinity))) ? 'yes' : 'stale';
      });
      const target = targetId ? lookup(targetId) : undefined;
      if (target) pair(pre, target);
      else preflights.push(key(pre.tabId, method, pre.url), pre.id);
    },
  };
}
