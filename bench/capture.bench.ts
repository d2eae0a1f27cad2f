/**
 * What capture costs the page: the same workload in Chromium without and with netlens, side by
 * side in one run (alternating, median of several rounds). Prints times and the ratio to native.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { QUIET_FLAGS, findChromium, launch } from '../src/cli/chromium';
import { startServers } from '../src/cli/server';

const ROUNDS = 5;
const WORKLOADS: Record<string, string> = {
  '500 sequential fetches (JSON read)': `async () => { for (let i = 0; i < 500; i++) await (await fetch('/api/items?i=' + i)).json(); }`,
  '300 sequential XHRs': `async () => { for (let i = 0; i < 300; i++) await new Promise((r) => { const x = new XMLHttpRequest(); x.open('GET', '/api/items?x=' + i); x.onloadend = r; x.send(); }); }`,
  '20 × 1 MiB downloads': `async () => { for (let i = 0; i < 20; i++) await (await fetch('/api/bytes?n=1048576&i=' + i)).arrayBuffer(); }`,
  '2000 WebSocket echoes': `() => new Promise((done) => { const ws = new WebSocket('ws://' + location.host + '/ws'); let n = 0; ws.onopen = () => ws.send('m0'); ws.onmessage = () => { if (++n >= 2000) { ws.close(); done(); } else ws.send('m' + n); }; })`,
};

async function timeIn(browser: Browser, url: string, fn: string): Promise<number> {
  const page = await browser.newPage();
  await page.goto(url);
  const ms = await page.evaluate(`(async () => { const f = ${fn}; const t0 = performance.now(); await f(); return performance.now() - t0; })()`);
  await page.close();
  return ms as number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A reference extension that does nothing but listen to webRequest with extraHeaders, as netlens
 * does for its wire view: what Chromium's request proxying costs by itself.
 */
function webRequestOnlyExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlens-bench-ext-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'webRequest only', version: '1', permissions: ['webRequest'], host_permissions: ['<all_urls>'], background: { service_worker: 'sw.js' } }),
  );
  writeFileSync(
    join(dir, 'sw.js'),
    `const f = { urls: ['<all_urls>'] };
chrome.webRequest.onSendHeaders.addListener(() => {}, f, ['requestHeaders', 'extraHeaders']);
chrome.webRequest.onHeadersReceived.addListener(() => {}, f, ['responseHeaders', 'extraHeaders']);
chrome.webRequest.onCompleted.addListener(() => {}, f);`,
  );
  return dir;
}

export async function runCaptureBench(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const servers = await startServers([resolve(root, 'test/fixtures/pages')]);
  const dir = mkdtempSync(join(tmpdir(), 'netlens-bench-'));
  const plain = await puppeteer.launch({ executablePath: findChromium(), headless: true, pipe: true, args: QUIET_FLAGS, userDataDir: dir });
  const session = await launch(resolve(root, 'dist'));
  const referenceDir = webRequestOnlyExtension();
  const referenceData = mkdtempSync(join(tmpdir(), 'netlens-bench-ref-'));
  const reference = {
    browser: await puppeteer.launch({ executablePath: findChromium(), headless: true, pipe: true, enableExtensions: true, args: QUIET_FLAGS, userDataDir: referenceData }),
  };
  await reference.browser.installExtension(referenceDir);
  const url = `${servers.a}/basic.html`;
  console.log('\ncapture overhead: the same page workload in plain Chromium, with a webRequest-only reference extension, and with netlens (median of 5, alternating)');
  try {
    for (const [name, fn] of Object.entries(WORKLOADS)) {
      const native: number[] = [];
      const wr: number[] = [];
      const netlens: number[] = [];
      await timeIn(plain, url, fn);
      await timeIn(reference.browser, url, fn);
      await timeIn(session.browser, url, fn);
      for (let i = 0; i < ROUNDS; i++) {
        native.push(await timeIn(plain, url, fn));
        wr.push(await timeIn(reference.browser, url, fn));
        netlens.push(await timeIn(session.browser, url, fn));
      }
      const a = median(native);
      const r = median(wr);
      const b = median(netlens);
      console.log(
        `  ${name.padEnd(36)} native ${a.toFixed(0).padStart(6)} ms   webRequest-only ${r.toFixed(0).padStart(6)} ms (${(r / a).toFixed(2)}×)   netlens ${b.toFixed(0).padStart(6)} ms   ratio ${(b / a).toFixed(2)}× native, ${(b / r).toFixed(2)}× webRequest-only`,
      );
    }
  } finally {
    await plain.close();
    await session.close();
    await reference.browser.close();
    rmSync(referenceDir, { recursive: true, force: true });
    rmSync(referenceData, { recursive: true, force: true });
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runCaptureBench();
