/**
 * How live records travel from the background to a panel: each record without what the records
 * before it on the same port said already. Pure (no browser APIs): the background's side of a
 * panel port encodes (createLiveEncoder), the panel's side decodes (createLiveDecoder); the two
 * keep the same memory of what went before, so what the panel gets is the very records the
 * background had.
 *
 * Why: a busy page's fetch is about seven records (the page's start, response, body and end; the
 * wire's send, headers and completed), 3.4 KB as JSON, most of it said before: the tab, frame,
 * document and its URL on every record; the method, URL, type, frame and initiator of a wire
 * request on each of its phases; the same dozen request headers on every request of a page. Every
 * string and array of it is cloned in the worker (extension messages are structured clones:
 * manifest `message_serialization`), copied through the browser and made again in the panel,
 * where it is garbage to collect or, kept in the timeline, heap (bench/panel.bench.ts, live part).
 *
 * What is left out of a record (a StoredRun, already columns, goes as it is):
 * - `tabId`: the message's.
 * - `frameId`, `doc`, `frameUrl`, `frameOrigin`: when the same as the record before's of the same source (the
 *   page's, the wire's, deep capture's: the event's `type`, `wire` and `deep` apart; bits in `s`).
 * - a wire event's `method`, `url`, `resourceType`, `frameId`, `initiator`: when the same as its
 *   request's (by `requestId`) phase before (bits in `s`); a request is forgotten at its last phase
 *   (`completed`, `error`) and after WIRE_MEMORY requests.
 * - in a header list (`headers`, `requestHeaders`, `responseHeaders` of an event): a pair the same
 *   (name and value) as the pair at its index in the list before of that event type and field is
 *   sent as that index; the panel's list then holds the earlier list's pair itself (header pairs
 *   are never changed in place).
 *
 * Both sides start afresh with each snapshot (`reset`): a port's messages arrive in the order they
 * were posted, so the panel resets exactly where the background did. A message the decoder cannot
 * read against its memory (it never should) throws LiveDesync: the panel then reconnects and
 * resumes after its last record.
 */
import type { LiveRow, TabRecord } from './protocol';
import { isRun } from './stored-runs';

/** A record as the live link carries it: a TabRecord less what `s` says is the same as before. */
export interface PackedRecord {
  seq: number;
  ev: Record<string, unknown>;
  /** Which fields were left out as the same as before: ENVELOPE and WIRE_FIELDS bits. */
  s?: number;
  frameId?: number;
  doc?: string;
  frameUrl?: string;
  frameOrigin?: string;
}
export type PackedRow = PackedRecord | Exclude<LiveRow, TabRecord>;

/** The record's own place, compared with the record before's: bit 1 << index. */
const ENVELOPE = ['frameId', 'doc', 'frameUrl', 'frameOrigin'] as const;
const ENVELOPE_BIT = Object.fromEntries(ENVELOPE.map((f, i) => [f, 1 << i])) as Record<(typeof ENVELOPE)[number], number>;
/** A wire event's request, compared with its phase before: bit 1 << (ENVELOPE.length + index). */
const WIRE_FIELDS = ['method', 'url', 'resourceType', 'frameId', 'initiator'] as const;
const WIRE_SHIFT = ENVELOPE.length;
/** Header lists coded by index (see the module's comment). */
const HEADER_FIELDS = ['headers', 'requestHeaders', 'responseHeaders'] as const;
/** Wire requests remembered at most (each forgotten at its last phase; the oldest first past this). */
export const WIRE_MEMORY = 4_096;

/** A live message the decoder could not read against what it remembers. */
export class LiveDesync extends Error {
  override name = 'LiveDesync';
}

type Pair = [string, string];
const isPair = (p: unknown): p is Pair => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string';

/** Whose records share a place: the page script's, the wire view's, deep capture's. */
const source = (ev: Record<string, unknown>) => (ev.type === 'wire' || ev.type === 'deep' ? ev.type : 'page');

/**
 * What both sides remember, updated from the whole (decoded) records in the same order: the last
 * record of each source, the phase before of each wire request, the last header list of each
 * event type and field. Kept by reference, not copied: records are facts, changed by nobody once
 * made (the worker's are stored as they are; the panel's timeline reads events and header lists
 * and builds its entries beside them).
 */
function createMemory() {
  const places = new Map<string, TabRecord>();
  const requests = new Map<string, Record<string, unknown>>();
  /** By event type, then header field. */
  const lists = new Map<unknown, Record<string, readonly Pair[] | undefined>>();
  return {
    place: (ev: Record<string, unknown>) => places.get(source(ev)),
    request: (id: string) => requests.get(id),
    list: (type: unknown, field: string) => lists.get(type)?.[field],
    /** After a whole record: its place, its wire request (forgotten at its last phase), its header lists. */
    note(rec: TabRecord) {
      const ev = rec.ev as unknown as Record<string, unknown>;
      places.set(source(ev), rec);
      if (ev.type === 'wire' && typeof ev.requestId === 'string') {
        const id = ev.requestId;
        requests.delete(id);
        if (ev.phase !== 'completed' && ev.phase !== 'error') {
          requests.set(id, ev);
          if (requests.size > WIRE_MEMORY) requests.delete(requests.keys().next().value!);
        }
      }
      let byField: Record<string, readonly Pair[] | undefined> | undefined;
      for (let i = 0; i < HEADER_FIELDS.length; i++) {
        const f = HEADER_FIELDS[i];
        const list = ev[f];
        if (!Array.isArray(list)) continue;
        if (!byField) {
          byField = lists.get(ev.type);
          if (!byField) lists.set(ev.type, (byField = {}));
        }
        byField[f] = list as Pair[];
      }
    },
    reset() {
      places.clear();
      requests.clear();
      lists.clear();
    },
  };
}

/**
 * The background's side of one panel port: `encode(rows)` gives what to post for rows in seq
 * order (new objects; the rows are not changed), `encodeRecords` the same for a snapshot's
 * records (when the panel asked for them packed); `reset()` when a snapshot is posted.
 */
export function createLiveEncoder() {
  const memory = createMemory();
  const packRecord = (rec: TabRecord): PackedRecord => {
    const ev = rec.ev as unknown as Record<string, unknown>;
    const place = memory.place(ev);
    const out: PackedRecord = { seq: rec.seq, ev };
    let s = 0;
    for (let i = 0; i < ENVELOPE.length; i++) {
      const f = ENVELOPE[i];
      const v = rec[f];
      if (v === undefined) continue;
      if (place && v === place[f]) s |= 1 << i;
      else (out as unknown as Record<string, unknown>)[f] = v;
    }
    let packed: Record<string, unknown> | undefined;
    const request = ev.type === 'wire' && typeof ev.requestId === 'string' ? memory.request(ev.requestId) : undefined;
    let omit = 0;
    if (request) for (let i = 0; i < WIRE_FIELDS.length; i++) if (ev[WIRE_FIELDS[i]] !== undefined && ev[WIRE_FIELDS[i]] === request[WIRE_FIELDS[i]]) omit |= 1 << i;
    if (omit) {
      // A copy without them (a key the clone would carry, even with no value, is bytes again).
      packed = {};
      for (const k in ev) {
        const i = WIRE_FIELDS.indexOf(k as (typeof WIRE_FIELDS)[number]);
        if (i < 0 || !(omit & (1 << i))) packed[k] = ev[k];
      }
      s |= omit << WIRE_SHIFT;
    }
    for (let h = 0; h < HEADER_FIELDS.length; h++) {
      const f = HEADER_FIELDS[h];
      const list = ev[f];
      if (!Array.isArray(list) || !list.length) continue;
      const before = memory.list(ev.type, f);
      if (!before) continue;
      let coded: unknown[] | undefined;
      for (let i = 0; i < list.length; i++) {
        const p = list[i] as unknown;
        const b = before[i];
        if (b && isPair(p) && p[0] === b[0] && p[1] === b[1]) (coded ??= list.slice(0, i))[i] = i;
        else if (coded) coded[i] = p;
      }
      if (coded) (packed ??= { ...ev })[f] = coded;
    }
    if (packed) out.ev = packed;
    if (s) out.s = s;
    memory.note(rec);
    return out;
  };
  return {
    encode: (rows: readonly LiveRow[]): PackedRow[] => rows.map((row) => (isRun(row) ? row : packRecord(row))),
    encodeRecords: (records: readonly TabRecord[]): PackedRecord[] => records.map(packRecord),
    reset: () => memory.reset(),
  };
}

/**
 * The panel's side of one port: `decode(tabId, rows)` gives the records the background encoded,
 * in order, `decodeRecords` a packed snapshot's; `reset()` when a snapshot arrives. Throws
 * LiveDesync on a row it cannot read.
 */
export function createLiveDecoder() {
  const memory = createMemory();
  const unpackRecord = (tabId: number, row: PackedRecord): TabRecord => {
    const s = typeof row.s === 'number' ? row.s : 0;
    const ev = row.ev;
    if (!ev || typeof ev !== 'object') throw new LiveDesync(`record ${row.seq} has no event`);
    const place = memory.place(ev);
    const same = (f: (typeof ENVELOPE)[number]) => {
      if (!(s & ENVELOPE_BIT[f])) return row[f];
      const v = place?.[f];
      if (v === undefined) throw new LiveDesync(`no ${f} before record ${row.seq}`);
      return v;
    };
    // One shape for every record (absent fields undefined).
    const rec = { seq: row.seq, tabId, frameId: same('frameId') as number, doc: same('doc') as string | undefined, frameUrl: same('frameUrl') as string | undefined, frameOrigin: same('frameOrigin') as string | undefined, ev } as TabRecord;
    if (s >> WIRE_SHIFT) {
      const request = typeof ev.requestId === 'string' ? memory.request(ev.requestId) : undefined;
      if (!request) throw new LiveDesync(`record ${row.seq}: no request ${String(ev.requestId)} before`);
      for (let i = 0; i < WIRE_FIELDS.length; i++) if (s & (1 << (WIRE_SHIFT + i))) ev[WIRE_FIELDS[i]] = request[WIRE_FIELDS[i]];
    }
    for (let h = 0; h < HEADER_FIELDS.length; h++) {
      const f = HEADER_FIELDS[h];
      const list = ev[f];
      if (!Array.isArray(list)) continue;
      const before = memory.list(ev.type, f);
      // The parsed list is ours: its indexes become the earlier list's pairs in place.
      for (let i = 0; i < list.length; i++) {
        if (typeof list[i] !== 'number') continue;
        const b = before?.[list[i] as number];
        if (!b) throw new LiveDesync(`record ${row.seq}: no ${f} pair ${String(list[i])} before`);
        list[i] = b;
      }
    }
    memory.note(rec);
    return rec;
  };
  return {
    decode: (tabId: number, rows: readonly PackedRow[]): LiveRow[] => rows.map((row) => (isRun(row as LiveRow) ? (row as LiveRow) : unpackRecord(tabId, row as PackedRecord))),
    decodeRecords: (tabId: number, rows: readonly PackedRecord[]): TabRecord[] => rows.map((row) => unpackRecord(tabId, row)),
    reset: () => memory.reset(),
  };
}
