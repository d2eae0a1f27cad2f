import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { entriesOf, until } from '../helpers/env';
import { startPair, type Pair } from './pair';
import { payloadText } from '../../src/shared/payload';

/** Pages that freeze, replace or wrap the globals netlens patched keep working, and are still captured. */
describe('pages that freeze, replace or re-patch XHR and fetch', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  const scenario = `(async () => ({
    get: await S.xhrGet(),
    sync: await S.xhrSync(),
    subclass: await S.xhrSubclass(),
    fetch: await S.fetchStreams(),
    big: (await (await fetch('/api/bytes?n=2000000&t=big')).arrayBuffer()).byteLength,
    errors: (await S.fetchErrors()).calls,
    beacon: navigator.sendBeacon('/api/echo?beacon=1', 'b'),
    page: { frozen: window.frozen, wrapperCalls: window.wrapperCalls, hookLog: window.hookLog },
  }))()`;

  const check = async (path: string) => {
    const pages: [Page, Page] = await pair.open(path, ['common', 'xhr', 'fetch']);
    const [withNetlens, without] = await pair.both(pages, scenario);
    expect(withNetlens).toEqual(without);
    // Still captured where the patches are reached.
    const entries = await entriesOf(pair.env, pages[0]);
    const urls = entries.filter((e) => e.kind !== 'other').map((e) => `${e.kind} ${e.url.replace(pair.env.servers.a, '')}`);
    await Promise.all(pages.map((p) => p.close()));
    return { plain: without as any, urls };
  };

  it('Object.freeze on the prototypes and a non-writable fetch in the first script', async () => {
    const { plain, urls } = await check('/compliance-freeze.html');
    expect(plain.page.frozen).toEqual([true, false]);
    expect(urls).toEqual(expect.arrayContaining(['xhr /api/echo?x=1', 'xhr /api/echo?sync=1', 'fetch /api/ndjson?n=5&every=30', 'fetch /api/bytes?n=2000000&t=big', 'beacon /api/echo?beacon=1']));
  });

  it('window.fetch replaced by a wrapper that calls the previous one; XHR open/send wrapped', async () => {
    const { plain, urls } = await check('/compliance-wrapped.html');
    expect(plain.page.wrapperCalls).toContain('fetch');
    expect(urls).toEqual(expect.arrayContaining(['xhr /api/echo?x=1', 'fetch /api/ndjson?n=5&every=30', 'fetch /api/bytes?n=2000000&t=big']));
  });

  it('XMLHttpRequest replaced by a hooking subclass (xhook-like)', async () => {
    const { plain, urls } = await check('/compliance-xhook.html');
    expect(plain.page.hookLog.length).toBeGreaterThan(3);
    expect(urls).toEqual(expect.arrayContaining(['xhr /api/echo?x=1', 'xhr /api/echo?sync=1', 'xhr /api/echo?sub=1']));
  });

  it('builtins the page replaced (WeakMap, Array, String, RegExp, Promise, Math…) are never called by netlens', async () => {
    const pages: [Page, Page] = await pair.open('/compliance-builtins.html', ['common', 'xhr', 'fetch', 'beacon']);
    // Deterministic scenarios only: the same events in both browsers, so the same calls by the page.
    const run = `(async () => {
      const before = { ...window.builtinCalls };
      await S.xhrGet(); await S.xhrBodies(); await S.xhrSync(); await S.fetchBodies(); await S.fetchRequests(); S.beacons();
      await fetch('/api/bytes?n=2000000').then((r) => r.arrayBuffer());
      const r = await fetch('/api/chunked?n=2&size=3000&every=10'); const reader = r.body.getReader(); while (!(await reader.read()).done);
      const after = window.builtinCalls;
      return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] || 0)]));
    })()`;
    const [withNetlens, without] = await pair.both<Record<string, number>>(pages, run);
    expect(withNetlens).toEqual(without);
    expect(await entriesOf(pair.env, pages[0]).then((e) => e.filter((x) => x.kind !== 'other').length)).toBeGreaterThan(20);
    await Promise.all(pages.map((p) => p.close()));
  });

  it('setters and getters on Array.prototype indexes and Object.prototype never see netlens writes or reads', async () => {
    const pages: [Page, Page] = await pair.open('/compliance-setters.html');
    // Each kind on its own, so a difference names the patch that caused it.
    const run = `(async () => {
      const counts = {};
      const results = {};
      for (const name of ['xhr', 'fetch', 'websocket', 'eventsource', 'jsonp']) {
        const before = { ...window.accessorCalls };
        results[name] = await window.scenarios[name]();
        // Let our batched events and late reads (blobs, clones) happen inside the window.
        await new Promise((r) => setTimeout(r, 300));
        const after = window.accessorCalls;
        counts[name] = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] || 0)]).filter(([, n]) => n));
      }
      return { counts, results };
    })()`;
    const [withNetlens, without] = await pair.both<{ counts: Record<string, Record<string, number>>; results: unknown }>(pages, run);
    expect(withNetlens.results).toEqual(without.results);
    expect(withNetlens.counts).toEqual(without.counts);
    // And netlens still recorded all of it (our queue was not emptied into the page's setters).
    const entries = await until(async () => {
      const all = (await entriesOf(pair.env, pages[0])).filter((e) => e.kind !== 'other');
      return all.length >= 19 && all.some((e) => e.kind === 'eventsource') && all.some((e) => e.kind === 'websocket') ? all : undefined;
    });
    const urls = entries.map((e) => `${e.kind} ${e.url.replace(pair.env.servers.a, '').replace(pair.env.servers.a.replace('http', 'ws'), '')}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'xhr /api/echo?sx=1',
        'xhr /api/echo?sx=4',
        'xhr /api/echo?sx=5',
        'fetch /api/echo?sf=1',
        'fetch /api/echo?sf=3',
        'fetch /api/bytes?n=2000000&sf=5',
        'fetch /api/ndjson?n=3&every=10&sf=7',
        'fetch /api/drop?sf=8',
        'beacon /api/echo?sb=1',
        'eventsource /api/sse?n=3&named=1&every=10',
        'jsonp /api/jsonp?callback=setterCallback&q=1',
      ]),
    );
    expect(urls.some((u) => u.startsWith('websocket '))).toBe(true);
    const byUrl = (part: string) => entries.find((e) => e.url.includes(part))!;
    // Details written onto our own objects arrived: keepalive, credentials, close code, listened names, bodies.
    expect(JSON.stringify(byUrl('sf=2'))).toContain('keepalive');
    expect(JSON.stringify(byUrl('sx=4'))).toContain('"user":"u"');
    const ws = entries.find((e) => e.kind === 'websocket')!;
    expect(JSON.stringify(ws)).toContain('bye');
    // A run that holds both directions (the reply sent in the hello's task) kept each message's.
    const texts = ws.messages.filter((m) => m.data.encoding === 'text').map((m) => `${m.dir} ${payloadText(m.data)}`);
    expect(texts.slice(0, 4)).toEqual(['receive {"hello":"x"}', 'send reply', 'receive reply', 'send text frame']);
    // And the SSE ids, written onto the run of its messages.
    expect(byUrl('/api/sse').messages.map((m) => m.eventId)).toEqual(['1', '2', '3']);
    expect(JSON.stringify(byUrl('/api/sse'))).toContain('tick');
    await Promise.all(pages.map((p) => p.close()));
  });
});
