import { groupsOfKey, longPollKey, type LongPollGroup, type LongPollOptions } from '../long-polling';
import type { Entry } from '../model';
import { insertSorted } from '../timeline/start-order';

/**
 * Long-polling groups kept up to date as entries change: entries are bucketed by their key
 * (computed once per entry), and only the buckets that changed are regrouped. Same groups as
 * `groupLongPolling` over all entries.
 */
export interface LongPollIndex {
  /** Entries added or changed, and ids removed. */
  update(changed: Iterable<Entry>, removed: Iterable<string>): void;
  groupOf(id: string): LongPollGroup | undefined;
}

/** `compare` orders a key's entries (display order); `options` as for `groupLongPolling`. */
export function createLongPollIndex(compare: (a: Entry, b: Entry) => number, options: LongPollOptions = {}): LongPollIndex {
  /** Entry id → its key (null: cannot poll). */
  const keys = new Map<string, string | null>();
  /** Key → its entries in order (mostly one: most URLs are asked for once). */
  const buckets = new Map<string, Entry[]>();
  const groupsByKey = new Map<string, LongPollGroup[]>();
  const groupOf = new Map<string, LongPollGroup>();

  return {
    update(changed, removed) {
      const dirty = new Set<string>();
      for (const entry of changed) {
        let key = keys.get(entry.id);
        if (key === undefined) {
          key = longPollKey(entry) ?? null;
          keys.set(entry.id, key);
          if (key !== null) {
            const bucket = buckets.get(key);
            if (bucket) insertSorted(bucket, entry, compare);
            else buckets.set(key, [entry]);
          }
        }
        if (key !== null) dirty.add(key);
      }
      for (const id of removed) {
        const key = keys.get(id);
        if (key === undefined) continue;
        keys.delete(id);
        if (key === null) continue;
        const bucket = buckets.get(key);
        const at = bucket ? bucket.findIndex((e) => e.id === id) : -1;
        if (at >= 0) bucket!.splice(at, 1);
        dirty.add(key);
      }
      for (const key of dirty) {
        for (const g of groupsByKey.get(key) ?? []) for (const id of g.entryIds) groupOf.delete(id);
        const bucket = buckets.get(key);
        const groups = bucket ? groupsOfKey(key, bucket, options) : [];
        if (groups.length) groupsByKey.set(key, groups);
        else groupsByKey.delete(key);
        if (bucket && !bucket.length) buckets.delete(key);
        for (const g of groups) for (const id of g.entryIds) groupOf.set(id, g);
      }
    },
    groupOf: (id) => groupOf.get(id),
  };
}
