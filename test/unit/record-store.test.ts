import { describe, expect, it } from 'vitest';
import { CHUNK, MAX_RECORDS_PER_TAB, SLIM_PAYLOAD_CHARS, createRecordStore, isQuotaError, type PersistArea } from '../../src/background/record-store';
import type { TabRecord } from '../../src/shared/protocol';

/** chrome.storage-like area in memory, counting what each set() writes; optional byte quota. */
function memoryArea(quota = Infinity) {
  const data = new Map<string, unknown>();
  const writes: string[][] = [];
  const area: PersistArea = {
    async get(keys) {
      const list = Array.isArray(keys) ? keys : [keys as string];
      return Object.fromEntries(list.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    async set(items) {
      const next = new Map(data);
      for (const [k, v] of Object.entries(items)) next.set(k, v);
      let bytes = 0;
      for (const [k, v] of next) bytes += k.length + JSON.stringify(v).length;
      if (bytes > quota) throw new Error('QUOTA_BYTES quota exceeded');
      writes.push(Object.keys(items));
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
  return { area, data, writes };
}

const rec = (i: number): Omit<TabRecord, 'seq'> => ({
  tabId: 7,
  frameId: 0,
  doc: 'd',
  ev: { type: 'step', id: `x-${i}`, t: i, step: 'progress' },
});

describe('session store', () => {
  it('gives back every record after a restart (a new store on the same area)', async () => {
    const { area } = memoryArea();
    const before = createRecordStore(area);
    await before.load();
    before.add(7, Array.from({ length: 1234 }, (_, i) => rec(i)));
    expect(before.firstSight(7, 'd', 1)).toBe(true);
    await before.flush();
    const after = createRecordStore(area);
    await after.load();
    expect(after.records(7)).toEqual(before.records(7));
    expect(after.records(7).map((r) => r.seq)).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    // A re-sent batch after the restart is recognised as a duplicate.
    expect(after.firstSight(7, 'd', 1)).toBe(false);
    after.add(7, [rec(9999)]);
    expect(after.records(7, 1234).map((r) => r.seq)).toEqual([1235]);
  });

  it('writes only the chunks that changed, so a flush does not grow with the log', async () => {
    const { area, writes } = memoryArea();
    const store = createRecordStore(area);
    store.add(7, Array.from({ length: CHUNK * 4 }, (_, i) => rec(i)));
    await store.flush();
    writes.length = 0;
    store.add(7, [rec(1)]);
    await store.flush();
    expect(writes).toEqual([['tabs', 'tab:7', 'tab:7:4']]);
  });

  it('resolves persisted() only after the records are written', async () => {
    const { area, data } = memoryArea();
    const store = createRecordStore(area);
    store.add(7, [rec(1)]);
    const written = store.persisted().then(() => data.has('tab:7:0'));
    expect(data.has('tab:7:0')).toBe(false);
    expect(await written).toBe(true);
  });

  it('keeps every record when the area is full, writing big payloads cut instead', async () => {
    const { area } = memoryArea(400_000);
    const store = createRecordStore(area);
    const big = (i: number): Omit<TabRecord, 'seq'> => ({
      tabId: 7,
      frameId: 0,
      doc: 'd',
      ev: { type: 'body', id: `f-${i}`, t: i, which: 'response', body: { encoding: 'text', data: 'x'.repeat(100_000), size: 100_000, truncated: false } },
    });
    store.add(7, Array.from({ length: 20 }, (_, i) => big(i)));
    await store.flush();
    const after = createRecordStore(area);
    await after.load();
    const records = after.records(7);
    expect(records).toHaveLength(20);
    const body = records[0].ev.type === 'body' ? records[0].ev.body : undefined;
    expect([body?.data.length, body?.size, body?.truncated]).toEqual([SLIM_PAYLOAD_CHARS, 100_000, true]);
    // In memory, while the worker lives, nothing was cut.
    const live = store.records(7)[0].ev;
    expect(live.type === 'body' && live.body.data.length).toBe(100_000);
  });

  it('when even slim writes do not fit, trims the tab that filled the area, not its neighbour', async () => {
    const { area } = memoryArea(600_000);
    const store = createRecordStore(area);
    store.add(2, Array.from({ length: 1000 }, (_, i) => ({ ...rec(i), tabId: 2 })));
    const heavy = (i: number): Omit<TabRecord, 'seq'> => ({
      tabId: 1,
      frameId: 0,
      doc: 'd',
      ev: { type: 'message', id: `m-${i}`, t: i, dir: 'receive', data: { encoding: 'text', data: 'z'.repeat(4096), size: 4096, truncated: false } },
    });
    store.add(1, Array.from({ length: 2000 }, (_, i) => heavy(i)));
    for (let i = 0; i < 6; i++) await store.flush();
    expect(store.records(2)).toHaveLength(1000);
    expect(store.dropped(2)).toBe(0);
    expect(store.dropped(1)).toBeGreaterThan(0);
  });

  it('is bounded per tab and counts what it dropped', async () => {
    const { area, data } = memoryArea();
    const store = createRecordStore(area);
    store.add(7, Array.from({ length: MAX_RECORDS_PER_TAB + CHUNK + 10 }, (_, i) => rec(i)));
    await store.flush();
    const records = store.records(7);
    expect(records.length).toBeLessThanOrEqual(MAX_RECORDS_PER_TAB);
    expect(store.dropped(7) + records.length).toBe(MAX_RECORDS_PER_TAB + CHUNK + 10);
    expect(data.has('tab:7:0')).toBe(false);
    store.remove(7);
    await store.flush();
    expect([...data.keys()].filter((k) => k.startsWith('tab:7'))).toEqual([]);
  });

  it('tells a failed write from a full area: nothing is cut or trimmed, the write is retried', async () => {
    const { area, data } = memoryArea();
    let failing = true;
    const flaky: PersistArea = {
      ...area,
      async set(items) {
        if (failing) throw new Error('IO error: backing store closed');
        return area.set(items);
      },
    };
    const store = createRecordStore(flaky);
    const big: Omit<TabRecord, 'seq'> = { tabId: 7, frameId: 0, doc: 'd', ev: { type: 'body', id: 'f-1', t: 1, which: 'response', body: { encoding: 'text', data: 'x'.repeat(10_000), size: 10_000, truncated: false } } };
    store.add(7, [big, rec(2)]);
    await store.flush();
    expect(store.health(7)).toEqual({ dropped: 0, rejected: 0, slim: false, writeFailures: 1, lastWriteError: 'IO error: backing store closed' });
    failing = false;
    await store.flush();
    const after = createRecordStore(area);
    await after.load();
    const first = after.records(7)[0].ev;
    expect(first.type === 'body' && first.body.data.length).toBe(10_000);
    expect(data.has('tab:7:0')).toBe(true);
    expect(isQuotaError(new Error('QUOTA_BYTES quota exceeded'))).toBe(true);
    expect(isQuotaError(new Error('IO error'))).toBe(false);
  });

  it('counts rejected page events per tab, keeps the count across a restart, and clears it', async () => {
    const { area } = memoryArea();
    const store = createRecordStore(area);
    store.reject(7, 3);
    store.reject(7, 0);
    store.reject(8, 1);
    await store.flush();
    const after = createRecordStore(area);
    await after.load();
    expect([after.health(7).rejected, after.health(8).rejected]).toEqual([3, 1]);
    after.clear(7);
    expect(after.health(7).rejected).toBe(0);
  });
});
