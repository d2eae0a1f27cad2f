/**
 * Coalesces items into batches: the first item added starts a timer of `delayMs`; when it fires
 * (or `maxItems` are waiting) everything waiting goes to `send` as one array, in order. Like the
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
  { delayMs = 8, maxItems = 1_000, timer = { set: (f: () => void, ms: number) => setTimeout(f, ms), clear: (h: ReturnType<typeof setTimeout>) => clearTimeout(h) } } = {},
): Batcher<T> {
  let waiting: T[] = [];
  let handle: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (handle !== undefined) timer.clear(handle);
    handle = undefined;
    if (!waiting.length) return;
    const out = waiting;
    waiting = [];
    send(out);
  };
  return {
    add(items) {
      for (const item of items) waiting.push(item);
      if (waiting.length >= maxItems) flush();
      else if (handle === undefined && waiting.length) handle = timer.set(flush, delayMs);
    },
    flush,
    cancel() {
      if (handle !== undefined) timer.clear(handle);
      handle = undefined;
      waiting = [];
    },
  };
}
