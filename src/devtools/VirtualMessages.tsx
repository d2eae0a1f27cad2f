import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useVirtualRows } from './virtual-rows';

export const MESSAGE_ROW_HEIGHT = 20;

interface ItemProps {
  index: number;
  /** What row `index` shows (see VirtualMessages' rowId): the item is drawn again only when this, `index` or `cls` changed. */
  id: unknown;
  cls: string;
  draw(): ComponentChildren;
  choose: { current(i: number): void };
}

/** One row, placed at its index in the list (see panel.css): skipped in a redraw when it shows the same. */
class Item extends Component<ItemProps> {
  override shouldComponentUpdate(next: ItemProps) {
    return next.index !== this.props.index || next.id !== this.props.id || next.cls !== this.props.cls;
  }

  render({ index, cls, draw, choose }: ItemProps) {
    return (
      <li data-index={index} class={cls} style={{ top: `${index * MESSAGE_ROW_HEIGHT}px` }} onClick={() => choose.current(index)}>
        {draw()}
      </li>
    );
  }
}

/**
 * A message list that draws only the rows in view (fixed 20 px rows) and follows the newest
 * while scrolled to the end. `row(i)` draws row i of `count`; `rowId(i)` says what row i shows
 * (default: i), so that a row still showing the same is not drawn again; clicking a row chooses it;
 * `revealAt` (a new object each time) scrolls a row into view.
 */
export function VirtualMessages({ count, row, rowId, rowClass, chosen, onChoose, testid = 'messages', revealAt }: {
  count: number;
  row(i: number): ComponentChildren;
  rowId?(i: number): unknown;
  rowClass?(i: number): string;
  chosen?: number;
  onChoose(i: number): void;
  testid?: string;
  revealAt?: { index: number };
}) {
  const { ref, onScroll, win, rows, reveal } = useVirtualRows(count, MESSAGE_ROW_HEIGHT, true);
  useEffect(() => {
    if (revealAt) reveal(revealAt.index);
  }, [revealAt]);
  // Read when clicked: a row skipped in a redraw chooses with the latest.
  const choose = useRef(onChoose);
  choose.current = onChoose;
  return (
    <div class="message-scroll" ref={ref} onScroll={onScroll} data-testid={`${testid}-scroll`}>
      <ol class="messages" data-testid={testid} data-count={count} style={{ height: `${win.total}px` }}>
        {rows.map(([i, slot]) => (
          // Keyed by slot (see windowSlots): as the list scrolls, rows still in view keep their
          // elements untouched, and those coming in take the elements of those that left.
          <Item key={slot} index={i} id={rowId ? rowId(i) : i} cls={`${rowClass?.(i) ?? ''}${i === chosen ? ' selected' : ''}`} draw={() => row(i)} choose={choose} />
        ))}
      </ol>
    </div>
  );
}
