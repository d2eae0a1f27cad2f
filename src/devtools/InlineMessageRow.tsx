import { base64ToBytes } from '../shared/bytes';
import { entryName } from '../shared/entry-columns';
import type { Entry, Message } from '../shared/model';
import { bytes, clockTime } from './format';

/** Characters of a message's text shown in its row. */
const PREVIEW_CHARS = 200;

/** Decoded bytes that read as text: no control characters but tab and line breaks, no undecodable UTF-8. */
function textLike(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) return false;
  }
  return true;
}

/**
 * A message's one-line preview: its text (line breaks as spaces); bytes (a fetch's chunks, binary
 * frames) read as UTF-8 when their head is text, else what they are. Only the head is decoded.
 */
export function messagePreview(m: Message): string {
  const p = m.data;
  let text: string;
  if (p.encoding === 'text') text = p.data;
  else if (p.encoding === 'base64') {
    // 4 base64 characters a 3-byte character: enough for the preview, a whole number of quads
    // (a UTF-8 sequence cut at the end is dropped).
    const head = base64ToBytes(p.data.slice(0, PREVIEW_CHARS * 4));
    if (!head) return `(binary, ${bytes(p.size)})`;
    text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/\ufffd+$/, '');
    if (!textLike(text)) return `(binary, ${bytes(p.size)})`;
  } else return '(contents not captured)';
  const head = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return head.replace(/[\r\n\t]+/g, ' ').trim();
}

/** What a message is called in its row: a WebSocket frame, an SSE event (by name), a streamed chunk. */
function what(e: Entry, m: Message): string {
  if (e.kind === 'websocket') return m.dir === 'send' ? 'sent' : 'received';
  if (e.kind === 'eventsource') return m.eventName ?? 'message';
  return 'chunk';
}

/**
 * One message in the list with messages inline: direction, time, size, its channel and a text
 * preview, across all columns. Captured strings as text only. A click opens its entry's
 * Messages tab with this message chosen; a right-click, its entry's row menu.
 */
export function InlineMessageRow({ e, index, span, selected, onOpen, onMenu }: {
  e: Entry;
  index: number;
  /** Columns drawn (the row spans them all). */
  span: number;
  selected: boolean;
  onOpen(): void;
  /** A right-click: its entry's row menu at (x, y) px in the viewport. */
  onMenu?(x: number, y: number): void;
}) {
  const m = e.messages[index];
  if (!m) return <tr class="message-row" />;
  const { path } = entryName(e);
  return (
    <tr
      class={`message-row ${m.dir}${selected ? ' selected' : ''}`}
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
      <td colSpan={span} title={`${e.kind} ${e.url}`}>
        <span class="dir" aria-label={m.dir}>
          {m.dir === 'send' ? '↑' : '↓'}
        </span>{' '}
        <span class="time">{clockTime(m.t)}</span> <span class="muted">{bytes(m.data.size)}</span>{' '}
        <span class="channel">
          {what(e, m)} · {path}
        </span>{' '}
        <code class="preview">{messagePreview(m)}</code>
      </td>
    </tr>
  );
}
