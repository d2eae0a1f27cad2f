/**
 * The live part for netlens as released (issue #12's "page run time with the panel open against
 * closed"). The released extension holds no `webRequest`: its wire view comes from DevTools' own
 * network log (src/devtools/devtools.ts), so watching a tab means DevTools open on it. The page
 * runs the live workload (panel.bench.ts) with netlens as released, each run in a browser of its
 * own, on these sides:
 * - `closed`: no DevTools (for reference: what opening DevTools at all costs the page);
 * - `elements`: DevTools open on the tab, on its first panel: DevTools records the network, and
 *   netlens's DevTools page forwards each finished request to the worker as its wire view;
 * - `netlens`: the same, DevTools showing netlens's panel, which draws every record as it comes;
 * - `network`: the same, DevTools showing Chrome's own Network panel (the peer);
 * - `bare`: a Chromium without any extension, DevTools open on its first panel (what `elements`
 *   adds to DevTools being open: netlens's capture and its DevTools page's wire view).
 * netlens's panel costs the page `netlens / elements` (target ≤ 1.05: the panel open against
 * closed, DevTools open either way); `netlens / network` compares it with Chrome's own panel.
 * Rounds run the sides in order, then reversed (A B C D D C B A), so a drift of the machine over a
 * round falls on every side alike. The first `netlens` run also gives the delay from the last
 * response to its row in the panel inside DevTools.
 *
 * BENCH_PANEL_PARTS=devtools, BENCH_LIVE_FETCHES (default 10,000), BENCH_LIVE_ROUNDS (default 2),
 * BENCH_DEVTOOLS_SIDES=closed,elements,netlens,network,bare (default: all five).
 */
import { rmSync } from 'node:fs';
import type { Browser, Frame, Page } from 'puppeteer-core';
import { launch } from '../src/cli/chromium';
import type { Origins } from '../src/cli/server';
import { interval90, plainBrowser } from './harness';
import { LIVE_FETCHES, LIVE_ROUNDS, caughtUpAt, median, runWorkload, settled, threadsGrown, watchCaughtUp } from './panel.bench';
import type { Figure } from './panel-store.bench';

type Side = 'closed' | 'elements' | 'netlens' | 'network' | 'bare';
const SIDES = (process.env.BENCH_DEVTOOLS_SIDES ?? 'closed,elements,netlens,network,bare').split(',') as Side[];

/** A browser for `side`: netlens as released, or (`bare`) a Chromium without extensions, launched as launch() does. */
async function browserFor(dist: string, side: Side): Promise<{ browser: Browser; extensionId?: string; close: () => Promise<void> }> {
  if (side !== 'bare') return launch(dist);
  const { browser, dir } = await plainBrowser(['--window-size=1400,900']);
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Until `test` gives a value (polled every 100 ms), or throws after `ms`. */
async function until<T>(test: () => Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await test().catch(() => undefined);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * DevTools opened on `page` as `side` wants it (its first panel, netlens's panel or Chrome's
 * Network panel), once netlens's DevTools page has loaded (`extensionId`: none in a bare
 * Chromium) and DevTools has settled; for netlens's panel, its frame. Showing a panel goes
 * through DevTools' internal InspectorView, as the e2e helper does (test/helpers/env.ts).
 */
export async function openDevTools(extensionId: string | undefined, page: Page, side: Exclude<Side, 'closed'>): Promise<Frame | undefined> {
  const devtools = await page.openDevTools();
  if (extensionId) await until(async () => devtools.frames().some((f) => f.url().includes('/src/devtools/devtools.html')), 30_000, "netlens's DevTools page");
  let panel: Frame | undefined;
  if (side === 'netlens' || side === 'network') {
    const id = side === 'netlens' ? `chrome-extension://${extensionId}netlens` : 'network';
    const show = `import('./ui/legacy/legacy.js').then((legacy) => legacy.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(id)}))`;
    // Shown again until netlens's panel frame is there: asked before DevTools has added the
    // extension's panel, showPanel does nothing and throws nothing.
    const shown = async () => (await devtools.evaluate(show), side === 'network' || devtools.frames().find((f) => f.url().includes('/src/devtools/panel.html')));
    const found = await until(shown, 30_000, `the ${side} panel shown`);
    if (typeof found === 'object') panel = found;
  }
  if (panel) {
    await panel.waitForFunction('!!window.netlensPanel');
    await settled(panel);
  }
  await settled(devtools);
  // Opened as a window of its own (headless), DevTools leaves the page visible: a hidden page
  // would be timed as a background tab.
  if ((await page.evaluate('document.visibilityState')) !== 'visible') throw new Error('the page is hidden with DevTools open');
  return panel;
}

export async function liveInDevTools(dist: string, path: string, servers: Origins): Promise<Figure[]> {
  const url = `${servers.a}${path}`;
  let caughtUp: number | undefined;
  const run = async (side: Side, watch: boolean) => {
    servers.log.length = 0; // see panel.bench.ts live()
    const session = await browserFor(dist, side);
    try {
      const page = await session.browser.newPage();
      await page.goto(url);
      const panel = side === 'closed' ? undefined : await openDevTools(session.extensionId, page, side);
      if (!panel || !watch) return await runWorkload(page);
      // The first netlens run: when the last row shows, done, in the panel inside DevTools.
      await watchCaughtUp(panel);
      const result = await runWorkload(page);
      caughtUp = Math.max(0, (await caughtUpAt(panel)) - result.lastAt);
      return result;
    } finally {
      await session.close();
    }
  };
  const runs = new Map<Side, { ms: number; cpu: number; threads: Map<string, number> }[]>(SIDES.map((s) => [s, []]));
  for (let round = 0; round < LIVE_ROUNDS; round++) {
    for (const side of [...SIDES, ...[...SIDES].reverse()]) {
      const { ms, cpu, threads } = await run(side, round === 0 && side === 'netlens' && caughtUp === undefined);
      runs.get(side)!.push({ ms, cpu, threads });
    }
  }
  const figures: Figure[] = [];
  if (caughtUp !== undefined) figures.push({ name: `devtools: ${LIVE_FETCHES.toLocaleString('en')} fetches, last response → its row shown in netlens's panel in DevTools`, value: caughtUp, unit: 'ms', target: '< 200' });
  for (const side of SIDES) {
    const ms = runs.get(side)!.map((r) => r.ms);
    figures.push({ name: `devtools: page run times, ${side}: ${ms.map((x) => (x / 1000).toFixed(1)).join(', ')} s; median`, value: median(ms), unit: 'ms' });
  }
  /** `a` over `b`: the sums of each round's runs (two per side), per round and over all. */
  const ratio = (a: Side, b: Side, key: 'ms' | 'cpu', target?: string) => {
    const of = (side: Side, r: number) => runs.get(side)!.slice(2 * r, 2 * r + 2).reduce((sum, x) => sum + x[key], 0);
    const rounds = Array.from({ length: LIVE_ROUNDS }, (_, r) => of(a, r) / of(b, r));
    const all = runs.get(a)!.reduce((s, x) => s + x[key], 0) / runs.get(b)!.reduce((s, x) => s + x[key], 0);
    const what = key === 'ms' ? 'page run time' : "Chromium's CPU time";
    figures.push({ name: `devtools: ${what} ${a} / ${b}`, value: all, unit: '×', target });
    if (rounds.length > 1) figures.push({ name: `  … per round: ${rounds.map((x) => x.toFixed(3)).join(', ')}; 90% interval of their mean ${interval90(rounds).map((x) => x.toFixed(3)).join('–')}; mean`, value: rounds.reduce((s, x) => s + x, 0) / rounds.length, unit: '×' });
  };
  const has = (...sides: Side[]) => sides.every((s) => SIDES.includes(s));
  if (has('netlens', 'elements')) {
    ratio('netlens', 'elements', 'ms', '≤ 1.05');
    ratio('netlens', 'elements', 'cpu');
    figures.push(...threadsGrown(runs.get('elements')!, runs.get('netlens')!, 'elements', 'netlens'));
  }
  if (has('netlens', 'network')) ratio('netlens', 'network', 'ms');
  if (has('network', 'elements')) ratio('network', 'elements', 'ms');
  if (has('elements', 'closed')) ratio('elements', 'closed', 'ms');
  if (has('elements', 'bare')) {
    ratio('elements', 'bare', 'ms');
    ratio('elements', 'bare', 'cpu');
    figures.push(...threadsGrown(runs.get('bare')!, runs.get('elements')!, 'bare', 'elements'));
  }
  return figures;
}
