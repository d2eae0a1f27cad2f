import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOf, pageDone, startEnv, until, type Env } from '../helpers/env';

/**
 * A page must not be able to make netlens lie, nor hide from it (issue #15). Each fixture under
 * test/fixtures/pages/hostile-*.html attacks the way a hostile page would.
 */
describe('hostile pages', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('forging: a handshake taken or forged through a new iframe’s window gives the page no records of its own making', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/hostile-forge.html`);
    await pageDone(page);
    // The children's real fetches, the last ones made after every forgery, are recorded as usual.
    const urls = [
      `${env.servers.a}/api/echo?from=child-srcdoc`,
      `${env.servers.a}/api/echo?from=after-forge-srcdoc`,
      `${env.servers.a}/api/echo?from=child-src`,
      `${env.servers.a}/api/echo?from=after-forge-src`,
    ];
    const entries = await until(async () => {
      const list = await entriesOf(env, page);
      return urls.every((url) => list.some((e) => e.url === url && e.kind === 'fetch' && e.state === 'done')) && list;
    });
    // The page forged (4 ports: dispatchEvent and postMessage into each child) and stole nothing:
    // no page listener ever saw the handshake.
    expect(await page.evaluate('[window.forged, window.stolen]')).toEqual([4, 0]);
    expect(entries.filter((e) => e.url.includes('bank.example'))).toEqual([]);
    await page.close();
  });
});
