import { entryName } from '../shared/entry-columns';
import type { Entry, Message } from '../shared/model';
import { payloadPreview } from '../shared/payload';
import { bytes, clockTime } from './format';

/** What a message is called in its row: a WebSocket frame, an SSE event (by name), a streamed chunk. */
function what(e: Entry, m: Message): string {
  if (e.kind === 'websocket') return m.dir === 'send' ? 'sent' : 'received';
  if (e.kind === 'eventsource') return m.eventName ?? 'message';
  return 'chunk';
}

/**
 * One message in the list with messages inline: direction, time, size, its channel and a text
 * preview, in one cell across all columns, placed `top` px down the list (row `rowIndex` of the
 * grid). Captured strings as text only. A click opens its entry's Messages tab with this message
 * chosen; a right-click, its entry's row menu.
 */
export function InlineMessageRow({ e, index, top, rowIndex, selected, onOpen, onMenu }: {
  e: Entry;
  index: number;
  top: number;
  rowIndex: number;
  selected: boolean;
  onOpen(): void;
  /** A right-click: its entry's row menu at (x, y) px in the viewport. */
  onMenu?(x: number, y: number): void;
}) {
  const m = e.messages[index];
  if (!m) return <div role="row" aria-rowindex={rowIndex} class="row message-row" style={{ top: `${top}px` }} />;
  const { path } = entryName(e);
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-selected={selected}
      style={{ top: `${top}px` }}
      class={`row message-row ${m.dir}${selected ? ' selected' : ''}`}
      data-testid="message-row"
      data-id={e.id}
      data-index={index}
      data-dir={m.dir}
      onClick={onOpen}
      onContextMenu={(ev) => {
        if (!onMenu) return;
        ev.preventDefault();
        onMenu(ev.clientX, ev.clientY);
      }}
    >
      <div role="gridcell" class="cell" title={`${e.kind} ${e.url}`}>
        <span class="dir" aria-label={m.dir}>
          {m.dir === 'send' ? '↑' : '↓'}
        </span>{' '}
        <span class="time">{clockTime(m.t)}</span> <span class="muted">{bytes(m.data.size)}</span>{' '}
        <span class="channel">
          {what(e, m)} · {path}
        </span>{' '}
        <code class="preview">{payloadPreview(m.data)}</code>
      </div>
    </div>
  );
}
