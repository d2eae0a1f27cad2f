import { resolve } from 'node:path';
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
