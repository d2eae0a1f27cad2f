import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordStore } from '../../src/background/record-store';
import type { TabRecord } from '../../src/shared/protocol';

/**
 * When the worker's record store writes what was added (src/background/record-store.ts
 * PERSIST_DELAY_MS) and when listeners hear of it, on IndexedDB in Node (fake-indexeddb): the timers are
 * faked, the database's own scheduling is not, and every check waits for a state.
 */
const start = (id: string): Omit<TabRecord, 'seq'> => ({ tabId: 1, frameId: 0, doc: 'd', frameUrl: 'http://a.test/', ev: { type: 'start', id, t: 1, kind: 'fetch', method: 'GET', url: `http://a.test/${id}`, headers: [] } });

async function openStore() {
  // A database per test: fake-indexeddb's is global to the process.
  indexedDB.deleteDatabase('netlens-store');
  const store = createRecordStore({ budget: () => 64 * 1024 * 1024 });
  await store.load();
  return store;
}

/** Lets the database's callbacks and promise jobs run (real time, fake timers untouched). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Whether `check` holds within `turns` turns of the event loop (a write takes a few dozen here). */
async function until(check: () => boolean, turns = 1000) {
  for (let i = 0; i < turns && !check(); i++) await settle();
  return check();
}

describe('record store: when added rows are written', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes what was added 1 s later, whoever listens; listeners hear of it at once, in seq order', async () => {
    const store = await openStore();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const heard: number[][] = [];
    const stop = store.onAdd((_tab, rows) => heard.push(rows.map((r) => ('seq' in r ? r.seq : -1))));
    store.add(1, [start('a'), start('b')]);
    // Heard before a timer ran or anything was written.
    expect(heard).toEqual([[1, 2]]);
    expect(store.writtenSeq(1)).toBe(0);
    await vi.advanceTimersByTimeAsync(900);
    expect(await until(() => store.writtenSeq(1) > 0, 300)).toBe(false);
    store.add(1, [start('c')]);
    expect(heard).toEqual([[1, 2], [3]]);
    await vi.advanceTimersByTimeAsync(100);
    expect(await until(() => store.writtenSeq(1) === 3)).toBe(true);
    stop();

    // No one listens: the same delay.
    store.add(1, [start('d')]);
    await vi.advanceTimersByTimeAsync(900);
    expect(await until(() => store.writtenSeq(1) > 3, 300)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await until(() => store.writtenSeq(1) === 4)).toBe(true);
    expect(heard).toHaveLength(2);
  });

  it("tells its listeners each tab's last seq on disk after each write; a later run gives only seqs past it", async () => {
    // Tab 5, on the database the test before left (deleting it would wait for that store to close).
    const store = createRecordStore({ budget: () => 64 * 1024 * 1024 });
    await store.load();
    const tab = (rec: Omit<TabRecord, 'seq'>) => ({ ...rec, tabId: 5 });
    const written: [number, number][] = [];
    store.onWritten((t, seq) => written.push([t, seq]));
    store.add(5, [tab(start('a')), tab(start('b'))]);
    expect(written).toEqual([]);
    await store.flush();
    expect(written).toEqual([[5, 2]]);
    // Added, heard, never written: the run that added it stops here.
    const heard: number[] = [];
    store.onAdd((_tab, rows) => heard.push(...rows.map((r) => ('seq' in r ? r.seq : -1))));
    store.add(5, [tab(start('c'))]);
    expect(heard).toEqual([3]);
    const again = createRecordStore({ budget: () => 64 * 1024 * 1024 });
    await again.load();
    // The next run gives seq 3 to another record: past 2, what the first run said was on disk.
    again.onAdd((_tab, rows) => heard.push(...rows.map((r) => ('seq' in r ? r.seq : -1))));
    again.add(5, [tab(start('x'))]);
    expect(heard).toEqual([3, 3]);
  });
});
