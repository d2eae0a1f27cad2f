/**
 * What the relay does to page events before they go on to the worker: it keeps every extension
 * message small. An extension message of 64 KiB or more costs
 * its sender far more than its size says (measured in Chromium 150, structured-clone messaging,
 * sender's main thread: a 60,000-byte message 40 µs, a 65,536-byte one 1.4–6.5 ms; one 1 MiB
 * message 4.5–9.6 ms, the same bytes in 32 KiB messages about 1 ms; `scratch`-free figures in the
 * #11 note). The relay runs on the page's main thread, so it keeps every message under that size:
 * it weighs events to close batches in time (`approxEventBytes`) and splits a payload bigger than
 * PART_BYTES into `part` events, each carried in its own small batch; the worker joins them back
 * before it validates the event (`createPartJoiner`). Transport only: parts are never stored nor
 * shown. Events otherwise go on as the page script made them (messages are structured clones,
 * manifest `message_serialization`), validated by the background, once (./page-events): the relay
 * does as little as it can, and never trusts the shape it is handed (a hostile page can post
 * anything into its own port).
 *
 * Shapes: a part is `{ type: 'part', key, index, text }` or `{ type: 'part', key, index, bytes }`
 * (text: a slice of `data`; bytes: an ArrayBuffer slice of `buffer`); the event it belongs to
 * follows its parts, with its payload's `data` empty, no `buffer`, and `parts: { key, count }`.
 * Keys are unique per relay (one per frame).
 */
import { payloadField } from './event-payloads';
import { LIMITS } from './page-events';

/** Bytes of one part: buffers are cut at this size, text at as many characters (ASCII) or half as many (two-byte). */
export const PART_BYTES = 32 * 1024;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const fieldOf = (ev: Obj) => (typeof ev.type === 'string' ? payloadField(ev.type as Parameters<typeof payloadField>[0]) : undefined);
/** The payload object an event carries in its type's payload field (see payloadField), if any. */
const payloadOf = (ev: unknown): Obj | undefined => {
  if (!isObj(ev)) return undefined;
  const field = fieldOf(ev);
  const payload = field ? ev[field] : undefined;
  return isObj(payload) ? payload : undefined;
};

/**
 * Bytes a character of a payload's text takes in a structured clone, at most: one when its UTF-8
 * size (the page script measured it) equals its length, which only ASCII text has (any other
 * character is two to four bytes in UTF-8 for its one or two UTF-16 units), and which V8 clones
 * a byte a character; two otherwise (two-byte strings).
 */
function bytesPerChar(payload: Obj): 1 | 2 {
  return payload.encoding === 'text' && payload.truncated === false && typeof payload.data === 'string' && payload.size === payload.data.length ? 1 : 2;
}

/** Whether an event is a part (the relay's own: one a page posts is forged). */
export const isPart = (ev: unknown): boolean => isObj(ev) && ev.type === 'part';

/**
 * Roughly the bytes an event takes in a message, at most: a payload's text at one byte a character
 * when it is ASCII, else two (see bytesPerChar), other text at two (as a structured clone writes
 * text past Latin-1), bytes as they are; payload data and URL dominate. Never throws.
 */
export function approxEventBytes(ev: unknown): number {
  if (!isObj(ev)) return 64;
  const payload = payloadOf(ev);
  let data = 0;
  if (payload) {
    if (typeof payload.data === 'string') data = bytesPerChar(payload) * payload.data.length;
    if (payload.buffer instanceof ArrayBuffer) data += payload.buffer.byteLength;
  }
  if (ev.type === 'part') data += typeof ev.text === 'string' ? 2 * ev.text.length : ev.bytes instanceof ArrayBuffer ? ev.bytes.byteLength : 0;
  // A run of WebSocket messages (MessageRun): its texts.
  if (ev.type === 'messages' && Array.isArray(ev.data)) for (const d of ev.data) data += typeof d === 'string' ? 2 * d.length + 32 : 32;
  const url = typeof ev.url === 'string' ? 2 * ev.url.length : 0;
  return 256 + data + url;
}

/**
 * The event as it should cross the port: `[ev]` when its payload is small (the same object), else
 * its parts followed by the event whose payload names them; nothing for a part the page posted
 * (forged). `nextKey` gives a key unique to the sender. Never throws; anything it does not
 * recognise goes as it is.
 */
export function splitEvent(ev: unknown, nextKey: () => number): unknown[] {
  if (!isObj(ev)) return [ev];
  if (ev.type === 'part') return [];
  const field = fieldOf(ev);
  const payload = payloadOf(ev);
  if (!payload) return [ev];
  const out: unknown[] = [];
  let key = 0;
  if (payload.encoding === 'buffer' && payload.buffer instanceof ArrayBuffer && payload.buffer.byteLength > PART_BYTES) {
    const buffer = payload.buffer;
    key = nextKey();
    for (let at = 0, index = 0; at < buffer.byteLength; at += PART_BYTES, index++) out.push({ type: 'part', key, index, bytes: buffer.slice(at, at + PART_BYTES) });
  } else if (typeof payload.data === 'string' && payload.data.length * bytesPerChar(payload) > PART_BYTES) {
    const data = payload.data;
    key = nextKey();
    const step = PART_BYTES / bytesPerChar(payload);
    for (let at = 0, index = 0; at < data.length; at += step, index++) out.push({ type: 'part', key, index, text: data.slice(at, at + step) });
  } else return [ev];
  const { buffer: _buffer, ...rest } = payload;
  out.push({ ...ev, [field!]: { ...rest, data: '', parts: { key, count: out.length } } });
  return out;
}

export interface PartJoiner {
  /**
   * One event off the port, in order: a part is held (`event` undefined); an event naming parts
   * gets its payload back whole; anything else is returned as it is. A relay sends an event's
   * parts right before it and nothing in between, so parts still held when another event comes
   * are orphans and are dropped. `lost` counts events given up: a malformed part, or an event whose
   * parts are missing, forged or were dropped to stay within the budget (the event is then kept,
   * its payload saying its contents were not captured). Never throws.
   */
  take(raw: unknown): { event?: unknown; lost: number };
  /** Whether parts are held for an event still to come (the batch carrying them is not done). */
  holding(): boolean;
}

/** Bytes of parts held, shared by every joiner of a worker, and their bound. */
export interface PartBudget {
  maxBytes: number;
  held: number;
}

interface Held {
  pieces: unknown[];
  bytes: number;
}

/** A joiner for one port; what it holds counts against `budget` (a part past it gives up its event's contents). */
export function createPartJoiner(budget: PartBudget): PartJoiner {
  const held = new Map<number, Held>();
  const drop = (key: number) => {
    const h = held.get(key);
    if (!h) return;
    held.delete(key);
    budget.held -= h.bytes;
  };
  const dropAllBut = (keep: unknown) => {
    for (const key of [...held.keys()]) if (key !== keep) drop(key);
  };
  return {
    holding: () => held.size > 0,
    take(raw) {
      if (!isObj(raw)) {
        dropAllBut(undefined);
        return { event: raw, lost: 0 };
      }
      if (raw.type === 'part') {
        const { key, index } = raw;
        const piece = typeof raw.text === 'string' ? raw.text : raw.bytes instanceof ArrayBuffer ? raw.bytes : undefined;
        if (typeof key !== 'number' || typeof index !== 'number' || piece === undefined) return { lost: 1 };
        // Parts of an earlier key still held: their event never came.
        dropAllBut(key);
        const size = typeof piece === 'string' ? piece.length * 2 : piece.byteLength;
        let h = held.get(key);
        if (!h) held.set(key, (h = { pieces: [], bytes: 0 }));
        // Out of order (or the budget dropped its beginning): the event will find its parts incomplete.
        if (index !== h.pieces.length || budget.held + size > budget.maxBytes) {
          drop(key);
          return { lost: 0 };
        }
        h.pieces.push(piece);
        h.bytes += size;
        budget.held += size;
        return { lost: 0 };
      }
      const field = fieldOf(raw);
      const payload = field ? raw[field] : undefined;
      if (!isObj(payload) || !isObj(payload.parts)) {
        dropAllBut(undefined);
        return { event: raw, lost: 0 };
      }
      const { parts, ...rest } = payload;
      const h = typeof parts.key === 'number' ? held.get(parts.key) : undefined;
      dropAllBut(undefined);
      const whole = h && h.pieces.length === parts.count ? join(h.pieces, rest.encoding === 'buffer') : undefined;
      if (whole === undefined) {
        const { buffer: _b, ...kept } = rest;
        return { event: { ...raw, [field!]: { ...kept, encoding: 'none', data: '', truncated: true } }, lost: 1 };
      }
      return { event: { ...raw, [field!]: typeof whole === 'string' ? { ...rest, data: whole } : { ...rest, data: '', buffer: whole } }, lost: 0 };
    },
  };
}

/** The pieces as one string, or (`bytes`) one ArrayBuffer; undefined when they are not all of that kind. */
function join(pieces: unknown[], bytes: boolean): string | ArrayBuffer | undefined {
  if (!bytes) return pieces.every((p) => typeof p === 'string') ? (pieces as string[]).join('') : undefined;
  if (!pieces.every((p) => p instanceof ArrayBuffer)) return undefined;
  const total = (pieces as ArrayBuffer[]).reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces as ArrayBuffer[]) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out.buffer;
}

/** How long the worker waits for a Blob's bytes, ms. */
export const BLOB_READ_MS = 10_000;

/**
 * Bytes of Blobs the worker reads for one relay batch (background serveRelay): one body at the
 * largest body cap; the rest of a batch (only a forged one has more: see BLOB_CUT_BYTES) is
 * recorded as not captured.
 */
export const BLOB_BATCH_BYTES = LIMITS.payloadBuffer;
/**
 * The relay starts a new batch before the Blobs handed over in one (blobSize) add up past this
 * (a Blob bigger than this goes alone): the files of an upload sent together are all read, and
 * the worker adds a busy page's Blob bodies to its record store a few MiB at a time, so its wait
 * for the store's backlog (background BLOB_BACKLOG_CHARS) keeps what it holds near that.
 */
export const BLOB_CUT_BYTES = 8 * 1024 * 1024;

/**
 * Whether an event's payload is a Blob (`encoding: 'blob'`, `blob`): the page script hands over
 * the Blob a page sent or received (a handle to bytes the browser holds; cloning it copies none)
 * instead of reading it on the page's thread, and the worker reads it (readBlobPayload). Never
 * throws.
 */
export function hasBlobPayload(ev: unknown): boolean {
  return payloadOf(ev)?.encoding === 'blob';
}

/** Bytes of the Blob an event hands over (see hasBlobPayload); 0 for any other event. Never throws. */
export function blobSize(ev: unknown): number {
  const payload = payloadOf(ev);
  return payload?.encoding === 'blob' && payload.blob instanceof Blob ? payload.blob.size : 0;
}

/**
 * The event with its Blob payload (see hasBlobPayload) read into the buffer payload it stands
 * for (`encoding: 'buffer'`, at most `maxBytes` and LIMITS.payloadBuffer bytes; `truncated` too
 * when the Blob held more than was read); a Blob that cannot be read (gone, not a Blob, or no
 * `maxBytes` left for it) leaves the payload
 * empty and truncated (`encoding: 'none'`), as a lost part does, and so does one not read within
 * `timeoutMs` (a File on a stalled disk: the port's batches after it wait for it). Any other
 * event as it is (the same object). Runs in the worker, before the event is validated. Never
 * rejects.
 */
export async function readBlobPayload(ev: unknown, maxBytes = LIMITS.payloadBuffer, timeoutMs = BLOB_READ_MS): Promise<unknown> {
  if (!hasBlobPayload(ev)) return ev;
  const event = ev as Obj;
  const field = fieldOf(event)!;
  const { blob, ...rest } = event[field] as Obj;
  let read: Obj;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!(blob instanceof Blob)) throw new TypeError('not a Blob');
    if (maxBytes <= 0 && blob.size > 0) throw new RangeError('no budget left');
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('read timed out')), timeoutMs)));
    const buffer = await Promise.race([blob.slice(0, Math.min(maxBytes, LIMITS.payloadBuffer)).arrayBuffer(), timeout]);
    read = { ...rest, encoding: 'buffer', data: '', buffer, truncated: rest.truncated === true || buffer.byteLength < blob.size };
  } catch {
    read = { ...rest, encoding: 'none', data: '', truncated: true };
  } finally {
    clearTimeout(timer);
  }
  return { ...event, [field]: read };
}

/**
 * Bytes the buffer payload of an event readBlobPayload returned holds (0 when none: not read).
 * Whatever the event says its source is: the worker's read budget counts every byte it read.
 * Never throws.
 */
export function blobBytesRead(ev: unknown): number {
  const payload = payloadOf(ev);
  return payload?.encoding === 'buffer' && payload.buffer instanceof ArrayBuffer ? payload.buffer.byteLength : 0;
}
