import { openDB, unwrap, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction } from 'idb';
import { eventPayload, mapEventPayload } from '../shared/event-payloads';
import type { LiveRow, StoreHealth, TabRecord } from '../shared/protocol';
import {
  MIN_STRIPPED_BODY,
  NO_DROPS,
  addDrops,
  evictionTarget,
  evictionUnit,
  planBodyDrops,
  planEntryDrops,
  recordCost,
  runCost,
  startsChannel,
  takeEntry,
  withoutBody,
  type BudgetDrops,
  type Piece,
} from '../shared/store-budget';
import { isNewRun, isRun, packRuns, runLast, runLength, unpackRun, type NewRow, type StoredRun } from '../shared/stored-runs';

/**
 * Per-tab record store in IndexedDB (through `idb`), so a stopped service worker loses nothing
 * and a tab may hold far more than extension session storage's 10 MB.
 *
 * Layout (database DB_NAME):
 *   - `records`, key [tab, seq]: one row per record, `rec` without its big body's data, or one
 *     row per run of small messages, `run` (src/shared/stored-runs.ts), or one row per `pack` of
 *     a tab's records added in a row (consecutive seqs when written, none with a body kept apart
 *     or going alone: an XHR's steps, response, body and end, its wire records, the next
 *     request's start, up to PACK_MAX), each keyed by its last seq; multiEntry index `entries`
 *     on `keys`, [tab, entry] for each entry its records go with (absent for rows that go alone:
 *     messages, runs, capture errors). Dropping an entry takes its records out of a pack and
 *     writes the pack again, under the same key (so a pack may hold fewer records than its key
 *     says, never records of another row's range).
 *   - `bodies`, key [tab, seq]: the data of a payload of at least MIN_STRIPPED_BODY characters,
 *     kept apart so that walking and serving rows never loads big bodies it does not need.
 *   - `tabs`, key tab: the tab's meta (next seq, bytes held, drops by reason, rejected events,
 *     relay batches seen, channel entries).
 *
 * Exactly once: records get their seq when added, then one readwrite transaction writes them
 * together with their tabs' meta (which holds the relay batches seen), so after a stop either
 * both are on disk or neither is, and a relay re-sends exactly what is not. Every write goes
 * through one queue, one transaction at a time.
 *
 * Listeners (panels, `netlens capture`) hear of records as they are added, before they are
 * written: so a row follows its request closely while the store writes once a second, whoever
 * listens (PERSIST_DELAY_MS). A worker stopped before its write leaves panels holding records it
 * no longer has, with seqs a restarted worker gives again (from its tab's next seq on disk): so
 * listeners are told what is on disk too (onWritten), and a panel that resumes past that with
 * another run of the worker is told to start over (background servePanel).
 *
 * Budget: a tab over its budget (bytes, see recordCost) is brought down to evictionTarget(budget)
 * in the order src/shared/store-budget.ts decides; what went is counted in the tab's meta.
 *
 * Versions: 1 kept one entry per row (`entry`, index `entry` on [tab, entry]; a pack was one
 * entry's records); 2 names a row's entries in `keys` (index `entries`). The upgrade gives each
 * row of version 1 its `keys` (upgradeRow); its records read as before.
 */
export const DB_NAME = 'netlens-store';
const DB_VERSION = 2;

type EntryKey = [tab: number, entry: string];

type Row = {
  tab: number;
  /** The seq of its record, or of its run's last message. */
  seq: number;
  /** recordCost (runCost): in all and of its body (0 once the body was dropped). */
  bytes: number;
  body: number;
  /** The entries its records go with (see evictionUnit), [tab, entry] each, once; absent for a row that goes alone. */
  keys?: EntryKey[];
  /** Its body's data lives in `bodies` (the payload here has `data: ''`). */
  apart?: true;
} & ({ rec: TabRecord; run?: undefined; pack?: undefined } | { run: StoredRun; rec?: undefined; pack?: undefined } | { pack: TabRecord[]; rec?: undefined; run?: undefined });

/** A row added and not written yet, with its apart data. */
interface Waiting {
  row: Row;
  data?: string;
}

/** Characters a waiting row counts towards FLUSH_CHARS: its apart body's, or its run's. */
const charsOf = (row: Row, data?: string) => data?.length ?? (row.run ? row.bytes : 0);
/** Records a row stands for. */
const countOf = (row: Row) => (row.run ? runLength(row.run) : row.pack ? row.pack.length : 1);
/** Of those, messages (a pack holds none: a message row goes alone). */
const messagesOf = (row: Row) => (row.run ? runLength(row.run) : row.pack ? 0 : row.rec.ev.type === 'message' ? 1 : 0);
/** The seq of the first record a row stands for. */
const firstSeqOf = (row: Row) => row.run?.first ?? row.pack?.[0].seq ?? row.seq;
/**
 * Each row written costs the worker an IndexedDB put and the browser a database write (per put,
 * not per byte), and on a busy machine that time is taken from the page's own thread too: a tab's
 * records added one after another go in one row (a pack), whichever entries they are of, not one
 * row each.
 */
const PACK_MAX = 256;

interface TabMeta {
  tab: number;
  nextSeq: number;
  /** Bytes and records held (a run counts each message), and how many of those records are wire records. */
  bytes: number;
  rows: number;
  wireRows?: number;
  /** Rows below this seq had their big bodies dropped already. */
  bodyFrom: number;
  drops: BudgetDrops;
  /** Page events rejected by the schema (malformed or forged). */
  rejected: number;
  /** Relay batches seen per document, to drop re-sent duplicates. */
  seenBatches: Record<string, number[]>;
  /** Entries that are channels (their own records go last); the most recent MAX_CHANNELS. */
  channels: string[];
}

interface Schema extends DBSchema {
  records: { key: [number, number]; value: Row; indexes: { entries: EntryKey } };
  bodies: { key: [number, number]; value: string };
  tabs: { key: number; value: TabMeta };
}

type Db = IDBPDatabase<Schema>;
type WriteTx = IDBPTransaction<Schema, ('records' | 'bodies' | 'tabs')[], 'readwrite'>;

/**
 * Added rows wait this long for company before one transaction writes them. Each transaction
 * costs the worker and the browser's database thread the same whatever it holds, and on a machine
 * of few cores that time is the page's too: 600 fetches took 129 ms of the worker's CPU at 50 ms,
 * 77 ms at 1 s (`BENCH_THREADS=1` of bench/capture.bench.ts). Listeners do not wait for it: they
 * hear of rows as they are added (onAdd). Page records are not lost meanwhile: the relay re-sends
 * what is not acknowledged, and a batch is acknowledged once written. Wire and deep-capture
 * records have no sender to re-send them: a worker stopped abruptly (the extension reloaded or
 * updated) loses those that waited, up to a second of them.
 */
const PERSIST_DELAY_MS = 1_000;
/** Written at once past this many waiting rows or characters. */
const FLUSH_ROWS = 2_000;
const FLUSH_CHARS = 16 * 1024 * 1024;
const RETRY_DELAY_MS = 1_000;
/**
 * Rows read per step of an eviction walk or a snapshot page: a run row holds up to
 * STORED_RUN_MAX messages, so a page of them is up to some 100,000 records.
 */
const WALK_PAGE = 128;
const MAX_CHANNELS = 4_096;
/** Pages of WALK_PAGE rows one eviction transaction reads at most. */
const EVICT_PAGES = 64;
const MAX_SEEN_DOCS = 32;
const MAX_SEEN_PER_DOC = 256;

const rangeOf = (tab: number, from = 0, to = Infinity) => IDBKeyRange.bound([tab, from], [tab, to]);

function newMeta(tab: number): TabMeta {
  return { tab, nextSeq: 1, bytes: 0, rows: 0, bodyFrom: 0, drops: { ...NO_DROPS }, rejected: 0, seenBatches: {}, channels: [] };
}

/** A run of messages as its row keeps it. */
function runRow(tab: number, run: StoredRun): Row {
  return { tab, seq: runLast(run), bytes: runCost(run).bytes, body: 0, run };
}

/** A row of version 1 (see DB_VERSION): one entry, or none. */
type RowV1 = Row & { entry?: string };

/** A row of version 1 as version 2 keeps it: its entry in `keys`; its records as they were. */
function upgradeRow(old: RowV1): Row {
  const { entry, ...row } = old;
  return (entry === undefined ? row : { ...row, keys: [[row.tab, entry]] }) as Row;
}

/** The entries a row's records go with. */
const entriesOf = (row: Row) => row.keys?.map((k) => k[1]) ?? [];

/**
 * What of a row goes with `entry` (none given: the whole row): its records, their bytes, how many
 * are wire records, and for a pack of several entries the records that stay (`rest`; empty or
 * absent: the row goes whole).
 */
function partOf(row: Row, entry?: string): { records: number; bytes: number; wire: number; rest?: TabRecord[] } {
  if (entry !== undefined && row.pack && entriesOf(row).some((e) => e !== entry)) return takeEntry(row.pack, entry);
  const recs = row.pack ?? (row.rec ? [row.rec] : []);
  return { records: countOf(row), bytes: row.bytes, wire: recs.reduce((n, r) => n + (r.ev.type === 'wire' ? 1 : 0), 0) };
}

/** A record as its row keeps it: a big body's data moves to `bodies`. `entry`: the one it goes with (none: alone). */
function toRow(tab: number, rec: TabRecord): { row: Row; data?: string; entry?: string } {
  const cost = recordCost(rec);
  const { entry, alone } = evictionUnit(rec);
  const row: Row = { tab, seq: rec.seq, bytes: cost.bytes, body: cost.body, rec };
  if (!alone) row.keys = [[tab, entry]];
  if (cost.body < MIN_STRIPPED_BODY) return { row, entry: alone ? undefined : entry };
  const data = eventPayload(rec.ev)!.data;
  row.rec = { ...rec, ev: mapEventPayload(rec.ev, (p) => ({ ...p, data: '' })) };
  row.apart = true;
  return { row, data, entry: alone ? undefined : entry };
}

/** The records of a row (with seq in [from, to]); `data`: its body read from `bodies` (undefined: none there, or dropped). */
function fromRow(row: Row, data: string | undefined, from = 0, to = Infinity): TabRecord[] {
  if (row.run) return unpackRun(row.run, from, to);
  if (row.pack) return row.pack.filter((r) => r.seq >= from && r.seq <= to);
  if (row.seq < from || row.seq > to) return [];
  if (!row.apart) return [row.rec];
  // A body dropped between the two reads reads as dropped.
  if (data === undefined) return [withoutBody(row.rec)];
  return [{ ...row.rec, ev: mapEventPayload(row.rec.ev, (p) => ({ ...p, data })) }];
}

export interface RecordStoreOptions {
  /** The per-tab budget in bytes now (read at every check). */
  budget(): number;
  /** Whether stored data from before must go (a new browser session); asked once, at load. */
  startClean?(): Promise<boolean>;
  /** Called once that data is gone. */
  cleaned?(): Promise<void>;
}

export function createRecordStore({ budget, startClean, cleaned }: RecordStoreOptions) {
  let db: Db | undefined;
  const metas = new Map<number, TabMeta>();
  /** Added, not yet written: rows with their apart data, in order. */
  let pending: Waiting[] = [];
  /** Per tab, its last row in `pending` (the one its next record may join); emptied when a write takes them. */
  let lastWaiting = new Map<number, Waiting>();
  let pendingChars = 0;
  /** Characters of the rows the write in flight took (see backlog). */
  let writingChars = 0;
  /** Resolved when what was added before them is written. */
  let waiters: (() => void)[] = [];
  /** Per tab, the last seq on disk (all below it are, or were evicted). */
  const written = new Map<number, number>();
  /** Bumped per clear of a tab: a snapshot or an eviction that started before stops. */
  const generations = new Map<number, number>();
  /** Per tab, the seqs below this were cleared: a write still in flight does not announce them. */
  const floors = new Map<number, number>();
  /** Tabs whose meta changed since the last write. */
  const dirty = new Set<number>();
  /** Tabs an eviction runs for (one at a time per tab), and those to check again once it ends. */
  const evicting = new Set<number>();
  const evictAgain = new Set<number>();
  let queue: Promise<void> = Promise.resolve();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let flushQueued = false;
  let writeFailures = 0;
  let lastWriteError: string | undefined;
  const addListeners = new Set<(tabId: number, rows: LiveRow[]) => void>();
  const changeListeners = new Set<(tabId: number, what: 'cleared' | 'health') => void>();
  const writtenListeners = new Set<(tabId: number, seq: number) => void>();

  async function load(): Promise<void> {
    db = await openDB<Schema>(DB_NAME, DB_VERSION, {
      async upgrade(d, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          d.createObjectStore('records', { keyPath: ['tab', 'seq'] });
          d.createObjectStore('bodies');
          d.createObjectStore('tabs', { keyPath: 'tab' });
        }
        const records = tx.objectStore('records');
        records.createIndex('entries', 'keys', { multiEntry: true });
        if (oldVersion < 1) return;
        // Version 1: each row's one entry goes to `keys` (see upgradeRow), in this transaction.
        (records as unknown as IDBPObjectStore<unknown, ['records'], 'records', 'versionchange'>).deleteIndex('entry');
        for (let cursor = await records.openCursor(); cursor; cursor = await cursor.continue()) {
          const old = cursor.value as RowV1;
          if (old.entry !== undefined) void cursor.update(upgradeRow(old));
        }
      },
    });
    if (await startClean?.()) {
      const tx = db.transaction(['records', 'bodies', 'tabs'], 'readwrite');
      await Promise.all([tx.objectStore('records').clear(), tx.objectStore('bodies').clear(), tx.objectStore('tabs').clear(), tx.done]);
      await cleaned?.();
    }
    for (const meta of await db.getAll('tabs')) {
      metas.set(meta.tab, meta);
      written.set(meta.tab, meta.nextSeq - 1);
    }
  }

  function metaOf(tab: number): TabMeta {
    let meta = metas.get(tab);
    if (!meta) metas.set(tab, (meta = newMeta(tab)));
    return meta;
  }

  /** Runs `work` in the write queue, in one transaction that first writes what is waiting. */
  function enqueue(work?: (tx: WriteTx, snapshots: Map<number, TabMeta>) => Promise<void>): Promise<void> {
    const run = queue.then(() => transact(work));
    queue = run.catch(() => {});
    return run;
  }

  async function transact(work?: (tx: WriteTx, snapshots: Map<number, TabMeta>) => Promise<void>): Promise<void> {
    if (!db) return;
    // Every row added so far goes in this transaction: a later add schedules the next one.
    flushQueued = false;
    const rows = pending;
    const done = waiters;
    pending = [];
    lastWaiting = new Map();
    writingChars = pendingChars;
    pendingChars = 0;
    waiters = [];
    // The metas as they are now, with exactly the rows taken above: what goes to disk together.
    const snapshots = new Map<number, TabMeta>();
    for (const tab of dirty) if (metas.has(tab)) snapshots.set(tab, structuredClone(metas.get(tab)!));
    const wasDirty = [...dirty];
    dirty.clear();
    try {
      const tx = db.transaction(['records', 'bodies', 'tabs'], 'readwrite');
      // The plain stores: idb's wrapper makes a promise, with its listeners, of every request,
      // and nothing here waits for one (a failed put aborts the transaction: tx.done rejects).
      // Per row, that was the worker's largest cost of its own while a page made requests (with
      // a panel open, 377 ms of 3.1 s sampled over 3,000 fetches).
      const recordsStore = unwrap(tx.objectStore('records'));
      const bodiesStore = unwrap(tx.objectStore('bodies'));
      for (const { row, data } of rows) {
        recordsStore.put(row);
        if (data !== undefined) bodiesStore.put(data, [row.tab, row.seq]);
      }
      if (work) await work(tx, snapshots);
      for (const meta of snapshots.values()) if (metas.has(meta.tab)) void tx.objectStore('tabs').put(meta);
      await tx.done;
    } catch (error) {
      writingChars = 0;
      // Not written (a closed or full database): keep every row, try again later.
      writeFailures++;
      lastWriteError = String((error as Error)?.message ?? error).slice(0, 300);
      pending = [...rows, ...pending];
      for (const { row, data } of rows) pendingChars += charsOf(row, data);
      waiters = [...done, ...waiters];
      for (const tab of wasDirty) dirty.add(tab);
      setTimeout(() => scheduleFlush(), RETRY_DELAY_MS);
      throw error;
    }
    writingChars = 0;
    // On disk: relays get their acks, and snapshots may read them.
    const tabs = new Set<number>();
    for (const { row } of rows) {
      if (!metas.has(row.tab) || row.seq < (floors.get(row.tab) ?? 0)) continue;
      tabs.add(row.tab);
      written.set(row.tab, row.seq);
    }
    for (const resolve of done) resolve();
    for (const tab of tabs) {
      for (const l of writtenListeners) l(tab, written.get(tab)!);
      startEviction(tab);
    }
  }

  /**
   * Lays out records with their seqs (see add): runs of small messages, packs of an entry's
   * records, the others one row each; what listeners hear of them (the records, and each run as
   * one) goes to `heard`.
   */
  function addRecords(tabId: number, meta: TabMeta, recs: TabRecord[], heard: LiveRow[]) {
    meta.rows += recs.length;
    for (const unit of packRuns(recs)) {
      heard.push(unit);
      if (isRun(unit)) {
        addRun(tabId, meta, unit);
        continue;
      }
      const { row, data, entry } = toRow(tabId, unit);
      meta.bytes += row.bytes;
      const last = lastWaiting.get(tabId);
      const prev = last?.row;
      // (A run and a record that goes alone have no keys: they stay rows of their own.)
      if (
        last &&
        prev?.keys &&
        entry !== undefined &&
        !prev.run &&
        !prev.apart &&
        !row.apart &&
        prev.seq === unit.seq - 1 &&
        // Not into a row from before a clear (one put back after a failed write): it goes.
        prev.seq >= (floors.get(tabId) ?? 0) &&
        (prev.pack?.length ?? 1) < PACK_MAX
      ) {
        // The tab's next record: into its row waiting before it. Its body is 0, as a run's: each
        // of its bodies is under MIN_STRIPPED_BODY, so they go with their entries.
        const pack = prev.pack ?? [prev.rec];
        pack.push(unit);
        const keys = prev.keys.some((k) => k[1] === entry) ? prev.keys : [...prev.keys, [tabId, entry] as EntryKey];
        last.row = { tab: tabId, seq: unit.seq, bytes: prev.bytes + row.bytes, body: 0, keys, pack };
      } else {
        const item: Waiting = { row, data };
        pending.push(item);
        lastWaiting.set(tabId, item);
        pendingChars += charsOf(row, data);
      }
      if (unit.ev.type === 'wire') meta.wireRows = (meta.wireRows ?? 0) + 1;
      if (startsChannel(unit) && entry !== undefined) {
        meta.channels.push(entry);
        if (meta.channels.length > MAX_CHANNELS) meta.channels.splice(0, meta.channels.length - MAX_CHANNELS);
      }
    }
  }

  /** A run (seqs given, counted in meta.rows) as the row waiting to be written. */
  function addRun(tabId: number, meta: TabMeta, run: StoredRun) {
    const row = runRow(tabId, run);
    const item: Waiting = { row };
    pending.push(item);
    lastWaiting.set(tabId, item);
    pendingChars += charsOf(row);
    meta.bytes += row.bytes;
  }

  /** Bytes of a tab's rows added and not taken by a transaction yet (see evict). */
  function addedSince(tab: number): number {
    let bytes = 0;
    for (const { row } of pending) if (row.tab === tab) bytes += row.bytes;
    return bytes;
  }

  /**
   * Starts bringing a tab down when it is over budget. One eviction runs per tab at a time: one
   * asked for meanwhile (more records written, a lower budget) checks again once it ends.
   */
  function startEviction(tab: number): Promise<void> {
    if (evicting.has(tab)) {
      evictAgain.add(tab);
      return Promise.resolve();
    }
    if (!overBudget(tab)) return Promise.resolve();
    evicting.add(tab);
    return evict(tab)
      .catch(() => {})
      .finally(() => {
        evicting.delete(tab);
        if (evictAgain.delete(tab)) void startEviction(tab);
      });
  }

  /**
   * Writes soon (or `now`). `flushQueued`: a write is in the queue and has not taken the waiting
   * rows yet; it takes every row added until it starts (transact clears the flag then).
   */
  function scheduleFlush(now = false) {
    if (flushQueued) return;
    if (now || !db) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      flushQueued = true;
      void enqueue().catch(() => {});
      return;
    }
    flushTimer ??= setTimeout(() => {
      flushTimer = undefined;
      scheduleFlush(true);
    }, PERSIST_DELAY_MS);
  }

  const overBudget = (tab: number) => (metas.get(tab)?.bytes ?? 0) > budget();

  /**
   * Brings a tab over budget down to its eviction target (see src/shared/store-budget.ts), at
   * most EVICT_PAGES pages of rows per transaction: a longer walk goes on in the next one, so
   * that writes of new records take turns with it. `resume`: such a next step.
   */
  function evict(tab: number, resume = false): Promise<void> {
    let unfinished = false;
    const step = enqueue(async (tx, snapshots) => {
      const live = metas.get(tab);
      if (!live || live.bytes <= (resume ? evictionTarget(budget()) : budget())) return;
      let pagesLeft = EVICT_PAGES;
      /** True when this step read its share: the walk goes on in another transaction. */
      const spent = () => {
        if (--pagesLeft >= 0) return false;
        unfinished = true;
        return true;
      };
      const generation = generations.get(tab) ?? 0;
      /** The tab was cleared or closed while this ran: what is left is not this eviction's. */
      const stale = () => (generations.get(tab) ?? 0) !== generation;
      const snap = snapshots.get(tab) ?? structuredClone(live);
      snapshots.set(tab, snap);
      /** Applied to the meta on disk and the one in memory alike. */
      const apply = (change: Partial<BudgetDrops>, bytes: number, rows: number, wire = 0) => {
        for (const m of [snap, live]) {
          m.wireRows = Math.max(0, (m.wireRows ?? 0) - wire);
          m.drops = addDrops(m.drops, change);
          m.bytes -= bytes;
          m.rows -= rows;
        }
      };
      const records = tx.objectStore('records');
      const bodies = tx.objectStore('bodies');
      const target = evictionTarget(budget());
      /**
       * The tab's bytes this walk can see: rows added while it runs (a busy page's next records,
       * its next big bodies) wait for the next transaction, so no step here can strip their
       * bodies; counted, they would have older entries evicted whole while bodies were left to
       * strip. The write that takes them checks the budget again (startEviction).
       */
      const visible = () => live.bytes - addedSince(tab);
      // 1. Bodies, oldest first.
      for (;;) {
        const excess = visible() - target;
        if (excess <= 0) break;
        if (spent()) break;
        const page = await records.getAll(rangeOf(tab, live.bodyFrom), WALK_PAGE);
        if (stale()) return;
        if (!page.length) break;
        const plan = planBodyDrops(excess, page);
        const chosen = new Set(plan.seqs);
        for (const row of page) {
          // (A run or a pack is never chosen: its body is 0.)
          if (!chosen.has(row.seq) || !row.rec) continue;
          void bodies.delete([tab, row.seq]);
          void records.put({ ...row, rec: withoutBody(row.rec), bytes: row.bytes - row.body, body: 0, apart: undefined });
          apply({ bodies: 1, bodyBytes: row.body }, row.body, 0);
        }
        const through = plan.done ? plan.seqs[plan.seqs.length - 1] : page[page.length - 1].seq;
        snap.bodyFrom = live.bodyFrom = through + 1;
        if (plan.done) break;
      }
      // 2. Entries, oldest first: everything but channels, then channels.
      for (const channels of [false, true]) {
        const seen = new Set<string>();
        let from = 0;
        while (visible() > target && !unfinished) {
          if (spent()) break;
          const page = await records.getAll(rangeOf(tab, from), WALK_PAGE);
          if (stale()) return;
          if (!page.length) break;
          from = page[page.length - 1].seq + 1;
          // This step's rows, one object per row however often it was read: an entry dropped
          // takes its records out of that object, the next entry's out of what is left.
          const rows = new Map<number, Row>();
          for (const row of page) rows.set(row.seq, row);
          const pieces: (Piece & { seqs: number[] })[] = [];
          for (const row of page) {
            const entries = entriesOf(row);
            if (!entries.length) {
              pieces.push({ key: `#${row.seq}`, bytes: row.bytes, records: countOf(row), channel: false, seqs: [row.seq] });
              continue;
            }
            for (const entry of entries) {
              if (seen.has(entry)) continue;
              seen.add(entry);
              // The entry's rows: those read already are not read again (a pack may be big).
              const keys = await records.index('entries').getAllKeys([tab, entry]);
              if (stale()) return;
              const piece = { key: entry, bytes: 0, records: 0, channel: live.channels.includes(entry), seqs: [] as number[] };
              for (const [, seq] of keys) {
                let r = rows.get(seq);
                if (!r) {
                  r = await records.get([tab, seq]);
                  if (stale()) return;
                  if (!r) continue;
                  rows.set(seq, r);
                }
                const part = partOf(r, entry);
                piece.bytes += part.bytes;
                piece.records += part.records;
                piece.seqs.push(seq);
              }
              pieces.push(piece);
            }
          }
          const plan = planEntryDrops(visible() - target, pieces, channels);
          const chosen = new Set(plan.keys);
          /** Rows an entry was taken out of (written again once this step's entries are out), and rows gone. */
          const changed = new Set<number>();
          const gone = new Set<number>();
          for (const p of pieces) {
            if (!chosen.has(p.key)) continue;
            const single = p.key.startsWith('#');
            let bytes = 0;
            let count = 0;
            let wire = 0;
            let messages = 0;
            for (const seq of p.seqs) {
              const r = rows.get(seq)!;
              const part = partOf(r, single ? undefined : p.key);
              bytes += part.bytes;
              count += part.records;
              wire += part.wire;
              if (single) messages += messagesOf(r);
              if (part.rest?.length) {
                r.pack = part.rest;
                r.bytes -= part.bytes;
                r.keys = r.keys!.filter((k) => k[1] !== p.key);
                changed.add(seq);
              } else gone.add(seq);
            }
            apply({ entries: single ? 0 : 1, messages, records: count, entryBytes: bytes }, bytes, count, wire);
          }
          for (const seq of gone) {
            void records.delete([tab, seq]);
            if (rows.get(seq)!.apart) void bodies.delete([tab, seq]);
          }
          for (const seq of changed) if (!gone.has(seq)) void records.put(rows.get(seq)!);
          if (plan.done) break;
        }
        if (visible() <= target || unfinished) break;
      }
      for (const l of changeListeners) l(tab, 'health');
    });
    return step.then(() => (unfinished ? evict(tab, true) : undefined));
  }

  return {
    load,
    /** Writes what is waiting now; resolves once it is on disk. */
    flush(): Promise<void> {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      return enqueue();
    },
    /**
     * Characters of the records added and not on disk yet (their payloads' data the most): what
     * the worker holds for the database to take. Its readers keep it bounded (background
     * serveRelay reads a Blob's bytes once this is under BLOB_BACKLOG_CHARS), never by dropping.
     */
    backlog: (): number => pendingChars + writingChars,
    /** Resolves once everything added so far is written (rejects never: it waits for a retry). */
    persisted(): Promise<void> {
      return new Promise((resolve) => {
        waiters.push(resolve);
        scheduleFlush();
      });
    },
    /**
     * Adds records and runs of messages (seqs assigned here, in order); listeners hear of them
     * now, and they are written after PERSIST_DELAY_MS (later while the database fails or is
     * busy). Runs of small messages among the records are stored as one row each
     * (src/shared/stored-runs.ts), as a run given is (a page's MessageRun laid out by
     * messageRunRows: no object per message on the way).
     */
    add(tabId: number, rows: readonly NewRow[]): void {
      if (!rows.length) return;
      const meta = metaOf(tabId);
      dirty.add(tabId);
      let records: TabRecord[] = [];
      const heard: LiveRow[] = [];
      for (const r of rows) {
        if (!isNewRun(r)) {
          records.push({ ...r, seq: meta.nextSeq++ } as TabRecord);
          continue;
        }
        if (records.length) addRecords(tabId, meta, records, heard);
        records = [];
        const run = { ...r, first: meta.nextSeq } as StoredRun;
        meta.nextSeq += runLength(run);
        meta.rows += runLength(run);
        addRun(tabId, meta, run);
        heard.push(run);
      }
      if (records.length) addRecords(tabId, meta, records, heard);
      scheduleFlush(pending.length >= FLUSH_ROWS || pendingChars >= FLUSH_CHARS);
      for (const l of addListeners) l(tabId, heard);
    },
    /** True the first time a relay batch is seen; false for a re-send (after a worker restart or a lost ack). */
    firstSight(tabId: number, doc: string, seq: number): boolean {
      const meta = metaOf(tabId);
      if (!meta.seenBatches[doc]) {
        const docs = Object.keys(meta.seenBatches);
        if (docs.length >= MAX_SEEN_DOCS) delete meta.seenBatches[docs[0]];
      }
      const seen = (meta.seenBatches[doc] ??= []);
      if (seen.includes(seq)) return false;
      seen.push(seq);
      dirty.add(tabId);
      if (seen.length > MAX_SEEN_PER_DOC) seen.splice(0, seen.length - MAX_SEEN_PER_DOC);
      return true;
    },
    /** Counts page events the schema rejected for this tab (they are never stored). */
    reject(tabId: number, count: number): void {
      if (count <= 0) return;
      metaOf(tabId).rejected += count;
      dirty.add(tabId);
    },
    /** The last seq of this tab that is on disk (what a snapshot may read up to). */
    writtenSeq: (tabId: number) => written.get(tabId) ?? 0,
    /**
     * Called once a transaction committed, per tab it wrote rows of, with the tab's last seq now
     * on disk. Seqs up to it are never given again, whatever runs of the worker come; a record
     * heard (onAdd) past it may be lost to a stop before its write, and its seq given again.
     */
    onWritten(listener: (tabId: number, seq: number) => void): () => void {
      writtenListeners.add(listener);
      return () => writtenListeners.delete(listener);
    },
    /**
     * The tab's records after `afterSeq` up to `upTo`, read from disk with their bodies, in pages
     * of at most `pageSize` records and about `pageChars` characters (a bigger body makes a page
     * of its own). Stops early when the tab is cleared or closed meanwhile.
     */
    async *pages(tabId: number, afterSeq = 0, upTo = Infinity, pageSize = 1_000, pageChars = 4 * 1024 * 1024): AsyncGenerator<TabRecord[]> {
      if (!db) return;
      const generation = generations.get(tabId) ?? 0;
      const stale = () => (generations.get(tabId) ?? 0) !== generation;
      let from = afterSeq + 1;
      let out: TabRecord[] = [];
      let chars = 0;
      // Rows are keyed by their last seq: the first row read is the one that holds `from`.
      while (from <= upTo) {
        const rows = await db.getAll('records', rangeOf(tabId, from), Math.min(pageSize, WALK_PAGE));
        if (stale()) return;
        for (const row of rows) {
          if (firstSeqOf(row) > upTo) break;
          const data = row.apart ? await db.get('bodies', [tabId, row.seq]) : undefined;
          if (stale()) return;
          const records = fromRow(row, data, from, upTo);
          const each = row.bytes / countOf(row);
          for (const r of records) {
            out.push(r);
            chars += each;
            if (chars >= pageChars || out.length >= pageSize) {
              yield out;
              out = [];
              chars = 0;
            }
          }
        }
        if (rows.length < Math.min(pageSize, WALK_PAGE) || rows[rows.length - 1].seq >= upTo) break;
        from = rows[rows.length - 1].seq + 1;
      }
      if (out.length) yield out;
    },
    /** Every record of a tab on disk (tests and the CLI). */
    async records(tabId: number, afterSeq = 0): Promise<TabRecord[]> {
      const out: TabRecord[] = [];
      for await (const page of this.pages(tabId, afterSeq)) out.push(...page);
      return out;
    },
    /** What this tab lost and why, and what it holds, for the panel's status bar. */
    health(tabId: number): StoreHealth {
      const meta = metas.get(tabId);
      const drops = meta?.drops ?? { ...NO_DROPS };
      const health: StoreHealth = { dropped: drops.records, rejected: meta?.rejected ?? 0, writeFailures, drops, stored: meta?.bytes ?? 0, budget: budget() };
      if (lastWriteError !== undefined) health.lastWriteError = lastWriteError;
      return health;
    },
    tabIds: () => [...metas.keys()],
    /** Bytes and rows a tab holds (its meta's figures). */
    held: (tabId: number) => ({ bytes: metas.get(tabId)?.bytes ?? 0, rows: metas.get(tabId)?.rows ?? 0, wireRows: metas.get(tabId)?.wireRows ?? 0 }),
    /** Brings every tab over the budget down (after the budget was lowered). */
    checkBudgets(): Promise<void> {
      return Promise.all([...metas.keys()].map(startEviction)).then(() => {});
    },
    /**
     * Forgets a tab's records (the panel's Clear, or a navigation without "preserve log"). Its
     * seqs go on from where they were; batches seen stay seen, so a re-send of a batch from
     * before the clear is not stored again.
     */
    clear(tabId: number): Promise<void> {
      const meta = metas.get(tabId);
      if (!meta) return Promise.resolve();
      generations.set(tabId, (generations.get(tabId) ?? 0) + 1);
      const before = meta.nextSeq;
      floors.set(tabId, before);
      dirty.add(tabId);
      pending = pending.filter((p) => p.row.tab !== tabId);
      lastWaiting.delete(tabId);
      Object.assign(meta, { bytes: 0, rows: 0, wireRows: 0, bodyFrom: before, drops: { ...NO_DROPS }, rejected: 0, channels: [] });
      for (const l of changeListeners) l(tabId, 'cleared');
      return enqueue(async (tx) => {
        void tx.objectStore('records').delete(rangeOf(tabId, 0, before - 1));
        void tx.objectStore('bodies').delete(rangeOf(tabId, 0, before - 1));
      });
    },
    /** Frees everything of a closed tab. */
    remove(tabId: number): Promise<void> {
      metas.delete(tabId);
      written.delete(tabId);
      dirty.delete(tabId);
      generations.set(tabId, (generations.get(tabId) ?? 0) + 1);
      pending = pending.filter((p) => p.row.tab !== tabId);
      lastWaiting.delete(tabId);
      return enqueue(async (tx) => {
        void tx.objectStore('records').delete(rangeOf(tabId));
        void tx.objectStore('bodies').delete(rangeOf(tabId));
        void tx.objectStore('tabs').delete(tabId);
      });
    },
    /**
     * Called with what was added, in seq order, as it is added (before it is written: see
     * onWritten): records, and runs of messages as the store keeps them (a run stands for its
     * messages: unpackRun; never changed once given), so a feed's messages reach a panel without
     * an object each.
     */
    onAdd(listener: (tabId: number, rows: LiveRow[]) => void): () => void {
      addListeners.add(listener);
      return () => addListeners.delete(listener);
    },
    /** Called when a tab was cleared, or its health changed by an eviction. */
    onChange(listener: (tabId: number, what: 'cleared' | 'health') => void): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };
}

export type RecordStore = ReturnType<typeof createRecordStore>;
