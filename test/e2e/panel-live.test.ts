import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { openPanelTab, pageDone, startEnv, until, type Env } from '../helpers/env';

/**
 * Live records reach an open panel packed (src/shared/live-codec.ts): each without what the
 * records before it on the port said; so does the snapshot a panel opened later asks for. What a
 * panel watching live shows, and what a panel opened afterwards shows from the snapshot (in
 * several pages), must both be what the background's records say, read as they are.
 */
describe('panel watching live', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  /** The panel's entries, as export reads them. */
  const entries = (panel: Page) => panel.evaluate(() => JSON.stringify((window as unknown as { netlensPanel: { store: { allEntries(): unknown[] } } }).netlensPanel.store.allEntries()));
  const lastSeq = (panel: Page) => panel.evaluate(() => (window as unknown as { netlensPanel: { store: { lastSeq(): number } } }).netlensPanel.store.lastSeq());

  it('shows the same entries as a panel opened after the page ran', async () => {
    const { page, tabId } = await env.session.openTab();
    const live = await openPanelTab(env, tabId);
    // Subscribed: the background tells the wire state after the snapshot.
    await live.waitForFunction('window.netlensPanel?.store.wire.value !== undefined', { polling: 50 });
    const seqAtOpen = await lastSeq(live);

    // Every HTTP case of the panel's page (uploads, aborts, redirects, an iframe, a stream), then
    // cross-origin requests (with and without a preflight) and a WebSocket's messages.
    await page.goto(`${env.servers.a}/panel-http.html`);
    await pageDone(page);
    await page.evaluate(async (b: string) => {
      await fetch(`${b}/api/echo?case=live-simple&acao=*`).then((r) => r.text(), () => {});
      await fetch(`${b}/api/echo?case=live-preflight&acao=*&acam=PUT&acah=x-custom`, { method: 'PUT', headers: { 'x-custom': '1' } }).then((r) => r.text(), () => {});
      // Enough records for a snapshot of more than one page (1,000 records a page).
      for (let i = 0; i < 150; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => fetch(`/api/items?live=${i + k}`, { headers: { 'x-n': String(k % 3) } }).then((r) => r.text())));
      await new Promise<void>((done) => {
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/ws`);
        let n = 0;
        ws.onopen = () => { for (let i = 0; i < 20; i++) ws.send(`m${i}`); };
        ws.onmessage = () => { if (++n === 20) { ws.close(); done(); } };
        ws.onerror = () => done();
      });
    }, env.servers.b);

    const seq = async () => (await env.session.records(tabId)).at(-1)?.seq ?? 0;
    // Everything the background holds has reached the live panel.
    await until(async () => (await lastSeq(live)) >= (await seq()) && (await seq()) > 0, 30_000);
    const after = await openPanelTab(env, tabId);
    await until(async () => (await lastSeq(after)) >= (await lastSeq(live)), 30_000);
    // The live panel had nothing when it subscribed: what it shows came live.
    expect(seqAtOpen).toBe(0);
    // The truth: a panel on no tab given the background's records as they are (the CLI's read, unpacked).
    const records = await env.session.records(tabId);
    expect(records.length).toBeGreaterThan(1_000);
    const truth = await env.session.browser.newPage();
    await truth.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html`);
    await truth.waitForFunction('!!window.netlensPanel');
    await truth.evaluate((tab: number, list: unknown[]) => (window as unknown as { netlensPanel: { store: { applyMessage(m: unknown): void } } }).netlensPanel.store.applyMessage({ type: 'snapshot', tabId: tab, records: list, dropped: 0 }), tabId, records);
    const expected = await entries(truth);
    expect(JSON.parse(expected).length).toBeGreaterThan(160);
    expect(await entries(live)).toBe(expected);
    expect(await entries(after)).toBe(expected);
    await Promise.all([live.close(), after.close(), truth.close(), page.close()]);
  });
});
