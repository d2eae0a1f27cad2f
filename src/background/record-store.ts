import { eventPayload, mapEventPayload } from '../shared/event-payloads';
import type { Payload, StoreHealth, TabRecord } from '../shared/protocol';

/**
 * Per-tab record store. In memory for speed, written through to a persistent area (the
 * extension's session storage) so a stopped service worker loses nothing: on wake-up the store
 * is loaded back before any port is served. Records are append-only, so they are persisted in
 * fixed-size chunks and a flush rewrites only the chunks that changed (the open one, usually):
 * the cost of a flush does not grow with the log. Bounded per tab; what falls off is counted.
 */
export interface PersistArea {
  get(key: string): Promise<unknown>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

interface TabMeta {
  nextSeq: number;
  /** Records trimmed to stay within the cap or the storage area. */
  dropped: number;
  /** Page events rejected by the schema (malformed or forged); absent in stores written before. */
  rejected?: number;
  /** Chunk numbers in order; chunk k holds records k*CHUNK … k*CHUNK+CHUNK-1 of the tab. */
  firstChunk: number;
  chunkCount: number;
  /** Relay batches seen per document, to drop re-sent duplicates. */
  seenBatches: Record<string, number[]>;
}

interface TabLog extends TabMeta {
  chunks: TabRecord[][];
}

export const CHUNK = 500;
export const MAX_RECORDS_PER_TAB = 50_000;
const MAX_CHUNKS = MAX_RECORDS_PER_TAB / CHUNK;
const PERSIST_DELAY_MS = 100;
/** After a write failed for another reason than a full area. */
const RETRY_DELAY_MS = 1_000;
/** Once the area is full, payloads are written cut to this many characters (marked truncated). */
export const SLIM_PAYLOAD_CHARS = 4096;

function slimPayload(p: Payload): Payload {
  if (typeof p.data !== 'string' || p.data.length <= SLIM_PAYLOAD_CHARS) return p;
  const cut = p.encoding === 'base64' ? SLIM_PAYLOAD_CHARS - (SLIM_PAYLOAD_CHARS % 4) : SLIM_PAYLOAD_CHARS;
  return { ...p, data: p.data.slice(0, cut), truncated: true };
}

/** A record as written when space is short: the facts stay, big payloads are cut. */
export function slimRecord(r: TabRecord): TabRecord {
  const ev = mapEventPayload(r.ev, slimPayload);
  return ev === r.ev ? r : { ...r, ev };
}

/** Roughly what a tab's records weigh (payloads dominate). */
function tabBytes(log: TabLog): number {
  let n = 0;
  for (const chunk of log.chunks) for (const r of chunk) n += recordBytes(r);
  return n;
}

function recordBytes(r: TabRecord): number {
  const data = eventPayload(r.ev)?.data;
  return 300 + (typeof data === 'string' ? data.length : 0);
}

/** chrome.storage reports a full area as "QUOTA_BYTES quota exceeded" (and kin); other errors are not a full area. */
export function isQuotaError(error: unknown): boolean {
  return /quota/i.test(String((error as Error)?.message ?? error));
}

export function createRecordStore(area: PersistArea | undefined) {
  const tabs = new Map<number, TabLog>();
  /** tab → chunk numbers to write, and whether the meta changed. */
  const dirty = new Map<number, Set<number>>();
  const removedKeys = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Waiting for the next completed write (acks wait here: an ack means "safe on disk"). */
  let waiting: (() => void)[] = [];
  /** The area was full once: write slim records from now on. */
  let slim = false;
  /** Writes that failed for another reason than a full area; retried, never treated as full. */
  let writeFailures = 0;
  let lastWriteError: string | undefined;
  const listeners = new Set<(tabId: number, records: TabRecord[]) => void>();

  const metaKey = (tabId: number) => `tab:${tabId}`;
  const chunkKey = (tabId: number, k: number) => `tab:${tabId}:${k}`;

  async function load(): Promise<void> {
    if (!area) return;
    const index = ((await area.get('tabs')) as Record<string, number[]> | undefined)?.tabs ?? [];
    for (const tabId of index) {
      const meta = ((await area.get(metaKey(tabId))) as Record<string, TabMeta> | undefined)?.[metaKey(tabId)];
      if (!meta) continue;
      const keys = Array.from({ length: meta.chunkCount }, (_, i) => chunkKey(tabId, meta.firstChunk + i));
      const got = (await area.get(keys as never)) as Record<string, TabRecord[]>;
      const chunks = keys.map((k) => (Array.isArray(got?.[k]) ? got[k] : []));
      tabs.set(tabId, { ...meta, chunks });
    }
  }

  function markDirty(tabId: number, chunk?: number, delay = PERSIST_DELAY_MS) {
    let set = dirty.get(tabId);
    if (!set) dirty.set(tabId, (set = new Set()));
    if (chunk !== undefined) set.add(chunk);
    if (!area || timer) return;
    timer = setTimeout(() => void flush(), delay);
  }

  async function flush(): Promise<void> {
    timer = undefined;
    const done = waiting;
    waiting = [];
    try {
      await write();
    } finally {
      for (const resolve of done) resolve();
    }
  }

  async function write(): Promise<void> {
    if (!area) return;
    const removing = [...removedKeys];
    removedKeys.clear();
    const items = collect();
    try {
      if (removing.length) await area.remove(removing);
      await area.set(items);
      return;
    } catch (error) {
      if (!isQuotaError(error)) {
        // Not a full area (a closed or busy storage backend): keep every record, retry later.
        writeFailures++;
        lastWriteError = String((error as Error)?.message ?? error).slice(0, 300);
        for (const k of removing) removedKeys.add(k);
        for (const [tabId, log] of tabs) for (let i = 0; i < log.chunks.length; i++) markDirty(tabId, log.firstChunk + i, RETRY_DELAY_MS);
        return;
      }
      // The area is full (session storage holds about 10 MB).
    }
    if (!slim) {
      // First: keep every record, but write big payloads cut. Rewrite everything that way.
      slim = true;
      for (const [tabId, log] of tabs) for (let i = 0; i < log.chunks.length; i++) markDirty(tabId, log.firstChunk + i);
      clearTimeout(timer);
      timer = undefined;
      try {
        await area.set(collect());
        return;
      } catch {
        // Still too much: drop the oldest records below.
      }
    }
    // Trim the tab that holds the most bytes: the one that filled the area pays, not its neighbours.
    let biggest: [number, TabLog] | undefined;
    for (const entry of tabs) if (!biggest || tabBytes(entry[1]) > tabBytes(biggest[1])) biggest = entry;
    if (biggest) dropChunks(biggest[0], biggest[1], Math.max(1, Math.floor(biggest[1].chunks.length / 4)));
    // What failed to be written is written again by the next flush.
    for (const [tabId, log] of tabs) for (let i = 0; i < log.chunks.length; i++) markDirty(tabId, log.firstChunk + i);
  }

  /** What the dirty chunks and metas look like on disk. */
  function collect(): Record<string, unknown> {
    const items: Record<string, unknown> = { tabs: [...tabs.keys()] };
    for (const [tabId, chunks] of dirty) {
      const log = tabs.get(tabId);
      if (!log) continue;
      const { chunks: all, ...meta } = log;
      items[metaKey(tabId)] = meta;
      for (const k of chunks) {
        const at = k - log.firstChunk;
        if (at >= 0 && at < all.length) items[chunkKey(tabId, k)] = slim ? all[at].map(slimRecord) : all[at];
      }
    }
    dirty.clear();
    return items;
  }

  function dropChunks(tabId: number, log: TabLog, n: number) {
    for (let i = 0; i < n && log.chunks.length; i++) {
      const gone = log.chunks.shift()!;
      log.dropped += gone.length;
      removedKeys.add(chunkKey(tabId, log.firstChunk));
      log.firstChunk++;
      log.chunkCount--;
    }
    markDirty(tabId);
  }

  function logOf(tabId: number): TabLog {
    let log = tabs.get(tabId);
    if (!log) tabs.set(tabId, (log = { nextSeq: 1, dropped: 0, firstChunk: 0, chunkCount: 0, seenBatches: {}, chunks: [] }));
    return log;
  }

  function* all(log: TabLog) {
    for (const chunk of log.chunks) yield* chunk;
  }

  return {
    load,
    flush,
    /** Resolves once everything added so far is written (at once without a persistent area). */
    persisted(): Promise<void> {
      if (!area) return Promise.resolve();
      return new Promise((resolve) => {
        waiting.push(resolve);
        if (!timer) timer = setTimeout(() => void flush(), PERSIST_DELAY_MS);
      });
    },
    /** Adds records (seq assigned here) and tells the listeners. */
    add(tabId: number, records: Omit<TabRecord, 'seq'>[]): void {
      if (!records.length) return;
      const log = logOf(tabId);
      const added: TabRecord[] = [];
      for (const r of records) {
        let last = log.chunks[log.chunks.length - 1];
        if (!last || last.length >= CHUNK) {
          log.chunks.push((last = []));
          log.chunkCount++;
        }
        const rec = { ...r, seq: log.nextSeq++ } as TabRecord;
        last.push(rec);
        added.push(rec);
        markDirty(tabId, log.firstChunk + log.chunks.length - 1);
      }
      if (log.chunks.length > MAX_CHUNKS) dropChunks(tabId, log, log.chunks.length - MAX_CHUNKS);
      for (const l of listeners) l(tabId, added);
    },
    /** True the first time a relay batch is seen; false for a re-send after a worker restart. */
    firstSight(tabId: number, doc: string, seq: number): boolean {
      const log = logOf(tabId);
      if (!log.seenBatches[doc]) {
        const docs = Object.keys(log.seenBatches);
        if (docs.length >= 32) delete log.seenBatches[docs[0]];
      }
      const seen = (log.seenBatches[doc] ??= []);
      if (seen.includes(seq)) return false;
      seen.push(seq);
      if (seen.length > 256) seen.splice(0, seen.length - 256);
      markDirty(tabId);
      return true;
    },
    records(tabId: number, afterSeq = 0): TabRecord[] {
      const log = tabs.get(tabId);
      if (!log) return [];
      const out: TabRecord[] = [];
      for (const r of all(log)) if (r.seq > afterSeq) out.push(r);
      return out;
    },
    dropped: (tabId: number) => tabs.get(tabId)?.dropped ?? 0,
    /** Counts page events the schema rejected for this tab (they are never stored). */
    reject(tabId: number, count: number): void {
      if (count <= 0) return;
      const log = logOf(tabId);
      log.rejected = (log.rejected ?? 0) + count;
      markDirty(tabId);
    },
    /** What this tab lost and why, and the storage's state, for the panel's status bar. */
    health(tabId: number): StoreHealth {
      const log = tabs.get(tabId);
      const health: StoreHealth = { dropped: log?.dropped ?? 0, rejected: log?.rejected ?? 0, slim, writeFailures };
      if (lastWriteError !== undefined) health.lastWriteError = lastWriteError;
      return health;
    },
    tabIds: () => [...tabs.keys()],
    clear(tabId: number): void {
      const log = tabs.get(tabId);
      if (!log) return;
      dropChunks(tabId, log, log.chunks.length);
      log.dropped = 0;
      log.rejected = 0;
    },
    remove(tabId: number): void {
      const log = tabs.get(tabId);
      if (!log) return;
      for (let k = log.firstChunk; k < log.firstChunk + log.chunks.length; k++) removedKeys.add(chunkKey(tabId, k));
      removedKeys.add(metaKey(tabId));
      tabs.delete(tabId);
      dirty.delete(tabId);
      if (area && !timer) timer = setTimeout(() => void flush(), PERSIST_DELAY_MS);
    },
    onAdd(listener: (tabId: number, records: TabRecord[]) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type RecordStore = ReturnType<typeof createRecordStore>;
