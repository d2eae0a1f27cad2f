/**
 * The relay's order of a document's page batches (src/shared/protocol.ts PageBatch.n): they come
 * two ways, over the page script's port (tasks, in order among themselves) and handed over at once
 * (PAGE_BATCH_EVENT), so a batch handed over at once may come before one sent over the port just
 * earlier. Each is taken in the page's order: one numbered past the next expected is held until the
 * missing ones come. Past `maxHeld` held, the missing ones are taken as never coming (the page
 * script numbers a batch only once it was handed over, so this should not happen) and the held
 * ones go in order. A batch without a number is taken as it comes; a number already passed (a
 * repeat) is dropped. Pure: no browser API.
 */
export function createPageOrder<T>(take: (batch: T) => void, maxHeld = 256): (n: number | undefined, batch: T) => void {
  let next = 1;
  const held = new Map<number, T>();
  return (n, batch) => {
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) return take(batch);
    if (n < next || held.has(n)) return;
    held.set(n, batch);
    if (n > next && held.size <= maxHeld) return;
    if (!held.has(next)) next = Math.min(...held.keys());
    for (let b = held.get(next); b !== undefined; b = held.get(next)) {
      held.delete(next);
      next++;
      take(b);
    }
  };
}
