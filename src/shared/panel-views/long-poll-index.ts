import { groupsOfKey, longPollKey, type LongPollGroup, type LongPollOptions } from '../long-polling';
import type { Entry } from '../model';
import { createOrderedList, type OrderedList } from '../timeline/start-order';

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

export function createLongPollIndex(compare: (a: Entry, b: Entry) => number, options: LongPollOptions = {}): LongPollIndex {
  /** Entry id → its key (null: cannot poll) and the entry object in its bucket. */
  const members = new Map<string, { key: string | null; entry: Entry }>();
  const buckets = new Map<string, OrderedList<Entry>>();
  const groupsByKey = new Map<string, LongPollGroup[]>();
  const groupOf = new Map<string, LongPollGroup>();

  return {
    update(changed, removed) {
      const dirty = new Set<string>();
      for (const entry of changed) {
        let member = members.get(entry.id);
        if (!member) {
          const key = longPollKey(entry) ?? null;
          members.set(entry.id, (member = { key, entry }));
          if (key !== null) {
            let bucket = buckets.get(key);
            if (!bucket) buckets.set(key, (bucket = createOrderedList(compare)));
            bucket.insert(entry);
          }
        }
        if (member.key !== null) dirty.add(member.key);
      }
      for (const id of removed) {
        const member = members.get(id);
        if (!member) continue;
        members.delete(id);
        if (member.key === null) continue;
        buckets.get(member.key)?.remove(member.entry);
        dirty.add(member.key);
      }
      for (const key of dirty) {
        for (const g of groupsByKey.get(key) ?? []) for (const id of g.entryIds) groupOf.delete(id);
        const bucket = buckets.get(key);
        const groups = bucket ? groupsOfKey(key, bucket.items, options) : [];
        if (groups.length) groupsByKey.set(key, groups);
        else groupsByKey.delete(key);
        if (bucket && !bucket.items.length) buckets.delete(key);
        for (const g of groups) for (const id of g.entryIds) groupOf.set(id, g);
      }
    },
    groupOf: (id) => groupOf.get(id),
  };
}
