import type { CorsAnalysis } from '../cors';
import { corsForEntry, sameOriginEntry } from '../entry-cors';
import type { LongPollGroup, LongPollOptions } from '../long-polling';
import type { Entry } from '../model';
import { createOrderedList } from '../timeline/start-order';
import { entryPredicate, narrows, NO_FILTER, type EntryFilter } from './entry-filter';
import { createLongPollIndex, type LongPollIndex } from './long-poll-index';

export { NO_FILTER, type EntryFilter } from './entry-filter';

/** Where the entries come from: a live timeline or an imported trace. */
export interface EntrySource {
  /** Every entry, in display order. */
  entries(): readonly Entry[];
  get(id: string): Entry | undefined;
  /** The display order as a comparison (total, stable for an entry while it lives). */
  compare(a: Entry, b: Entry): number;
}

/**
 * The panel's derived views — CORS verdicts, long-polling groups, the filtered list — kept up to
 * date per change instead of recomputed over every entry:
 *
 * - `update` takes the ids a batch changed; only those (and the requests whose preflight
 *   changed) are re-judged, regrouped and refiltered.
 * - CORS verdicts are computed when first asked for (a row drawn, the detail, the CORS filter)
 *   and memoized per entry until it changes.
 * - The filtered list is kept in display order by binary insertion; a filter change refilters
 *   every entry once (or only the shown ones when the new filter narrows the old).
 */
export interface PanelViews {
  /** Starts over from a source (a new timeline, an imported trace): everything recomputed. */
  reset(source: EntrySource): void;
  update(changes: { changed: Iterable<string>; removed: Iterable<string> }): void;
  setFilter(filter: EntryFilter): void;
  readonly filter: EntryFilter;
  /** The entries the filter lets through, in display order. The same array, updated in place. */
  visible(): readonly Entry[];
  /** The CORS analysis of a cross-origin entry; undefined for same-origin or unknown entries. */
  corsOf(id: string): CorsAnalysis | undefined;
  longPollOf(id: string): LongPollGroup | undefined;
}

export function createPanelViews(source: EntrySource, longPollOptions: LongPollOptions = {}): PanelViews {
  let filter = NO_FILTER;
  let cors = new Map<string, CorsAnalysis | null>();
  let longPolls: LongPollIndex;
  let shown = createOrderedList<Entry>(source.compare);
  /** The shown entries by id (the object, to remove it by identity). */
  let shownIds = new Map<string, Entry>();

  const corsOf = (id: string): CorsAnalysis | undefined => {
    let verdict = cors.get(id);
    if (verdict === undefined) {
      const entry = source.get(id);
      if (!entry) return undefined;
      const analysis = sameOriginEntry(entry) ? undefined : corsForEntry(entry, source.get);
      verdict = analysis?.crossOrigin ? analysis : null;
      cors.set(id, verdict);
    }
    return verdict ?? undefined;
  };
  let passes = entryPredicate(filter, () => false);
  const predicateFor = (f: EntryFilter) => entryPredicate(f, (e) => corsOf(e.id)?.outcome === 'blocked');

  function refilter(from: readonly Entry[]) {
    const next = createOrderedList<Entry>(source.compare);
    const ids = new Map<string, Entry>();
    for (const e of from) {
      if (passes(e)) {
        next.insert(e);
        ids.set(e.id, e);
      }
    }
    shown = next;
    shownIds = ids;
  }

  function reset(next: EntrySource) {
    source = next;
    cors = new Map();
    longPolls = createLongPollIndex(source.compare, longPollOptions);
    longPolls.update(source.entries(), []);
    passes = predicateFor(filter);
    refilter(source.entries());
  }
  reset(source);

  return {
    reset,
    update({ changed, removed }) {
      const dirty = new Set<string>();
      const changedEntries: Entry[] = [];
      for (const id of changed) {
        const entry = source.get(id);
        if (!entry) continue;
        dirty.add(id);
        changedEntries.push(entry);
        // A preflight's answer decides its request's verdict.
        if (entry.preflightFor) dirty.add(entry.preflightFor);
      }
      for (const id of removed) {
        cors.delete(id);
        const gone = shownIds.get(id);
        if (gone) {
          shown.remove(gone);
          shownIds.delete(id);
        }
      }
      longPolls.update(changedEntries, removed);
      for (const id of dirty) {
        cors.delete(id);
        const entry = source.get(id);
        if (!entry) continue;
        const was = shownIds.has(id);
        const now = passes(entry);
        if (was && !now) {
          shown.remove(entry);
          shownIds.delete(id);
        } else if (!was && now) {
          shown.insert(entry);
          shownIds.set(id, entry);
        }
      }
    },
    setFilter(next) {
      if (next.text === filter.text && next.corsOnly === filter.corsOnly) return;
      const narrower = narrows(filter, next);
      filter = next;
      passes = predicateFor(filter);
      refilter(narrower ? shown.items : source.entries());
    },
    get filter() {
      return filter;
    },
    visible: () => shown.items,
    corsOf,
    longPollOf: (id) => longPolls.groupOf(id),
  };
}

/** An imported trace as a source: entries in file order. */
export function traceSource(list: readonly Entry[]): EntrySource {
  const byId = new Map<string, Entry>();
  const index = new Map<Entry, number>();
  list.forEach((e, i) => {
    if (!byId.has(e.id)) byId.set(e.id, e);
    index.set(e, i);
  });
  return {
    entries: () => list,
    get: (id) => byId.get(id),
    compare: (a, b) => index.get(a)! - index.get(b)!,
  };
}
