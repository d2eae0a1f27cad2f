import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { entriesOf, startEnv, until, type Env } from '../helpers/env';

/**
 * fetch(url) with a URL string alone makes no Request of netlens's (src/content/page/fetch.ts
 * plainFacts, util.ts requestUrl): the URL it records must be the one Chromium's own Request
 * gives for that string in that document, and the one requested, whatever the document.
 */
describe('fetch(url string): the recorded URL is the Request URL Chromium makes of it', () => {
  let env: Env;
  let page: Page;
  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
  });
  afterAll(async () => {
    await env?.close();
  });

  const recordedUrl = (tag: string) =>
    until(async () => (await entriesOf(env, page)).find((e) => e.kind === 'fetch' && e.url.includes(`t=${tag}`))?.url);

  /** In `frame`: what `new Request(input).url` gives, and fetch(input) without waiting for it. */
  const fetchIn = (frame: Page | Frame, input: string) =>
    frame.evaluate((s: string) => {
      const url = new Request(s).url;
      void fetch(s).then(
        (r) => r.text(),
        () => {},
      );
      return url;
    }, input);

  it('in a Shift_JIS document, a query with characters outside ASCII', async () => {
    const body = '<!doctype html><title>sjis</title><p>x</p>';
    await page.goto(`${env.servers.a}/api/reflect?type=${encodeURIComponent('text/html; charset=shift_jis')}&body=${encodeURIComponent(body)}`);
    expect(await page.evaluate(() => document.characterSet)).toBe('Shift_JIS');
    const input = '/api/reflect?t=sjis&q=\u3042\u00e9';
    const native = await fetchIn(page, input);
    // Chromium's Request takes UTF-8 for the query whatever the document's encoding, as new URL does.
    expect(native).toContain('q=%E3%81%82%C3%A9');
    expect(await recordedUrl('sjis')).toBe(native);
    // What was requested (Resource Timing names the URL fetched).
    const requested = await until(() => page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.includes('t=sjis'))?.name));
    expect(requested).toBe(native);
  });

  it('after <base href> changes, in about:blank and srcdoc iframes', async () => {
    await page.goto(`${env.servers.a}/api/reflect?type=text/html&body=${encodeURIComponent('<!doctype html><title>base</title>')}`);
    await page.evaluate(() => {
      const base = document.createElement('base');
      base.href = '/deep/dir/';
      document.head.append(base);
    });
    const native = await fetchIn(page, '../api/reflect?t=based');
    expect(await recordedUrl('based')).toBe(native);
    // An about:blank iframe (its base is its creator's) and a srcdoc one with a <base> of its own.
    const blank = await page.evaluate(async () => {
      const f = document.createElement('iframe');
      document.body.append(f);
      const w = f.contentWindow as Window & typeof globalThis;
      const url = new w.Request('../../api/reflect?t=blank').url;
      void w.fetch('../../api/reflect?t=blank').catch(() => {});
      return url;
    });
    expect(await recordedUrl('blank')).toBe(blank);
    const srcdoc = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const f = document.createElement('iframe');
          f.srcdoc = '<base href="/x/y/z/"><p>srcdoc</p>';
          f.onload = () => {
            const w = f.contentWindow as Window & typeof globalThis;
            const url = new w.Request('../../../api/reflect?t=srcdoc').url;
            void w.fetch('../../../api/reflect?t=srcdoc').catch(() => {});
            resolve(url);
          };
          document.body.append(f);
        }),
    );
    expect(await recordedUrl('srcdoc')).toBe(srcdoc);
  });
});
