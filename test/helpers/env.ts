/**
 * What every browser test needs: the built extension in Chromium, the local two-origin server
 * with the fixture pages, and ways to read what netlens saw (records, the panel as a tab, the
 * panel inside real DevTools).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'puppeteer-core';
import { launch, type Session } from '../../src/cli/chromium';
import { startServers, type Origins } from '../../src/cli/server';
import type { Entry } from '../../src/shared/model';
import type { WireMode } from '../../src/shared/wire-scope';
import { createTimeline } from '../../src/shared/timeline';
import { scaled } from './time';

export { scaled, timeoutScale } from './time';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// NETLENS_DIST lets parallel work build to its own folder; npm test uses dist/.
export const DIST = process.env.NETLENS_DIST ? resolve(process.env.NETLENS_DIST) : resolve(ROOT, 'dist');
export const PAGES = resolve(ROOT, 'test/fixtures/pages');

export interface Env {
  session: Session;
  servers: Origins;
  close(): Promise<void>;
}

/**
 * `wire`: the wire mode (src/shared/wire-scope.ts); `always` unless a test says otherwise, so a
 * test sees every tab's wire records without a panel open (test/e2e/wire-scope.test.ts covers the
 * default, `panel`).
 */
/**
 * Servers and Chromium with netlens. `webRequest` (default true): netlens also holds `webRequest`
 * (launch's option), its wire view then from webRequest in `wire` mode (default `always`); false:
 * netlens as released, its wire view from DevTools while DevTools is open on a tab.
 */
export async function startEnv(opts: { extension?: boolean; wire?: WireMode; webRequest?: boolean } = {}): Promise<Env> {
  if (opts.extension !== false && !existsSync(resolve(DIST, 'manifest.json'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it)');
  }
  const servers = await startServers([PAGES, resolve(ROOT, 'demo')]);
  const webRequest = opts.webRequest ?? true;
  const session = await launch(DIST, webRequest ? { wire: opts.wire ?? 'always', webRequest } : {});
  return {
    session,
    servers,
    async close() {
      await session.close();
      await servers.close();
    },
  };
}

export async function entriesOf(env: Env, page: Page): Promise<Entry[]> {
  const tabId = await env.session.tabIdOf(page);
  const timeline = createTimeline();
  for (const r of await env.session.records(tabId)) timeline.apply(r);
  return timeline.entries();
}

/** Polls until `check` returns a truthy value (or throws the last failure) within scaled(timeoutMs). */
export async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const limit = scaled(timeoutMs);
  const deadline = Date.now() + limit;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(`condition not met in ${limit} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits for a fixture page's `window.done`. Polls on a timer: puppeteer's default polls on
 * requestAnimationFrame, which never runs in a background tab (a page behind its panel tab).
 */
export async function pageDone(page: Page): Promise<void> {
  await page.waitForFunction('window.done === true', { polling: 100, timeout: scaled(30_000) });
}

export interface Row {
  kind: string;
  method: string;
  url: string;
  status: string;
}

/** A shown row with what tests need beyond its columns. */
export interface ShownRow extends Row {
  id: string;
  /** The row's long-polling badge: part of a long-polling channel. */
  longPoll: boolean;
  /** The row's "not on wire" mark: the page reported a response the wire never saw. */
  notOnWire: boolean;
}

/**
 * Every row the panel's list shows, in order. The list draws only the rows in view, so they are
 * read from the panel's store through `window.netlensPanel` (see src/devtools/test-hook.ts).
 */
export function readShownRows(frame: Page | Frame): Promise<ShownRow[]> {
  return frame.evaluate(() => {
    const panel = (window as unknown as { netlensPanel?: { rows(): ShownRow[] } }).netlensPanel;
    return panel ? panel.rows().map((r) => ({ id: r.id, kind: r.kind, method: r.method, url: r.url, status: r.status, longPoll: r.longPoll, notOnWire: r.notOnWire })) : [];
  });
}

/** Every shown row's columns, in order (see `readShownRows`). */
export async function readRows(frame: Page | Frame): Promise<Row[]> {
  return (await readShownRows(frame)).map(({ kind, method, url, status }) => ({ kind, method, url, status }));
}

/**
 * Clicks the first shown row that `match` accepts: scrolls it into view first, as a person
 * would, then clicks the drawn row in its Name cell (which stays in view when the detail is
 * open), past the ▸ toggle of a request's preflight. Throws when no row matches.
 */
export async function clickRow(frame: Page | Frame, match: (row: ShownRow) => boolean): Promise<ShownRow> {
  const row = (await readShownRows(frame)).find(match);
  if (!row) throw new Error('no shown row matches');
  await clickRowById(frame, row.id);
  return row;
}

/**
 * Clicks the list row of entry `id` as a person would, once it is drawn where the click lands.
 * The list draws a few rows beyond its viewport and reuses row elements as it scrolls: a click
 * on a row drawn outside the viewport would scroll it in, redraw, and land on another entry.
 * So the row is revealed first, and the click waits until the point it aims at is that row's.
 */
export async function clickRowById(frame: Page | Frame, id: string, options: { button?: 'left' | 'right' } = {}): Promise<void> {
  await frame.evaluate((rowId) => (window as unknown as { netlensPanel: { reveal(id: string): void } }).netlensPanel.reveal(rowId), id);
  const selector = `[data-testid=entry-row][data-id=${JSON.stringify(id)}]`;
  const offset = { x: 60, y: 10 };
  await frame.waitForFunction(
    (sel: string, dx: number, dy: number) => {
      const row = document.querySelector(sel);
      if (!row) return false;
      const box = row.getBoundingClientRect();
      return row.contains(document.elementFromPoint(box.left + dx, box.top + dy));
    },
    { polling: 50 },
    selector,
    offset.x,
    offset.y,
  );
  await frame.click(selector, { offset, button: options.button });
}

/**
 * Shows a tab of the open entry detail (headers, payload, preview, response, messages, timing,
 * cors, initiator) as a person would, by clicking it; waits until it is shown. Throws when the
 * entry has no such tab.
 */
export async function openDetailTab(frame: Page | Frame, tab: string): Promise<void> {
  // The detail draws a frame after the click that selected its entry: wait for the tab, then click.
  await frame.waitForSelector(`[data-testid=entry-detail] [data-testid=tab-${tab}]`, { timeout: scaled(10_000) });
  await frame.click(`[data-testid=entry-detail] [data-testid=tab-${tab}]`);
  await frame.waitForSelector(`[data-testid=entry-detail][data-tab=${tab}]`);
}

/** The panel opened as an ordinary extension tab for the given inspected tab. */
export async function openPanelTab(env: Env, tabId: number): Promise<Page> {
  const panel = await env.session.browser.newPage();
  await panel.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html?tabId=${tabId}`);
  return panel;
}

/**
 * The panel inside real DevTools for `page`. Showing an extension panel uses a DevTools-internal
 * module (InspectorView), which may change between Chrome versions.
 */
export async function openPanelInDevTools(env: Env, page: Page): Promise<Frame> {
  const devtools = await page.openDevTools();
  const panelId = `chrome-extension://${env.session.extensionId}netlens`;
  return until(async () => {
    // A string, so the test runner's transform leaves this import() alone.
    await devtools.evaluate(
      `import('./ui/legacy/legacy.js').then((legacy) => legacy.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelId)}))`,
    );
    return devtools.frames().find((f) => f.url().includes('/src/devtools/panel.html'));
  }, 15_000);
}
