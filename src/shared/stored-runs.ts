/**
 * How the record store keeps a stream of small messages: consecutive `message` records of one
 * channel (one WebSocket's sends and receives, one EventSource's events of one type) go in one
 * row, column by column, instead of one row (and one object of two levels) per message. A feed of
 * a million messages then costs the store a few thousand rows; an eviction drops a run whole and
 * counts every message in it. Pure (no browser APIs): src/background/record-store.ts lays rows
 * out with `packRuns` and reads them back with `unpackRun`, which gives the very records packed.
 *
 * Only plain text messages are packed (text payload, not truncated, `source: "text"`, data
 * shorter than MIN_STRIPPED_BODY, no `dropped`, no field a run has no column for): anything else
 * stays a record of its own, so nothing a record says is lost in a run.
 */
import type { MessageRun, TabRecord } from './protocol';
import { utf8Length } from './bytes';
import { MIN_STRIPPED_BODY, recordCost, runCost } from './store-budget';

/** Messages one run row holds at most. */
export const STORED_RUN_MAX = 1_000;

/**
 * A run as stored: what its messages share once, then one column per message field (message i
 * is `t[i]`, `data[i]`, `size[i]`, and `eventId[i]`, `bufferedAmount[i]` when those columns are
 * present; an entry is `null` where that message had none). Seqs are `first` … `first + t.length - 1`.
 */
export interface StoredRun {
  first: number;
  tabId: number;
  frameId: number;
  doc?: string;
  frameUrl?: string;
  frameOrigin?: string;
  /** The channel's entry id, direction (the first message's), SSE event type and origin (the same for every message). */
  id: string;
  dir: 'send' | 'receive';
  /**
   * A run of both directions (a WebSocket's echoes): message i is a send when `dirs[i]` is "s", a
   * receive when it is "r"; then `origin` is its receives' (its sends have none).
   */
  dirs?: string;
  eventName?: string;
  origin?: string;
  t: number[];
  data: string[];
  /** UTF-8 bytes of each message (the payload's `size`). */
  size: number[];
  eventId?: (string | null)[];
  bufferedAmount?: (number | null)[];
}

const RECORD_KEYS = new Set(['seq', 'tabId', 'frameId', 'doc', 'frameUrl', 'frameOrigin', 'ev']);
const MESSAGE_KEYS = new Set(['type', 'id', 't', 'dir', 'data', 'eventName', 'eventId', 'origin', 'bufferedAmount']);
const PAYLOAD_KEYS = new Set(['encoding', 'data', 'size', 'truncated', 'source']);
const onlyKeys = (o: object, allowed: Set<string>) => Object.keys(o).every((k) => allowed.has(k));

type Message = Extract<TabRecord['ev'], { type: 'message' }>;

/** The record's message, when it may go in a run (see the module's comment). */
function packable(r: TabRecord): Message | undefined {
  const ev = r.ev;
  if (ev.type !== 'message' || !onlyKeys(r, RECORD_KEYS) || !onlyKeys(ev, MESSAGE_KEYS)) return undefined;
  const p = ev.data;
  if (p.encoding !== 'text' || p.truncated || p.source !== 'text' || p.data.length >= MIN_STRIPPED_BODY || !onlyKeys(p, PAYLOAD_KEYS)) return undefined;
  return ev;
}

/** Whether `b` (next after `a`, by seq) is of the same place and channel as `a`. */
function sameChannel(a: TabRecord, am: Message, b: TabRecord, bm: Message): boolean {
  return b.seq === a.seq + 1 && a.tabId === b.tabId && a.frameId === b.frameId && a.doc === b.doc && a.frameUrl === b.frameUrl && a.frameOrigin === b.frameOrigin && am.id === bm.id && am.eventName === bm.eventName;
}

/** No message of that direction yet, or not one origin among them (see Origins). */
const NONE = Symbol('none');
const MANY = Symbol('many');
/** The origin the messages of a run being gathered share, per direction. */
type Origins = Record<'send' | 'receive', string | undefined | typeof NONE | typeof MANY>;
const withOrigin = (o: Origins, m: Message): Origins => {
  const had = o[m.dir];
  return { ...o, [m.dir]: had === NONE ? m.origin : had === m.origin ? had : MANY };
};
/**
 * Whether messages of these origins make one run: of one direction, one origin; of both, sends
 * without an origin and receives of one (what a run says: see StoredRun.dirs).
 */
const oneRun = (o: Origins): boolean => o.send !== MANY && o.receive !== MANY && (o.send === NONE || o.receive === NONE || o.send === undefined);

function toRun(records: readonly TabRecord[]): StoredRun {
  const r0 = records[0];
  const m0 = r0.ev as Message;
  const run: StoredRun = { first: r0.seq, tabId: r0.tabId, frameId: r0.frameId, id: m0.id, dir: m0.dir, t: [], data: [], size: [] };
  if (r0.doc !== undefined) run.doc = r0.doc;
  if (r0.frameUrl !== undefined) run.frameUrl = r0.frameUrl;
  if (r0.frameOrigin !== undefined) run.frameOrigin = r0.frameOrigin;
  if (m0.eventName !== undefined) run.eventName = m0.eventName;
  const messages = records.map((r) => r.ev as Message);
  const mixed = messages.some((m) => m.dir !== m0.dir);
  const origin = mixed ? messages.find((m) => m.dir === 'receive')!.origin : m0.origin;
  if (mixed) run.dirs = messages.map((m) => (m.dir === 'send' ? 's' : 'r')).join('');
  if (origin !== undefined) run.origin = origin;
  if (messages.some((m) => m.eventId !== undefined)) run.eventId = messages.map((m) => m.eventId ?? null);
  if (messages.some((m) => m.bufferedAmount !== undefined)) run.bufferedAmount = messages.map((m) => m.bufferedAmount ?? null);
  for (const m of messages) {
    run.t.push(m.t);
    run.data.push(m.data.data);
    run.size.push(m.data.size);
  }
  return run;
}

/**
 * `records` (in seq order) laid out as rows: runs of at least two consecutive packable messages
 * (at most STORED_RUN_MAX each) become one StoredRun, every other record stays as it is; in order.
 */
export function packRuns(records: readonly TabRecord[]): (TabRecord | StoredRun)[] {
  const out: (TabRecord | StoredRun)[] = [];
  const empty: Origins = { send: NONE, receive: NONE };
  let group: TabRecord[] = [];
  let last: Message | undefined;
  let origins = empty;
  const close = () => {
    if (group.length > 1) out.push(toRun(group));
    else out.push(...group);
    group = [];
    last = undefined;
    origins = empty;
  };
  for (const r of records) {
    const m = packable(r);
    if (!m) {
      close();
      out.push(r);
      continue;
    }
    if (last && (group.length >= STORED_RUN_MAX || !sameChannel(group[group.length - 1], last, r, m) || !oneRun(withOrigin(origins, m)))) close();
    group.push(r);
    last = m;
    origins = withOrigin(origins, m);
  }
  close();
  return out;
}

/** Whether a row's content is a run (rather than one record). */
export const isRun = (x: TabRecord | StoredRun): x is StoredRun => 'first' in x && Array.isArray((x as StoredRun).t);

/** Messages in a run. */
export const runLength = (run: StoredRun): number => run.t.length;

/** The seq of a run's last message. */
export const runLast = (run: StoredRun): number => run.first + run.t.length - 1;

/** The records a run stands for, those with seq in [from, to] (default all), in order: as they were packed. */
export function unpackRun(run: StoredRun, from = run.first, to = runLast(run)): TabRecord[] {
  const out: TabRecord[] = [];
  const start = Math.max(0, from - run.first);
  const end = Math.min(run.t.length - 1, to - run.first);
  for (let i = start; i <= end; i++) {
    const dir = run.dirs === undefined ? run.dir : run.dirs.charCodeAt(i) === 115 /* s */ ? 'send' : 'receive';
    const ev: Message = { type: 'message', id: run.id, t: run.t[i], dir, data: { encoding: 'text', data: run.data[i], size: run.size[i], truncated: false, source: 'text' } };
    if (run.eventName !== undefined) ev.eventName = run.eventName;
    const eventId = run.eventId?.[i];
    if (eventId != null) ev.eventId = eventId;
    if (run.origin !== undefined && (run.dirs === undefined || dir === 'receive')) ev.origin = run.origin;
    const buffered = run.bufferedAmount?.[i];
    if (buffered != null) ev.bufferedAmount = buffered;
    const rec: TabRecord = { seq: run.first + i, tabId: run.tabId, frameId: run.frameId, ev };
    if (run.doc !== undefined) rec.doc = run.doc;
    if (run.frameUrl !== undefined) rec.frameUrl = run.frameUrl;
    if (run.frameOrigin !== undefined) rec.frameOrigin = run.frameOrigin;
    out.push(rec);
  }
  return out;
}

/** A run before the store gave it seqs (RecordStore.add): a StoredRun without `first`. */
export type NewRun = Omit<StoredRun, 'first'>;

/** What the store takes: records and runs, both still without seqs. */
export type NewRow = Omit<TabRecord, 'seq'> | NewRun;

/** Whether a row the store takes is a run (a record has `ev`, a run has none). */
export const isNewRun = (x: NewRow): x is NewRun => !('ev' in x);

/** Where a page item's records come from (the relay port's tab and frame, the batch's document). */
export interface RecordPlace {
  tabId: number;
  frameId: number;
  doc?: string;
  frameUrl?: string;
  frameOrigin?: string;
}

/**
 * `list[from…to)` as an array built item by item. A list that came through a structured clone (a
 * page's run, to the worker) is "holey" in V8 whether or not it has holes, and so is its slice,
 * and V8 writes a holey array as a sparse one, index and value per item: a third more bytes and
 * time for every IndexedDB put and every message to a panel of the run, read back holey again.
 * An array pushed to is written densely.
 */
function packedSlice<T>(list: readonly T[], from: number, to: number): T[] {
  const out: T[] = [];
  for (let i = from; i < to; i++) out.push(list[i]);
  return out;
}

/**
 * A checked MessageRun (src/shared/page-events.ts checkMessageRun) as the store lays it out: what
 * `packRuns` makes of the records `expandPageEvent` gives for it (seqs aside: the store gives
 * them), without an object per message: the messages in a row shorter than MIN_STRIPPED_BODY go
 * in runs of at most STORED_RUN_MAX (columns sliced from the page's lists, each message's UTF-8
 * size counted; both directions in one run with `dirs`), a message alone or longer stays a
 * record. In order.
 */
export function messageRunRows(r: MessageRun, at: RecordPlace): NewRow[] {
  const out: NewRow[] = [];
  const n = r.t.length;
  const dirAt = (i: number): 'send' | 'receive' => (r.dirs === undefined ? r.dir : r.dirs.charCodeAt(i) === 115 /* s */ ? 'send' : 'receive');
  // As expandPageEvent says them: a mixed run's origin is its receives', its bufferedAmount its sends'.
  const originOf = (dir: 'send' | 'receive') => (r.dirs === undefined || dir === 'receive' ? r.origin : undefined);
  const bufferedOf = (dir: 'send' | 'receive') => r.bufferedAmount !== undefined && (r.dirs === undefined || dir === 'send');
  // Where every row comes from, without keys for what is not known.
  const where: RecordPlace = { tabId: at.tabId, frameId: at.frameId };
  if (at.doc !== undefined) where.doc = at.doc;
  if (at.frameUrl !== undefined) where.frameUrl = at.frameUrl;
  if (at.frameOrigin !== undefined) where.frameOrigin = at.frameOrigin;
  const record = (i: number): Omit<TabRecord, 'seq'> => {
    const dir = dirAt(i);
    const ev: Message = { type: 'message', id: r.id, t: r.t[i], dir, data: { encoding: 'text', data: r.data[i], size: utf8Length(r.data[i]), truncated: false, source: 'text' } };
    if (r.eventName !== undefined) ev.eventName = r.eventName;
    if (r.eventId) ev.eventId = r.eventId[i];
    const origin = originOf(dir);
    if (origin !== undefined) ev.origin = origin;
    if (bufferedOf(dir)) ev.bufferedAmount = r.bufferedAmount![i];
    return { ...where, ev };
  };
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && j - i < STORED_RUN_MAX && r.data[j].length < MIN_STRIPPED_BODY) j++;
    if (j - i < 2) {
      out.push(record(i));
      i++;
      continue;
    }
    const dir = dirAt(i);
    const dirs = r.dirs?.slice(i, j);
    const mixed = dirs !== undefined && dirs.includes('s') && dirs.includes('r');
    const data = packedSlice(r.data, i, j);
    const size: number[] = [];
    for (let k = 0; k < data.length; k++) size.push(utf8Length(data[k]));
    const run: NewRun = { ...where, id: r.id, dir, t: packedSlice(r.t, i, j), data, size };
    if (mixed) run.dirs = dirs;
    if (r.eventName !== undefined) run.eventName = r.eventName;
    const origin = originOf(mixed ? 'receive' : dir);
    if (origin !== undefined) run.origin = origin;
    if (r.eventId) run.eventId = packedSlice(r.eventId, i, j);
    if (mixed && r.bufferedAmount !== undefined) {
      // The sends' (a receive has none).
      const buffered: (number | null)[] = [];
      for (let k = i; k < j; k++) buffered.push(bufferedOf(dirAt(k)) ? r.bufferedAmount[k] : null);
      run.bufferedAmount = buffered;
    } else if (!mixed && bufferedOf(dir)) run.bufferedAmount = packedSlice(r.bufferedAmount!, i, j);
    out.push(run);
    i = j;
  }
  return out;
}

/**
 * A row's share of one message that carries at most `records` records and about `bytes` bytes
 * as the store counts them (store-budget recordCost, runCost): of the one or of the other,
 * whichever is more (a run counts each of its messages). Rows whose shares add up to 1 fill a
 * message (the worker's live messages to a panel: createBatcher with maxItems 1).
 */
export function rowShare(row: TabRecord | StoredRun, records: number, bytes: number): number {
  return isRun(row) ? Math.max(runLength(row) / records, runCost(row).bytes / bytes) : Math.max(1 / records, recordCost(row).bytes / bytes);
}
