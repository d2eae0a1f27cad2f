/**
 * The record store under a flood (`BENCH=store`): a page sends BENCH_STORE_MESSAGES WebSocket
 * messages (default 1,000,000; the local server echoes each, so twice as many are recorded) with
 * the panel open, at the default 64 MiB tab budget. Figures: how long the flood took to be
 * stored, the service worker's and the panel's JS heap after it (after a GC), IndexedDB's size,
 * what the budget dropped, and a fetch's round trip from another tab while the flood runs (is
 * the browser still responsive).
 *
 * The service worker's heap is read through the DevTools protocol (an attached debugger changes
 * how a stopped worker restarts; nothing restarts here). Heaps are also sampled during the flood
 * (the highest sample is printed; the panel's without a GC, which would stall it), and the other tab's fetch is timed before the
 * flood too, as the machine's baseline.
 */
import { launch } from '../src/cli/chromium';
import { startServers } from '../src/cli/server';
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import type { Figure } from './panel-store.bench';

const MESSAGES = Number(process.env.BENCH_STORE_MESSAGES ?? 1_000_000);
/** Messages sent per task by the page (then it yields to its event loop). */
const PER_TASK = 2_000;

async function heapMB(cdp: CDPSession, gc = true): Promise<number> {
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize / 1e6;
}

/** A CDP session on the extension's service worker (puppeteer is told to leave workers alone). */
async function workerSession(page: Page, extensionId: string): Promise<CDPSession> {
  const browserCdp = await page.browser().target().createCDPSession();
  const { targetInfos } = (await browserCdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!sw) throw new Error('no service worker target');
  const { sessionId } = (await browserCdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: true })) as { sessionId: string };
  const session = browserCdp.connection()?.session(sessionId);
  if (!session) throw new Error('no session on the service worker');
  await session.send('Runtime.enable');
  return session;
}

export async function runStoreBench(): Promise<Figure[]> {
  const root = resolve(import.meta.dirname, '..');
  const servers = await startServers([resolve(root, 'test/fixtures/pages')]);
  const session = await launch(resolve(root, 'dist'));
  try {
    const { page, tabId } = await session.openTab();
    await page.goto(`${servers.a}/compliance-blank.html`);
    const panel = await session.browser.newPage();
    await panel.goto(`chrome-extension://${session.extensionId}/src/devtools/panel.html?tabId=${tabId}`);
    await panel.waitForFunction('!!window.netlensPanel');
    const other = await session.browser.newPage();
    await other.goto(`${servers.a}/compliance-blank.html`);

    const probe = async () => (await other.evaluate(`(() => { const t = performance.now(); return fetch('/api/items?probe').then((r) => r.text()).then(() => performance.now() - t); })()`)) as number;
    const before: number[] = [];
    for (let i = 0; i < 10; i++) before.push(await probe());
    const sw = await workerSession(page, session.extensionId);
    const panelCdp = await panel.createCDPSession();
    let swPeak = 0;
    let panelPeak = 0;

    const t0 = Date.now();
    // A string: tsx would wrap the named inner functions in a helper the page does not have.
    // Started, not awaited (one protocol call may not outlast the flood): the page counts in `flood`.
    await page.evaluate(`window.flood = { got: 0, sent: 0, done: false }; (() => {
      const f = window.flood;
      const ws = new WebSocket(${JSON.stringify(`${servers.a.replace('http', 'ws')}/flood`)});
      ws.onmessage = () => {
        if (++f.got === ${MESSAGES}) {
          ws.close(1000);
          f.done = true;
        }
      };
      function pump() {
        for (let i = 0; i < ${PER_TASK} && f.sent < ${MESSAGES}; i++) ws.send('{"n":' + f.sent++ + ',"price":' + (f.sent % 997) / 7 + '}');
        if (f.sent < ${MESSAGES}) setTimeout(pump, 0);
      }
      ws.onopen = pump;
    })()`);
    // Responsiveness: fetch round trips from another tab while the flood runs.
    const trips: number[] = [];
    for (;;) {
      const f = (await page.evaluate('window.flood')) as { got: number; done: boolean };
      if (process.env.BENCH_VERBOSE) console.log(`  … ${f.got} echoed after ${Date.now() - t0} ms`);
      if (f.done) break;
      trips.push(await probe());
      // The worker's heap is small: a GC there costs little and leaves what it really holds.
      swPeak = Math.max(swPeak, await heapMB(sw));
      panelPeak = Math.max(panelPeak, await heapMB(panelCdp, false));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const sentAt = Date.now();
    // Stored: the worker has written the close of the socket (its last record).
    const held = async () =>
      ((await sw.send('Runtime.evaluate', { expression: `netlens.held(${tabId})`, returnByValue: true })) as { result: { value: { bytes: number; rows: number; health: { drops: Record<string, number>; stored: number; budget: number } } } }).result.value;
    // Everything the worker was given is written first (a slow commit is waited for, not taken for the end).
    const records = async () =>
      ((await sw.send('Runtime.evaluate', { expression: `netlens.flush().then(() => netlens.writtenSeq(${tabId}))`, awaitPromise: true, returnByValue: true })) as { result: { value: number } }).result.value;
    let last = -1;
    for (;;) {
      const now = await records();
      if (now === last) break;
      last = now;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const storedAt = Date.now();
    const state = await held();
    const swHeap = await heapMB(sw);
    const panelHeap = await heapMB(panelCdp);
    const idb = (await panel.evaluate('navigator.storage.estimate().then((e) => (e.usageDetails && e.usageDetails.indexedDB) || e.usage || 0)')) as number;
    const sorted = [...trips].sort((a, b) => a - b);
    const baseline = [...before].sort((a, b) => a - b);
    const d = state.health.drops;
    return [
      { name: `flood: ${MESSAGES.toLocaleString('en')} messages sent (and echoed), page run time`, value: sentAt - t0, unit: 'ms' },
      { name: 'flood: last record written after the page finished', value: storedAt - sentAt, unit: 'ms' },
      { name: 'flood: records written (seq of the last)', value: last, unit: '' },
      { name: 'flood: service worker JS heap after (GC)', value: swHeap, unit: 'MB' },
      { name: 'flood: service worker JS heap during, highest sample (GC)', value: swPeak, unit: 'MB' },
      { name: 'flood: panel JS heap after (GC)', value: panelHeap, unit: 'MB' },
      { name: 'flood: panel JS heap during, highest sample (no GC)', value: panelPeak, unit: 'MB' },
      { name: 'flood: IndexedDB size (extension origin)', value: idb / 1e6, unit: 'MB' },
      { name: `flood: tab holds (budget ${(state.health.budget / 2 ** 20).toFixed(0)} MiB)`, value: state.bytes / 2 ** 20, unit: 'MiB' },
      { name: 'flood: records held', value: state.rows, unit: '' },
      { name: 'flood: bodies dropped (budget)', value: d.bodies, unit: '' },
      { name: 'flood: messages dropped (budget)', value: d.messages, unit: '' },
      { name: 'flood: entries dropped (budget)', value: d.entries, unit: '' },
      { name: 'flood: bytes dropped (bodies + entries)', value: (d.bodyBytes + d.entryBytes) / 2 ** 20, unit: 'MiB' },
      { name: `fetch round trip from another tab before the flood, median of ${baseline.length}`, value: baseline[Math.floor(baseline.length / 2)], unit: 'ms' },
      { name: `flood: fetch round trip from another tab, median of ${trips.length}`, value: sorted[Math.floor(sorted.length / 2)] ?? 0, unit: 'ms' },
      { name: 'flood: fetch round trip from another tab, worst', value: sorted[sorted.length - 1] ?? 0, unit: 'ms' },
    ];
  } finally {
    await session.close();
    await servers.close();
  }
}
