/**
 * The relay's order of a document's page batches (src/shared/protocol.ts PageBatch.n): they come
 * two ways, over the page script's port (tasks, in order among themselves) and handed over at once
 * (PAGE_BATCH_EVENT), so a batch handed over at once may come before one sent over the port just
 * earlier. Each is taken in the page's order: one numbered past the next expected is held until the
 * missing ones come. Past `maxHeld` held, the missing ones are given up for and the held ones go in
 * order; a missing one that still comes (a batch sent over the port while the page, in one long
 * task, handed more than `maxHeld` over at once: the port's message waits for the task's end) is
 * taken when it comes, out of order rather than lost (the first `maxHeld` numbers of a jump, and
 * of all jumps the last `maxHeld`, are remembered). A batch without a number is taken as it comes;
 * any other number already passed (a repeat) is dropped. Pure: no browser API.
 */
export function createPageOrder<T>(take: (batch: T) => void, maxHeld = 256): (n: number | undefined, batch: T) => void {
  let next = 1;
  const held = new Map<number, T>();
  /** Numbers given up for that may still come, oldest first (at most maxHeld). */
  const late = new Set<number>();
  return (n, batch) => {
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) return take(batch);
    if (n < next) {
      if (late.delete(n)) take(batch);
      return;
    }
    if (held.has(n)) return;
    held.set(n, batch);
    if (n > next && held.size <= maxHeld) return;
    if (!held.has(next)) {
      const to = Math.min(...held.keys());
      for (let k = next; k < to && k < next + maxHeld; k++) late.add(k);
      for (const k of late) {
        if (late.size <= maxHeld) break;
        late.delete(k);
      }
      next = to;
    }
    for (let b = held.get(next); b !== undefined; b = held.get(next)) {
      held.delete(next);
      next++;
      take(b);
    }
  };
}
