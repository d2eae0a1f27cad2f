import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type Origins } from '../../src/cli/server';
import { PAGES, ROOT, until } from '../helpers/env';
import { launchPlain, type Plain } from '../helpers/plain';

/**
 * Issue #13's question about Chromium's console text for a refused WebSocket handshake (see
 * console-diagnostics.test.ts and the README's "Known limitation"): Chromium installs its
 * webRequest WebSocket proxy for every extension loaded with the `webRequest` permission
 * (WebRequestAPI::OnExtensionLoaded counts HasAnyWebRequestPermissions; MayHaveProxies is that
 * count > 0), listeners or not. So the only way to keep the text is not to hold the permission
 * while it is not wanted: an extension that merely declares `webRequest` as optional (not
 * granted) leaves the console text exactly as Chromium without extensions prints it.
 */
describe('Chromium console text with webRequest only optional', () => {
  let servers: Origins;
  let plain: Plain;
  let optional: Plain;
  beforeAll(async () => {
    [servers, plain, optional] = await Promise.all([
      startServers([PAGES]),
      launchPlain(),
      launchPlain({ extension: resolve(ROOT, 'test/fixtures/extensions/webrequest-optional') }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), optional?.close()]);
    await servers?.close();
  });

  /** The `network` console entries Chromium logs for one refused WebSocket handshake from a page. */
  async function logged(browser: Browser): Promise<string[]> {
    const url = `${servers.a.replace('http', 'ws')}/ws-reject`;
    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    const texts: string[] = [];
    cdp.on('Log.entryAdded', ({ entry }) => {
      if (entry.source === 'network' && entry.text.includes(url)) texts.push(entry.text);
    });
    await cdp.send('Log.enable');
    await page.goto(`${servers.a}/basic.html`);
    await page.evaluate((u) => new Promise((done) => (new WebSocket(u).onclose = done)), url);
    await until(async () => texts.length > 0);
    await page.close();
    return texts;
  }

  it('prints the handshake failure reason exactly as Chromium without extensions does', async () => {
    const [without, withOptional] = await Promise.all([logged(plain.browser), logged(optional.browser)]);
    expect(without).toEqual([`WebSocket connection to '${servers.a.replace('http', 'ws')}/ws-reject' failed: Error during WebSocket handshake: Unexpected response code: 400`]);
    expect(withOptional).toEqual(without);
  });
});

/**
 * Why netlens cannot make the wire view opt-in (an optional `webRequest` granted from the popup):
 * Chromium (156) sends a runtime-granted `webRequest` no events, neither at once nor after the
 * extension reloads with the grant kept, while the same extension with the permission required
 * hears every request. When this fails, Chromium honours runtime grants, and the wire view can
 * become opt-in (the README's "Known limitation" says what that would give back).
 */
describe('webRequest granted at runtime', () => {
  const FIXTURE = resolve(ROOT, 'test/fixtures/extensions/webrequest-optional-listening');
  let servers: Origins;
  let granted: Plain;
  let required: Plain;
  let requiredDir: string;
  beforeAll(async () => {
    // The same extension with the permission required instead: the control that hears.
    requiredDir = mkdtempSync(join(tmpdir(), 'netlens-webrequest-required-'));
    cpSync(FIXTURE, requiredDir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(requiredDir, 'manifest.json'), 'utf8'));
    manifest.permissions = manifest.optional_permissions;
    delete manifest.optional_permissions;
    writeFileSync(join(requiredDir, 'manifest.json'), JSON.stringify(manifest));
    [servers, granted, required] = await Promise.all([startServers([PAGES]), launchPlain({ extension: FIXTURE }), launchPlain({ extension: requiredDir })]);
  });
  afterAll(async () => {
    await Promise.all([granted?.close(), required?.close()]);
    await servers?.close();
    rmSync(requiredDir, { recursive: true, force: true });
  });

  /** Loads a page that fetches, then asks the extension's worker what webRequest told it. */
  async function heardAfterAPage({ browser, extensionId }: Plain): Promise<{ listening: boolean; heard: string[] }> {
    const page = await browser.newPage();
    await page.goto(`${servers.a}/basic.html`);
    await page.evaluate(() => fetch('/api/echo?from=probe').then((r) => r.text()));
    await page.close();
    return heardBy(extensionId, browser);
  }
  /** What the extension's worker says webRequest told it so far (asked from its page). */
  async function heardBy(extensionId: string, browser: Browser): Promise<{ listening: boolean; heard: string[] }> {
    const ext = await browser.newPage();
    await ext.goto(`chrome-extension://${extensionId}/page.html`);
    const answer = await ext.evaluate(() => chrome.runtime.sendMessage('heard'));
    await ext.close();
    return answer as { listening: boolean; heard: string[] };
  }

  it('gives no events after a grant, nor after a reload; a required permission hears the same page', async () => {
    // The extension hears of a request after the page saw its response (webRequest events reach
    // it on their own way): the control waits until it did.
    const probe = `xmlhttprequest ${servers.a}/api/echo?from=probe`;
    const first = await heardAfterAPage(required);
    expect(first.listening).toBe(true);
    // Its worker keeps what it heard in memory: one stopped in between (an idle worker on a busy
    // machine) starts again with nothing, so the control asks again after another page.
    const control = await until(async () => {
      const heard = await heardBy(required.extensionId, required.browser);
      if (heard.heard.includes(probe)) return heard;
      await heardAfterAPage(required);
      return false;
    }, 20_000);
    expect(control.heard).toContain(probe);

    const ext = await granted.browser.newPage();
    await ext.goto(`chrome-extension://${granted.extensionId}/page.html`);
    const cdp = await ext.createCDPSession();
    // A click's user gesture; no prompt: webRequest carries no install warning.
    const grant = await cdp.send('Runtime.evaluate', {
      expression: "chrome.permissions.request({ permissions: ['webRequest'] })",
      awaitPromise: true,
      userGesture: true,
      returnByValue: true,
    });
    expect(grant.result.value).toBe(true);
    await ext.close();
    expect(await heardAfterAPage(granted)).toEqual({ listening: true, heard: [] });

    // Loading the unpacked folder again reloads the extension (same id, the grant kept).
    expect(await granted.browser.installExtension(FIXTURE)).toBe(granted.extensionId);
    expect(await heardAfterAPage(granted)).toEqual({ listening: true, heard: [] });
  });
});
