import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOf, openPanelInDevTools, openPanelTab, pageDone, readRows, startEnv, until, type Env } from '../helpers/env';

describe('walking skeleton: page → relay → background → panel', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  const expected = (origin: string) => [
    { kind: 'fetch', method: 'GET', url: `${origin}/api/echo?from=inline-fetch`, status: '200' },
    { kind: 'xhr', method: 'GET', url: `${origin}/api/echo?from=inline-xhr`, status: '200' },
    { kind: 'fetch', method: 'POST', url: `${origin}/api/echo?from=after-load`, status: '200' },
    { kind: 'xhr', method: 'PUT', url: `${origin}/api/status?code=404`, status: '404' },
  ];

  it('captures XHR and fetch made before and after load, from the first inline script on', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const entries = await until(async () => {
      const list = await entriesOf(env, page);
      return list.length >= 4 && list.every((e) => e.state === 'done' && e.kind !== 'other') && list;
    });
    expect(entries.map((e) => ({ kind: e.kind, method: e.method, url: e.url, status: String(e.response?.status) }))).toEqual(expected(env.servers.a));
    // Headers the page set, combined as the browser does; and what went on the wire.
    expect(entries[2].request.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-demo', '1'],
    ]);
    expect(entries[3].request.headers).toEqual([['X-Trace', 'a, b']]);
    expect(entries[3].wire?.requestHeaders?.find(([n]) => n.toLowerCase() === 'x-trace')?.[1]).toBe('a, b');
    expect(entries[2].wire?.statusCode).toBe(200);
    for (const e of entries) expect(e.endTime! - e.startTime).toBeGreaterThanOrEqual(0);
    // The page's own message listeners never saw our channel.
    expect(await page.evaluate('window.messagesSeen')).toEqual([]);
    await page.close();
  });

  it('lists every call in the panel opened as a tab', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const tabId = await env.session.tabIdOf(page);
    const panel = await openPanelTab(env, tabId);
    const rows = await until(async () => {
      const r = await readRows(panel);
      return r.length >= 4 && r.every((x) => x.status !== '(pending)' && x.kind !== 'other') && r;
    });
    expect(rows).toEqual(expected(env.servers.a));
    await panel.close();
    await page.close();
  });

  it('lists calls made before DevTools was opened in the panel inside real DevTools', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const frame = await openPanelInDevTools(env, page);
    const rows = await until(async () => {
      const r = await readRows(frame);
      return r.length >= 4 && r.every((x) => x.status !== '(pending)' && x.kind !== 'other') && r;
    });
    expect(rows).toEqual(expected(env.servers.a));
    // And it keeps up with calls made while it is open.
    await page.evaluate(() => fetch('/api/echo?from=devtools-open'));
    const more = await until(async () => {
      const r = await readRows(frame);
      // The wire record may land a moment before the page's (coalesced) one: wait for the join,
      // and for the end (its start may come in a message of its own).
      return r.length >= 5 && r[4].kind !== 'other' && r[4].status !== '(pending)' && r;
    });
    expect(more[4]).toEqual({ kind: 'fetch', method: 'GET', url: `${env.servers.a}/api/echo?from=devtools-open`, status: '200' });
    await page.close();
  });
});
