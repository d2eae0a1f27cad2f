/**
 * A request's wire records (webRequest: sent headers, received headers, completed) held until it
 * completes or fails, at most `holdMs`, then handed on together, so the record store writes them
 * as one row (a pack) instead of one row each. Row writes were the worker's largest cost, and on
 * few cores what the worker burns the page waits for.
 *
 * Order: requests go on in the order of their first record. The timeline pairs a page entry with
 * the first wire request of its method and URL, so a request completing while an earlier one is
 * held takes the earlier one along first.
 */

/** What is held per request: its tab and its records (any shape), in arrival order. */
interface Held<R> {
  tabId: number;
  recs: R[];
}

export interface WireHold<R> {
  /** A record of request `requestId` in tab `tabId`; `last`: the request completed or failed. */
  take(tabId: number, requestId: string, rec: R, last: boolean): void;
  /** Takes the tab's held requests out (a navigation: the caller keeps or drops them), in order. */
  takeTab(tabId: number): R[][];
}

/**
 * `emit(tabId, recs)` receives each request's held records; `schedule(fn, ms)` is setTimeout (one
 * timer at a time releases everything held when it fires).
 */
export function createWireHold<R>(emit: (tabId: number, recs: R[]) => void, holdMs: number, schedule: (fn: () => void, ms: number) => unknown = setTimeout): WireHold<R> {
  const held = new Map<string, Held<R>>();
  let timer = false;
  const releaseAll = () => {
    timer = false;
    for (const h of held.values()) emit(h.tabId, h.recs);
    held.clear();
  };
  return {
    take(tabId, requestId, rec, last) {
      const h = held.get(requestId);
      if (h && h.tabId === tabId) h.recs.push(rec);
      else {
        // A request id seen in another tab (a prerendered page activated): the earlier part goes on.
        if (h) emit(h.tabId, h.recs);
        held.delete(requestId);
        held.set(requestId, { tabId, recs: [rec] });
      }
      if (last) {
        for (const [id, r] of held) {
          emit(r.tabId, r.recs);
          held.delete(id);
          if (id === requestId) break;
        }
      } else if (!timer) {
        timer = true;
        schedule(releaseAll, holdMs);
      }
    },
    takeTab(tabId) {
      const out: R[][] = [];
      for (const [id, h] of held) {
        if (h.tabId !== tabId) continue;
        out.push(h.recs);
        held.delete(id);
      }
      return out;
    },
  };
}
