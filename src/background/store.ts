import type { TabRecord } from '../shared/protocol';

/**
 * Per-tab record store. In memory for speed, written through to a persistent area (the
 * extension's session storage) so a stopped service worker loses nothing: on wake-up the store
 * is loaded back before any port is served. Bounded per tab; what falls off is counted.
 */
export interface PersistArea {
  get(key: string): Promise<unknown>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface TabLog {
  records: TabRecord[];
  nextSeq: number;
  dropped: number;
  /** Last relay batch seen per document, to drop re-sent duplicates. */
  seenBatches: Record<string, number[]>;
}

export const MAX_RECORDS_PER_TAB = 50_000;
const PERSIST_DELAY_MS = 200;

export function createStore(area: PersistArea | undefined) {
  const tabs = new Map<number, TabLog>();
  const dirty = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<(tabId: number, records: TabRecord[]) => void>();

  const key = (tabId: number) => `tab:${tabId}`;

  async function load(): Promise<void> {
    if (!area) return;
    const index = ((await area.get('tabs')) as number[] | undefined) ?? [];
    for (const tabId of index) {
      const log = (await area.get(key(tabId))) as TabLog | undefined;
      if (log && Array.isArray(log.records)) tabs.set(tabId, log);
    }
  }

  function schedulePersist(tabId: number) {
    if (!area) return;
    dirty.add(tabId);
    if (timer) return;
    timer = setTimeout(() => void flush(), PERSIST_DELAY_MS);
  }

  async function flush(): Promise<void> {
    timer = undefined;
    if (!area) return;
    const items: Record<string, unknown> = { tabs: [...tabs.keys()] };
    for (const tabId of dirty) {
      const log = tabs.get(tabId);
      if (log) items[key(tabId)] = log;
    }
    dirty.clear();
    try {
      await area.set(items);
    } catch {
      // Quota: keep the newer half of the biggest tab and try once more.
      let biggest: TabLog | undefined;
      for (const log of tabs.values()) if (!biggest || log.records.length > biggest.records.length) biggest = log;
      if (biggest) {
        const cut = Math.ceil(biggest.records.length / 2);
        biggest.records.splice(0, cut);
        biggest.dropped += cut;
      }
      for (const [tabId, log] of tabs) items[key(tabId)] = log;
      await area.set(items).catch(() => {});
    }
  }

  function logOf(tabId: number): TabLog {
    let log = tabs.get(tabId);
    if (!log) tabs.set(tabId, (log = { records: [], nextSeq: 1, dropped: 0, seenBatches: {} }));
    return log;
  }

  return {
    load,
    flush,
    /** Adds records (seq assigned here) and tells the listeners. */
    add(tabId: number, records: Omit<TabRecord, 'seq'>[]): void {
      if (!records.length) return;
      const log = logOf(tabId);
      const added: TabRecord[] = [];
      for (const r of records) {
        const rec = { ...r, seq: log.nextSeq++ } as TabRecord;
        log.records.push(rec);
        added.push(rec);
      }
      if (log.records.length > MAX_RECORDS_PER_TAB) {
        const cut = log.records.length - MAX_RECORDS_PER_TAB;
        log.records.splice(0, cut);
        log.dropped += cut;
      }
      schedulePersist(tabId);
      for (const l of listeners) l(tabId, added);
    },
    /** True the first time a relay batch is seen; false for a re-send after a worker restart. */
    firstSight(tabId: number, doc: string, seq: number): boolean {
      const log = logOf(tabId);
      const seen = (log.seenBatches[doc] ??= []);
      if (seen.includes(seq)) return false;
      seen.push(seq);
      if (seen.length > 4_000) seen.splice(0, seen.length - 4_000);
      return true;
    },
    records(tabId: number, afterSeq = 0): TabRecord[] {
      const log = tabs.get(tabId);
      if (!log) return [];
      return afterSeq ? log.records.filter((r) => r.seq > afterSeq) : log.records.slice();
    },
    dropped: (tabId: number) => tabs.get(tabId)?.dropped ?? 0,
    tabIds: () => [...tabs.keys()],
    clear(tabId: number): void {
      const log = tabs.get(tabId);
      if (log) {
        log.dropped = 0;
        log.records = [];
      }
      schedulePersist(tabId);
    },
    remove(tabId: number): void {
      tabs.delete(tabId);
      if (area) void area.remove(key(tabId)).then(() => area.set({ tabs: [...tabs.keys()] }));
    },
    onAdd(listener: (tabId: number, records: TabRecord[]) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Store = ReturnType<typeof createStore>;
