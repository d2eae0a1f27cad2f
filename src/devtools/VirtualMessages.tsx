import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useVirtualRows } from './virtual-rows';

export const MESSAGE_ROW_HEIGHT = 20;

/**
 * A message list that draws only the rows in view (fixed 20 px rows) and follows the newest
 * while scrolled to the end. `row(i)` draws row i of `count`; clicking a row chooses it; `revealAt`
 * (a new object each time) scrolls a row into view.
 */
export function VirtualMessages({ count, row, rowClass, chosen, onChoose, testid = 'messages', revealAt }: {
  count: number;
  row(i: number): ComponentChildren;
  rowClass?(i: number): string;
  chosen?: number;
  onChoose(i: number): void;
  testid?: string;
  revealAt?: { index: number };
}) {
  const { ref, onScroll, win, reveal } = useVirtualRows(count, MESSAGE_ROW_HEIGHT, true);
  useEffect(() => {
    if (revealAt) reveal(revealAt.index);
  }, [revealAt]);
  const items = [];
  for (let i = win.start; i < win.end; i++) {
    items.push(
      // Keyed by slot in the window (as the entry list): a scroll rewrites the same rows in place.
      <li key={i - win.start} data-index={i} class={`${rowClass?.(i) ?? ''}${i === chosen ? ' selected' : ''}`} onClick={() => onChoose(i)}>
        {row(i)}
      </li>,
    );
  }
  return (
    <div class="message-scroll" ref={ref} onScroll={onScroll} data-testid={`${testid}-scroll`}>
      <ol class="messages" data-testid={testid} data-count={count} style={{ paddingTop: `${win.before}px`, paddingBottom: `${win.after}px` }}>
        {items}
      </ol>
    </div>
  );
}
