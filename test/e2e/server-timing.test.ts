/**
 * Server-Timing: netlens's reading of the header against Chromium's own (the page's
 * `PerformanceResourceTiming.serverTiming`), same-origin and cross-origin with and without
 * Timing-Allow-Origin, and the Timing tab's section in the panel.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerTiming, timingAllowed } from '../../src/shared/decode/server-timing';
import { headerValues } from '../../src/shared/headers';
import type { Entry } from '../../src/shared/model';
import { clickRow, entriesOf, openDetailTab, openPanelTab, pageDone, scaled, startEnv, until, type Env } from '../helpers/env';

/** Each case: the Server-Timing headers of one response, one header per string. */
const CASES: string[][] = [
  ['miss, db;dur=53, app;dur=47.2', 'customView, dc;desc=atl', 'cache;desc="Cache Read";dur=23.2', 'total;dur=123.4'],
  ['db;DUR=5;Desc=first;dur=9;desc=second, db;dur=1'],
  ['a;dur=abc, b;dur, c;dur=12.5ms, d;dur=.5, e;dur=-2e1'],
  ['a;desc="x, y; \\"z\\"";dur=1, b'],
  ['a junk;dur=1 trailing;desc=d, ;dur=2, b;duration=3, c=4;dur=5, @@, d'],
  ['a;desc="never closed, b;dur=2'],
  ['  spaced  ;  dur = 7 ;  desc = "d" , next'],
  ['q;;dur=7, r', 'p;dur=8;, o;DESC=up'],
  ['w;desc="a"b;dur=3, v;dur=4 5', 'n;desc=a"b";dur=9'],
  ['m;dur=" 7 ", l;dur="8", k;dur=1e400, j;dur=Infinity, i;dur=00012, h;dur=1.5.5, g;dur=1e, f;dur=+3, e;dur=1.'],
  ['x;dur=1;dur=2, y;desc, z;desc=', 'a\t;\tdur=3'],
  ['a;desc="unclosed, b'],
  ['a;desc="x\\"y";dur=2, b'],
  // Several headers are one value to Chromium: what stops the reading in one stops it for the rest.
  ['q;;dur=7, r', 'p;dur=8'],
  ['a;desc="open', 'c'],
  ['a,', 'b'],
  ['@', 'b'],
  ['', 'a;dur=1'],
  ['a{b};dur=1, {x};desc={y}', 'c'],
  ['a;dur=" 7", b;dur="\t7", c;dur="7 "'],
];

interface Seen {
  url: string;
  metrics: { name: string; duration: number | string; description: string }[];
}

describe('Server-Timing agrees with Chromium', () => {
  let env: Env;
  let page: Page;
  let seen: Seen[];
  let entries: Entry[];
  const cross = (tao?: string) => `/api/server-timing?k=cross${tao ? `&tao=${encodeURIComponent(tao)}` : ''}&acao=*&st=${encodeURIComponent('db;dur=12;desc=query')}`;
  beforeAll(async () => {
    // Wire: always, so a cross-origin response's headers the page cannot read are known too.
    env = await startEnv({ wire: 'always' });
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const urls = [
      ...CASES.map((headers, i) => `${env.servers.a}/api/server-timing?k=${i}${headers.map((h) => `&st=${encodeURIComponent(h)}`).join('')}`),
      `${env.servers.b}${cross()}`,
      `${env.servers.b}${cross(env.servers.a)}`,
      `${env.servers.b}${cross('*')}`,
    ];
    seen = (await page.evaluate(async (list: string[]) => {
      const out = [];
      for (const url of list) {
        await fetch(url).then((r) => r.text());
        // The Resource Timing entry is queued after the body's end: wait for it, not for a time.
        let entry: PerformanceResourceTiming | undefined;
        while (!(entry = performance.getEntriesByName(url).at(-1) as PerformanceResourceTiming | undefined)) await new Promise((r) => setTimeout(r, 10));
        // Infinity as text: the way back from the page is JSON.
        out.push({ url, metrics: entry.serverTiming.map((m) => ({ name: m.name, duration: Number.isFinite(m.duration) ? m.duration : String(m.duration), description: m.description })) });
      }
      return out;
    }, urls)) as Seen[];
    entries = await until(async () => {
      const list = (await entriesOf(env, page)).filter((e) => e.kind === 'fetch' && e.url.includes('/api/server-timing'));
      return list.length === urls.length && list.every((e) => e.state === 'done' && e.wire?.responseHeaders) && list;
    }, scaled(20_000));
  }, scaled(60_000));
  afterAll(async () => {
    await env?.close();
  });

  const entryOf = (url: string) => entries.find((e) => e.url === url)!;

  it('reads every header as Chromium does: names, durations (0 when absent or unreadable) and descriptions, in order', () => {
    const duration = (d = 0) => (Number.isFinite(d) ? d : String(d));
    for (const { url, metrics } of seen.slice(0, CASES.length)) {
      // The wire's headers, one per header as sent (what the panel reads), and the page's, combined by its Headers.
      for (const headers of [entryOf(url).wire?.responseHeaders, entryOf(url).response?.headers]) {
        const ours = parseServerTiming(headerValues(headers, 'server-timing')).metrics;
        expect(ours.map((m) => ({ name: m.name, duration: duration(m.duration), description: m.description })), url).toEqual(metrics);
      }
    }
  });

  it('says whether the page sees them as Chromium decides (Timing-Allow-Origin)', () => {
    for (const { url, metrics } of seen.slice(CASES.length)) {
      const e = entryOf(url);
      const verdict = timingAllowed(env.servers.a, env.servers.b, headerValues(e.wire?.responseHeaders, 'timing-allow-origin'));
      expect(verdict?.allowed, url).toBe(metrics.length > 0);
      // The wire has the header even where the page's fetch could not read it.
      expect(parseServerTiming(headerValues(e.wire?.responseHeaders, 'server-timing')).metrics).toEqual([{ name: 'db', duration: 12, description: 'query' }]);
      expect(headerValues(e.response?.headers, 'server-timing')).toEqual([]);
    }
  });

  it("the panel's Timing tab lists the metrics, total last, with where they came from and whether the page sees them", async () => {
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    await until(async () => (await panel.evaluate(() => (window as unknown as { netlensPanel: { rows(): unknown[] } }).netlensPanel.rows().length)) >= seen.length);
    await clickRow(panel, (r) => r.url.includes('k=0&'));
    await openDetailTab(panel, 'timing');
    const rows = await panel.$$eval('[data-testid=server-timing-metric]', (els) => els.map((el) => [...el.children].map((c) => c.textContent)));
    expect(rows).toEqual([
      ['miss', '', ''],
      ['db', '', '53.0 ms'],
      ['app', '', '47.2 ms'],
      ['customView', '', ''],
      ['dc — atl', '', ''],
      ['cache — Cache Read', '', '23.2 ms'],
      ['total', '', '123.4 ms'],
    ]);
    expect(await panel.$eval('[data-testid=server-timing-source]', (el) => el.textContent)).toBe("From the response headers on the wire. The page's Resource Timing shows them (same origin).");

    // What was not read is said, in words, under the metrics.
    await clickRow(panel, (r) => r.url.includes('k=7&'));
    await until(async () => ((await panel.$$eval('[data-testid=server-timing-notes] li', (els) => els.map((el) => el.textContent))) as string[]).length > 0);
    expect(await panel.$$eval('[data-testid=server-timing-notes] li', (els) => els.map((el) => el.textContent))).toEqual(['Not read (Chromium stops here too): ";dur=7, r, p;dur=8;, o;DESC=up".']);

    await clickRow(panel, (r) => r.url.includes('k=cross') && !r.url.includes('tao='));
    await panel.waitForSelector('[data-testid=server-timing-source]');
    await until(async () => ((await panel.$eval('[data-testid=server-timing-source]', (el) => el.textContent)) ?? '').includes('hides'));
    expect(await panel.$eval('[data-testid=server-timing-source]', (el) => el.textContent)).toBe(
      "From the response headers on the wire. The page's Resource Timing hides them: cross-origin, without Timing-Allow-Origin.",
    );
    await panel.close();
  });
});
