import { describe, expect, it } from 'vitest';
import { createPageOrder } from '../../src/shared/page-batch-order';

const order = (maxHeld?: number) => {
  const taken: string[] = [];
  const put = createPageOrder<string>((b) => taken.push(b), maxHeld);
  return { taken, put };
};

describe('page batch order', () => {
  it('takes batches in order as they come', () => {
    const { taken, put } = order();
    put(1, 'a');
    put(2, 'b');
    put(3, 'c');
    expect(taken).toEqual(['a', 'b', 'c']);
  });

  it('holds one handed over before an earlier one sent over the port, then takes both in order', () => {
    const { taken, put } = order();
    put(1, 'a');
    put(3, 'c');
    put(4, 'd');
    expect(taken).toEqual(['a']);
    put(2, 'b');
    expect(taken).toEqual(['a', 'b', 'c', 'd']);
    put(5, 'e');
    expect(taken).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('drops repeats, and takes a batch without a number as it comes', () => {
    const { taken, put } = order();
    put(1, 'a');
    put(1, 'a again');
    put(3, 'c');
    put(3, 'c again');
    put(undefined, 'x');
    put(Number.NaN, 'y');
    put(2, 'b');
    expect(taken).toEqual(['a', 'x', 'y', 'b', 'c']);
  });

  it('past maxHeld held, gives up on the missing one and takes the held ones in order', () => {
    const { taken, put } = order(2);
    put(3, 'c');
    put(5, 'e');
    expect(taken).toEqual([]);
    put(4, 'd');
    expect(taken).toEqual(['c', 'd', 'e']);
    // The missing ones are passed now; one that comes after all (a batch sent over the port
    // behind more than maxHeld handed over at once) is taken as it comes, not lost; once.
    put(1, 'a');
    put(6, 'f');
    put(2, 'b');
    put(1, 'a again');
    expect(taken).toEqual(['c', 'd', 'e', 'a', 'f', 'b']);
  });

  it('remembers at most maxHeld numbers given up (a forged jump of a billion stays bounded)', () => {
    const { taken, put } = order(2);
    put(1e9, 'far');
    put(1e9 + 1, 'far 2');
    put(1e9 + 3, 'far 4');
    expect(taken).toEqual(['far', 'far 2']);
    // 1 and 2 were given up (remembered); 5 was not (past the bound).
    put(1, 'a');
    put(2, 'b');
    put(5, 'e');
    expect(taken).toEqual(['far', 'far 2', 'a', 'b']);
  });
});
