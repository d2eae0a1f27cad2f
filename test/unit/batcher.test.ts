import { describe, expect, it, vi } from 'vitest';
import { createBatcher } from '../../src/shared/batcher';

describe('batcher', () => {
  it('sends what arrived within the delay as one batch, in order', () => {
    vi.useFakeTimers();
    const sent: number[][] = [];
    const b = createBatcher<number>((items) => sent.push(items), { delayMs: 8 });
    b.add([1]);
    b.add([2, 3]);
    vi.advanceTimersByTime(7);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    b.add([4]);
    vi.advanceTimersByTime(8);
    expect(sent).toEqual([[1, 2, 3], [4]]);
    vi.useRealTimers();
  });

  it('sends at once at maxItems, never more in one batch, on flush, and nothing after cancel', () => {
    vi.useFakeTimers();
    const sent: number[][] = [];
    const b = createBatcher<number>((items) => sent.push(items), { maxItems: 3 });
    b.add([1, 2, 3, 4]);
    b.add([5]);
    b.flush();
    b.add([6]);
    b.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([[1, 2, 3], [4, 5]]);
    vi.useRealTimers();
  });

  it('weighs items: a batch goes once its items weigh maxItems, never past it (a heavier item alone)', () => {
    vi.useFakeTimers();
    const sent: number[][] = [];
    // An item weighs its value (the worker weighs a run of messages as its messages).
    const b = createBatcher<number>((items) => sent.push(items), { maxItems: 10, weigh: (n) => n });
    b.add([4, 4, 1]);
    expect(sent).toEqual([]);
    b.add([1, 25, 2, 5, 4]);
    expect(sent).toEqual([[4, 4, 1, 1], [25], [2, 5]]);
    vi.advanceTimersByTime(8);
    expect(sent).toEqual([[4, 4, 1, 1], [25], [2, 5], [4]]);
    vi.useRealTimers();
  });
});
