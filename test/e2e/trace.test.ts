import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import harValidator from 'har-validator';
import type { ElementHandle } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import type { CorsReport } from '../../src/shared/cors';
import type { HarEntry, HarNetlens } from '../../src/shared/har';
import { corsReportOf } from '../../src/shared/trace';
import { importHar, MAX_WARNINGS } from '../../src/shared/har/import';
import { planRedaction } from '../../src/shared/redact';
import { ROOT, clickRow, openDetailTab, entriesOf, openPanelTab, pageDone, readRows, scaled, startEnv, until, type Env } from '../helpers/env';


/** An entry as a netlens trace holds it: `_netlens` always, with the CORS report in it. */
type TraceEntry = HarEntry & { _netlens: HarNetlens & { cors?: CorsReport } };


describe('traces: netlens capture, export and import', () => {
  let env: Env;
  const dir = mkdtempSync(join(tmpdir(), 'netlens-trace-'));
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });
  const demoUrl = () => `${env.servers.a}/index.html?other=${encodeURIComponent(env.servers.b)}`;

  it('captures the demo site headless into a valid HAR with every kind, messages, CORS and no secrets', async () => {
    const out = join(dir, 'demo.har');
    const res = await cli(['capture', demoUrl(), '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/CORS failure:\n {2}GET .*HeaderDisallowedByPreflightResponse — fix: add `Access-Control-Allow-Headers: x-api-key`/);
    const text = readFileSync(out, 'utf8');
    const har = JSON.parse(text);
    await expect(harValidator.har(har)).resolves.toBeTruthy();
    expect(har.log.creator.name).toBe('netlens');
    const entries = har.log.entries as TraceEntry[];
    expect(new Set(entries.map((e) => e._resourceType))).toEqual(new Set(['xhr', 'fetch', 'websocket', 'eventsource', 'script', 'ping', 'preflight']));

    const ws = entries.find((e) => e._resourceType === 'websocket')!;
    expect(ws._webSocketMessages!.filter((m) => m.type === 'send').map((m) => [m.opcode, m.data])).toEqual([
      [1, 'hello'],
      [1, '{"type":"ping","n":1}'],
      [2, 'AQID'],
      [8, expect.stringContaining('1000')],
    ]);
    expect(ws._webSocketMessages!.find((m) => m.type === 'receive')).toMatchObject({ opcode: 1, data: '{"hello":"demo"}' });
    expect(ws._netlens.close?.code).toBe(1000);

    const sse = entries.find((e) => e._resourceType === 'eventsource')!;
    expect(sse._eventSourceMessages!.slice(0, 2)).toMatchObject([
      { time: expect.any(Number), eventName: 'message', eventId: '1', data: 'line one of 1\nline two' },
      { time: expect.any(Number), eventName: 'tick', eventId: '2', data: 'line one of 2\nline two' },
    ]);

    const jsonp = entries.find((e) => e._resourceType === 'script')!;
    expect(jsonp._netlens.jsonp).toMatchObject({ callback: 'DemoRegistry.cb1', called: true });

    const blocked = entries.find((e) => e._netlens.cors?.outcome === 'blocked')!;
    expect(blocked._netlens.cors).toMatchObject({ error: 'HeaderDisallowedByPreflightResponse', preflight: { needed: true } });
    // The demo sends X-Api-Key: demo-secret-123; redaction is on by default.
    expect(text).not.toContain('demo-secret-123');
    expect(text).toContain('[redacted:');
  }, scaled(120_000));

  it('keeps secrets only with --no-redact, and waits --duration after load', async () => {
    const out = join(dir, 'raw.har');
    const res = await cli(['capture', demoUrl(), '--out', out, '--no-redact', '--duration', '2500']);
    expect(res.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('demo-secret-123');
  }, scaled(120_000));

  it('fails clearly: an unreachable URL, a missing Chromium, a usage error', async () => {
    const bad = await cli(['capture', 'http://127.0.0.1:9/nothing', '--out', join(dir, 'x.har')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('netlens: could not open http://127.0.0.1:9/nothing');
    const noChromium = await cli(['capture', demoUrl(), '--out', join(dir, 'y.har')], { CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(noChromium.code).toBe(2);
    expect(noChromium.stderr).toContain('Chromium not found');
    const usage = await cli(['capture', demoUrl()]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('capture needs --out');
    const badOption = await cli(['capture', demoUrl(), '--out', join(dir, 'z.har'), '--durtion', '5']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--durtion'");
  }, scaled(60_000));

  it('exports from the panel with a redaction preview, and imports into the standalone viewer', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    await page.evaluate(() => fetch('/api/echo?token=planted-query-secret', { headers: { Authorization: 'Bearer planted-bearer-secret' } }));
    // Export once everything is in: every call ended and joined with what the wire saw. Before
    // that the preview (and the download button below it) still moves, and the file may lack them.
    const entries = await until(async () => {
      const list = await entriesOf(env, page);
      return list.length === 5 && list.every((e) => e.state === 'done' && e.kind !== 'other' && e.wire?.statusCode) && list;
    });
    const byId = new Map(entries.map((e) => [e.id, e]));
    const want = planRedaction(entries, { headers: [], fields: [] }, { cors: (e) => corsReportOf(e, byId) }).map((f) => `${f.where} ${f.name} ${f.sample}`);
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    const downloads = mkdtempSync(join(tmpdir(), 'netlens-dl-'));
    const cdp = await panel.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await panel.locator('[data-testid=export-open]').click();
    // The preview lists exactly what redaction will remove from these entries.
    const preview = () => panel.$$eval('[data-testid=export-findings] li', (lis) => lis.map((li) => li.textContent ?? ''));
    await until(async () => JSON.stringify(await preview()) === JSON.stringify(want)).catch(() => undefined);
    const findings = await preview();
    expect(findings).toEqual(want);
    expect(findings.join('\n')).toContain('Authorization');
    expect(findings.join('\n')).toContain('token');
    await panel.locator('[data-testid=export-download]').click();
    const file = await until(async () => readdirSync(downloads).find((f) => f.endsWith('.har')));
    const text = readFileSync(join(downloads, file), 'utf8');
    expect(text).not.toContain('planted-bearer-secret');
    expect(text).not.toContain('planted-query-secret');
    await panel.close();

    // The viewer: the panel page with no inspected tab. netlens → HAR → netlens keeps every row.
    const viewer = await env.session.browser.newPage();
    await viewer.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html`);
    const input = (await viewer.$('[data-testid=import-file]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(downloads, file));
    const rows = await until(async () => {
      const r = await readRows(viewer);
      return r.length >= 5 && r;
    });
    expect(rows.map((r) => [r.kind, r.method, r.status])).toEqual([
      ['fetch', 'GET', '200'],
      ['xhr', 'GET', '200'],
      ['fetch', 'POST', '200'],
      ['xhr', 'PUT', '404'],
      ['fetch', 'GET', '200'],
    ]);
    // A Chrome-style WebSocket trace from another tool opens too, with its messages.
    await ((await viewer.$('[data-testid=import-file]')) as ElementHandle<HTMLInputElement>).uploadFile(resolve(ROOT, 'test/fixtures/har/mitmproxy-websocket.har'));
    const wsRows = await until(async () => {
      const r = await readRows(viewer);
      return r.length === 3 && r.every((x) => x.kind === 'websocket') && r;
    });
    expect(wsRows.map((r) => r.status)).toEqual(['101', '101', '101']);
    await clickRow(viewer, () => true);
    await openDetailTab(viewer, 'messages');
    const messages = await until(() => viewer.$$eval('[data-testid=messages] li', (lis) => lis.length));
    expect(messages).toBeGreaterThan(0);
    await viewer.close();
    await page.close();
  }, scaled(120_000));

  it("what an import could not read is listed, as text, under the trace's warning count", async () => {
    const markup = '<img src=x onerror="window.__pwned=1">';
    const good = {
      startedDateTime: '2024-01-01T00:00:00.000Z',
      time: 1,
      request: { method: 'GET', url: 'https://a.test/ok', httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: '', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'text/plain' }, redirectURL: '', headersSize: -1, bodySize: 0 },
      cache: {},
      timings: { send: 0, wait: 1, receive: 0 },
    };
    const quoting = { ...good, _netlens: { id: 'd:1', kind: 'fetch', state: 'done', startTime: 1_704_067_200_000, frameOrigin: markup } };
    const har = { log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: [good, quoting, ...Array.from({ length: MAX_WARNINGS + 4 }, () => 'nope')] } };
    const file = join(dir, 'warnings.har');
    writeFileSync(file, JSON.stringify(har));
    const want = importHar(har);
    expect(want.warnings.length + want.moreWarnings).toBe(MAX_WARNINGS + 5);
    const viewer = await env.session.browser.newPage();
    await viewer.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html`);
    await ((await viewer.$('[data-testid=import-file]')) as ElementHandle<HTMLInputElement>).uploadFile(file);
    await viewer.waitForSelector('[data-testid=imported]:not([data-reading])', { timeout: scaled(60_000) });
    await viewer.click('[data-testid=import-warnings] summary');
    const shown = await viewer.$eval('[data-testid=import-warnings]', (el) => ({
      summary: el.querySelector('summary')!.textContent,
      lines: [...el.querySelectorAll('li')].map((li) => li.textContent),
      more: el.querySelector('p')?.textContent,
      images: el.querySelectorAll('img').length,
    }));
    expect(shown).toEqual({ summary: ` (${(MAX_WARNINGS + 5).toLocaleString('en')} warnings)`, lines: want.warnings, more: `… and ${want.moreWarnings} more, not kept.`, images: 0 });
    expect(shown.lines[0]).toContain('<img src=x onerror=');
    expect(await viewer.evaluate('window.__pwned')).toBeUndefined();
    await viewer.close();
  }, scaled(60_000));

  it('a big HAR opens at once and is read in slices: every entry ends up listed, in file order', async () => {
    const n = 6_000;
    const har = join(dir, 'big.har');
    const entries = Array.from({ length: n }, (_, i) => ({
      startedDateTime: new Date(Date.UTC(2024, 0, 1) + i).toISOString(),
      time: 1,
      request: { method: i % 3 ? 'GET' : 'POST', url: `https://a.test/item/${i}`, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 200 + (i % 2), statusText: '', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'text/plain' }, redirectURL: '', headersSize: -1, bodySize: 0 },
      cache: {},
      timings: { send: 0, wait: 1, receive: 0 },
    }));
    writeFileSync(har, JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } }, null, 2));
    const viewer = await env.session.browser.newPage();
    await viewer.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html`);
    await ((await viewer.$('[data-testid=import-file]')) as ElementHandle<HTMLInputElement>).uploadFile(har);
    await viewer.waitForSelector('[data-testid=imported]:not([data-reading])', { timeout: scaled(60_000) });
    expect(await viewer.$eval('[data-testid=status-bar]', (el) => [el.querySelector('[data-testid=count]')?.textContent, el.querySelector('[data-testid=total]')?.textContent])).toEqual([`${n} shown`, `${n} entries`]);
    const shown = (await viewer.evaluate(() =>
      (window as unknown as { netlensPanel: { store: { visible(): { url: string; method: string }[] } } }).netlensPanel.store.visible().map((e) => `${e.method} ${e.url}`),
    )) as string[];
    expect(shown).toEqual(entries.map((e) => `${e.request.method} ${e.request.url}`));
    // The list is drawn from the first entry, and filtering covers the entries read last.
    expect((await readRows(viewer))[0].url).toBe('https://a.test/item/0');
    await viewer.type('[data-testid=filter-text]', `item/${n - 1}`);
    await until(async () => (await viewer.$eval('[data-testid=count]', (el) => el.textContent)) === '1 shown');
    // Export what the filter shows only: that one entry.
    const downloads = mkdtempSync(join(tmpdir(), 'netlens-dl-shown-'));
    await (await viewer.createCDPSession()).send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await viewer.click('[data-testid=export-open]');
    await viewer.click('[data-testid=export-shown]');
    await until(async () => (await viewer.$eval('[data-testid=export-download]', (b) => b.textContent)) === 'Download 1 entries');
    await viewer.click('[data-testid=export-download]');
    const file = await until(async () => readdirSync(downloads).find((f) => f.endsWith('.har')));
    const exported = JSON.parse(readFileSync(join(downloads, file), 'utf8')) as { log: { entries: { request: { url: string } }[] } };
    expect(exported.log.entries.map((e) => e.request.url)).toEqual([`https://a.test/item/${n - 1}`]);
    await viewer.close();
  }, scaled(120_000));
});
