import { groupsOfKey, longPollKey, LONG_POLL_MIN_RUN, runStart, type LongPollGroup, type LongPollOptions } from '../long-polling';
import type { Entry } from '../model';
import { insertSorted } from '../timeline/start-order';

/**
 * Long-polling groups kept up to date as entries change: entries are bucketed by their key
 * (computed again only when its method, URL or kind changed), and only the buckets that changed are
 * regrouped, from the run before their first changed entry on (a key polled thousands of times
 * gets a new request at its end: its earlier groups stand). Same groups as `groupLongPolling`
 * over all entries.
 */
export interface LongPollIndex {
  /** Entries added or changed, and ids removed. */
  update(changed: Iterable<Entry>, removed: Iterable<string>): void;
  groupOf(id: string): LongPollGroup | undefined;
}

/** `compare` orders a key's entries (display order); `options` as for `groupLongPolling`. */
export function createLongPollIndex(compare: (a: Entry, b: Entry) => number, options: LongPollOptions = {}): LongPollIndex {
  /**
   * Entry id → its key (null: cannot poll), with the method, URL and kind it was computed from:
   * computed again only when they changed (a worker's request redirected: deep capture's entry
   * takes the new URL, and the new method after a 303; a script found to be JSONP).
   */
  const keys = new Map<string, { key: string | null; method: string; url: string; kind: string }>();
  /** Key → its entries in order (mostly one: most URLs are asked for once). */
  const buckets = new Map<string, Entry[]>();
  const groupsByKey = new Map<string, LongPollGroup[]>();
  const groupOf = new Map<string, LongPollGroup>();
  const minRun = options.minRun ?? LONG_POLL_MIN_RUN;

  /** Where entry `id` sits in its bucket: looked for from the end, where changes mostly are. */
  const positionOf = (bucket: readonly Entry[], id: string) => {
    for (let i = bucket.length - 1; i >= 0; i--) if (bucket[i].id === id) return i;
    return 0;
  };

  return {
    update(changed, removed) {
      /** Dirty key → the first position in its bucket that changed (0 after a removal). */
      const dirty = new Map<string, number>();
      const mark = (key: string, at: number) => dirty.set(key, Math.min(at, dirty.get(key) ?? at));
      /** `id` out of the bucket of `key` (removed, or keyed anew). */
      const leave = (key: string, id: string) => {
        const bucket = buckets.get(key);
        const at = bucket ? bucket.findIndex((e) => e.id === id) : -1;
        if (at >= 0) bucket!.splice(at, 1);
        mark(key, 0);
      };
      for (const entry of changed) {
        const was = keys.get(entry.id);
        let key = was?.key ?? null;
        if (was === undefined || was.url !== entry.url || was.kind !== entry.kind || was.method !== entry.method) {
          key = longPollKey(entry) ?? null;
          keys.set(entry.id, { key, method: entry.method, url: entry.url, kind: entry.kind });
          if (was !== undefined && was.key !== key && was.key !== null) leave(was.key, entry.id);
          if (key !== null && was?.key !== key) {
            const bucket = buckets.get(key);
            if (bucket) insertSorted(bucket, entry, compare);
            else buckets.set(key, [entry]);
          }
        }
        if (key !== null) mark(key, positionOf(buckets.get(key)!, entry.id));
      }
      for (const id of removed) {
        const was = keys.get(id);
        if (was === undefined) continue;
        keys.delete(id);
        if (was.key !== null) leave(was.key, id);
      }
      for (const [key, first] of dirty) {
        const bucket = buckets.get(key) ?? [];
        // Too few to poll, and no groups to undo: most keys (a URL asked for once) stop here.
        if (bucket.length < minRun && !groupsByKey.has(key)) {
          if (!bucket.length) buckets.delete(key);
          continue;
        }
        // Runs end where neighbours do not follow each other; before the run of the entry ahead of
        // the first changed one, neither the entries nor their runs changed.
        const from = first > 0 ? runStart(bucket, first - 1, options) : 0;
        const after = new Set<string>();
        for (let i = from; i < bucket.length; i++) after.add(bucket[i].id);
        const kept = groupsByKey.get(key) ?? [];
        while (kept.length && (from === 0 || after.has(kept[kept.length - 1].entryIds[0]))) {
          const undone = kept.pop()!;
          // An entry that moved to another key may already be in that key's new group.
          for (const id of undone.entryIds) if (groupOf.get(id) === undone) groupOf.delete(id);
        }
        const regrouped = groupsOfKey(key, bucket, options, from);
        for (const g of regrouped) {
          kept.push(g);
          for (const id of g.entryIds) groupOf.set(id, g);
        }
        if (kept.length) groupsByKey.set(key, kept);
        else groupsByKey.delete(key);
        if (!bucket.length) buckets.delete(key);
      }
    },
    groupOf: (id) => groupOf.get(id),
  };
}
