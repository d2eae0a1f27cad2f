import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanelTab, pageDone, readRows, startEnv, until, type Env } from '../helpers/env';
import type { Page } from 'puppeteer-core';
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
  /** The entries an open panel shows (its store's, read in the panel). */
  const panelEntries = (panel: Page) => panel.evaluate(() => (window as unknown as { netlensPanel: { store: { allEntries(): Entry[] } } }).netlensPanel.store.allEntries()) as Promise<Entry[]>;
  type Holder = { releaseDb: boolean; lastOnDisk: number };
  /**
   * The database busy: another extension page holds a write transaction on the records, reading
   * in it, again and again, the tab's last seq on disk (`lastOnDisk`). What the worker adds
   * meanwhile is heard by panels, and its write waits. `release` ends it and closes the page.
   */
  const holdDatabase = async (tabId: number) => {
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
    return {
      lastOnDisk: () => holder.evaluate(() => (window as unknown as Holder).lastOnDisk),
      release: async () => {
        await holder.evaluate(() => ((window as unknown as Holder).releaseDb = true));
        await holder.close();
      },
    };
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
  it('big bodies, written at once past a million characters waiting, are acknowledged only once on disk: a stop before loses none of them, and none comes twice', async () => {
    const { page, tabId, panel } = await watchedPage();
    const bootBefore = await env.session.workerBoot();
    // 1.2 million characters of request bodies: the worker writes them at once (ACK_HELD_CHARS),
    // into a database held busy, so the write cannot be done when the worker is stopped; an
    // acknowledgement sent before it is would have the relay forget what the stop then loses.
    const held = await holdDatabase(tabId);
    const SIZE = 400_000;
    const post = (tag: string) => page.evaluate((n: number, t: string) => fetch(`/api/upload?big=${t}`, { method: 'POST', body: t[0].repeat(n) }).then((r) => r.json()), SIZE, tag);
    expect(await Promise.all(['a1', 'b2', 'c3'].map(post))).toEqual([0, 1, 2].map(() => ({ received: SIZE, contentType: 'text/plain;charset=UTF-8' })));
    // The worker has them all (its panels heard of them), not written.
    await until(async () => (await panelEntries(panel)).filter((e) => e.url.includes('big=')).length === 3);
    await env.session.stopWorker();
    await held.release();
    await until(async () => (await env.session.workerBoot()) !== bootBefore, 20_000);
    await post('d4');
    type Start = { url: string; body?: { data: string; size: number; truncated: boolean } };
    const starts = await until(async () => {
      const r = ((await env.session.records(tabId)).map((x) => x.ev).filter((ev) => ev.type === 'start') as unknown as Start[]).filter((ev) => ev.url.includes('big='));
      return r.length >= 4 && r;
    });
    // Each once, with its whole body.
    expect(starts.map((ev) => ev.url.split('big=')[1]).sort()).toEqual(['a1', 'b2', 'c3', 'd4']);
    for (const ev of starts) {
      const tag = ev.url.split('big=')[1];
      expect(ev.body).toMatchObject({ size: SIZE, truncated: false });
      expect(ev.body!.data).toBe(tag[0].repeat(SIZE));
    }
    await panel.close();
    await page.close();
  });
  it('tells an open panel that heard records the stopped worker never wrote to start over: it then shows what is stored, each request once', async () => {
    const { page, tabId, panel } = await watchedPage();
    const lastSeq = () => panel.evaluate(() => (window as unknown as { netlensPanel: { store: { lastSeq(): number } } }).netlensPanel.store.lastSeq());
    const bootBefore = await env.session.workerBoot();
    // The database busy: what comes next is added and heard, and its write waits.
    const held = await holdDatabase(tabId);
    await page.evaluate(() => fetch('/api/echo?heard=unwritten'));
    // The panel shows it, wire view joined, and none of it is on disk.
    // An entry as compared here: a call the page made has its kind, `wire` only when it was not.
    type Shown = { kind: string; method: string; url: string; status: string; wire: boolean };
    const facts = (e: Pick<Entry, 'kind' | 'method' | 'url' | 'response' | 'wire'>): Shown => ({ kind: e.kind, method: e.method, url: e.url, status: String(e.response?.status ?? e.wire?.statusCode ?? ''), wire: e.wire !== undefined });
    const shown = async () => (await panelEntries(panel)).map(facts);
    await until(async () => (await shown()).some((r) => r.url.includes('heard=unwritten') && r.status === '200' && r.wire));
    const heard = await lastSeq();
    expect(await held.lastOnDisk()).toBeLessThan(heard);

    await env.session.stopWorker();
    await held.release();
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
