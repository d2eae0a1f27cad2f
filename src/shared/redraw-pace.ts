/**
 * How often the panel redraws for incoming records. Every redraw of a followed list lays out,
 * paints and rasterizes the rows in view, and on a machine of few cores that time is taken from
 * the page being watched: so while a page keeps requests coming, the list is redrawn a few times
 * a second, and as soon as it goes quiet, at once.
 *
 * Times are ms: `now` and `last` on one monotonic clock (performance.now()), entries' start times
 * and `epochNow` epoch ms.
 */

/** Records redraw the list at most this often, ms (10 per second). */
export const REDRAW_EVERY_MS = 100;
/** While the page has requests in flight (more records are on their way), at most this often, ms. */
export const STREAM_REDRAW_MS = 250;
/**
 * A flood: while this many new entries or more wait for the next redraw, more than a list shows
 * rows (about 45 in a tall panel), every redraw shows rows none of which the last one showed, and
 * none stays long enough to be read; the list then redraws at most every FLOOD_REDRAW_MS, also
 * the next time (the flood's rows change as its requests complete). Entries already shown that
 * change (a few streaming responses) are no flood.
 */
export const FLOOD_ENTRIES = 50;
/**
 * While a page floods the list (FLOOD_ENTRIES), at most this often, ms (once a second: the list
 * then shows the flood's progress, as a counter would), and less often where a redraw costs more
 * (FLOOD_SHARE). Each such redraw lays out, paints and rasterizes a whole list of new rows; on 2
 * cores, at twice a second, watching 10,000 fetches made the page's own run 6–11% slower
 * (bench/panel.bench.ts, live).
 */
export const FLOOD_REDRAW_MS = 1_000;
/**
 * While a page floods the list, its redraws take at most this share of the panel's main thread
 * (up to FLOOD_REDRAW_MAX_MS apart): one that took 20 ms is followed by the next no sooner than
 * 2 s after it. Where redraws are cheap (a fast machine) that is FLOOD_REDRAW_MS; on this
 * project's 2-core bench machine a flood's redraw takes 15–30 ms of the panel's thread, and about
 * half as much again of its process's workers (garbage collection, raster), all of it taken from
 * the page on so few cores.
 * Measured (`BENCH=panel BENCH_PANEL_PARTS=live`, 10,000 fetches, 4 runs a side): a redraw every
 * 3 s instead of every 1 s took what watching adds to the panel's thread from 4.1 to 2.9 s, and
 * to its process's workers from 1.8 to 1.1 s.
 */
export const FLOOD_SHARE = 0.01;
/** ... but a flood's progress is drawn at least this often, ms. */
export const FLOOD_REDRAW_MAX_MS = 3_000;

/**
 * The wait between two redraws while a page floods the list, ms, when the last one took `cost`
 * ms of the panel's main thread (0: not measured): FLOOD_REDRAW_MS, longer where a redraw costs
 * more than FLOOD_SHARE of that wait, at most FLOOD_REDRAW_MAX_MS.
 */
export function floodRedrawMs(cost: number): number {
  return Math.min(FLOOD_REDRAW_MAX_MS, Math.max(FLOOD_REDRAW_MS, cost / FLOOD_SHARE));
}

/**
 * Nothing in flight any more: redrawn once no more records came for this long, ms (the next
 * burst of a busy page often starts right away, and its records would call for a redraw again).
 */
export const QUIET_MS = 20;
/** A request in flight for longer than this (a long poll, a stalled upload), ms, no longer says that more records are on their way. */
export const IN_FLIGHT_ACTIVE_MS = 5_000;

/**
 * When to redraw for records just applied (on the `now` clock), given the last redraw for records
 * (`last`; -Infinity if none), whether requests are still in flight after them (`busy`, see
 * createInFlight), how many new entries wait for the redraw (`fresh`), how many the last redraw
 * drew (`drawn`) and what it took of the panel's main thread (`cost`, ms): busy,
 * STREAM_REDRAW_MS after the last redraw, or floodRedrawMs(cost) in a flood (FLOOD_ENTRIES or
 * more waiting, or drawn last time: a flood's rows, just drawn, change as its requests complete,
 * and are no more readable for it);
 * else after QUIET_MS of no more records, but not sooner than REDRAW_EVERY_MS after the last
 * redraw nor later than STREAM_REDRAW_MS after it. A due time in the past means at once (the
 * next frame).
 */
export function redrawDue(now: number, last: number, busy: boolean, fresh = 0, drawn = 0, cost = 0): number {
  if (busy) return last + (fresh >= FLOOD_ENTRIES || drawn >= FLOOD_ENTRIES ? floodRedrawMs(cost) : STREAM_REDRAW_MS);
  return Math.max(last + REDRAW_EVERY_MS, Math.min(now + QUIET_MS, last + STREAM_REDRAW_MS));
}

/**
 * The live requests in flight (state `pending`), by id with their start time (epoch ms): told of
 * every entry a batch changed (`note`) or removed (`drop`), it says whether one that started less
 * than IN_FLIGHT_ACTIVE_MS ago is still in flight (`busy`). Requests in flight for longer are
 * forgotten (their start time does not change).
 */
export function createInFlight(activeMs = IN_FLIGHT_ACTIVE_MS) {
  const started = new Map<string, number>();
  return {
    note(id: string, entry: { state: string; startTime: number } | undefined) {
      if (entry?.state === 'pending') started.set(id, entry.startTime);
      else started.delete(id);
    },
    drop(id: string) {
      started.delete(id);
    },
    clear() {
      started.clear();
    },
    busy(epochNow: number): boolean {
      for (const [id, t] of started) {
        if (epochNow - t < activeMs) return true;
        started.delete(id);
      }
      return false;
    },
    get size() {
      return started.size;
    },
  };
}
