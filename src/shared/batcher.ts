/**
 * Coalesces items into batches: the first item added starts a timer of `delayMs`; when it fires
 * everything waiting goes to `send` as one array, in order. A batch goes at once when its items
 * weigh `maxItems` (`weigh`: an item's weight, 1 by default; the worker weighs a run of messages
 * as its messages), and an item that would take it past goes in the next: no batch weighs more
 * than maxItems unless one item does by itself. Like the
 * relay's batching toward the background, and React DevTools' bridge batching per tick.
 */
export interface Batcher<T> {
  add(items: readonly T[]): void;
  /** Sends what is waiting now (no-op when nothing is). */
  flush(): void;
  /** Drops what is waiting and stops the timer. */
  cancel(): void;
}

export function createBatcher<T>(
  send: (items: T[]) => void,
  {
    delayMs = 8,
    maxItems = 1_000,
    weigh,
    timer = { set: (f: () => void, ms: number) => setTimeout(f, ms), clear: (h: ReturnType<typeof setTimeout>) => clearTimeout(h) },
  }: { delayMs?: number; maxItems?: number; weigh?: (item: T) => number; timer?: { set(f: () => void, ms: number): ReturnType<typeof setTimeout>; clear(h: ReturnType<typeof setTimeout>): void } } = {},
): Batcher<T> {
  let waiting: T[] = [];
  let weight = 0;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (handle !== undefined) timer.clear(handle);
    handle = undefined;
    if (!waiting.length) return;
    const out = waiting;
    waiting = [];
    weight = 0;
    send(out);
  };
  return {
    add(items) {
      for (const item of items) {
        const w = weigh ? weigh(item) : 1;
        // An item that would take the batch past maxItems starts the next one.
        if (waiting.length && weight + w > maxItems) flush();
        waiting.push(item);
        weight += w;
        if (weight >= maxItems) flush();
      }
      if (handle === undefined && waiting.length) handle = timer.set(flush, delayMs);
    },
    flush,
    cancel() {
      if (handle !== undefined) timer.clear(handle);
      handle = undefined;
      waiting = [];
      weight = 0;
    },
  };
}
