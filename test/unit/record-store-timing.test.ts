import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordStore } from '../../src/background/record-store';
import type { TabRecord } from '../../src/shared/protocol';

/**
 * When the worker's record store writes what was added (src/background/record-store.ts
 * PERSIST_DELAY_MS, PERSIST_IDLE_MS), on IndexedDB in Node (fake-indexeddb): the timers are
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

  it('waits 1 s while no one listens live, 50 ms while someone does; one who starts listening cuts the wait', async () => {
    const store = await openStore();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    store.add(1, [start('a')]);
    await vi.advanceTimersByTimeAsync(900);
    expect(await until(() => store.writtenSeq(1) > 0, 300)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await until(() => store.writtenSeq(1) === 1)).toBe(true);

    // A panel listens: 50 ms.
    const heard: number[] = [];
    const stop = store.onAdd((_tab, rows) => heard.push(rows.length));
    store.add(1, [start('b')]);
    await vi.advanceTimersByTimeAsync(50);
    expect(await until(() => store.writtenSeq(1) === 2)).toBe(true);
    expect(await until(() => heard.length === 1)).toBe(true);
    stop();

    // Added while no one listened, then a panel opens: written within 50 ms of that.
    store.add(1, [start('c')]);
    await vi.advanceTimersByTimeAsync(500);
    expect(await until(() => store.writtenSeq(1) > 2, 300)).toBe(false);
    store.onAdd(() => {});
    await vi.advanceTimersByTimeAsync(50);
    expect(await until(() => store.writtenSeq(1) === 3)).toBe(true);
  });
});
