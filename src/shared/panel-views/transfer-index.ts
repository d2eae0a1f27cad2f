import type { Entry } from '../model';
import { analyseTransfer, classifyForTransfer, memberOrder, type Classified, type Transfer } from '../transfers';

/**
 * Resumable uploads kept up to date as entries change: each changed entry is classified again
 * (a tus upload's key comes with its creation's answer), and only the uploads whose members
 * changed are analysed again. Same transfers as `recogniseTransfers` over all entries.
 */
export interface TransferIndex {
  /**
   * Entries added or changed, and ids removed. Returns the ids of every member, before and after,
   * of the transfers this changed (a member's place under its transfer's first request may have).
   */
  update(changed: Iterable<Entry>, removed: Iterable<string>): Set<string>;
  /** How many transfers there are. */
  size(): number;
  /** The transfer an entry belongs to. */
  transferOf(id: string): Transfer | undefined;
  /** Every transfer, in start order. */
  all(): Transfer[];
}

export function createTransferIndex(): TransferIndex {
  /** Entry id → the upload it belongs to. */
  const keys = new Map<string, string>();
  /** Upload → its members by entry id. */
  const buckets = new Map<string, Map<string, Classified>>();
  const transfers = new Map<string, Transfer>();
  const ofEntry = new Map<string, Transfer>();

  const leave = (id: string, dirty: Set<string>) => {
    const key = keys.get(id);
    if (key === undefined) return;
    keys.delete(id);
    buckets.get(key)?.delete(id);
    dirty.add(key);
  };

  return {
    update(changed, removed) {
      const dirty = new Set<string>();
      for (const entry of changed) {
        const c = classifyForTransfer(entry);
        if (keys.get(entry.id) !== c?.groupKey) leave(entry.id, dirty);
        if (!c) continue;
        keys.set(entry.id, c.groupKey);
        let bucket = buckets.get(c.groupKey);
        if (!bucket) buckets.set(c.groupKey, (bucket = new Map()));
        bucket.set(entry.id, c);
        dirty.add(c.groupKey);
      }
      for (const id of removed) leave(id, dirty);
      const touched = new Set<string>();
      for (const key of dirty) {
        const before = transfers.get(key);
        if (before)
          for (const m of before.members) {
            // A member that moved to another upload may already be in that one's new transfer.
            if (ofEntry.get(m.entryId) === before) ofEntry.delete(m.entryId);
            touched.add(m.entryId);
          }
        const bucket = buckets.get(key);
        const t = bucket?.size ? analyseTransfer([...bucket.values()].sort(memberOrder)) : undefined;
        if (bucket && !bucket.size) buckets.delete(key);
        if (!t) {
          transfers.delete(key);
          continue;
        }
        transfers.set(key, t);
        for (const m of t.members) {
          ofEntry.set(m.entryId, t);
          touched.add(m.entryId);
        }
      }
      return touched;
    },
    size: () => transfers.size,
    transferOf: (id) => ofEntry.get(id),
    all: () => [...transfers.values()].sort((a, b) => a.startTime - b.startTime),
  };
}
