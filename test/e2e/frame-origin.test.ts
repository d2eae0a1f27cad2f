import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsForEntry, sameOriginEntry } from '../../src/shared/entry-cors';
import { buildHar } from '../../src/shared/trace';
import { entriesOf, pageDone, startEnv, until, type Env } from '../helpers/env';

/**
 * A document's origin is not always its URL's: a srcdoc frame (about:srcdoc) has its parent's, a
 * sandboxed one an opaque origin. The CORS doctor judges a request by the document's origin, as
 * Chromium does.
 */
describe('frames whose URL does not say their origin', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('a srcdoc frame fetches same-origin (no CORS verdict); a sandboxed one cross-origin from "null", blocked as Chromium blocked it', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/srcdoc-frames.html`);
    await pageDone(page);
    // What Chromium did: the srcdoc frame read its response, the sandboxed one was refused.
    expect(await page.evaluate('window.seen')).toEqual({ srcdoc: 'ok', sandboxed: 'TypeError' });
    const entries = await until(async () => {
      const list = (await entriesOf(env, page)).filter((e) => e.url.includes('frame=') && e.kind === 'fetch' && e.state !== 'pending');
      return list.length === 2 && list;
    });
    const byId = new Map(entries.map((e) => [e.id, e]));
    const srcdoc = entries.find((e) => e.url.endsWith('frame=srcdoc'))!;
    const sandboxed = entries.find((e) => e.url.endsWith('frame=sandboxed'))!;
    expect(srcdoc.frameUrl).toBe('about:srcdoc');
    expect(srcdoc.frameOrigin).toBe(env.servers.a);
    expect(sameOriginEntry(srcdoc)).toBe(true);
    expect(corsForEntry(srcdoc, (id) => byId.get(id))?.crossOrigin ?? false).toBe(false);
    // Its URL's origin is its own ("null"): nothing more to say.
    expect(sandboxed.frameUrl).toBe('about:srcdoc');
    expect(sandboxed.frameOrigin).toBeUndefined();
    expect(corsForEntry(sandboxed, (id) => byId.get(id))).toMatchObject({ crossOrigin: true, origin: 'null', outcome: 'blocked' });
    // The trace says so too: no CORS report on the srcdoc frame's request, the document's origin kept.
    const har = buildHar(entries, { redact: false });
    const harEntry = (tag: string) => har.log.entries.find((e) => e.request.url.endsWith(`frame=${tag}`))!;
    expect(harEntry('srcdoc')._netlens).toMatchObject({ frameUrl: 'about:srcdoc', frameOrigin: env.servers.a });
    expect(harEntry('srcdoc')._netlens?.cors).toBeUndefined();
    expect(harEntry('sandboxed')._netlens?.cors).toMatchObject({ origin: 'null', outcome: 'blocked' });
    await page.close();
  });
});
