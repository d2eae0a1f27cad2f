import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { atEnd, endScrollTop, revealScrollTop, rowWindow, type RowWindow } from '../shared/windowing';

/**
 * A scroll container that draws only its visible rows (fixed `rowHeight`, px). With `follow`,
 * it keeps the newest (last) row in view while the user is at the end, and stops when they
 * scroll up, like Chrome's Network panel; scrolling back to the end resumes it.
 */
export function useVirtualRows(count: number, rowHeight: number, follow = false) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
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

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !follow || !following.current) return;
    const top = endScrollTop(count, rowHeight, el.clientHeight);
    if (el.scrollTop !== top) el.scrollTop = top;
    if (top !== scrollTop) setScrollTop(top);
  }, [count, height, follow, rowHeight]);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    following.current = follow && atEnd(el.scrollTop, el.clientHeight, countRef.current * rowHeight, rowHeight);
    setScrollTop(el.scrollTop);
  }, [follow, rowHeight]);

  /** Scrolls row `index` into view (moving as little as possible). */
  const reveal = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el || index < 0) return;
      const top = revealScrollTop(index, rowHeight, el.scrollTop, el.clientHeight);
      el.scrollTop = top;
      following.current = follow && atEnd(top, el.clientHeight, countRef.current * rowHeight, rowHeight);
      setScrollTop(top);
    },
    [follow, rowHeight],
  );

  const win: RowWindow = rowWindow({ count, rowHeight, scrollTop, viewportHeight: height });
  return { ref, onScroll, win, reveal };
}
