import { describe, expect, it } from 'vitest';
import { atEnd, bySlot, endScrollTop, listMove, revealScrollTop, rowWindow, windowSlots } from '../../src/shared/windowing';

describe('windowing', () => {
  it('draws the rows in view plus the overscan, with spacers for the rest', () => {
    expect(rowWindow({ count: 1000, rowHeight: 20, scrollTop: 400, viewportHeight: 100, overscan: 2 })).toEqual({ start: 18, end: 27, before: 360, after: 19_460, total: 20_000 });
    expect(rowWindow({ count: 1000, rowHeight: 20, scrollTop: 0, viewportHeight: 100, overscan: 2 })).toEqual({ start: 0, end: 7, before: 0, after: 19_860, total: 20_000 });
  });

  it('draws 4 rows beyond each edge of the viewport unless told otherwise', () => {
    expect(rowWindow({ count: 1000, rowHeight: 20, scrollTop: 400, viewportHeight: 100 })).toMatchObject({ start: 16, end: 29 });
  });

  it('clamps a scroll position past the end (the list shrank) to the last rows', () => {
    expect(rowWindow({ count: 10, rowHeight: 20, scrollTop: 5000, viewportHeight: 100, overscan: 0 })).toEqual({ start: 5, end: 10, before: 100, after: 0, total: 200 });
  });

  it('draws everything when it fits, and nothing when empty or not yet measured', () => {
    expect(rowWindow({ count: 3, rowHeight: 20, scrollTop: 0, viewportHeight: 500 })).toMatchObject({ start: 0, end: 3, before: 0, after: 0 });
    expect(rowWindow({ count: 0, rowHeight: 20, scrollTop: 0, viewportHeight: 500 })).toMatchObject({ start: 0, end: 0, total: 0 });
    expect(rowWindow({ count: 100, rowHeight: 20, scrollTop: 0, viewportHeight: 0, overscan: 0 })).toMatchObject({ start: 0, end: 0, after: 2000 });
  });

  it('follows the newest only while the end is in view', () => {
    expect(atEnd(endScrollTop(100, 20, 300), 300, 2000, 20)).toBe(true);
    expect(atEnd(endScrollTop(100, 20, 300) - 5, 300, 2000, 20)).toBe(true);
    expect(atEnd(endScrollTop(100, 20, 300) - 40, 300, 2000, 20)).toBe(false);
    expect(endScrollTop(5, 20, 300)).toBe(0);
    expect(atEnd(0, 300, 100, 20)).toBe(true);
  });

  it('reveals a row with the least scrolling', () => {
    expect(revealScrollTop(50, 20, 0, 200)).toBe(820);
    expect(revealScrollTop(2, 20, 500, 200)).toBe(40);
    expect(revealScrollTop(30, 20, 500, 200)).toBe(500);
  });
});

describe('row slots', () => {
  /** The window [start, end) drawn after each of `windows`, from nothing: each draw's slots. */
  const draws = (...windows: [number, number][]) => {
    let last = new Map<number, number>();
    return windows.map(([start, end]) => (last = windowSlots(last, start, end)));
  };

  it('numbers a first window\'s rows from 0, in order', () => {
    expect(bySlot(windowSlots(new Map(), 10, 14))).toEqual([[10, 0], [11, 1], [12, 2], [13, 3]]);
    expect(windowSlots(new Map(), 0, 0).size).toBe(0);
  });

  it('keeps a row in its slot while it stays in the window; rows coming in take the freed slots', () => {
    const [first, next] = draws([10, 16], [13, 19]);
    for (const i of [13, 14, 15]) expect(next.get(i)).toBe(first.get(i));
    // 10, 11, 12 left (slots 0, 1, 2): 16, 17, 18 came in, in order.
    expect([16, 17, 18].map((i) => next.get(i))).toEqual([0, 1, 2]);
    // In slot order the kept rows keep their places among the elements: nothing moves.
    expect(bySlot(next).map(([i]) => i)).toEqual([16, 17, 18, 13, 14, 15]);
  });

  it('uses as many slots as the longest window, and reuses the same ones as a window of one length slides', () => {
    const all = draws([0, 46], [100, 146], [117, 163], [120, 163], [300, 343], [0, 49]);
    for (const slots of all) expect(new Set(slots.values()).size).toBe(slots.size);
    expect(Math.max(...all.flatMap((s) => [...s.values()]))).toBe(48);
    // A shorter window leaves the same slots empty as it slides: no element made or removed.
    const [, a, b] = draws([0, 49], [3, 49], [20, 66]);
    expect(new Set(b.values())).toEqual(new Set(a.values()));
  });
});

describe('moving a list selection by key', () => {
  it('moves by one, by a page, to the ends, and stays inside the list', () => {
    expect(listMove('ArrowDown', 4, 100, 18)).toBe(5);
    expect(listMove('ArrowUp', 4, 100, 18)).toBe(3);
    expect(listMove('PageDown', 4, 100, 18)).toBe(22);
    expect(listMove('PageUp', 22, 100, 18)).toBe(4);
    expect(listMove('PageUp', 4, 100, 18)).toBe(0);
    expect(listMove('PageDown', 90, 100, 18)).toBe(99);
    expect(listMove('Home', 50, 100, 18)).toBe(0);
    expect(listMove('End', 50, 100, 18)).toBe(99);
    expect(listMove('ArrowUp', 0, 100, 18)).toBe(0);
  });
  it('starts at the first item going down and at the last going up when nothing is selected', () => {
    expect(listMove('ArrowDown', -1, 10, 5)).toBe(0);
    expect(listMove('PageDown', -1, 10, 5)).toBe(0);
    expect(listMove('ArrowUp', -1, 10, 5)).toBe(9);
    expect(listMove('PageUp', -1, 10, 5)).toBe(9);
  });
});
