import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { atEnd, bySlot, endScrollTop, revealScrollTop, rowWindow, windowSlots, type RowWindow } from '../shared/windowing';

/**
 * A scroll container that draws only its visible rows (fixed `rowHeight`, px). With `follow`,
 * it keeps the newest (last) row in view while the user is at the end, and stops when they
 * scroll up, like Chrome's Network panel; scrolling back to the end resumes it. `follow` may
 * change (a sort under which the newest row is not last): the scroll position then stays.
 * `rows`: the drawn rows as [index, slot], in slot order: the list keys its row elements by slot
 * and places each at its index (see windowSlots).
 */
export function useVirtualRows(count: number, rowHeight: number, follow = false) {
  const ref = useRef<HTMLDivElement>(null);
  // An object, so that setting the same position after following still redraws.
  const [{ scrollTop }, setScroll] = useState({ scrollTop: 0 });
  const setScrollTop = (top: number) => setScroll({ scrollTop: top });
  const [height, setHeight] = useState(0);
  const following = useRef(follow);
  const countRef = useRef(count);
  countRef.current = count;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Following: the window is drawn at the end already (below); only the element is scrolled, so
  // a new batch costs one render, not a render and a re-render from the scroll it causes.
  const followingNow = follow && following.current;
  const top = followingNow ? endScrollTop(count, rowHeight, height) : scrollTop;
  // Written only when it moved (reading scrollTop would force a layout on every redraw).
  const written = useRef(-1);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && followingNow && written.current !== top) {
      el.scrollTop = top;
      written.current = top;
    }
  });

  // `follow` turned off (or on): from where the element is now; the drawn window follows it.
  const followWas = useRef(follow);
  useLayoutEffect(() => {
    if (followWas.current === follow) return;
    followWas.current = follow;
    const el = ref.current;
    if (!el) return;
    following.current = follow && atEnd(el.scrollTop, el.clientHeight, countRef.current * rowHeight, rowHeight);
    written.current = el.scrollTop;
    setScrollTop(el.scrollTop);
  }, [follow]);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    written.current = el.scrollTop;
    const was = following.current;
    following.current = follow && atEnd(el.scrollTop, el.clientHeight, countRef.current * rowHeight, rowHeight);
    // Still at the end (our own scroll to the newest row): the window is drawn from the end already.
    if (was && following.current) return;
    setScrollTop(el.scrollTop);
  }, [follow, rowHeight]);

  /** Scrolls row `index` into view (moving as little as possible). */
  const reveal = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el || index < 0) return;
      const top = revealScrollTop(index, rowHeight, el.scrollTop, el.clientHeight);
      el.scrollTop = top;
      written.current = top;
      following.current = follow && atEnd(top, el.clientHeight, countRef.current * rowHeight, rowHeight);
      setScrollTop(top);
    },
    [follow, rowHeight],
  );

  const win: RowWindow = rowWindow({ count, rowHeight, scrollTop: top, viewportHeight: height });
  // The drawn rows' slots (see windowSlots), from the last draw's.
  const slots = useRef(new Map<number, number>());
  slots.current = windowSlots(slots.current, win.start, win.end);
  return { ref, onScroll, win, rows: bySlot(slots.current), reveal };
}
