import { base64ToBytes } from '../bytes';
import type { Entry, Message } from '../model';
import type { Payload } from '../protocol';
import { createSseParser, feedPieces } from './decoders';
import { capturedLength, payloadData } from './payload';
import { bool, num, obj, str } from './read';
import { epochMs, fromEpochSeconds, toEpochSeconds } from './times';
import type { DecodeError, HarEventSourceMessage, HarMessageExtras, HarWebSocketMessage } from './types';

const OPCODE_TEXT = 1;
const OPCODE_BINARY = 2;
const OPCODE_CLOSE = 8;

/** Facts about a message Chrome's shape cannot hold, only where they differ from the default. */
function extras(m: Message, encoding: 'text' | 'base64' | 'none', data: string, forSse: boolean): HarMessageExtras | undefined {
  const x: HarMessageExtras = {};
  if (m.data.size !== capturedLength(encoding, data)) x.size = m.data.size;
  if (m.data.truncated) x.truncated = true;
  if (m.data.mimeType !== undefined) x.mimeType = m.data.mimeType;
  if (m.data.source !== undefined) x.source = m.data.source;
  if (encoding === 'none' || (forSse && encoding === 'base64')) x.encoding = encoding;
  if (m.origin !== undefined) x.origin = m.origin;
  if (m.bufferedAmount !== undefined) x.bufferedAmount = m.bufferedAmount;
  if (m.dropped !== undefined) x.dropped = m.dropped;
  if (m.unlistened) x.unlistened = true;
  if (!forSse) {
    if (m.eventName !== undefined) x.eventName = m.eventName;
    if (m.eventId !== undefined) x.eventId = m.eventId;
  } else if (m.dir !== 'receive') {
    x.dir = m.dir;
  }
  return Object.keys(x).length ? x : undefined;
}

export function toWebSocketMessage(m: Message): HarWebSocketMessage {
  const { encoding, data } = payloadData(m.data);
  const out: HarWebSocketMessage = {
    type: m.dir,
    time: toEpochSeconds(m.t),
    opcode: encoding === 'base64' ? OPCODE_BINARY : OPCODE_TEXT,
    data,
  };
  const x = extras(m, encoding, data, false);
  if (x) out._netlens = x;
  return out;
}

/**
 * A WebSocket's messages as they went over the socket, then its close as opcode 8 with
 * "code reason" when known. Sends that never went out (the socket was not OPEN, or send threw)
 * are left out: Chrome's importer would show them as sent. They are in `unsentMessages`.
 */
export function webSocketMessages(entry: Entry): HarWebSocketMessage[] {
  const sent = entry.messages.filter((m) => !m.dropped);
  const out = sent.map(toWebSocketMessage);
  const close = entry.websocket?.close;
  if (close) {
    const t = entry.endTime ?? sent[sent.length - 1]?.t ?? entry.startTime;
    out.push({
      type: close.by === 'page' ? 'send' : 'receive',
      time: toEpochSeconds(t),
      opcode: OPCODE_CLOSE,
      data: close.reason ? `${close.code} ${close.reason}` : String(close.code),
    });
  }
  return out;
}

/** Sends the page made that never went out, in time order, in the same shape (`_netlens.dropped: true`). */
export function unsentMessages(entry: Entry): HarWebSocketMessage[] {
  return entry.messages.filter((m) => m.dropped).map(toWebSocketMessage);
}

export function toEventSourceMessage(m: Message): HarEventSourceMessage {
  const { encoding, data } = payloadData(m.data);
  const out: HarEventSourceMessage = {
    time: toEpochSeconds(m.t),
    eventName: m.eventName ?? 'message',
    eventId: m.eventId ?? '',
    data,
  };
  const x = extras(m, encoding, data, true);
  if (x) out._netlens = x;
  return out;
}

/**
 * Events of a text/event-stream body that arrived as raw chunks (a streamed fetch/XHR): each event
 * is stamped with the time of the chunk that completed it.
 */
export function eventsFromChunks(chunks: Message[]): { events: HarEventSourceMessage[]; errors: DecodeError[] } {
  const parser = createSseParser();
  const events: HarEventSourceMessage[] = [];
  const errors: DecodeError[] = [];
  for (const chunk of chunks) {
    if (chunk.dir !== 'receive') continue;
    const { encoding, data } = payloadData(chunk.data);
    let input: string | Uint8Array = data;
    if (encoding === 'base64') {
      const bytes = base64ToBytes(data);
      if (!bytes) {
        errors.push({ where: 'sse', message: 'a chunk is not valid base64' });
        continue;
      }
      input = bytes;
    }
    // In pieces: a large chunk fed at once returns all its records (comments too) at once.
    for (const piece of feedPieces(input)) {
      for (const r of parser.feed(piece)) {
        if (r.kind === 'event') {
          events.push({ time: toEpochSeconds(chunk.t), eventName: r.type, eventId: r.lastEventId, data: r.data, _netlens: { fromChunks: true } });
        } else if (r.kind === 'error') {
          errors.push({ where: 'sse', message: r.error });
        }
      }
    }
  }
  return { events, errors };
}

// ---- import ----

type Warn = (message: string) => void;

function payloadFrom(encoding: 'text' | 'base64' | 'none', data: string, x: HarMessageExtras | undefined): Payload {
  const p: Payload = { encoding, data, size: x?.size ?? capturedLength(encoding, data), truncated: x?.truncated ?? false };
  if (x?.mimeType !== undefined) p.mimeType = x.mimeType;
  if (x?.source !== undefined) p.source = x.source;
  return p;
}

function messageFacts(m: Message, x: HarMessageExtras | undefined): Message {
  if (x?.origin !== undefined) m.origin = x.origin;
  if (x?.bufferedAmount !== undefined) m.bufferedAmount = x.bufferedAmount;
  if (x?.dropped !== undefined) m.dropped = x.dropped;
  if (x?.unlistened === true) m.unlistened = true;
  return m;
}

/** A message's `_netlens`: each fact only when it has its documented type (a `"no"` is not `dropped`, a `"big"` no size). */
function readExtras(raw: unknown): HarMessageExtras | undefined {
  const x = obj(raw);
  if (!x) return undefined;
  const out: HarMessageExtras = {};
  const size = num(x.size);
  if (size !== undefined) out.size = size;
  const bufferedAmount = num(x.bufferedAmount);
  if (bufferedAmount !== undefined) out.bufferedAmount = bufferedAmount;
  for (const key of ['mimeType', 'source', 'origin', 'eventName', 'eventId'] as const) {
    const s = str(x[key]);
    if (s !== undefined) out[key] = s;
  }
  if (x.encoding === 'none' || x.encoding === 'base64') out.encoding = x.encoding;
  if (x.dir === 'send' || x.dir === 'receive') out.dir = x.dir;
  const dropped = bool(x.dropped);
  if (dropped !== undefined) out.dropped = dropped;
  if (x.truncated === true) out.truncated = true;
  if (x.unlistened === true) out.unlistened = true;
  if (x.fromChunks === true) out.fromChunks = true;
  return out;
}

/** `time` (epoch seconds) as epoch ms; undefined when it is no number or no time a Date can hold. */
function timeOf(raw: Record<string, unknown>): number | undefined {
  return typeof raw.time === 'number' ? epochMs(fromEpochSeconds(raw.time)) : undefined;
}

export interface ImportedWebSocket {
  messages: Message[];
  close?: { code: number; reason: string; wasClean: boolean; by: 'page' | 'server' | 'unknown'; t: number };
}

/** The code used when a close has none that can be read: 1005, "No Status Rcvd" (RFC 6455 §7.1.5, §7.4.1). */
export const NO_CLOSE_CODE = 1005;

/**
 * A WebSocket close code as `CloseEvent.code` holds it: an integer 0–65535 (RFC 6455 §5.5.1, a
 * 16-bit number; 1000–4999 are the meaningful ones, but the page's CloseEvent can carry any).
 * Undefined for anything else (a fraction, a negative, 70000, a 400-digit number read as Infinity).
 */
export function closeCode(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff ? v : undefined;
}

/**
 * A close frame's data as netlens and Chrome write it: `"code reason"`, `"code"`, or anything
 * else for a close without a code (read as 1005). A code out of 0–65535 is read as 1005 too, with
 * a warning; its reason is kept.
 */
function closeFrom(data: string, by: 'page' | 'server', t: number, warn: Warn): NonNullable<ImportedWebSocket['close']> {
  const m = /^(\d+)(?: ([\s\S]*))?$/.exec(data);
  let code = NO_CLOSE_CODE;
  if (m) {
    const read = closeCode(Number(m[1]));
    if (read !== undefined) code = read;
    else warn(`close code ${m[1].length > 20 ? `${m[1].slice(0, 20)}…` : m[1]} is not 0–65535, read as ${NO_CLOSE_CODE} (no code)`);
  }
  return { code, reason: m?.[2] ?? '', wasClean: true, by, t };
}

/**
 * A HAR's `_webSocketMessages` (or netlens's `unsentMessages` and `chunks`, in the same shape)
 * → messages, and the close. Text (opcode 1) and binary (2) frames are messages; other control
 * frames and malformed items are skipped, counted in one warning. The close (opcode 8) is the
 * first close frame: the one that began the closing handshake, its `type` saying who closed
 * (RFC 6455 §5.5.1, §7.1.2); the other side's answer after it is part of that close. Any further
 * close frame is left out with a warning: a socket closes once. With `closeFrames: false` (lists
 * netlens never writes a close into: `unsentMessages`, `chunks`) a close frame is skipped with
 * the malformed items.
 */
export function fromWebSocketMessages(list: unknown, warn: Warn, { closeFrames = true }: { closeFrames?: boolean } = {}): ImportedWebSocket {
  const out: ImportedWebSocket = { messages: [] };
  if (!Array.isArray(list)) return out;
  let skipped = 0;
  let answered = false;
  let moreCloses = 0;
  for (const raw of list) {
    if (!raw || typeof raw !== 'object') {
      skipped++;
      continue;
    }
    const r = raw as Record<string, unknown>;
    const t = timeOf(r);
    const data = typeof r.data === 'string' ? r.data : '';
    const dir = r.type === 'send' ? 'send' : 'receive';
    if (t === undefined || (r.type !== 'send' && r.type !== 'receive')) {
      skipped++;
      continue;
    }
    const opcode = typeof r.opcode === 'number' ? r.opcode : OPCODE_TEXT;
    if (opcode === OPCODE_CLOSE) {
      const by = dir === 'send' ? 'page' : 'server';
      if (!closeFrames) skipped++;
      else if (!out.close) out.close = closeFrom(data, by, t, warn);
      else if (!answered && by !== out.close.by) answered = true;
      else moreCloses++;
      continue;
    }
    if (opcode !== OPCODE_TEXT && opcode !== OPCODE_BINARY) {
      skipped++;
      continue;
    }
    const x = readExtras(r._netlens);
    const encoding = opcode === OPCODE_BINARY ? 'base64' : x?.encoding === 'none' ? 'none' : 'text';
    const m: Message = { t, dir, data: payloadFrom(encoding, data, x) };
    if (typeof x?.eventName === 'string') m.eventName = x.eventName;
    if (typeof x?.eventId === 'string') m.eventId = x.eventId;
    out.messages.push(messageFacts(m, x));
  }
  if (skipped) warn(`${skipped} WebSocket message(s) skipped (control frames or malformed)`);
  if (moreCloses) warn(`${moreCloses} close frame(s) after the close and its answer left out (a WebSocket closes once)`);
  return out;
}

export function fromEventSourceMessages(list: unknown, warn: Warn): Message[] {
  const out: Message[] = [];
  if (!Array.isArray(list)) return out;
  let skipped = 0;
  for (const raw of list) {
    const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : undefined;
    const t = r ? timeOf(r) : undefined;
    if (!r || t === undefined) {
      skipped++;
      continue;
    }
    const x = readExtras(r._netlens);
    if (x?.fromChunks) continue;
    const data = typeof r.data === 'string' ? r.data : '';
    const encoding = x?.encoding === 'base64' || x?.encoding === 'none' ? x.encoding : 'text';
    const m: Message = { t, dir: x?.dir === 'send' ? 'send' : 'receive', data: payloadFrom(encoding, data, x) };
    m.eventName = typeof r.eventName === 'string' ? r.eventName : 'message';
    if (typeof r.eventId === 'string' && r.eventId) m.eventId = r.eventId;
    out.push(messageFacts(m, x));
  }
  if (skipped) warn(`${skipped} EventSource message(s) skipped (malformed)`);
  return out;
}
