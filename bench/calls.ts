/**
 * What a patched call costs the page's thread, call by call: a page timing its own calls
 * (performance.now() around them) sees this. Medians of 5 runs in fresh tabs, Chromium without
 * extensions against Chromium with netlens (NETLENS_DIST, default dist/), no panel open.
 *
 *   npm run build && node --import tsx bench/calls.ts
 *
 * `send` and `fetch` are the synchronous part of the call only (the request goes on after).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { launch } from '../src/cli/chromium';
import { startServers } from '../src/cli/server';
import { median, plainBrowser } from './harness';

const root = resolve(import.meta.dirname, '..');
const ROUNDS = 5;
/** Runs in the page: µs per call of each. */
const PROBE = `(async () => {
  const N = 2000;
  const out = {};
  const time = (f) => { const t = performance.now(); for (let i = 0; i < N; i++) f(i); return ((performance.now() - t) / N) * 1000; };
  out['new XMLHttpRequest()'] = time(() => new XMLHttpRequest());
  const xs = Array.from({ length: N }, () => new XMLHttpRequest());
  out['xhr.open()'] = time((i) => xs[i].open('GET', '/api/echo?i=' + i));
  const ys = Array.from({ length: 200 }, () => { const x = new XMLHttpRequest(); x.open('GET', '/api/echo?s=1'); return x; });
  let t = performance.now();
  for (const y of ys) y.send();
  out['xhr.send()'] = ((performance.now() - t) / ys.length) * 1000;
  for (const y of ys) y.abort();
  const pending = [];
  t = performance.now();
  for (let i = 0; i < 200; i++) pending.push(fetch('/api/echo?f=' + i));
  out['fetch()'] = ((performance.now() - t) / 200) * 1000;
  await Promise.all(pending);
  out['open.toString()'] = time(() => XMLHttpRequest.prototype.open.toString());
  return out;
})()`;

const servers = await startServers([resolve(root, 'test/fixtures/pages')]);

async function measure(browser: Browser): Promise<Map<string, number>> {
  const runs = new Map<string, number[]>();
  for (let r = 0; r < ROUNDS; r++) {
    const page = await browser.newPage();
    await page.goto(`${servers.a}/basic.html`);
    for (const [k, v] of Object.entries((await page.evaluate(PROBE)) as Record<string, number>)) runs.set(k, [...(runs.get(k) ?? []), v]);
    await page.close();
  }
  return new Map([...runs].map(([k, v]) => [k, median(v)]));
}

const plain = await plainBrowser();
const netlens = await launch(resolve(root, process.env.NETLENS_DIST ?? 'dist'));
try {
  const native = await measure(plain.browser);
  const withNetlens = await measure(netlens.browser);
  console.log(`cost per call on the page's thread, µs, median of ${ROUNDS} runs`);
  for (const [k, n] of native) console.log(`  ${k.padEnd(22)} native ${n.toFixed(2).padStart(7)}   netlens ${withNetlens.get(k)!.toFixed(2).padStart(7)}   ${(withNetlens.get(k)! / n).toFixed(1)}×`);
} finally {
  await plain.browser.close();
  rmSync(plain.dir, { recursive: true, force: true });
  await netlens.close();
  await servers.close();
}
