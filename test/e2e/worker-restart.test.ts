import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanelTab, pageDone, readRows, startEnv, until, type Env } from '../helpers/env';
import type { Entry } from '../../src/shared/model';
import { createTimeline } from '../../src/shared/timeline';

describe('the MV3 service worker being stopped', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });
  /** basic.html loaded and done, with a panel tab open on it showing its calls. */
  const watchedPage = async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const tabId = await env.session.tabIdOf(page);
    const panel = await openPanelTab(env, tabId);
    await until(async () => (await readRows(panel)).length >= 4);
    return { page, tabId, panel };
  };

  it('loses nothing: records from before the stop are kept and capture goes on after it', async () => {
    const { page, tabId, panel } = await watchedPage();
    const before = await until(async () => {
      const r = await env.session.records(tabId);
      return r.length >= 30 && r;
    });
    const bootBefore = await env.session.workerBoot();
    // A call whose records reach the worker just before it stops, before they are written.
    await page.evaluate(() => fetch('/api/echo?just-before=stop'));
    await until(async () => (await env.session.records(tabId)).some((r) => r.ev.type === 'end' && r.ev.id && r.doc && r.seq > before[before.length - 1].seq));

    await env.session.stopWorker();
    // Calls made while the worker is stopped or waking: the relay keeps them until acknowledged.
    await page.evaluate(() => Promise.all([fetch('/api/echo?during=stop'), fetch('/api/echo?during=stop2')]));

    const after = await until(async () => {
      const r = await env.session.records(tabId);
      return r.filter((x) => x.ev.type === 'end').length >= before.filter((x) => x.ev.type === 'end').length + 3 && r;
    });
    expect(await env.session.workerBoot()).not.toBe(bootBefore);
    // Everything from before the stop is still there, unchanged, and nothing came twice.
    expect(after.slice(0, before.length)).toEqual(before);
    const starts = after.filter((r) => r.ev.type === 'start').map((r) => (r.ev.type === 'start' ? r.ev.url : ''));
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts.filter((u) => u.includes('during=stop'))).toHaveLength(2);
    expect(starts.filter((u) => u.includes('just-before=stop'))).toHaveLength(1);
    // The open panel re-attached by itself and shows the new calls, each once. (A request the wire
    // saw before its page records came is shown on its own meanwhile, then joined: a state to wait
    // for, not a moment to read.)
    const rows = await until(async () => {
      const r = await readRows(panel);
      return r.filter((x) => x.url.includes('during=stop') && x.status === '200').length === 2 && r.length === 7 && r;
    });
    expect(rows.filter((x) => x.url.includes('during=stop')).map((x) => x.url.split('?')[1]).sort()).toEqual(['during=stop', 'during=stop2']);
    await panel.close();
    await page.close();
  });
  it('tells an open panel that heard records the stopped worker never wrote to start over: it then shows what is stored, each request once', async () => {
    const { page, tabId, panel } = await watchedPage();
    const lastSeq = () => panel.evaluate(() => (window as unknown as { netlensPanel: { store: { lastSeq(): number } } }).netlensPanel.store.lastSeq());
    const bootBefore = await env.session.workerBoot();
    // The database busy (another extension page holds a write transaction on the records): what
    // comes next is added and heard, and its write waits. The holder reads, again and again in its
    // transaction, the tab's last seq on disk.
    type Holder = { releaseDb: boolean; lastOnDisk: number };
    const holder = await env.session.browser.newPage();
    await holder.goto(`chrome-extension://${env.session.extensionId}/src/popup/popup.html`);
    await holder.evaluate(
      (tab: number) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('netlens-store');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const records = open.result.transaction(['records'], 'readwrite').objectStore('records');
            const w = window as unknown as Holder;
            w.releaseDb = false;
            const step = () => {
              if (w.releaseDb) return;
              const last = records.openCursor(IDBKeyRange.bound([tab, 0], [tab, Infinity]), 'prev');
              last.onsuccess = () => {
                w.lastOnDisk = last.result ? (last.result.key as number[])[1] : 0;
                resolve();
                step();
              };
            };
            step();
          };
        }),
      tabId,
    );
    await page.evaluate(() => fetch('/api/echo?heard=unwritten'));
    // The panel shows it, wire view joined, and none of it is on disk.
    // An entry as compared here: a call the page made has its kind, `wire` only when it was not.
    type Shown = { kind: string; method: string; url: string; status: string; wire: boolean };
    const facts = (e: Pick<Entry, 'kind' | 'method' | 'url' | 'response' | 'wire'>): Shown => ({ kind: e.kind, method: e.method, url: e.url, status: String(e.response?.status ?? e.wire?.statusCode ?? ''), wire: e.wire !== undefined });
    const shown = async () =>
      ((await panel.evaluate(() => (window as unknown as { netlensPanel: { store: { allEntries(): Entry[] } } }).netlensPanel.store.allEntries())) as Entry[]).map(facts);
    await until(async () => (await shown()).some((r) => r.url.includes('heard=unwritten') && r.status === '200' && r.wire));
    const heard = await lastSeq();
    expect(await holder.evaluate(() => (window as unknown as Holder).lastOnDisk)).toBeLessThan(heard);

    await env.session.stopWorker();
    await holder.evaluate(() => ((window as unknown as Holder).releaseDb = true));
    await holder.close();
    await until(async () => (await env.session.workerBoot()) !== bootBefore, 20_000);
    // The restarted worker gives the lost records' seqs to others (the page's re-sent records,
    // then these): a panel that resumed past them would miss this call.
    await page.evaluate(() => fetch('/api/echo?after=restart'));
    const rows = await until(async () => {
      const r = await shown();
      return r.some((x) => x.url.includes('after=restart') && x.kind === 'fetch' && x.status === '200' && x.wire) && r.some((x) => x.url.includes('heard=unwritten') && x.status === '200') && r;
    });
    // Each request once, as the store has it: the entries the stored records make, one for one.
    const stored = createTimeline();
    for (const r of await env.session.records(tabId)) stored.apply(r);
    const order = (list: Shown[]) => list.map((x) => JSON.stringify(x)).sort();
    expect(order(rows)).toEqual(order(stored.entries().map(facts)));
    expect(rows.filter((x) => x.url.includes('after=restart'))).toHaveLength(1);
    await panel.close();
    await page.close();
  });
});
