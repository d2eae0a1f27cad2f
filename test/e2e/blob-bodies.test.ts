/**
 * Blob bodies (the page script hands over the Blob, the worker reads it: payload-parts
 * readBlobPayload, background serveRelay) against a busy or hostile page: bounded reads, the
 * page's order, a worker stopped meanwhile, a File gone from disk.
 *
 * The worker is watched through CDP (attached for the test only): Blob.prototype.arrayBuffer in
 * its realm is wrapped to count the bytes being read at once.
 */
import type { CDPSession } from 'puppeteer-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PANEL_PORT, PROTOCOL_VERSION, type TabRecord } from '../../src/shared/protocol';
import { SETTINGS_KEY } from '../../src/shared/settings';
import { pageDone, scaled, startEnv, until, type Env } from '../helpers/env';

const MiB = 1024 * 1024;
const idOf = (r: TabRecord) => (r.ev as { id?: string }).id;

/** Evaluates `expression` in the extension's service worker (a CDP session of its own). */
async function inWorker(env: Env): Promise<{ run<T>(expression: string): Promise<T>; heap(): Promise<number>; close(): Promise<void> }> {
  const browserSession: CDPSession = await env.session.browser.target().createCDPSession();
  const { targetInfos } = await browserSession.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${env.session.extensionId}/`));
  if (!sw) throw new Error('no service worker');
  const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
  let id = 0;
  const waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  browserSession.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m);
  });
  const call = <R>(method: string, params: object) => {
    const mine = ++id;
    return new Promise<R>((resolve, reject) => {
      waiting.set(mine, (m) => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result as R)));
      void browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method, params }) });
    });
  };
  return {
    async run<T>(expression: string) {
      return (await call<{ result: { value?: unknown } }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result.value as T;
    },
    /** The worker's V8 heap in use, bytes (ArrayBuffers' backing stores not counted). */
    async heap() {
      return (await call<{ usedSize: number }>('Runtime.getHeapUsage', {})).usedSize;
    },
    async close() {
      await browserSession.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      await browserSession.detach().catch(() => {});
    },
  };
}

const WATCH_READS = `(() => {
  if (globalThis.__blobReads) return 'again';
  const r = (globalThis.__blobReads = { reads: 0, inflight: 0, bytes: 0, maxBytes: 0, maxInflight: 0 });
  const read = Blob.prototype.arrayBuffer;
  Blob.prototype.arrayBuffer = function () {
    const size = this.size;
    r.reads++;
    r.inflight++;
    r.bytes += size;
    r.maxInflight = Math.max(r.maxInflight, r.inflight);
    r.maxBytes = Math.max(r.maxBytes, r.bytes);
    const done = () => { r.inflight--; r.bytes -= size; };
    const p = read.call(this);
    p.then(done, done);
    return p;
  };
  return 'watching';
})()`;

describe('Blob bodies read by the worker, against a busy or hostile page', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('reads one Blob at a time and at most a budget per batch, however many Blobs a page sends in one task (the relay cuts the batch; past a budget, said not captured)', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const worker = await inWorker(env);
    try {
      expect(await worker.run<string>(WATCH_READS)).toBe('watching');
      // 400 beacons of one 1 MiB Blob: each over the beacon quota (refused at once, nothing
      // sent), none read by the page; their body events leave the page together.
      const N = 400;
      const heapBefore = await worker.heap();
      let heapMax = heapBefore;
      let polling = true;
      const poll = (async () => {
        while (polling) {
          heapMax = Math.max(heapMax, await worker.heap());
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await page.evaluate((n: number) => {
        const blob = new Blob([new Uint8Array(1024 * 1024).fill(65)]);
        for (let i = 0; i < n; i++) navigator.sendBeacon(`/api/echo?hostile-beacon=${i}`, blob);
      }, N);
      // Every beacon's body recorded: read, or (past the worker's budget for one batch) said not captured.
      const bodies = await until(async () => {
        const r: TabRecord[] = await env.session.records(tabId);
        const beacons = new Set(r.filter((x) => x.ev.type === 'start' && x.ev.url.includes('hostile-beacon=')).map(idOf));
        const found = r.filter((x) => x.ev.type === 'body' && beacons.has(idOf(x)));
        return found.length >= N && found;
        // 400 MiB read and written at the database's pace (about 40 s on 2 idle cores).
      }, 180_000);
      const seen = await worker.run<{ reads: number; inflight: number; maxBytes: number; maxInflight: number }>('globalThis.__blobReads');
      const read = bodies.filter((x) => (x.ev as { body: { encoding: string } }).body.encoding === 'base64');
      const notCaptured = bodies.filter((x) => (x.ev as { body: { encoding: string; truncated: boolean } }).body.encoding === 'none');
      console.log(`blob bodies: ${read.length} read, ${notCaptured.length} not captured`);
      expect(read.length).toBeGreaterThanOrEqual(32);
      expect(read.length + notCaptured.length).toBe(N);
      expect(notCaptured.every((x) => (x.ev as { body: { truncated: boolean; size: number } }).body.truncated && (x.ev as { body: { size: number } }).body.size === MiB)).toBe(true);
      await until(async () => (await worker.heap()) < heapBefore + 64 * MiB, 60_000).catch(() => undefined);
      polling = false;
      await poll;
      console.log(`blob bodies: worker heap ${(heapBefore / MiB).toFixed(0)} MiB before, at most ${(heapMax / MiB).toFixed(0)} MiB`);
      console.log(`blob bodies: ${seen.reads} Blob reads, at most ${seen.maxInflight} at once, ${(seen.maxBytes / MiB).toFixed(0)} MiB at once`);
      // One Blob read at a time, at most 1 MiB held by reads: what bounds the worker's memory
      // (with BLOB_BACKLOG_CHARS unwritten). The heap's peak is only printed: it counts garbage not
      // yet collected and varies with the GC and the load (145–244 MiB over runs at load 2–5,
      // once 448 MiB in CI on 3 December), near what a worker reading a batch's Blobs all at once
      // peaked at (535–576 MiB), so it cannot tell the two apart on a busy machine; the counters
      // above can (that worker had dozens of reads in flight).
      expect(seen.maxInflight).toBe(1);
      expect(seen.maxBytes).toBeLessThanOrEqual(MiB);
    } finally {
      await worker.close();
      await page.close();
    }
  }, scaled(240_000));
  it('keeps the page\'s order when the batches after a Blob batch come at once (the relay cuts one page batch in several; createBatchTurns)', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    // Four 1 MiB Blob uploads, then (same task, once their body events are out) 300 beacons of
    // a short string: one page batch, which the relay cuts at ~40 KiB into several, posted back
    // to back; the first holds the Blobs.
    await page.evaluate(async () => {
      for (let k = 0; k < 4; k++) {
        const x = new XMLHttpRequest();
        x.open('POST', `/api/echo?order-blob=${k}`);
        x.send(new Blob([String(k).repeat(1024 * 1024)]));
      }
      await null;
      await null;
      for (let j = 0; j < 300; j++) navigator.sendBeacon(`/api/echo?order-after=${j}`, 'x');
    });
    const records = await until(async () => {
      const r: TabRecord[] = await env.session.records(tabId);
      const uploads = r.filter((x) => x.ev.type === 'start' && x.ev.url.includes('order-blob=')).map(idOf);
      const bodies = r.filter((x) => x.ev.type === 'body' && x.ev.which === 'request' && uploads.includes(idOf(x)));
      return bodies.length === 4 && r.some((x) => x.ev.type === 'start' && x.ev.url.includes('order-after=299')) && r;
    }, 30_000);
    const uploads = records.filter((x) => x.ev.type === 'start' && x.ev.url.includes('order-blob=')).map(idOf);
    const lastBody = Math.max(...records.filter((x) => x.ev.type === 'body' && x.ev.which === 'request' && uploads.includes(idOf(x))).map((x) => x.seq));
    const firstAfter = Math.min(...records.filter((x) => x.ev.type === 'start' && x.ev.url.includes('order-after=')).map((x) => x.seq));
    const lastAfter = Math.max(...records.filter((x) => x.ev.type === 'start' && x.ev.url.includes('order-after=')).map((x) => x.seq));
    console.log(`blob bodies order: last Blob body seq ${lastBody}, beacons' starts ${firstAfter}..${lastAfter}`);
    expect(lastBody).toBeLessThan(firstAfter);
    await page.close();
  });
  it('loses and repeats no Blob body when the worker is stopped while the page keeps uploading Blobs', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const bootBefore = await env.session.workerBoot();
    // 40 rounds, one every 20 ms: two 2 MiB Blob uploads (sent and aborted: nothing on the
    // network) and a beacon of a string, the worker stopped in the middle. Their 80 bodies (1 MiB
    // each at the cap, as base64) are over the tab's 64 MiB budget: the oldest bodies are
    // stripped, and no entry may go (record-store evict: rows added while it walks are not its).
    // Before that fix, this lost the first rounds' entries in about half the runs.
    const running = page.evaluate(async () => {
      for (let i = 0; i < 40; i++) {
        for (let k = 0; k < 2; k++) {
          const x = new XMLHttpRequest();
          x.open('POST', `/api/echo?stop-blob=${i}-${k}`);
          x.send(new Blob([String.fromCharCode(97 + (i % 26)).repeat(2 * 1024 * 1024)]));
          x.abort();
        }
        navigator.sendBeacon(`/api/echo?stop-after=${i}`, 'x');
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    await env.session.stopWorker();
    await running;
    const records = await until(async () => {
      const r: TabRecord[] = await env.session.records(tabId);
      return r.filter((x) => x.ev.type === 'start' && x.ev.url.includes('stop-after=')).length >= 40 && r.filter((x) => x.ev.type === 'body' && x.ev.which === 'request').length >= 80 && r;
    }, 60_000);
    expect(await env.session.workerBoot()).not.toBe(bootBefore);
    const starts = records.filter((x) => x.ev.type === 'start' && x.ev.url.includes('stop-'));
    expect(new Set(starts.map(idOf)).size).toBe(starts.length);
    expect(starts).toHaveLength(120);
    const uploads = new Set(starts.filter((x) => x.ev.type === 'start' && x.ev.url.includes('stop-blob=')).map(idOf));
    const bodies = records.filter((x) => x.ev.type === 'body' && uploads.has(idOf(x)));
    expect(new Set(bodies.map(idOf)).size).toBe(bodies.length);
    expect(bodies).toHaveLength(80);
    // Each read by the worker (a batch re-sent to the new worker holds the same Blobs), cut at the 1 MiB body cap.
    for (const body of bodies) expect((body.ev as { body: object }).body).toMatchObject({ encoding: 'base64', size: 2 * MiB, truncated: true });
    // Each body after its start, before the next round's beacon (the page emits it in a microtask
    // after the round's calls).
    const seqOf = (url: string) => starts.find((x) => x.ev.type === 'start' && x.ev.url.endsWith(url))!.seq;
    for (let i = 0; i < 40; i++) {
      for (let k = 0; k < 2; k++) {
        const start = starts.find((x) => x.ev.type === 'start' && x.ev.url.endsWith(`stop-blob=${i}-${k}`))!;
        const body = bodies.find((x) => idOf(x) === idOf(start))!;
        expect(body.seq).toBeGreaterThan(start.seq);
        if (i < 39) expect(body.seq).toBeLessThan(seqOf(`stop-after=${i + 1}`));
      }
    }
    await page.close();
  });
  it('a File whose disk file went away: the body says it was not captured, and capture goes on', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const dir = mkdtempSync(join(tmpdir(), 'netlens-blob-'));
    const file = join(dir, 'gone.bin');
    writeFileSync(file, Buffer.alloc(200_000, 66));
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'gone-file';
      document.body.append(input);
    });
    const input = (await page.$('#gone-file'))!;
    await (input as unknown as { uploadFile(...paths: string[]): Promise<void> }).uploadFile(file);
    // Its size taken (the File's snapshot) while the disk file is there.
    expect(await page.evaluate(() => (document.getElementById('gone-file') as HTMLInputElement).files![0].size)).toBe(200_000);
    rmSync(dir, { recursive: true, force: true });
    await page.evaluate(() => {
      const f = (document.getElementById('gone-file') as HTMLInputElement).files![0];
      const x = new XMLHttpRequest();
      x.open('POST', '/api/echo?gone-file=1');
      x.send(f);
      x.abort();
      navigator.sendBeacon('/api/echo?after-gone=1', 'x');
    });
    const records = await until(async () => {
      const r: TabRecord[] = await env.session.records(tabId);
      return r.some((x) => x.ev.type === 'start' && x.ev.url.includes('after-gone=1')) && r.some((x) => x.ev.type === 'body' && x.ev.which === 'request') && r;
    }, 30_000);
    const start = records.find((x) => x.ev.type === 'start' && x.ev.url.includes('gone-file=1'))!;
    const body = records.find((x) => x.ev.type === 'body' && idOf(x) === idOf(start))!;
    console.log(`blob bodies, gone file: ${JSON.stringify(body.ev)}`);
    expect(body.ev).toMatchObject({ body: { encoding: 'none', data: '', size: 200_000, truncated: true } });
    await page.close();
  });

  it('captures every file of a multi-file upload sent in one task, each within the body cap', async () => {
    // The user raised the body cap to capture big uploads; the page uploads three 12 MiB files at once.
    const ext = await env.session.browser.newPage();
    await ext.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html`);
    const setCap = (bodyCap: number) => ext.evaluate((key: string, cap: number) => chrome.storage.local.set({ [key]: { bodyCap: cap, wire: 'always' } }), SETTINGS_KEY, bodyCap);
    await setCap(16 * MiB);
    const { page, tabId } = await env.session.openTab();
    try {
      await page.goto(`${env.servers.a}/basic.html`);
      await pageDone(page);
      await page.evaluate(() =>
        Promise.all(
          [1, 2, 3].map((k) => fetch(`/api/upload?multi-file=${k}`, { method: 'POST', body: new Blob([new Uint8Array(12 * 1024 * 1024).fill(64 + k)]) }).then((r) => r.json())),
        ),
      );
      const bodies = await until(async () => {
        const r: TabRecord[] = await env.session.records(tabId);
        const files = new Map(r.filter((x) => x.ev.type === 'start' && x.ev.url.includes('multi-file=')).map((x) => [idOf(x), (x.ev as { url: string }).url.slice(-1)]));
        const found = r.filter((x) => x.ev.type === 'body' && (x.ev as { which: string }).which === 'request' && files.has(idOf(x)));
        return found.length >= 3 && found.map((x) => ({ file: files.get(idOf(x)), ...(x.ev as { body: { encoding: string; size: number; truncated: boolean; data: string } }).body }));
      }, 60_000);
      expect(bodies.map((b) => [b.file, b.encoding, b.size, b.truncated, Buffer.from(b.data, 'base64').length]).sort()).toEqual([
        ['1', 'base64', 12 * MiB, false, 12 * MiB],
        ['2', 'base64', 12 * MiB, false, 12 * MiB],
        ['3', 'base64', 12 * MiB, false, 12 * MiB],
      ]);
    } finally {
      await setCap(MiB);
      await ext.close();
      await page.close();
    }
  });
});
