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

  it('sends at once past maxItems, on flush, and nothing after cancel', () => {
    vi.useFakeTimers();
    const sent: number[][] = [];
    const b = createBatcher<number>((items) => sent.push(items), { maxItems: 3 });
    b.add([1, 2, 3, 4]);
    b.add([5]);
    b.flush();
    b.add([6]);
    b.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([[1, 2, 3, 4], [5]]);
    vi.useRealTimers();
  });
});
