/**
 * The per-tab storage budget: what a stored record weighs, what an eviction may remove as one
 * piece, and in which order things go once a tab holds more than its budget. Pure (no browser
 * APIs): the background's record store (src/background/record-store.ts) reads the candidates
 * from IndexedDB page by page and applies what these functions decide.
 *
 * The order, once a tab is over budget, down to `evictionTarget(budget)`:
 *   1. bodies of the oldest records first (request and response bodies, messages' data, JSONP
 *      payloads of at least MIN_STRIPPED_BODY bytes): the record stays, its payload is kept as
 *      `data: ''`, `truncated: true`, with its true `size`;
 *   2. when no such body is left, the oldest entries: an exchange goes whole (every record of its
 *      id), a message of a WebSocket/EventSource/stream goes alone (or with the run of messages it
 *      is stored in, each counted), and the records of a channel itself (its start, open, close)
 *      go last, so its newer messages keep their entry.
 */
import { eventPayload, mapEventPayload } from './event-payloads';
import type { Payload, TabRecord } from './protocol';
import type { StoredRun } from './stored-runs';

/** Bytes a stored record costs beyond its strings (keys, numbers, structure), a rough figure. */
export const RECORD_OVERHEAD = 256;
/** Bodies smaller than this (bytes) are not worth stripping: they go with their entry. */
export const MIN_STRIPPED_BODY = 1024;

/** What a record weighs: `bytes` in all, `body` of it in its payload's data (both approximate, in characters stored). */
export interface RecordCost {
  bytes: number;
  body: number;
}

const headerChars = (list: unknown): number => {
  if (!Array.isArray(list)) return 0;
  let n = 0;
  for (const h of list) if (Array.isArray(h)) n += String(h[0] ?? '').length + String(h[1] ?? '').length + 8;
  return n;
};

/** The weight of a record as the store keeps it: overhead, URLs, headers and payload data. */
export function recordCost(r: Pick<TabRecord, 'ev' | 'frameUrl' | 'frameOrigin'>): RecordCost {
  const ev = r.ev as unknown as Record<string, unknown>;
  const data = eventPayload(r.ev)?.data;
  const body = typeof data === 'string' ? data.length : 0;
  const strings =
    (typeof ev.url === 'string' ? ev.url.length : 0) +
    (typeof r.frameUrl === 'string' ? r.frameUrl.length : 0) +
    (typeof r.frameOrigin === 'string' ? r.frameOrigin.length : 0) +
    headerChars(ev.headers) +
    headerChars(ev.requestHeaders) +
    headerChars(ev.responseHeaders);
  return { bytes: RECORD_OVERHEAD + strings + body, body };
}

/**
 * Bytes a message in a run (src/shared/stored-runs.ts) costs beyond its data: its slot in each
 * column (time, size, data's length), a rough figure.
 */
export const RUN_MESSAGE_OVERHEAD = 24;

/**
 * The weight of a run of messages as the store keeps it: one RECORD_OVERHEAD and the shared
 * strings once, then per message RUN_MESSAGE_OVERHEAD, its data and its event ID. `body` is 0:
 * a run's messages are all shorter than MIN_STRIPPED_BODY, so they go with the run, never alone.
 */
export function runCost(run: StoredRun): RecordCost {
  let bytes = RECORD_OVERHEAD + (run.frameUrl?.length ?? 0) + (run.frameOrigin?.length ?? 0) + run.id.length + (run.origin?.length ?? 0) + (run.eventName?.length ?? 0);
  for (let i = 0; i < run.t.length; i++) bytes += RUN_MESSAGE_OVERHEAD + run.data[i].length + (run.eventId?.[i]?.length ?? 0);
  return { bytes, body: 0 };
}

/**
 * The piece of the log a record is evicted with: `entry` is its entry's key (`<doc>:<id>` for
 * page events, `wire:<requestId>` / `deep:<requestId>` for wire and deep-capture events); `alone` says it goes by itself (a message,
 * a capture error) rather than with its entry.
 */
export function evictionUnit(r: Pick<TabRecord, 'ev' | 'doc'>): { entry: string; alone: boolean } {
  const ev = r.ev;
  if (ev.type === 'wire') return { entry: `wire:${ev.requestId}`, alone: false };
  if (ev.type === 'deep') return { entry: `deep:${ev.requestId}`, alone: false };
  const entry = `${r.doc ?? ''}:${ev.id}`;
  return { entry, alone: ev.type === 'message' || ev.type === 'capture-error' };
}

/**
 * An entry's records taken out of a pack (a stored row of a tab's records added one after
 * another, which may hold several entries' records: a request's page records, its wire records,
 * the next request's start) when step 2 drops that entry: how many, their bytes
 * (recordCost, as the pack counted them when they were added), how many of them are wire records,
 * and the records left, in order.
 */
export function takeEntry<R extends Pick<TabRecord, 'ev' | 'doc' | 'frameUrl'>>(recs: readonly R[], entry: string): { records: number; bytes: number; wire: number; rest: R[] } {
  const rest: R[] = [];
  let records = 0;
  let bytes = 0;
  let wire = 0;
  for (const r of recs) {
    const unit = evictionUnit(r);
    if (unit.alone || unit.entry !== entry) {
      rest.push(r);
      continue;
    }
    records++;
    bytes += recordCost(r).bytes;
    if (r.ev.type === 'wire') wire++;
  }
  return { records, bytes, wire, rest };
}

/** Whether a record starts a channel (its records go last in step 2). */
export function startsChannel(r: Pick<TabRecord, 'ev'>): boolean {
  return r.ev.type === 'start' && (r.ev.kind === 'websocket' || r.ev.kind === 'eventsource');
}

/** The record without its body's data (`truncated`, true `size` kept); the same record when it has no body to strip. */
export function withoutBody<R extends Pick<TabRecord, 'ev'>>(r: R): R {
  const ev = mapEventPayload(r.ev, (p: Payload) => (p.data === '' && p.truncated ? p : { ...p, data: '', truncated: true }));
  return ev === r.ev ? r : { ...r, ev };
}

/**
 * Where an eviction brings a tab that went over `budget` (bytes): an eighth below it, at most
 * 8 MiB below, so that it does not run again for every record that follows.
 */
export function evictionTarget(budget: number): number {
  return Math.max(0, budget - Math.min(Math.floor(budget / 8), 8 * 1024 * 1024));
}

/** A stored record as eviction sees it. */
export interface Candidate {
  seq: number;
  bytes: number;
  body: number;
}

/**
 * Step 1 over the next records, oldest first: the seqs whose bodies go, until `excess` bytes
 * are freed. `done`: the bytes were freed (else every body in `oldestFirst` was taken).
 */
export function planBodyDrops(excess: number, oldestFirst: readonly Candidate[]): { seqs: number[]; freed: number; done: boolean } {
  const { taken, freed, done } = takeOldest(excess, oldestFirst, (c) => c.body >= MIN_STRIPPED_BODY, (c) => c.body);
  return { seqs: taken.map((c) => c.seq), freed, done };
}

/** The items `accept` lets through, oldest first, until their `bytes` reach `excess`. `done`: they did. */
function takeOldest<T>(excess: number, oldestFirst: readonly T[], accept: (item: T) => boolean, bytes: (item: T) => number): { taken: T[]; freed: number; done: boolean } {
  const taken: T[] = [];
  let freed = 0;
  for (const item of oldestFirst) {
    if (freed >= excess) break;
    if (!accept(item)) continue;
    taken.push(item);
    freed += bytes(item);
  }
  return { taken, freed, done: freed >= excess };
}

/** A piece step 2 may drop: an entry's records (or one record), its bytes, and whether it is a channel. */
export interface Piece {
  key: string;
  bytes: number;
  records: number;
  channel: boolean;
}

/**
 * Step 2: which pieces go, oldest first, until `excess` bytes are freed. A walk first takes
 * everything but channels (`channels: false`), and only when the whole log gave too little, a
 * second walk takes channels (`channels: true`). `done`: the bytes were freed.
 */
export function planEntryDrops(excess: number, oldestFirst: readonly Piece[], channels: boolean): { keys: string[]; freed: number; done: boolean } {
  const { taken, freed, done } = takeOldest(excess, oldestFirst, (p) => p.channel === channels, (p) => p.bytes);
  return { keys: taken.map((p) => p.key), freed, done };
}

/** What a tab lost to its budget, by reason. */
export interface BudgetDrops {
  /** Bodies (or messages' data) stripped, and their bytes. */
  bodies: number;
  bodyBytes: number;
  /** Entries (exchanges and channels, with all their records) and single messages dropped; records in all, and their bytes. */
  entries: number;
  messages: number;
  records: number;
  entryBytes: number;
}

export const NO_DROPS: Readonly<BudgetDrops> = { bodies: 0, bodyBytes: 0, entries: 0, messages: 0, records: 0, entryBytes: 0 };

/** `a` and `b` added up. */
export function addDrops(a: BudgetDrops, b: Partial<BudgetDrops>): BudgetDrops {
  return {
    bodies: a.bodies + (b.bodies ?? 0),
    bodyBytes: a.bodyBytes + (b.bodyBytes ?? 0),
    entries: a.entries + (b.entries ?? 0),
    messages: a.messages + (b.messages ?? 0),
    records: a.records + (b.records ?? 0),
    entryBytes: a.entryBytes + (b.entryBytes ?? 0),
  };
}
