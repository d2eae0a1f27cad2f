import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setWireMode } from '../../src/cli/chromium';
import type { TabRecord, WireEvent } from '../../src/shared/protocol';
import { entriesOf, openPanelInDevTools, openPanelTab, pageDone, readShownRows, startEnv, until, type Env } from '../helpers/env';

/**
 * The wire view's scope (src/shared/wire-scope.ts) in the default mode, `panel`: webRequest
 * listeners only for tabs with a netlens panel open, from when it connects; the page script
 * records regardless. And `always`, which the other tests run with.
 */
describe('wire view scope', () => {
  let env: Env;
  /** An extension page: asks the worker what it knows of a tab (the popup's question). */
  let ext: Page;
  beforeAll(async () => {
    env = await startEnv({ wire: 'panel' });
    ext = await env.session.browser.newPage();
    await ext.goto(`chrome-extension://${env.session.extensionId}/src/popup/popup.html`);
  });
  afterAll(async () => {
    await env?.close();
  });

  /** What the popup is told of `tabId`: a panel open on it, the wire view on for it. */
  const tabState = (tabId: number) => ext.evaluate(async (id: number) => (await chrome.runtime.sendMessage({ type: 'scope:get', tabId: id })) as { panelOpen: boolean; wire: boolean }, tabId);
  const panelOpen = async (tabId: number) => (await tabState(tabId)).panelOpen;

  /** A cross-origin fetch that needs a preflight (a custom header), tagged `mark`; resolves when it has its response. */
  const preflighted = (page: Page, mark: string) =>
    page.evaluate(
      (b: string, origin: string, m: string) =>
        fetch(`${b}/api/echo?mark=${m}&acao=${encodeURIComponent(origin)}&acah=x-test`, { headers: { 'X-Test': '1' } }).then((r) => r.text()),
      env.servers.b,
      env.servers.a,
      mark,
    );

  /** A new tab with basic.html loaded. */
  const loadedTab = async () => {
    const tab = await env.session.openTab();
    await tab.page.goto(`${env.servers.a}/basic.html`);
    await pageDone(tab.page);
    return tab;
  };
  /** Clicks the status bar's reload in `panel` and waits for the page's load; resolves with the reloaded page's inline fetch, seen on the wire. */
  const reloadFromPanel = async (page: Page, panel: Page | Frame) => {
    const loaded = new Promise((resolve) => page.once('load', resolve));
    await (await panel.waitForSelector('[data-testid=wire-reload]'))!.click();
    await loaded;
    return until(async () => (await entriesOf(env, page)).find((e) => e.url.endsWith('from=inline-fetch') && e.wire?.statusCode === 200));
  };

  const wireOf = (records: TabRecord[], mark: string) => records.map((r) => r.ev).filter((ev): ev is WireEvent => ev.type === 'wire' && ev.url.includes(`mark=${mark}`));

  it('sees no tab on the wire until a panel opens on it, then that tab only, and none once it closes', async () => {
    const { page, tabId } = await loadedTab();
    const other = await loadedTab();

    // No panel: the page script records the request, the wire view does not (the popup says so).
    expect(await tabState(tabId)).toMatchObject({ panelOpen: false, wire: false });
    await preflighted(page, 'before');
    await until(async () => (await entriesOf(env, page)).find((e) => e.url.includes('mark=before') && e.response?.status === 200));

    const panel = await openPanelTab(env, tabId);
    await panel.waitForSelector('[data-testid=wire-since]');
    expect(await tabState(tabId)).toMatchObject({ panelOpen: true, wire: true });
    expect(await tabState(other.tabId)).toMatchObject({ wire: false });
    await preflighted(page, 'open');
    await preflighted(other.page, 'other');
    // The tab with the panel: its preflight and the request as sent, with what the browser added.
    const open = await until(async () => {
      const wire = wireOf(await env.session.records(tabId), 'open');
      return wire.some((ev) => ev.method === 'OPTIONS' && ev.phase === 'completed') && wire.some((ev) => ev.method === 'GET' && ev.phase === 'completed') && wire;
    });
    const sent = open.find((ev) => ev.method === 'GET' && ev.phase === 'send')!;
    expect(sent.requestHeaders?.find(([name]) => name.toLowerCase() === 'origin')?.[1]).toBe(env.servers.a);
    expect(wireOf(await env.session.records(tabId), 'before')).toEqual([]);
    // The panel does not take the request from before it opened for one the network never saw.
    const rows = await until(async () => {
      const shown = await readShownRows(panel);
      return shown.some((r) => r.url.includes('mark=open') && r.status === '200') && shown;
    });
    expect(rows.filter((r) => /mark=(before|open)/.test(r.url)).map((r) => [r.url.split('mark=')[1].split('&')[0], r.notOnWire])).toEqual([
      ['before', false],
      ['open', false],
    ]);
    // The other tab's request came back before the panel tab's records were read; it has no wire records.
    await until(async () => (await entriesOf(env, other.page)).find((e) => e.url.includes('mark=other') && e.response?.status === 200));
    expect(wireOf(await env.session.records(other.tabId), 'other')).toEqual([]);

    await panel.close();
    await until(async () => !(await panelOpen(tabId)));
    expect(await tabState(tabId)).toMatchObject({ wire: false });
    await preflighted(page, 'closed');
    await until(async () => (await entriesOf(env, page)).find((e) => e.url.includes('mark=closed') && e.response?.status === 200));
    expect(wireOf(await env.session.records(tabId), 'closed')).toEqual([]);
    await page.close();
    await other.page.close();
  });

  it("the status bar's reload brings the page's first requests onto the wire", async () => {
    const { page, tabId } = await loadedTab();
    const first = await until(async () => (await entriesOf(env, page)).find((e) => e.url.endsWith('from=inline-fetch') && e.response?.status === 200));
    expect(first.wire).toBeUndefined();
    const panel = await openPanelTab(env, tabId);
    expect((await reloadFromPanel(page, panel)).id).not.toBe(first.id);
    await panel.close();
    await page.close();
  });

  it('inside real DevTools: the netlens panel turns its tab\'s wire view on, and its reload goes through DevTools', async () => {
    const { page, tabId } = await loadedTab();
    const panel = await openPanelInDevTools(env, page);
    await panel.waitForSelector('[data-testid=wire-since]');
    expect(await tabState(tabId)).toMatchObject({ panelOpen: true, wire: true });
    await reloadFromPanel(page, panel);
    await page.close();
  });

  it('follows the panel through a stop of the worker, and records every tab in `always` mode', async () => {
    const { page, tabId } = await loadedTab();
    const panel = await openPanelTab(env, tabId);
    await panel.waitForSelector('[data-testid=wire-since]');
    const boot = await env.session.workerBoot();
    await env.session.stopWorker();
    // The next run knows the panel once it has reconnected.
    await until(async () => (await env.session.workerBoot()) !== boot && (await panelOpen(tabId)));
    await preflighted(page, 'restarted');
    await until(async () => wireOf(await env.session.records(tabId), 'restarted').some((ev) => ev.method === 'OPTIONS' && ev.phase === 'completed'));
    await panel.close();
    await until(async () => !(await panelOpen(tabId)));
    // No listener of the last run (nor of this one) is left on the tab.
    await preflighted(page, 'after-restart-closed');
    await until(async () => (await entriesOf(env, page)).find((e) => e.url.includes('mark=after-restart-closed') && e.response?.status === 200));
    expect(wireOf(await env.session.records(tabId), 'after-restart-closed')).toEqual([]);

    await setWireMode(ext, 'always');
    await preflighted(page, 'always');
    await until(async () => wireOf(await env.session.records(tabId), 'always').some((ev) => ev.method === 'OPTIONS' && ev.phase === 'completed'));
    await setWireMode(ext, 'panel');
    await page.close();
  });
});
