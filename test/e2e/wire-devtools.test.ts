import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumCorsFailures, judgeScenarios, matrixSettled, runScenarios, SCENARIOS } from '../helpers/cors-scenarios';
import { clickRow, entriesOf, openDetailTab, openPanelInDevTools, openPanelTab, pageDone, readShownRows, scaled, startEnv, until, type Env } from '../helpers/env';

/**
 * netlens as released holds no `webRequest` permission (which makes Chromium proxy every request
 * of every tab, whatever the listeners: the bench's `withwebrequest` column): its worker runs
 * without the API, and while DevTools is open on a tab the wire view comes from DevTools' own network log
 * (src/devtools/devtools.ts → src/shared/har/devtools-wire.ts). The CORS doctor must agree with
 * Chromium on the whole matrix from that wire view, as it does from webRequest's
 * (cors-matrix.test.ts).
 */
describe('the wire view from DevTools, in netlens as released (without webRequest)', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ webRequest: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('records no wire view while DevTools is closed, and the page as always', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const url = `${env.servers.b}/api/echo?acao=*&closed=1`;
    await page.evaluate((u) => fetch(u, { headers: { 'x-custom': '1' } }).catch(() => {}), url);
    const entry = await until(async () => (await entriesOf(env, page)).find((e) => e.url === url && e.state !== 'pending'));
    expect(entry.kind).toBe('fetch');
    expect(entry.wire).toBeUndefined();
    // No preflight entry: nothing saw the OPTIONS.
    expect((await entriesOf(env, page)).some((e) => e.kind === 'preflight')).toBe(false);
    // A panel opened as a tab says so, and has no Wire setting to offer.
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    expect(await until(() => panel.$eval('[data-testid=wire-none]', (el) => el.textContent))).toBe('no wire view: DevTools is not open on this tab');
    expect(await panel.$('[data-testid=wire-since]')).toBeNull();
    expect(await panel.$('[data-testid=setting-wire]')).toBeNull();
    expect(await panel.$eval('[data-testid=setting-wire-devtools]', (el) => el.textContent)).toBe('Wire: from DevTools');
    await panel.close();
    await page.close();
  });

  it(`agrees with Chromium's CORS verdict on ${SCENARIOS.length} scenarios, the preflights and the headers as sent coming from DevTools`, async () => {
    const page = await env.session.browser.newPage();
    const failures = await chromiumCorsFailures(page);
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    await page.openDevTools();
    // DevTools' page for netlens has connected once a request's wire view comes in.
    const probe = `${env.servers.a}/api/echo?probe=1`;
    await until(async () => {
      await page.evaluate((u) => fetch(u).then((r) => r.text()), probe);
      return (await entriesOf(env, page)).some((e) => e.url === probe && e.wire?.sendTime !== undefined);
    }, 15_000);

    // The page reads each body: DevTools reports a fetch once its body was read (README).
    const calls = await runScenarios(page, env.servers, { readBodies: true });
    const optionsSent = (url: string) => env.servers.log.filter((r) => r.method === 'OPTIONS' && r.url === url).length;
    const entries = await until(async () => {
      const list = (await entriesOf(env, page)).filter((e) => e.url.includes('/cors?'));
      // Every call's wire view is in: DevTools hands a request over once it finished.
      const wired = calls.every(({ url }) => list.some((e) => e.url === url && (e.kind === 'fetch' || e.kind === 'xhr') && e.wire?.endTime !== undefined));
      // ... and each preflight that went out: DevTools may tell it after its request's failure.
      const paired = calls.every(({ s, url }) => s.twice || optionsSent(url) === 0 || list.some((e) => e.url === url && e.kind !== 'preflight' && e.preflightId !== undefined));
      return matrixSettled(calls, list) && wired && paired && list;
    }, 30_000);
    const { rows, disagreements } = judgeScenarios(calls, entries, failures, optionsSent);
    if (process.env.NETLENS_CORS_TABLE) console.table(rows);
    expect(disagreements).toEqual([]);
    expect(new Set(rows.map((r) => r.chromium)).size).toBeGreaterThanOrEqual(12);

    // The wire's facts the page cannot see: the preflight paired with its request, the headers
    // the browser added, a response header CORS hides from the page.
    const put = calls.find(({ s }) => s.name === 'PUT allowed by ACAM')!;
    const judged = entries.filter((e) => e.url === put.url && e.kind === 'fetch').at(-1)!;
    const preflight = entries.find((e) => e.id === judged.preflightId);
    expect(preflight?.kind).toBe('preflight');
    expect(preflight?.wire?.responseHeaders?.some(([n]) => n.toLowerCase() === 'access-control-allow-methods')).toBe(true);
    expect(judged.wire?.requestHeaders?.find(([n]) => n.toLowerCase() === 'origin')?.[1]).toBe(env.servers.a);
    expect(judged.wire?.requestHeaders?.some(([n]) => n.toLowerCase() === 'sec-fetch-mode')).toBe(true);

    // The panel inside DevTools explains a block from that wire view, and says where it comes from.
    const blocked = calls.find(({ s }) => s.name === 'custom header not allowed')!;
    const panel = await openPanelInDevTools(env, page);
    expect(await until(() => panel.$eval('[data-testid=wire-since]', (el) => el.textContent ?? ''))).toMatch(/^wire since \d\d:\d\d:\d\d \(DevTools\)/);
    await until(async () => (await readShownRows(panel)).some((r) => r.url === blocked.url));
    await clickRow(panel, (r) => r.url === blocked.url && r.kind === 'fetch');
    await openDetailTab(panel, 'cors');
    const view = await until(() =>
      panel.$eval('[data-testid=cors-view]', (el) => ({ error: el.getAttribute('data-error'), fix: el.querySelector('[data-testid=cors-fix]')?.textContent ?? '' })),
    );
    expect(view.error).toBe('HeaderDisallowedByPreflightResponse');
    expect(view.fix).toContain('Access-Control-Allow-Headers: x-api-key');
    await page.close();
  }, scaled(180_000));

  it('gives each request its own wire view when DevTools closes and opens again and when the worker stops, and marks nothing "not on wire" meanwhile', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const tabId = await env.session.tabIdOf(page);
    let n = 0;
    /** A fetch the page reads whole; its entry once it ended (with its wire view when `wired`). */
    const fetched = async (wired: boolean) => {
      const url = `${env.servers.b}/api/echo?acao=*&k=${++n}`;
      return until(async () => {
        if (!(await entriesOf(env, page)).some((e) => e.url === url)) await page.evaluate((u) => fetch(u).then((r) => r.text()), url);
        return (await entriesOf(env, page)).find((e) => e.url === url && e.endTime !== undefined && (!wired || e.wire?.endTime !== undefined));
      }, 15_000);
    };
    /** A fetch whose wire view comes within 2 s: the tab's DevTools page is connected. */
    const wiredSoon = async () => {
      const { url } = await fetched(false);
      return until(async () => (await entriesOf(env, page)).find((e) => e.url === url)?.wire !== undefined || false, 2_000).catch(() => false);
    };
    const openDevTools = async () => {
      const devtools = await page.openDevTools();
      await until(wiredSoon, 15_000);
      return devtools;
    };
    let devtools = await openDevTools();
    const first = await fetched(true);
    await devtools.close();
    const closed = await fetched(false);
    devtools = await openDevTools();
    const again = await fetched(true);
    await env.session.stopWorker();
    await until(wiredSoon, 15_000);
    const restarted = await fetched(true);
    const byUrl = new Map((await entriesOf(env, page)).map((e) => [e.url, e]));
    // Each has its own wire view, joined to it alone: ids repeated across DevTools pages joined new
    // records to old entries.
    const ids = [first, again, restarted].map((e) => byUrl.get(e.url)!.wire!.requestId);
    expect(new Set(ids).size).toBe(3);
    expect(byUrl.get(first.url)!.wire!.statusCode).toBe(200);
    expect(byUrl.get(closed.url)!.wire).toBeUndefined();
    // The panel (as a tab) while DevTools is closed: nothing is marked, before or after.
    await devtools.close();
    const panel = await openPanelTab(env, tabId);
    await until(() => panel.$eval('[data-testid=wire-none]', () => true));
    const late = await fetched(false);
    const rows = await until(async () => {
      const r = await readShownRows(panel);
      return r.some((row) => row.url === late.url) && r;
    });
    expect(rows.filter((r) => r.notOnWire)).toEqual([]);
    await panel.close();
    await page.close();
  }, scaled(120_000));

  it('follows a redirect chain as one request, as the wire view from webRequest does', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    await page.openDevTools();
    const url = `${env.servers.a}/api/redirect?to=${encodeURIComponent('/api/echo?hop=2')}`;
    const entry = await until(async () => {
      await page.evaluate((u) => fetch(u).then((r) => r.text()), url);
      return (await entriesOf(env, page)).find((e) => e.url === url && e.wire?.endTime !== undefined);
    }, 15_000);
    expect(entry.wire?.redirects.map((r) => [r.status, r.location])).toEqual([[302, `${env.servers.a}/api/echo?hop=2`]]);
    expect(entry.wire?.statusCode).toBe(200);
    await page.close();
  }, scaled(60_000));
});
