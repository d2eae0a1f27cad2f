import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPageEvent } from '../../src/shared/page-events';
import type { PageEvent } from '../../src/shared/protocol';
import { launchPlain, type Plain } from '../helpers/plain';

const ENTRY = fileURLToPath(new URL('../fixtures/page-modules/entry.ts', import.meta.url));

/** The page script's channel and patch helper, alone in real Chromium (no extension, no relay). */
describe('page script modules in real Chromium', () => {
  let plain: Plain;
  let bundle: string;
  let page: Page;
  beforeAll(async () => {
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: false, lib: { entry: ENTRY, formats: ['iife'], name: 'pageModulesBundle' } },
    });
    bundle = (Array.isArray(out) ? out[0] : (out as { output: { code: string }[] })).output[0].code;
    plain = await launchPlain();
  });
  afterAll(async () => {
    await plain?.close();
  });

  /** A fresh page with the bundle, errors of any kind counted, and a stand-in relay taking the port. */
  const open = async () => {
    page = await plain.browser.newPage();
    await page.setContent('<!doctype html><title>page modules</title>');
    await page.evaluate(`
      window.pageErrors = 0;
      addEventListener('error', () => window.pageErrors++);
      addEventListener('unhandledrejection', () => window.pageErrors++);
      ${bundle}
      window.batches = [];
      // What the relay does: take the port from the handshake, before anyone else sees it.
      addEventListener(pageModules.HANDSHAKE_EVENT, (e) => {
        if (!e.data || e.data[pageModules.HANDSHAKE_KEY] !== true) return;
        e.stopImmediatePropagation();
        e.preventDefault();
        window.relayPort = e.ports[0];
        e.ports[0].onmessage = (m) => window.batches.push(m.data.events);
        // Batches handed over, counted in the task that hands them over (the port's message is a later task).
        window.handed = 0;
        e.source.addEventListener(pageModules.PAGE_BATCH_EVENT, () => window.handed++);
      }, true);
      window.configs = [];
      window.sink = pageModules.createChannel((config) => window.configs.push(config));
    `);
  };
  /** The batches that arrived, once at least `count` did (the port's messages are tasks). */
  const batches = async (count = 1) => {
    await page.waitForFunction((n) => (window as any).batches.length >= n, { polling: 10 }, count);
    return page.evaluate(() => (window as any).batches as PageEvent[][]);
  };
  /**
   * What the stand-in relay tells the page script, as the real one does (PagePace), once the page
   * script took it: a config message sent after it on the same port has come through.
   */
  const tellPace = async (watched: unknown) => {
    const configs = await page.evaluate((watched) => {
      const w = window as any;
      w.relayPort.postMessage({ type: 'pace', watched });
      w.relayPort.postMessage({ type: 'config', bodyCap: 1 });
      return w.configs.length as number;
    }, watched);
    await page.waitForFunction((n) => (window as any).configs.length > n, { polling: 10 }, configs);
  };
  /**
   * After `quietMs` (0: none), emits `n` steps, then reads how many batches were handed over `ms`
   * later: timers run in the order they are due, and the channel's, set with the first emit, hands
   * its batch over in its own task when due sooner.
   */
  const handedWithin = (n: number, t: number, ms: number, quietMs = 0) =>
    page.evaluate(
      (n, t, ms, quietMs) =>
        new Promise<number>((resolve) => {
          const w = window as any;
          const go = () => {
            const before = w.handed;
            for (let i = 0; i < n; i++) w.sink.emit({ type: 'step', id: 'x', t: t + i, step: 'paced' });
            setTimeout(() => resolve(w.handed - before), ms);
          };
          if (quietMs) setTimeout(go, quietMs);
          else go();
        }),
      n,
      t,
      ms,
      quietMs,
    );
  /** Emits a step, then reads how many batches were handed over 200 ms later. */
  const arrivedWithin200ms = (t: number) => handedWithin(1, t, 200);

  it('events past the full queue are counted and reported with the next batch; the page sees nothing', async () => {
    await open();
    const returned = await page.evaluate(() => {
      const sink = (window as any).sink;
      const results = [];
      for (let i = 0; i < 20_005; i++) results.push(sink.emit({ type: 'step', id: 'x', t: i, step: 'flood' }));
      return results.filter((r) => r !== undefined).length;
    });
    expect(returned).toBe(0);
    const [first, ...rest] = await batches();
    expect(rest).toEqual([]);
    expect(first.length).toBe(20_001);
    expect(first.slice(0, 20_000).every((ev, i) => ev.type === 'step' && ev.t === i)).toBe(true);
    expect(first[20_000]).toMatchObject({
      type: 'capture-error',
      id: 'capture',
      where: 'page:dropped',
      message: '5 page events dropped: the queue was full (20000 waiting)',
      count: 5,
    });

    // Reported once: counting starts over.
    await page.evaluate(() => (window as any).sink.emit({ type: 'step', id: 'x', t: 1, step: 'after' }));
    expect((await batches(2))[1]).toEqual([{ type: 'step', id: 'x', t: 1, step: 'after' }]);
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });

  it("a WebSocket's interleaved sends and receives travel as one run that expands to each message as it was", async () => {
    await open();
    // A request/reply exchange (send, receive, send, receive…), then an SSE-like receive of
    // another origin, then a send without bufferedAmount: each of the last two opens a run.
    const given = [
      ['websocket-1', 1, 'send', 'a', undefined, 0],
      ['websocket-1', 2, 'receive', 'b', 'ws://a.test', undefined],
      ['websocket-1', 3, 'send', 'c', undefined, 7],
      ['websocket-1', 4, 'receive', 'd', 'ws://a.test', undefined],
      ['websocket-1', 5, 'receive', 'e', 'ws://a.test', undefined],
      ['websocket-1', 6, 'receive', 'f', 'ws://b.test', undefined],
      ['websocket-1', 7, 'send', 'g', undefined, undefined],
    ] as const;
    await page.evaluate((list) => {
      // (undefined arrives here as null.)
      for (const m of list) (window as any).sink.message(...m.map((x) => (x === null ? undefined : x)));
    }, given as unknown as unknown[][]);
    const [batch] = await batches();
    expect(batch.map((r) => [r.type, (r as unknown as { dirs?: string }).dirs, (r as unknown as { t?: number[] }).t?.length])).toEqual([
      ['messages', 'srsrr', 5],
      ['messages', undefined, 1],
      ['messages', undefined, 1],
    ]);
    const expanded = batch.flatMap((r) => expandPageEvent(r) ?? []);
    expect(expanded.map((e) => e.type === 'message' && [e.id, e.t, e.dir, e.data.data, e.origin, e.bufferedAmount])).toEqual(given.map((m) => [...m]));
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });

  it("an entry's steps in a row travel as one run that expands to each step as it was; anything else between them starts a new one", async () => {
    await open();
    // [id, t, step, detail]: (undefined arrives here as null.)
    const calls = [
      ['xhr-1', 1, 'readystatechange', { readyState: 1 }],
      ['xhr-1', 2, 'loadstart', { loaded: 0, total: 0, lengthComputable: false }],
      ['xhr-2', 3, 'readystatechange', { readyState: 1 }],
      ['xhr-1', 4, 'readystatechange', { readyState: 2 }],
      'response',
      ['xhr-1', 5, 'readystatechange', { readyState: 3 }],
      ['xhr-1', 6, 'load', null],
      ['xhr-1', 7, 'loadend', { loaded: 9, total: 9, lengthComputable: true }],
      'message',
      ['xhr-1', 8, 'hidden-header-read', { name: 'set-cookie' }],
    ] as const;
    await page.evaluate((list) => {
      const sink = (window as any).sink;
      for (const c of list as (string | [string, number, string, object | null])[]) {
        if (c === 'response') sink.emit({ type: 'response', id: 'xhr-1', t: 4.5, status: 200, statusText: 'OK', headers: [] });
        else if (c === 'message') sink.message('websocket-1', 7.5, 'receive', 'hi', 'ws://a.test', undefined);
        else sink.step(c[0], c[1], c[2], c[3] === null ? undefined : c[3]);
      }
    }, calls as unknown as unknown[]);
    const [batch] = await batches();
    // [type, a run's length or an event's t]: a run of one step goes as the step event it is.
    expect(batch.map((r) => [r.type, Array.isArray(r.t) ? r.t.length : r.t])).toEqual([
      ['steps', 2],
      ['step', 3],
      ['step', 4],
      ['response', 4.5],
      ['steps', 3],
      ['messages', 1],
      ['step', 8],
    ]);
    const expanded = batch.flatMap((r) => expandPageEvent(r) ?? []);
    const want = calls.map((c) => {
      if (c === 'response') return { type: 'response', id: 'xhr-1', t: 4.5, status: 200, statusText: 'OK', headers: [] };
      if (c === 'message') return { type: 'message', id: 'websocket-1', t: 7.5, dir: 'receive', origin: 'ws://a.test' };
      return c[3] === null ? { type: 'step', id: c[0], t: c[1], step: c[2] } : { type: 'step', id: c[0], t: c[1], step: c[2], detail: c[3] };
    });
    expect(expanded).toMatchObject(want);
    // Each step exactly as the same step sent alone would be taken.
    for (let i = 0; i < want.length; i++) if (want[i].type === 'step') expect(expanded[i]).toStrictEqual(expandPageEvent(want[i])![0]);
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });

  it('a relay that takes batches at once gets them in the same task, those with buffers to transfer over the port, each numbered in order', async () => {
    page = await plain.browser.newPage();
    await page.setContent('<!doctype html><title>page modules</title>');
    const got = await page.evaluate(`(async () => {
      window.pageErrors = 0;
      addEventListener('error', () => window.pageErrors++);
      addEventListener('unhandledrejection', () => window.pageErrors++);
      ${bundle}
      const got = [];
      // What the relay does: the port, and the page script's own end (the handshake's source) for batches handed over at once.
      addEventListener(pageModules.HANDSHAKE_EVENT, (e) => {
        if (!e.data || e.data[pageModules.HANDSHAKE_KEY] !== true) return;
        e.stopImmediatePropagation();
        e.preventDefault();
        e.ports[0].onmessage = (m) => got.push(['port', m.data.n, m.data.events.length]);
        e.source.addEventListener('netlens-batch', (b) => {
          b.preventDefault();
          got.push(['at once', b.detail.n, b.detail.events.length]);
        });
      }, true);
      const sink = pageModules.createChannel();
      const burst = (n) => { for (let i = 0; i < n; i++) sink.message('eventsource-1', i, 'receive', 'event ' + i, 'http://a.test', undefined, 'message', String(i)); };
      // Past 1,000 messages: at the end of this task, not after the timer.
      burst(1500);
      await null;
      const first = got.slice();
      const buffer = new Uint8Array([1, 2, 3]).buffer;
      sink.emit({ type: 'body', id: 'fetch-1', t: 1, which: 'response', body: { encoding: 'buffer', data: '', buffer, size: 3, truncated: false } });
      sink.flushSoon();
      await null;
      burst(1000);
      await null;
      const before = got.slice();
      await new Promise((r) => setTimeout(r, 100));
      return { first, before, after: got, transferred: buffer.byteLength === 0 };
    })()`);
    expect(got).toEqual({
      first: [['at once', 1, 2]],
      before: [['at once', 1, 2], ['at once', 3, 1]],
      after: [['at once', 1, 2], ['at once', 3, 1], ['port', 2, 1]],
      transferred: true,
    });
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });

  it('a batch that cannot be posted is counted, with why, and reported by the next one', async () => {
    await open();
    await page.evaluate(() => {
      const sink = (window as any).sink;
      // A function cannot be cloned: postMessage throws DataCloneError for the whole batch.
      sink.emit({ type: 'step', id: 'x', t: 1, step: 'a', detail: { f: () => {} } });
      sink.emit({ type: 'step', id: 'x', t: 2, step: 'b' });
      sink.flushSoon();
    });
    await page.evaluate(() => (window as any).sink.emit({ type: 'step', id: 'x', t: 3, step: 'c' }));
    // The batch that could not be posted never arrives: the next one is the first.
    const [next, ...more] = await batches();
    expect(more).toEqual([]);
    expect(next.map((ev) => ev.type)).toEqual(['step', 'capture-error']);
    expect(next[1]).toMatchObject({ where: 'page:dropped', count: 2, message: expect.stringMatching(/^2 page events dropped: they could not be sent \(DataCloneError: /) });
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });

  it('events wait for company 250 ms while no one watches the tab, 25 ms while someone does; what waits goes as soon as someone watches', async () => {
    await open();
    // Not watched (nothing said yet): the first emit's batch waits past the 200 ms mark.
    expect(await arrivedWithin200ms(1)).toBe(0);
    await batches(1);
    // Watched: what waits goes at once, and later events within 25 ms.
    const flushedByPace = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const w = window as any;
          const before = w.batches.length;
          // Queued while not watched (its timer is due in 250 ms): only the pace can send it sooner.
          w.sink.emit({ type: 'step', id: 'y', t: 2, step: 'waiting' });
          w.relayPort.postMessage({ type: 'pace', watched: true });
          setTimeout(() => resolve(w.batches.length - before), 200);
        }),
    );
    expect(flushedByPace).toBe(1);
    expect(await arrivedWithin200ms(3)).toBe(1);
    await tellPace(true);
    expect(await arrivedWithin200ms(4)).toBe(1);
    // No longer watched: waits again.
    await tellPace(false);
    expect(await arrivedWithin200ms(5)).toBe(0);
    await batches(5);
    // Anything but true is not watched.
    await tellPace(true);
    await tellPace('yes');
    expect(await arrivedWithin200ms(6)).toBe(0);
    const all = (await batches(6)).flat();
    expect(all.map((ev) => (ev as { t: number }).t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });

  it('while watched, events wait 100 ms after a batch of 20 or more (a flood), 25 ms after a smaller one or a quiet spell', async () => {
    await open();
    await tellPace(true);
    // 19 events: no flood; the next event goes within 25 ms.
    expect(await handedWithin(19, 0, 60)).toBe(1);
    expect(await handedWithin(1, 100, 60)).toBe(1);
    // 20 events: a flood; the next event, right after, waits 100 ms (past the 60 ms mark).
    expect(await handedWithin(20, 200, 60)).toBe(1);
    expect(await handedWithin(1, 300, 60)).toBe(0);
    await page.waitForFunction(() => (window as any).handed === 4, { polling: 10 });
    // That batch held one event: 25 ms again.
    expect(await handedWithin(1, 400, 60)).toBe(1);
    // A flood, then a quiet spell longer than the flood's wait: 25 ms again.
    expect(await handedWithin(20, 500, 60)).toBe(1);
    expect(await handedWithin(1, 600, 60, 150)).toBe(1);
    // A flood again, then no longer watched: 250 ms, flood or not.
    expect(await handedWithin(20, 700, 60)).toBe(1);
    await tellPace(false);
    expect(await handedWithin(1, 800, 200)).toBe(0);
    const all = (await batches(9)).flat();
    const run = (from: number) => Array.from({ length: 20 }, (_, i) => from + i);
    expect(all.map((ev) => (ev as { t: number }).t)).toEqual([...run(0).slice(0, 19), 100, ...run(200), 300, 400, ...run(500), 600, ...run(700), 800]);
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });

  it('patching the same property twice is refused and reported through the sink; the first patch stands', async () => {
    await open();
    const result = await page.evaluate(() => {
      const { patchMethod, reportPatchFailures } = (window as any).pageModules;
      reportPatchFailures((where: string, error: unknown) => (window as any).sink.fail(where, error));
      class Thing {
        f() {
          return 1;
        }
      }
      const plusOne = () => ({ apply: (target: () => number, self: unknown, args: []) => Reflect.apply(target, self, args) + 1 });
      const plusHundred = () => ({ apply: (target: () => number, self: unknown, args: []) => Reflect.apply(target, self, args) + 100 });
      const uninstall = patchMethod(Thing.prototype, 'f', plusOne);
      const second = patchMethod(Thing.prototype, 'f', plusHundred);
      const patched = new Thing().f();
      second();
      const afterSecondUninstall = new Thing().f();
      uninstall();
      const restored = new Thing().f();
      // Once restored, the property may be patched again, without a report.
      patchMethod(Thing.prototype, 'f', plusHundred);
      return { patched, afterSecondUninstall, restored, again: new Thing().f() };
    });
    expect(result).toEqual({ patched: 2, afterSecondUninstall: 2, restored: 1, again: 101 });
    const events = (await batches()).flat();
    expect(events).toEqual([
      { type: 'capture-error', id: 'capture', t: expect.any(Number), where: 'patch:twice', message: 'Thing.prototype.f is already patched: not patched again' },
    ]);
    expect(await page.evaluate('window.pageErrors')).toBe(0);
    await page.close();
  });
});
