import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOf, openPanelTab, pageDone, readRows, startEnv, until, type Env } from '../helpers/env';

/**
 * Recording scope (issue #15): the toolbar popup switches a site off, on, or "only while DevTools
 * is open on it". A site that is off gets no page script and keeps no records.
 */
describe('recording scope per site', () => {
  let env: Env;
  let popup: Page;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  /** The popup (as a tab) for `tabId`, once it shows that tab's state. */
  const openPopup = async (tabId: number) => {
    popup = await env.session.browser.newPage();
    await popup.goto(`chrome-extension://${env.session.extensionId}/src/popup/popup.html?tabId=${tabId}`);
    await popup.waitForSelector('[data-testid=scope]');
    return popup;
  };
  /** Chooses a mode in the popup, as a person would, and waits until the background applied it. */
  const choose = async (mode: 'on' | 'off' | 'devtools', site: string, excluded: boolean) => {
    await popup.click(`[data-testid=mode-${mode}]`);
    await popup.waitForSelector(`[data-testid=scope][data-mode=${mode}]`);
    await waitExcluded(site, excluded);
  };
  /** Waits until the registered content scripts leave `site` out (or not). */
  const waitExcluded = (site: string, excluded: boolean) =>
    popup.waitForFunction(
      async (pattern: string, want: boolean) => {
        const scripts = await chrome.scripting.getRegisteredContentScripts();
        return scripts.length === 2 && scripts.every((s) => (s.excludeMatches ?? []).includes(pattern) === want);
      },
      { polling: 50 },
      `${site}/*`,
      excluded,
    );

  /** What shows whether our page script is in the page: its listeners on window, and whether `fetch` is a Proxy. */
  const patchesIn = async (page: Page) => {
    const cdp = await page.createCDPSession();
    const { result: win } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: win.objectId! });
    const { result: fetchFn } = await cdp.send('Runtime.evaluate', { expression: 'window.fetch' });
    const { internalProperties } = await cdp.send('Runtime.getProperties', { objectId: fetchFn.objectId!, ownProperties: true });
    await cdp.detach();
    const seen = await page.evaluate(() => ({
      fetch: String(fetch),
      toString: Function.prototype.toString.call(XMLHttpRequest.prototype.open),
      proto: Object.getOwnPropertyNames(XMLHttpRequest.prototype).join(),
    }));
    return { listeners: [...new Set(listeners.map((l) => l.type))].sort(), proxy: (internalProperties ?? []).some((p) => p.name === '[[Handler]]'), seen };
  };

  /** Records of `tabId` once `witness`, a tab that is recorded, saw a later fetch: whatever `tabId` sent is in by then. */
  const recordsAfterWitness = async (tabId: number, witness: Page, tag: string) => {
    await witness.evaluate((t) => fetch(`/api/echo?witness=${t}`).then((r) => r.text()), tag);
    await until(async () => (await entriesOf(env, witness)).some((e) => e.url.endsWith(`witness=${tag}`) && e.state === 'done'));
    return env.session.records(tabId);
  };

  it('off: no page patches and no records; on again: recorded from the next load', async () => {
    const site = env.servers.a;
    const witness = await env.session.browser.newPage();
    await witness.goto(`${env.servers.b}/compliance-blank.html`);
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${site}/basic.html`);
    await pageDone(page);
    const on = await patchesIn(page);
    expect(on.proxy).toBe(true);
    expect(on.listeners).toContain('pagehide');

    await openPopup(tabId);
    expect(await popup.$eval('[data-testid=scope-site]', (e) => e.textContent)).toBe(site);
    await choose('off', site, true);
    await page.reload();
    await pageDone(page);
    const off = await patchesIn(page);
    // Only the page's own listeners (basic.html adds `message` and `load`), a native fetch.
    expect(off.listeners).toEqual(['load', 'message']);
    expect(off.proxy).toBe(false);
    expect(off.seen).toEqual(on.seen);
    // Nothing from this load: not its page records, not its wire rows.
    const before = (await env.session.records(tabId)).length;
    await page.evaluate(() => fetch('/api/echo?from=while-off').then((r) => r.text()));
    expect((await recordsAfterWitness(tabId, witness, 'off')).filter((r) => JSON.stringify(r.ev).includes('while-off'))).toEqual([]);
    expect((await env.session.records(tabId)).length).toBe(before);
    await popup.reload();
    await popup.waitForSelector('[data-testid=scope][data-mode=off][data-injected=false]');

    await choose('on', site, false);
    await page.reload();
    await pageDone(page);
    expect((await patchesIn(page)).proxy).toBe(true);
    await until(async () => (await entriesOf(env, page)).filter((e) => e.url === `${site}/api/status?code=404` && e.kind === 'xhr' && e.state === 'done').length === 1);
    await popup.reload();
    await popup.waitForSelector('[data-testid=scope][data-mode=on][data-injected=true]');
    expect(await popup.$eval('[data-testid=scope-status]', (e) => e.textContent)).toMatch(/^Recording\. \d+ page records, \d+ wire records in this tab\.$/);
    await popup.close();
    await witness.close();
    await page.close();
  });

  it('only while DevTools is open: recorded in the tab whose panel is open, from its next load', async () => {
    const site = env.servers.b;
    const witness = await env.session.browser.newPage();
    await witness.goto(`${env.servers.a}/compliance-blank.html`);
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${site}/basic.html`);
    await pageDone(page);
    await openPopup(tabId);
    await choose('devtools', site, true);
    const cleared = await popup.evaluate((id) => chrome.runtime.sendMessage({ type: 'scope:get', tabId: id }), tabId);
    expect(cleared).toMatchObject({ site, mode: 'devtools', panelOpen: false });
    await page.reload();
    await pageDone(page);
    expect((await patchesIn(page)).proxy).toBe(false);
    const count = (await recordsAfterWitness(tabId, witness, 'closed')).length;

    // The panel opens on this tab: the site gets the page script again, this tab records.
    const panel = await openPanelTab(env, tabId);
    await waitExcluded(site, false);
    await page.reload();
    await pageDone(page);
    expect((await patchesIn(page)).proxy).toBe(true);
    await until(async () => (await readRows(panel)).some((r) => r.kind === 'xhr' && r.url === `${site}/api/status?code=404` && r.status === '404'));
    expect((await env.session.records(tabId)).length).toBeGreaterThan(count);

    // The panel closes: left out again.
    await panel.close();
    await waitExcluded(site, true);
    await page.reload();
    await pageDone(page);
    expect((await patchesIn(page)).proxy).toBe(false);
    await choose('on', site, false);
    await popup.close();
    await witness.close();
    await page.close();
  });
});
