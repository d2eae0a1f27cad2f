/**
 * Windowing math for lists of fixed-height rows: which rows to draw for a scroll position, and
 * where to scroll to follow the newest row or to reveal one. Pixels throughout; rows are indexes
 * into the list. Pure: the DOM side only measures and scrolls.
 */
export interface RowWindow {
  /** First row to draw. */
  start: number;
  /** One past the last row to draw. */
  end: number;
  /** Empty space above the drawn rows, px. */
  before: number;
  /** Empty space below the drawn rows, px. */
  after: number;
  /** Height of the whole list, px. */
  total: number;
}

export interface WindowInput {
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
  /**
   * Extra rows drawn above and below the viewport, so a fast scroll shows no gap. Default 4 (80 px
   * at 20 px rows, most of a wheel notch): every drawn row is rendered, laid out and painted on
   * each redraw, and a batch at the end of a followed list redraws them all.
   */
  overscan?: number;
}

const OVERSCAN = 4;

/** The rows to draw for a scroll position: the viewport's rows plus `overscan` on each side, clamped to the list. */
export function rowWindow({ count, rowHeight, scrollTop, viewportHeight, overscan = OVERSCAN }: WindowInput): RowWindow {
  const total = count * rowHeight;
  const top = Math.max(0, Math.min(scrollTop, total - viewportHeight));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end: Math.max(start, end), before: start * rowHeight, after: Math.max(0, (count - Math.max(start, end)) * rowHeight), total };
}

/**
 * The slots of a window's rows (`start` ≤ i < `end`): row index → slot, a small number. A list that
 * keys its row elements by slot, kept in slot order, reuses them as the window slides: a row still
 * in the window keeps the slot it had in `last` (the previous draw's), and a row coming in takes
 * a slot a row that left freed (the lowest first), or else the lowest unused one. So when the window
 * slides by k rows, k elements get new rows and none is made, removed or moved (the rows are placed
 * by their index, so the elements' order is not the rows' order). There are never more slots than
 * the longest window yet.
 */
export function windowSlots(last: ReadonlyMap<number, number>, start: number, end: number): Map<number, number> {
  const slots = new Map<number, number>();
  const taken = new Set<number>();
  for (let i = start; i < end; i++) {
    const slot = last.get(i);
    if (slot !== undefined) {
      slots.set(i, slot);
      taken.add(slot);
    }
  }
  // Slots whose elements the rows that left free, then unused numbers.
  const freed = [...last.values()].filter((slot) => !taken.has(slot)).sort((a, b) => a - b);
  let k = 0;
  let unused = 0;
  for (let i = start; i < end; i++) {
    if (slots.has(i)) continue;
    let slot = freed[k++];
    if (slot === undefined) {
      while (taken.has(unused)) unused++;
      slot = unused;
    }
    slots.set(i, slot);
    taken.add(slot);
  }
  return slots;
}

/** The rows of `slots` (see windowSlots) in slot order, as [row index, slot]. */
export function bySlot(slots: ReadonlyMap<number, number>): [number, number][] {
  return [...slots].sort((a, b) => a[1] - b[1]);
}

/** True when the viewport shows the end of the list (within half a row): "follow the newest" stays on. */
export function atEnd(scrollTop: number, viewportHeight: number, total: number, rowHeight: number): boolean {
  return scrollTop + viewportHeight >= total - rowHeight / 2;
}

/** The scroll position that shows the last row at the bottom (0 when everything fits). */
export function endScrollTop(count: number, rowHeight: number, viewportHeight: number): number {
  return Math.max(0, count * rowHeight - viewportHeight);
}

/** The scroll position that brings row `index` fully into view, moving as little as possible. */
export function revealScrollTop(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

/** The keys that move a list's selection (see listMove), as KeyboardEvent.key names them. */
export const LIST_MOVE_KEYS: ReadonlySet<string> = new Set(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End']);

/**
 * Where a key moves the selection in a list of `count` (> 0) items from index `at` (-1: none),
 * as a list box does (ARIA APG listbox): ↑/↓ one, Page Up/Down `page` items, Home/End the
 * first/last, clamped to the list. With nothing selected, the moves down start at the first
 * item and the moves up at the last.
 */
export function listMove(key: string, at: number, count: number, page: number): number {
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  const step = key === 'ArrowDown' ? 1 : key === 'ArrowUp' ? -1 : key === 'PageDown' ? page : -page;
  if (at < 0) return step > 0 ? 0 : count - 1;
  return Math.max(0, Math.min(count - 1, at + step));
}
