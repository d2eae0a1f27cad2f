import type { CorsAnalysis } from '../cors';
import { corsForEntry, sameOriginEntry } from '../entry-cors';
import type { LongPollGroup, LongPollOptions } from '../long-polling';
import type { Entry } from '../model';
import { createOrderedList } from '../timeline/start-order';
import { entrySize } from '../entry-columns';
import { addSeenValues, emptySeenValues, type SeenValues } from '../filter-suggestions';
import { entryPredicate, narrows, NO_FILTER, sameFilter, showsPreflights, type EntryFilter } from './entry-filter';
import { compareKeys, sortKey, type EntrySort, type SortKey } from './entry-sort';
import { createLongPollIndex, type LongPollIndex } from './long-poll-index';
import { createTransferIndex, type TransferIndex } from './transfer-index';
import type { Transfer } from '../transfers';

export { NO_FILTER, nestedPreflight, showsPreflights, type EntryFilter } from './entry-filter';
export { SORT_COLUMNS, sortKey, type EntrySort, type SortColumn } from './entry-sort';
export { createInlineIndex, type InlineIndex, type InlineRow, type MessagePredicate } from './inline-messages';

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
 * - The filtered list is kept in display order (or the chosen sort) by binary insertion; a
 *   filter change refilters every entry once (or only the shown ones when the new filter
 *   provably narrows the old). A sort keeps each shown entry's key as it was when the entry was
 *   (re)inserted, so an entry that changes moves by one removal and one insertion.
 */
export interface PanelViews {
  /** Starts over from a source (a new timeline, an imported trace): everything recomputed. */
  reset(source: EntrySource): void;
  update(changes: { changed: Iterable<string>; removed: Iterable<string> }): void;
  setFilter(filter: EntryFilter): void;
  readonly filter: EntryFilter;
  /** Sorts the shown entries by a column (undefined: display order); O(n log n) once, then per change. */
  setSort(sort: EntrySort | undefined): void;
  readonly sort: EntrySort | undefined;
  /** The entries the filter lets through, in display order or the sort. The same array, updated in place. */
  visible(): readonly Entry[];
  /** Bytes (entrySize) of every entry and of the shown ones, kept per change. */
  bytes(): { all: number; shown: number };
  /** How many entries there are, less the excluded ones. */
  counted(): number;
  /** Values seen per key for the filter box's suggestions: gathered when first asked for, then kept per change. */
  seenValues(): SeenValues;
  /**
   * The time axis of the waterfall: from the earliest start to the latest end of the shown
   * entries (to `now` while one is still open), ms. Kept per change; after removals it may be a
   * little wider than needed until the next filter change.
   */
  waterfallSpan(now: number): { min: number; max: number };
  /** The CORS analysis of a cross-origin entry; undefined for same-origin or unknown entries. */
  corsOf(id: string): CorsAnalysis | undefined;
  /** `wireSince` (see PanelViewsOptions) now answers otherwise: every CORS verdict is judged again, and the list refiltered by them. */
  wireChanged(): void;
  longPollOf(id: string): LongPollGroup | undefined;
  /** The resumable upload an entry belongs to (shared/transfers). Built with the long-poll groups. */
  transferOf(id: string): Transfer | undefined;
  /**
   * What sits under a shown entry's row instead of in rows of its own, in order: its paired
   * preflight (unless the filter asks for preflights, see showsPreflights), then, for the first
   * request of a resumable upload, the upload's other requests. A later request of an upload is
   * nested while its first request passes the filter, and judged on its own otherwise.
   */
  childrenOf(id: string): Entry[];
  /**
   * True while long-polling groups are still being built (after a reset with many entries, the
   * grouping runs in slices so the first rows draw at once; until then some `poll` badges wait).
   */
  pending(): boolean;
  /** Does up to `budgetMs` of the pending grouping; true when some is left. */
  work(budgetMs: number): boolean;
}

const GROUP_AT_ONCE = 5_000;

export interface PanelViewsOptions {
  longPoll?: LongPollOptions;
  /** Up to this many entries are grouped at once on a reset; more are left to `work`. Default 5,000. */
  groupAtOnce?: number;
  /**
   * Entries never shown nor counted whatever the filter (those that started while the panel's
   * recording was paused). Asked when an entry changes: its answer for an entry must not change
   * but when the entry does.
   */
  exclude?: (e: Entry) => boolean;
  /**
   * When the wire view of the tab began (epoch ms; undefined: all along; see
   * shared/entry-cors corsForEntry), asked when a CORS verdict is computed. Tell the views when
   * its answer changes (`wireChanged`).
   */
  wireSince?: () => number | undefined;
}

/** Views over `source`, computed once now and then kept per change (see PanelViews). */
export function createPanelViews(source: EntrySource, { longPoll: longPollOptions = {}, groupAtOnce = GROUP_AT_ONCE, exclude = () => false, wireSince = () => undefined }: PanelViewsOptions = {}): PanelViews {
  let filter = NO_FILTER;
  let sort: EntrySort | undefined;
  /** Under a sort: each shown entry's key when it was (re)inserted, by id (string keys hash cheaper than objects). */
  let keys = new Map<string, SortKey>();
  const keyOf = (e: Entry) => {
    let k = keys.get(e.id);
    if (k === undefined) keys.set(e.id, (k = sortKey(sort!.column, e)));
    return k;
  };
  const order = (): ((a: Entry, b: Entry) => number) => {
    if (!sort) return source.compare;
    const dir = sort.descending ? -1 : 1;
    return (a, b) => dir * compareKeys(keyOf(a), keyOf(b)) || source.compare(a, b);
  };
  /**
   * Bytes per entry, their sum, and the sum over the shown entries. Keyed by the entry itself: a
   * keystroke reads every shown entry's, and an object's key is found about 4× faster than an
   * id's (17 → 3.7 ms over 100,000 entries in Node). An id removed and added again is removed
   * here first (see update), so an entry's old object never stays.
   */
  let sizes = new Map<Entry, number>();
  let allBytes = 0;
  let shownBytes = 0;
  const sizeOf = (e: Entry) => sizes.get(e) ?? 0;
  /** Counted entries only (not excluded): `sizes.size` is how many. */
  const setSize = (e: Entry) => {
    allBytes -= sizeOf(e);
    if (exclude(e)) sizes.delete(e);
    else {
      const next = entrySize(e);
      allBytes += next;
      sizes.set(e, next);
    }
  };
  /** An entry object gone from the views: out of the list and the byte counts. */
  const forget = (gone: Entry) => {
    if (shown.remove(gone)) {
      shownBytes -= sizeOf(gone);
      span.open.delete(gone.id);
    }
    allBytes -= sizeOf(gone);
    sizes.delete(gone);
  };
  let seen: SeenValues | undefined;
  let cors = new Map<string, CorsAnalysis | null>();
  let longPolls: LongPollIndex;
  let transfers: TransferIndex;
  let shown = createOrderedList<Entry>(source.compare);
  /** Every entry by id, kept per change: a removed id still finds its object here. */
  let known = new Map<string, Entry>();
  /** Waterfall span of the shown entries (only widens between refilters). */
  let span = { min: Infinity, maxEnd: -Infinity, open: new Set<string>() };
  const widen = (e: Entry) => {
    if (e.startTime < span.min) span.min = e.startTime;
    if (e.endTime === undefined) span.open.add(e.id);
    else {
      span.open.delete(e.id);
      if (e.endTime > span.maxEnd) span.maxEnd = e.endTime;
    }
  };
  /** Entries not yet in the long-poll index, from `backlogAt` on. */
  let backlog: Entry[] = [];
  let backlogAt = 0;
  let resetting = false;

  function work(budgetMs: number): boolean {
    const t0 = performance.now();
    while (backlogAt < backlog.length) {
      const chunk: Entry[] = [];
      for (const end = Math.min(backlog.length, backlogAt + 1_000); backlogAt < end; backlogAt++) {
        const e = backlog[backlogAt];
        // Gone or replaced since it was queued: the index must not take it.
        if (source.get(e.id) === e) chunk.push(e);
      }
      longPolls.update(chunk, []);
      const touched = transfers.update(chunk, []);
      // (During a reset the list is refiltered whole right after.)
      if (touched.size && !resetting) rejudge(touched);
      if (performance.now() - t0 >= budgetMs) break;
    }
    if (backlogAt < backlog.length) return true;
    backlog = [];
    backlogAt = 0;
    return false;
  }

  /** Judges the entries `ids` again against the filter (they changed, or their upload did), moving them in or out of the shown list. */
  function rejudge(ids: Iterable<string>) {
    const judged: [Entry, boolean][] = [];
    for (const id of ids) {
      const entry = source.get(id);
      if (!entry) continue;
      const was = shown.has(entry);
      // Not shown: no key of its own yet (has() may have taken one to search with).
      if (!was) keys.delete(id);
      if (was) shownBytes -= sizeOf(entry);
      // Every size before the filter: `larger-than:` reads the kept size, of an upload's first
      // request too when it judges the upload's other requests.
      setSize(entry);
      judged.push([entry, was]);
    }
    for (const [entry, was] of judged) {
      const id = entry.id;
      const now = passes(entry);
      if (was && (!now || sort)) {
        // Sorted: out by its old key, back in by its new one.
        shown.remove(entry);
        keys.delete(id);
        if (!now) span.open.delete(id);
      }
      if (now && (!was || sort)) shown.insert(entry);
      if (now) {
        widen(entry);
        shownBytes += sizeOf(entry);
      }
    }
  }

  const corsOf = (id: string): CorsAnalysis | undefined => {
    let verdict = cors.get(id);
    if (verdict === undefined) {
      const entry = source.get(id);
      if (!entry) return undefined;
      const analysis = sameOriginEntry(entry) ? undefined : corsForEntry(entry, source.get, wireSince());
      verdict = analysis?.crossOrigin ? analysis : null;
      cors.set(id, verdict);
    }
    return verdict ?? undefined;
  };
  let passes = entryPredicate(filter, () => false, () => undefined);
  /** Whether the filter alone lets `e` through (nesting under an upload's first request aside). */
  let fits = passes;
  /** The first request of the upload `e` is a later request of, when that one passes: `e` sits under it. */
  const uploadHead = (e: Entry): Entry | undefined => {
    const t = transfers.transferOf(e.id);
    const headId = t?.members[0].entryId;
    if (headId === undefined || headId === e.id) return undefined;
    const head = source.get(headId);
    return head && fits(head) ? head : undefined;
  };
  const predicateFor = (f: EntryFilter) => {
    const query = entryPredicate(
      f,
      (e) => corsOf(e.id)?.outcome === 'blocked',
      (id) => source.get(id),
      (e) => sizes.get(e) ?? entrySize(e),
    );
    fits = (e: Entry) => !exclude(e) && query(e);
    // (No upload, nothing nested: the usual case, spared a lookup per entry.)
    return (e: Entry) => fits(e) && (transfers.size() === 0 || !uploadHead(e));
  };

  /**
   * The uploads' later requests whose first request passes the filter (they sit under it), as
   * the source's objects (found faster than ids, see sizes); undefined when there are none.
   */
  function nestedMembers(): Set<Entry> | undefined {
    if (transfers.size() === 0) return undefined;
    let out: Set<Entry> | undefined;
    for (const t of transfers.all()) {
      const head = source.get(t.members[0].entryId);
      if (head && fits(head)) for (const m of laterRequests(t)) (out ??= new Set()).add(m);
    }
    return out;
  }

  /** An upload's requests after its first, as the source's objects (those it still has). */
  function laterRequests(t: Transfer): Entry[] {
    const out: Entry[] = [];
    for (let i = 1; i < t.members.length; i++) {
      const m = source.get(t.members[i].entryId);
      if (m) out.push(m);
    }
    return out;
  }

  /**
   * The shown entries (in the list's order) with the later requests of every upload that are not
   * among them, merged in at their places: what a narrower filter may show. The shown entries
   * themselves when there is no upload (the usual case).
   */
  function shownWithUploadMembers(): readonly Entry[] {
    const items = shown.items;
    if (transfers.size() === 0) return items;
    const compare = order();
    const extra: Entry[] = [];
    for (const t of transfers.all()) for (const m of laterRequests(t)) if (!shown.has(m)) extra.push(m);
    if (!extra.length) return items;
    extra.sort(compare);
    // Each one's place found by halving (a few comparisons each, not one per shown entry: a long
    // upload's requests mostly come after everything shown), the shown ones copied between.
    const out: Entry[] = [];
    let from = 0;
    for (const x of extra) {
      let lo = from;
      let hi = items.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(items[mid], x) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (let i = from; i < lo; i++) out.push(items[i]);
      out.push(x);
      from = lo;
    }
    for (let i = from; i < items.length; i++) out.push(items[i]);
    return out;
  }

  /**
   * `from` is in display order (or, when `sorted`, in the sort's), so what passes is too: no
   * comparisons needed, except to sort what passes when the list is sorted and `from` is not.
   */
  function refilter(from: readonly Entry[], sorted = false) {
    let kept: Entry[] = [];
    // The span and the bytes of what passes, gathered inline (this loop runs over every entry on a keystroke).
    const open = new Set<string>();
    let min = Infinity;
    let maxEnd = -Infinity;
    let bytes = 0;
    // Which entries sit under their upload's first request, judged once per upload (as passes
    // does per entry, see uploadHead): the loop then asks a set, not the index, per entry.
    const nested = nestedMembers();
    for (const e of from) {
      if (!fits(e) || (nested !== undefined && nested.has(e))) continue;
      kept.push(e);
      if (e.startTime < min) min = e.startTime;
      if (e.endTime === undefined) open.add(e.id);
      else if (e.endTime > maxEnd) maxEnd = e.endTime;
      bytes += sizes.get(e) ?? 0;
    }
    span = { min, maxEnd, open };
    shownBytes = bytes;
    if (sort && !sorted) {
      // Keys taken once per entry (decorate, sort, undecorate); ties in display order, as the
      // list compares them (`from` is in another sort's order when one sort follows another).
      // Keys kept from before are still right: an entry that changes while not shown loses its
      // key (see update).
      const dir = sort.descending ? -1 : 1;
      const decorated = kept.map((e) => ({ e, k: keyOf(e) }));
      decorated.sort((a, b) => dir * compareKeys(a.k, b.k) || source.compare(a.e, b.e));
      kept = decorated.map((d) => d.e);
    }
    shown = createOrderedList<Entry>(order(), kept);
  }

  function reset(next: EntrySource) {
    source = next;
    cors = new Map();
    longPolls = createLongPollIndex(source.compare, longPollOptions);
    transfers = createTransferIndex();
    backlog = source.entries().slice();
    backlogAt = 0;
    known = new Map();
    keys = new Map();
    sizes = new Map();
    allBytes = 0;
    seen = undefined;
    for (const e of backlog) {
      known.set(e.id, e);
      setSize(e);
    }
    resetting = true;
    if (backlog.length <= groupAtOnce) work(Infinity);
    resetting = false;
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
        // Another object under the same id (removed and added again in one batch): the old one goes.
        const was = known.get(id);
        if (was !== undefined && was !== entry) forget(was);
        known.set(id, entry);
        if (seen) addSeenValues(seen, entry);
        // A preflight's answer decides its request's verdict.
        if (entry.preflightFor) dirty.add(entry.preflightFor);
      }
      for (const id of removed) {
        cors.delete(id);
        const gone = known.get(id);
        known.delete(id);
        span.open.delete(id);
        if (gone) forget(gone);
        keys.delete(id);
      }
      if (backlogAt < backlog.length) {
        // Still grouping: the changed entries join the queue (regrouping a key twice is harmless).
        for (const e of changedEntries) backlog.push(e);
        longPolls.update([], removed);
      } else longPolls.update(changedEntries, removed);
      // Reclassified on every change (a tus upload's key comes with its creation's answer); the
      // members of a changed upload are judged again (whether they sit under its first request).
      for (const id of dirty) cors.delete(id);
      for (const id of transfers.update(changedEntries, removed)) if (source.get(id)) dirty.add(id);
      rejudge(dirty);
    },
    wireChanged() {
      cors = new Map();
      // The `is:blocked` filter reads the verdicts: the list is judged again (not narrower: a
      // verdict may have gone either way).
      refilter(source.entries());
    },
    setFilter(next) {
      if (sameFilter(next, filter)) return;
      const narrower = narrows(filter, next);
      filter = next;
      passes = predicateFor(filter);
      // A narrower filter keeps a subset of what is shown, plus the later requests of an upload
      // whose first request it drops: they come out as rows of their own (they sat under it).
      refilter(narrower ? shownWithUploadMembers() : source.entries(), narrower);
    },
    get filter() {
      return filter;
    },
    setSort(next) {
      if (next?.column === sort?.column && next?.descending === sort?.descending) return;
      sort = next;
      keys = new Map();
      // Display order is where every entry comes from; a sort of the shown ones is one sort.
      refilter(sort ? shown.items : source.entries(), false);
    },
    get sort() {
      return sort;
    },
    visible: () => shown.items,
    bytes: () => ({ all: allBytes, shown: shownBytes }),
    counted: () => sizes.size,
    seenValues() {
      if (!seen) {
        seen = emptySeenValues();
        for (const e of known.values()) addSeenValues(seen, e);
      }
      return seen;
    },
    waterfallSpan(now) {
      const max = span.open.size ? now : span.maxEnd;
      return span.min === Infinity ? { min: now, max: now } : { min: span.min, max: Math.max(max, span.min) };
    },
    corsOf,
    longPollOf: (id) => longPolls.groupOf(id),
    transferOf: (id) => transfers.transferOf(id),
    childrenOf(id) {
      const e = source.get(id);
      if (!e) return [];
      const out: Entry[] = [];
      const pre = e.preflightId && !showsPreflights(filter) ? source.get(e.preflightId) : undefined;
      if (pre) out.push(pre);
      const t = transfers.transferOf(id);
      if (t?.members[0].entryId !== id || !fits(e)) return out;
      for (const m of laterRequests(t)) if (!exclude(m)) out.push(m);
      return out;
    },
    pending: () => backlogAt < backlog.length,
    work,
  };
}

/** An imported trace as a source: entries in file order (a copy of `list`); `add` appends entries read later. */
export function traceSource(list: readonly Entry[]): EntrySource & { add(more: readonly Entry[]): void } {
  const own: Entry[] = [];
  const byId = new Map<string, Entry>();
  const index = new Map<Entry, number>();
  const add = (more: readonly Entry[]) => {
    for (const e of more) {
      if (!byId.has(e.id)) byId.set(e.id, e);
      index.set(e, own.length);
      own.push(e);
    }
  };
  add(list);
  return {
    entries: () => own,
    get: (id) => byId.get(id),
    compare: (a, b) => index.get(a)! - index.get(b)!,
    add,
  };
}
