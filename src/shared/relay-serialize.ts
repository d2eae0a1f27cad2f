/**
 * What the relay weighs before it sends page events on: only what it needs to split batches.
 * Extension messages are structured clones (manifest `message_serialization`), so events go on
 * as the page script made them, transferred ArrayBuffers included; the worker turns bytes into
 * base64 (./page-events `expandPageEvent`). Validation is the background's job too, once per
 * event: the relay runs on the page's renderer main thread, so it does as little as it can, and
 * never trusts the shape it is handed (a hostile page can post anything into its own port).
 */
import { payloadField } from './event-payloads';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Roughly the bytes an event takes in a message, at most: text counted at two bytes a character
 * (as a structured clone writes text past Latin-1), bytes as they are; payload data and URL
 * dominate. Never throws.
 */
export function approxEventBytes(ev: unknown): number {
  if (!isObj(ev)) return 64;
  const field = typeof ev.type === 'string' ? payloadField(ev.type as Parameters<typeof payloadField>[0]) : undefined;
  const payload = field ? ev[field] : undefined;
  let data = 0;
  if (isObj(payload)) {
    if (typeof payload.data === 'string') data = 2 * payload.data.length;
    if (payload.buffer instanceof ArrayBuffer) data += payload.buffer.byteLength;
  }
  // A part of a big payload (./payload-parts).
  if (ev.type === 'part') data += typeof ev.text === 'string' ? 2 * ev.text.length : ev.bytes instanceof ArrayBuffer ? ev.bytes.byteLength : 0;
  // A run of WebSocket messages (MessageRun): its texts.
  if (ev.type === 'messages' && Array.isArray(ev.data)) for (const d of ev.data) data += typeof d === 'string' ? 2 * d.length + 32 : 32;
  const url = typeof ev.url === 'string' ? 2 * ev.url.length : 0;
  return 256 + data + url;
}
