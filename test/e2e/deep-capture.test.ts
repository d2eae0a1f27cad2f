import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarEntry } from '../../src/shared/har/types';
import type { Entry } from '../../src/shared/model';
import { buildHar } from '../../src/shared/trace';
import { cli } from '../helpers/cli';
import { corsForEntry } from '../../src/shared/entry-cors';
import { corsDisagreement } from '../../src/shared/deep/cors';
import { clickRow, entriesOf, openDetailTab, openPanelTab, pageDone, readShownRows, scaled, startEnv, until, type Env } from '../helpers/env';
import { chromiumCorsFailures, runScenarios, SCENARIOS } from '../helpers/cors-scenarios';

/**
 * Deep capture (chrome.debugger) on a real tab: what the page's JavaScript cannot see — an SSE
 * event under a name the page does not listen to (server `Join`, page `join`), the stream's
 * `retry:` line, a dedicated worker's fetch and WebSocket, the service worker's own fetch — in
 * the timeline and the HAR; the panel's switch, its cost, its infobar and a clean detach; another
 * debugger holding the tab; `netlens capture --deep`.
 */
describe('deep capture', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  const ES_PATH = '/sse?n=2&named=1&unlistened=Join&end=1';
  /**
   * The content height of a tab opened now, at the window's own size (puppeteer's emulated
   * viewport would hide the debugging bar). Chromium headless leaves a tab that was open while
   * the bar showed at its shorter height after the bar goes, so each look is a new tab.
   */
  async function freshViewport(): Promise<number> {
    const tab = await env.session.browser.newPage();
    try {
      await tab.setViewport(null);
      await tab.goto(`${env.servers.a}/basic.html`);
      return await tab.evaluate(() => innerHeight);
    } finally {
      await tab.close();
    }
  }
  const deepState = (panel: Page) => panel.$eval('[data-testid=deep]', (el) => el.getAttribute('data-state'));

  /** What deep.html?sse&worker&sw leaves in the timeline with deep capture on. */
  function expectDeepFacts(entries: Entry[]) {
    const es = entries.find((e) => e.url.endsWith(ES_PATH) && e.kind === 'eventsource')!;
    // The page's own listeners got message and tick; the browser also received `Join`.
    expect(es.messages.filter((m) => m.unlistened).map((m) => [m.eventName, m.data.data])).toEqual([['Join', 'nobody listens']]);
    expect(es.eventSource?.listened).toEqual(['join', 'tick']);
    expect(es.deep?.raw?.map((r) => r.text).join('')).toMatch(/^retry: 500\n\n: a comment\n\n/);
    const byWorker = (type: string, path: string) => entries.find((e) => e.worker?.type === type && e.url.endsWith(path));
    const workerFetch = byWorker('dedicated', '/api/echo?from=dedicated-worker');
    expect(workerFetch).toMatchObject({ kind: 'fetch', state: 'done', response: { status: 200 }, worker: { url: expect.stringMatching(/\/deep-worker\.js$/) } });
    expect(JSON.parse(workerFetch!.response!.body!.data).query).toEqual({ from: 'dedicated-worker' });
    const workerWs = byWorker('dedicated', '/deep-worker-ws');
    expect(workerWs?.kind).toBe('websocket');
    expect(workerWs?.messages.map((m) => [m.dir, m.data.data])).toEqual([
      ['send', 'hello from the worker'],
      ['receive', 'hello from the worker'],
    ]);
    expect(workerWs?.deep?.handshake?.requestHeaders?.map(([n]) => n.toLowerCase())).toEqual(expect.arrayContaining(['sec-websocket-key', 'sec-websocket-extensions']));
    const swFetch = byWorker('service', '/api/echo?from=service-worker');
    expect(swFetch).toMatchObject({ kind: 'fetch', state: 'done', response: { status: 200 }, worker: { url: expect.stringMatching(/\/deep-sw\.js$/) } });
  }

  function expectDeepHar(entries: HarEntry[]) {
    const es = entries.find((e) => e.request.url.endsWith(ES_PATH))!;
    expect(es._eventSourceMessages?.filter((m) => m._netlens?.unlistened).map((m) => [m.eventName, m.data])).toEqual([['Join', 'nobody listens']]);
    expect(es._netlens?.listened).toEqual(['join', 'tick']);
    expect(es._netlens?.rawStream?.some((r) => r.text.includes('retry: 500\n'))).toBe(true);
    const worker = (type: string, path: string) => entries.find((e) => e._netlens?.worker?.type === type && e.request.url.endsWith(path));
    expect(worker('dedicated', '/api/echo?from=dedicated-worker')?.response.status).toBe(200);
    expect(worker('dedicated', '/deep-worker-ws')?._webSocketMessages?.map((m) => [m.type, m.data])).toEqual([
      ['send', 'hello from the worker'],
      ['receive', 'hello from the worker'],
    ]);
    expect(worker('service', '/api/echo?from=service-worker')?.response.status).toBe(200);
  }

  it('the panel says what it costs, turns on with its infobar, records what the page cannot see, and detaches cleanly', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/basic.html`);
    const panel = await openPanelTab(env, tabId);
    await panel.waitForSelector('[data-testid=deep-cost]');
    const cost = await panel.$eval('[data-testid=deep-cost]', (el) => el.textContent ?? '');
    expect(cost).toContain('started debugging this browser');
    expect(cost).toMatch(/\d+\.\d\d× the time of netlens alone/);
    expect(await deepState(panel)).toBe('off');
    const clear = await freshViewport();

    await panel.click('[data-testid=deep-switch]');
    await until(async () => (await deepState(panel)) === 'on');
    // Chromium's "… started debugging this browser" bar takes room from every tab while attached.
    expect(await freshViewport()).toBeLessThan(clear);

    await page.goto(`${env.servers.a}/deep.html?sse&worker&sw`);
    await pageDone(page);
    expect(await page.evaluate(() => (window as unknown as { results: unknown }).results)).toMatchObject({
      sse: [['message', 'line one of 1\nline two'], ['tick', 'line one of 2\nline two']],
      worker: { status: 200, echoed: 'hello from the worker' },
      sw: { body: expect.any(Number) },
    });
    // until keeps the last failure: a timeout names the fact that never arrived.
    const entries = await until(async () => {
      const all = await entriesOf(env, page);
      expectDeepFacts(all);
      return all;
    }, 20_000);
    expectDeepFacts(entries);
    expectDeepHar(JSON.parse(JSON.stringify(buildHar(entries, { redact: false }))).log.entries);
    // The panel: the service worker's fetch is a row, marked with its worker in the detail.
    await until(async () => (await readShownRows(panel)).some((r) => r.url.endsWith('from=service-worker')));
    await clickRow(panel, (r) => r.url.endsWith('from=service-worker'));
    await openDetailTab(panel, 'headers');
    expect(await panel.$eval('[data-testid=worker]', (el) => el.textContent)).toMatch(/^service worker http:\/\/.*\/deep-sw\.js$/);
    // The EventSource's messages show the unlistened event marked; its raw stream has the retry line.
    await clickRow(panel, (r) => r.url.endsWith(ES_PATH));
    await openDetailTab(panel, 'messages');
    await until(async () => (await panel.$$('[data-testid=unlistened]')).length === 1);
    await openDetailTab(panel, 'timing');
    expect(await panel.$eval('[data-testid=sse-raw]', (el) => el.textContent)).toMatch(/^retry: 500\n\n: a comment\n\n/);
    expect(await panel.$eval('[data-testid=sse-unlistened]', (el) => el.textContent)).toMatch(/^1 event reached the browser under names the page does not listen to/);

    await panel.click('[data-testid=deep-switch]');
    await until(async () => (await deepState(panel)) === 'off');
    // Detached: the bar goes within a few seconds (a tab opened now has the whole height again)…
    await until(async () => (await freshViewport()) === clear, 15_000);
    // …and the tab takes a debugger again (a second attach of ours would be refused).
    await panel.evaluate((id) => chrome.debugger.attach({ tabId: id }, '1.3'), tabId);
    await panel.evaluate((id) => chrome.debugger.detach({ tabId: id }), tabId);
    await Promise.all([panel.close(), page.close()]);
  });

  it('says so when another debugger holds the tab (DevTools itself does not count)', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/basic.html`);
    // DevTools open on the tab does not count as another debugger.
    const devtools = await page.openDevTools();
    expect(await env.session.deep(tabId, true)).toEqual({ state: 'on' });
    expect(await env.session.deep(tabId, false)).toEqual({ state: 'off' });
    await devtools.close();
    const panel = await openPanelTab(env, tabId);
    // Another client of chrome.debugger on the same tab (here: an extension page attaching by itself).
    await panel.evaluate((id) => chrome.debugger.attach({ tabId: id }, '1.3'), tabId);
    await panel.waitForSelector('[data-testid=deep-switch]');
    await panel.click('[data-testid=deep-switch]');
    await until(async () => (await deepState(panel)) === 'failed');
    const problem = await panel.$eval('[data-testid=deep-problem]', (el) => el.textContent ?? '');
    expect(problem).toMatch(/^Deep capture could not start: another debugger .* is attached to this tab\. Detach it and try again\. Chrome said: Another debugger is already attached/);
    expect(await panel.$eval('[data-testid=deep-switch]', (el) => (el as HTMLInputElement).checked)).toBe(false);
    await panel.evaluate((id) => chrome.debugger.detach({ tabId: id }), tabId);
    await Promise.all([panel.close(), page.close()]);
  });

  it("puts Chromium's CORS verdict beside the doctor's on the CORS matrix", async () => {
    const { page, tabId } = await env.session.openTab();
    // Chromium's verdict as the DevTools protocol reports it to a client of its own: the reference.
    const failures = await chromiumCorsFailures(page);
    expect(await env.session.deep(tabId, true)).toEqual({ state: 'on' });
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const calls = await runScenarios(page, env.servers);
    const judgedOf = (entries: Entry[], url: string) => entries.filter((e) => e.url === url && (e.kind === 'fetch' || e.kind === 'xhr')).at(-1);
    const entries = await until(async () => {
      const all = await entriesOf(env, page);
      // Chromium's verdict arrived for every call (a block may follow a response).
      return calls.every(({ url }) => {
        const cors = judgedOf(all, url)?.deep?.cors;
        return cors !== undefined && (cors !== null || !failures.has(url));
      }) && all;
    }, 30_000);
    const byId = new Map(entries.map((e) => [e.id, e]));
    const har = buildHar(entries, { redact: false });
    const rows = calls.map(({ s, url }) => {
      const judged = judgedOf(entries, url)!;
      const doctor = corsForEntry(judged, (id) => byId.get(id))!;
      const harEntry = har.log.entries.find((e) => e._netlens?.id === judged.id)!;
      return {
        name: s.name,
        reference: failures.get(url) ?? null,
        chromium: judged.deep?.cors,
        inHar: (harEntry._netlens?.cors as { chromium?: unknown } | undefined)?.chromium,
        disagreement: corsDisagreement(doctor, judged.deep!.cors!),
      };
    });
    expect(rows.map((r) => [r.name, r.chromium])).toEqual(rows.map((r) => [r.name, r.reference]));
    expect(rows.map((r) => [r.name, r.inHar])).toEqual(rows.map((r) => [r.name, r.reference]));
    // The doctor agrees with Chromium on the whole matrix (cors-matrix.test.ts), so no note.
    expect(rows.filter((r) => r.disagreement)).toEqual([]);
    expect(rows.filter((r) => r.reference).length).toBeGreaterThan(10);
    expect(rows).toHaveLength(SCENARIOS.length);

    // The CORS tab shows Chromium's verdict beside the doctor's.
    const blocked = calls.find(({ s }) => s.name === 'custom header not allowed')!;
    const panel = await openPanelTab(env, tabId);
    await until(async () => (await panel.evaluate(() => (window as unknown as { netlensPanel: { rows(): unknown[] } }).netlensPanel.rows().length)) > calls.length);
    await clickRow(panel, (r) => r.url === blocked.url && r.kind === 'fetch');
    await openDetailTab(panel, 'cors');
    const shown = await panel.$eval('[data-testid=cors-chromium]', (el) => ({ error: el.getAttribute('data-error'), text: el.textContent }));
    expect(shown.error).toBe(failures.get(blocked.url)?.corsError);
    expect(shown.text).toContain("Chromium's verdict (deep capture): blocked");
    expect(await panel.$('[data-testid=cors-disagree]')).toBeNull();
    await env.session.deep(tabId, false);
    await Promise.all([panel.close(), page.close()]);
  }, scaled(120_000));

  it('netlens capture --deep writes the same facts to the HAR', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'netlens-deep-')), 'trace.har');
    const res = await cli(['capture', `${env.servers.a}/deep.html?sse&worker&sw`, '--deep', '--out', out, '--no-redact']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expectDeepHar(JSON.parse(readFileSync(out, 'utf8')).log.entries);
  });
});
