import { resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOf, ROOT, startEnv, until, type Env } from '../helpers/env';
import { launchPlain, type Plain } from '../helpers/plain';
import { isWireOnly } from '../../src/shared/timeline';

/**
 * What Chromium itself prints in DevTools' console for a WebSocket whose handshake the server
 * refuses (HTTP 400 instead of 101), with and without netlens.
 *
 * Chromium logs it as a `network` Log entry (CDP `Log.entryAdded`, what the console shows):
 * "WebSocket connection to '<url>' failed: Error during WebSocket handshake: Unexpected response
 * code: 400". While any extension holding the `webRequest` permission is loaded, Chromium routes
 * every WebSocket handshake through its webRequest proxy (WebRequestProxyingWebSocket), whose
 * OnFailure discards the failure text: the message ends after "failed: ", and the Network
 * panel's `webSocketFrameError` is empty. That comes from the permission alone (a control
 * extension with no code does the same; Chromium 156), not from listeners or `extraHeaders`.
 * netlens as released holds no `webRequest` (its wire view comes from DevTools: README), so
 * Chromium prints the reason in full with it; the copy `netlens capture` loads holds the
 * permission (src/cli/chromium.ts withWebRequest): these tests hold that copy to the control, and
 * pin its gap to Chromium without extensions.
 */
describe('Chromium console diagnostics with netlens', () => {
  /** netlens as released (no webRequest). */
  let env: Env;
  /** netlens holding webRequest, as `netlens capture` and the demo load it. */
  let held: Env;
  /** Chromium without extensions. */
  let plain: Plain;
  /** Chromium with an extension that only holds the webRequest permission. */
  let control: Plain;
  beforeAll(async () => {
    [env, held, plain, control] = await Promise.all([
      startEnv({ webRequest: false }),
      startEnv(),
      launchPlain(),
      launchPlain({ extension: resolve(ROOT, 'test/fixtures/extensions/webrequest-only') }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), control?.close()]);
    await Promise.all([env?.close(), held?.close()]);
  });

  const wsUrl = () => `${env.servers.a.replace('http', 'ws')}/ws-reject`;

  /**
   * Opens a WebSocket to `/ws-reject` from a page in `browser` and returns that page, what the
   * page observed (events in order, close code), the text of every `network` Log entry about
   * that WebSocket (the console), and every `Network.webSocketFrameError` message (the Network
   * panel's), once one of each arrived.
   */
  async function refused(browser: Browser, tab?: Page): Promise<{ page: Page; observed: unknown; logged: string[]; frameErrors: string[] }> {
    const page = tab ?? (await browser.newPage());
    const cdp = await page.createCDPSession();
    const logged: string[] = [];
    const frameErrors: string[] = [];
    cdp.on('Log.entryAdded', ({ entry }) => {
      if (entry.source === 'network' && entry.text.includes(wsUrl())) logged.push(entry.text);
    });
    // The page opens one WebSocket: every frame error is about it.
    cdp.on('Network.webSocketFrameError', ({ errorMessage }) => frameErrors.push(errorMessage));
    await Promise.all([cdp.send('Log.enable'), cdp.send('Network.enable')]);
    await page.goto(`${env.servers.a}/basic.html`);
    const observed = await page.evaluate(
      (url) =>
        new Promise((done) => {
          const seen: unknown[] = [];
          const ws = new WebSocket(url);
          ws.onerror = (e) => seen.push(e.type);
          ws.onclose = (e) => done([...seen, e.type, e.code, e.wasClean]);
        }),
      wsUrl(),
    );
    await until(async () => logged.length > 0 && frameErrors.length > 0);
    return { page, observed, logged, frameErrors };
  }

  it("without extensions, Chromium's message carries the handshake's failure reason", async () => {
    const { page, observed, logged, frameErrors } = await refused(plain.browser);
    expect(observed).toEqual(['error', 'close', 1006, false]);
    expect(logged).toEqual([`WebSocket connection to '${wsUrl()}' failed: Error during WebSocket handshake: Unexpected response code: 400`]);
    expect(frameErrors).toEqual(['Error during WebSocket handshake: Unexpected response code: 400']);
    await page.close();
  });

  it('with netlens as released, Chromium prints the reason exactly as without extensions, and netlens records the refused handshake', async () => {
    const [withNetlens, without] = await Promise.all([refused(env.session.browser), refused(plain.browser)]);
    expect(withNetlens.observed).toEqual(without.observed);
    expect(withNetlens.logged).toEqual(without.logged);
    expect(withNetlens.frameErrors).toEqual(without.frameErrors);
    const entry = await until(async () => (await entriesOf(env, withNetlens.page)).find((e) => e.url === wsUrl() && e.endTime !== undefined));
    expect(entry.kind).toBe('websocket');
    expect(entry.state).toBe('error');
    expect(entry.error).toBe('connection failed');
    expect(entry.websocket?.close).toMatchObject({ code: 1006, wasClean: false });
    await Promise.all([withNetlens.page.close(), without.page.close()]);
  });

  it('with deep capture on (chrome.debugger attached to the tab), the same: the reason in full', async () => {
    const { page: tab, tabId } = await env.session.openTab();
    expect(await env.session.deep(tabId, true)).toEqual({ state: 'on' });
    const [deep, without] = await Promise.all([refused(env.session.browser, tab), refused(plain.browser)]);
    expect(deep.observed).toEqual(without.observed);
    expect(deep.logged).toEqual(without.logged);
    expect(deep.frameErrors).toEqual(without.frameErrors);
    // Deep capture saw the handshake Chromium refused, as sent, and now with Chromium's reason
    // (the webRequest proxy dropped it before the DevTools protocol saw it).
    const entry = await until(async () => (await entriesOf(env, tab)).find((e) => e.url === wsUrl() && e.deep?.handshake?.requestHeaders !== undefined && e.deep.handshake.error !== undefined));
    expect(entry.deep?.handshake?.requestHeaders?.find(([n]) => n.toLowerCase() === 'upgrade')?.[1]).toBe('websocket');
    expect(entry.deep?.handshake?.error).toBe(without.frameErrors[0]);
    await env.session.deep(tabId, false);
    await Promise.all([tab.close(), without.page.close()]);
  });

  it('netlens holding webRequest (netlens capture) prints exactly what the permission alone prints, and records the refused handshake on the wire', async () => {
    const [withNetlens, withControl] = await Promise.all([refused(held.session.browser), refused(control.browser)]);
    expect(withNetlens.observed).toEqual(withControl.observed);
    expect(withNetlens.logged).toEqual(withControl.logged);
    expect(withNetlens.frameErrors).toEqual(withControl.frameErrors);

    // The page's entry once both sides are in: the wire error can come before the page's records,
    // and a wire-only entry (id `wire:…`) stands for the handshake until the page's absorbs it.
    const entry = await until(async () =>
      (await entriesOf(held, withNetlens.page)).find((e) => e.url === wsUrl() && !isWireOnly(e) && e.endTime !== undefined && e.wire?.error),
    );
    expect(entry.kind).toBe('websocket');
    expect(entry.state).toBe('error');
    expect(entry.error).toBe('connection failed');
    expect(entry.websocket?.close).toMatchObject({ code: 1006, wasClean: false });
    // The handshake request as it went over the wire, joined by URL.
    expect(entry.wire?.resourceType).toBe('websocket');
    expect(entry.wire?.requestHeaders?.find(([n]) => n.toLowerCase() === 'upgrade')?.[1]).toBe('websocket');
    // webRequest gets no response for a refused handshake either (Chromium's proxy drops it with
    // the reason): only its generic error.
    expect(entry.wire?.statusCode).toBeUndefined();
    expect(entry.wire?.error).toBe('net::ERR_FAILED');
    await Promise.all([withNetlens.page.close(), withControl.page.close()]);
  });

  // Chromium's loss, pinned: when Chromium keeps the reason for extensions holding webRequest,
  // this fails, and the expectation becomes `toEqual(without.logged)`.
  it("holding webRequest, the gap to Chromium without extensions is exactly the reason Chromium's webRequest proxy drops", async () => {
    const [withNetlens, without] = await Promise.all([refused(held.session.browser), refused(plain.browser)]);
    await Promise.all([withNetlens.page.close(), without.page.close()]);
    expect(withNetlens.observed).toEqual(without.observed);
    const upToReason = (text: string) => text.slice(0, text.indexOf(' failed: ') + ' failed: '.length);
    expect(without.logged.map(upToReason)).toEqual([`WebSocket connection to '${wsUrl()}' failed: `]);
    expect(withNetlens.logged).toEqual(without.logged.map(upToReason));
    // The Network panel's copy of the reason goes the same way.
    expect(without.frameErrors).not.toEqual(['']);
    expect(withNetlens.frameErrors).toEqual(['']);
  });

  // The README's advice: Chromium counts extensions with the permission as they load and unload.
  // Last, since it takes netlens out of this Chromium.
  it('once netlens holding webRequest is unloaded, the same Chromium prints the reason again', async () => {
    await held.session.browser.uninstallExtension(held.session.extensionId);
    const [unloaded, without] = await Promise.all([refused(held.session.browser), refused(plain.browser)]);
    await Promise.all([unloaded.page.close(), without.page.close()]);
    expect(unloaded.logged).toEqual(without.logged);
    expect(unloaded.frameErrors).toEqual(without.frameErrors);
  });
});
