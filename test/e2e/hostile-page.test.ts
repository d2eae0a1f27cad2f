import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureHar } from '../helpers/cli';
import type { Entry } from '../../src/shared/model';
import { entriesOf, openPanelTab, pageDone, readShownRows, startEnv, until, type Env } from '../helpers/env';

/** Markup that sets `__pwned` on whatever window runs it, in every string of the forged records. */
const MARKUP = '<img src=x onerror="top.__pwned=1"><script>top.__pwned=2</script>';

/**
 * Evaluates `expression` in netlens's relay: the ISOLATED world of `page`'s top frame, with the
 * relay's runtime port at hand. What a page that broke into the relay could do; nothing short of
 * that reaches the background.
 */
async function inRelay(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.createCDPSession();
  const contexts: { id: number; origin: string; auxData?: { frameId?: string; type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const relay = await until(async () => contexts.find((c) => c.auxData?.type === 'isolated' && c.auxData.frameId === frameTree.frame.id && c.origin.startsWith('chrome-extension://')));
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: relay.id, awaitPromise: true, returnByValue: true });
  await cdp.detach();
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

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

  it("eavesdropping: a page that replaces MessageEvent.prototype.data sees nothing netlens tells its page script (the watch starting and ending), nor its port", async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    await page.evaluate(() => {
      const w = window as unknown as { heard: string[] };
      w.heard = [];
      const native = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!.get!;
      Object.defineProperty(MessageEvent.prototype, 'data', {
        configurable: true,
        get(this: MessageEvent) {
          const data = native.call(this);
          w.heard.push(`${this.target instanceof MessagePort ? 'port' : 'other'} ${JSON.stringify(data)}`);
          return data;
        },
      });
    });
    // Watched and no longer (a panel's subscribe, then its port gone): the page script is told both.
    const tabId = await env.session.tabIdOf(page);
    await env.session.records(tabId);
    const watch = await env.session.watch(tabId);
    // The page script heard it, and sends what comes at once: a fetch's records now arrive while watched.
    await page.evaluate(() => fetch('/api/echo?from=eavesdropped').then((r) => r.text()));
    await until(async () => (await entriesOf(env, page)).some((e) => e.url.endsWith('from=eavesdropped') && e.state === 'done' && e.response?.body));
    await watch.stop();
    // The page's own messages still go through its getter.
    await page.evaluate(() => new Promise<void>((done) => {
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e) => (e.data, done());
      port1.postMessage('mine');
    }));
    expect(await page.evaluate('window.heard')).toEqual(['port "mine"']);
    await page.close();
  });

  it('hiding: fetch and WebSocket taken from a new same-origin frame before netlens runs there are recorded, with bodies and messages', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/hostile-hide-frames.html`);
    await pageDone(page);
    const ways = (await page.evaluate('window.ways')) as string[];
    const fetchUrl = (way: string) => `${env.servers.a}/api/echo?from=${way}`;
    const wsUrl = (way: string) => `${env.servers.a.replace('http', 'ws')}/${way}`;
    const pageEntry = (list: Entry[], kind: string, url: string) => list.find((e) => e.kind === kind && e.url === url && e.doc !== undefined);
    const recorded = (list: Entry[], way: string) => pageEntry(list, 'fetch', fetchUrl(way))?.state === 'done' && !!pageEntry(list, 'fetch', fetchUrl(way))?.wire && pageEntry(list, 'websocket', wsUrl(way))?.state === 'closed';
    const entries = await until(async () => {
      const list = await entriesOf(env, page);
      return ways.every((way) => recorded(list, way)) && list;
    }).catch(async (error: Error) => {
      // Which ways went unrecorded (wire rows only, or nothing): what a failure needs to say.
      const list = await entriesOf(env, page);
      throw new Error(`${error.message}; not recorded by the page script: ${ways.filter((way) => !recorded(list, way)).join(', ')}`);
    });
    // Recorded by the frame's own page script once it ran there (it took over what the parent put
    // in place), so attributed to that frame; in a frame where no script may run, by the parent's.
    const frameUrls: Record<string, string> = {
      'about-blank': 'about:blank',
      src: `${env.servers.a}/compliance-blank.html`,
      srcdoc: 'about:srcdoc',
      'default-view': `${env.servers.a}/compliance-blank.html`,
      'inner-html': `${env.servers.a}/compliance-blank.html`,
      nested: `${env.servers.a}/compliance-blank.html`,
      'frames-index': `${env.servers.a}/compliance-blank.html`,
      sandboxed: `${env.servers.a}/hostile-hide-frames.html`,
    };
    expect(ways.sort()).toEqual(Object.keys(frameUrls).sort());
    for (const way of ways) {
      const fetched = pageEntry(entries, 'fetch', fetchUrl(way))!;
      expect({ way, method: fetched.method, body: fetched.request.body?.data, status: fetched.response?.status, wire: fetched.wire?.statusCode, frameUrl: fetched.frameUrl }).toEqual({
        way,
        method: 'POST',
        body: `body-${way}`,
        status: 200,
        wire: 200,
        frameUrl: frameUrls[way],
      });
      // One row per exchange: the page's entry took the wire's.
      expect(entries.filter((e) => e.url === fetchUrl(way))).toHaveLength(1);
      const socket = pageEntry(entries, 'websocket', wsUrl(way))!;
      expect({ way, messages: socket.messages.map((m) => [m.dir, m.data.data]), frameUrl: socket.frameUrl }).toEqual({
        way,
        messages: [
          ['send', `msg-${way}`],
          ['receive', `msg-${way}`],
        ],
        frameUrl: frameUrls[way],
      });
    }
    await page.close();
  });

  it('cross-check: what a page does where the page script cannot see is shown from the wire, never dropped', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/hostile-hide.html`);
    await pageDone(page);
    const fetchUrl = `${env.servers.a}/api/echo?from=hidden-fetch`;
    const wsUrl = `${env.servers.a.replace('http', 'ws')}/hidden`;
    const entries = await until(async () => {
      const list = await entriesOf(env, page);
      return list.some((e) => e.url === fetchUrl && e.wire?.statusCode === 200) && list.some((e) => e.url === wsUrl && e.wire?.statusCode === 101) && list;
    });
    // Each exchange is one row (joined with a page record if there is one, else the wire's own).
    expect(entries.filter((e) => e.url === fetchUrl)).toHaveLength(1);
    expect(entries.filter((e) => e.url === wsUrl)).toHaveLength(1);
    await page.close();
  });

  it('cross-check: a response the network never saw is marked, in the panel and the HAR', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/hostile-sw.html`);
    await pageDone(page);
    const panel = await openPanelTab(env, tabId);
    const rows = await until(async () => {
      const shown = await readShownRows(panel);
      return shown.some((r) => r.url.endsWith('/sw-made-up') && r.status === '200') && shown.some((r) => r.url.endsWith('from=network') && r.status === '200') && shown;
    });
    const marks = Object.fromEntries(rows.filter((r) => r.kind === 'fetch').map((r) => [new URL(r.url).pathname, r.notOnWire]));
    expect(marks).toEqual({ '/sw-made-up': true, '/api/echo': false });
    const row = rows.find((r) => r.url.endsWith('/sw-made-up'))!;
    await panel.waitForSelector(`[data-testid=entry-row][data-id=${JSON.stringify(row.id)}] [data-testid=not-on-wire]`);
    // The HAR says so too (`netlens capture`, as a user would).
    const { entries } = await captureHar<{ request: { url: string }; _netlens: { notOnWire?: true } }>(`${env.servers.a}/hostile-sw.html`);
    const har = Object.fromEntries(entries.filter((e) => /sw-made-up|from=network/.test(e.request.url)).map((e) => [new URL(e.request.url).pathname, e._netlens.notOnWire]));
    expect(har).toEqual({ '/sw-made-up': true, '/api/echo': undefined });
    await panel.close();
    await page.close();
  });

  it('isolation: forged, malformed, huge, replayed and flooding batches stay in their tab, are counted, and run nothing', async () => {
    // A second tab with its panel open: nothing of the attacked tab may reach it.
    const witness = await env.session.openTab();
    await witness.page.goto(`${env.servers.b}/compliance-blank.html`);
    const witnessPanel = await openPanelTab(env, witness.tabId);
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/compliance-blank.html`);
    const panel = await openPanelTab(env, tabId);

    const sent = (await inRelay(
      page,
      `(async () => {
        const MARKUP = ${JSON.stringify(MARKUP)};
        const port = chrome.runtime.connect({ name: 'netlens-relay' });
        const acked = new Set();
        port.onMessage.addListener((m) => { for (const seq of m.seqs) acked.add(seq); });
        const doc = 'feedfacefeedface';
        const t = Date.now();
        const id = 'fetch-' + MARKUP;
        const forged = [
          { type: 'start', id, t, kind: 'fetch', method: 'POST', url: 'https://bank.example/transfer?' + MARKUP, headers: [[MARKUP, MARKUP]], body: { encoding: 'text', data: MARKUP, size: MARKUP.length, truncated: false } },
          { type: 'response', id, t: t + 1, status: 200, statusText: MARKUP, headers: [['content-type', 'text/html'], [MARKUP, MARKUP]], url: 'https://bank.example/transfer?' + MARKUP },
          { type: 'body', id, t: t + 2, which: 'response', body: { encoding: 'text', data: '<!doctype html>' + MARKUP, size: 100, truncated: false, mimeType: 'text/html' } },
          { type: 'end', id, t: t + 3, outcome: 'ok' },
        ];
        const batch = (seq, events, extra) => ({ type: 'batch', v: 2, doc, seq, frameUrl: MARKUP, events, ...extra });
        let rejected = 0;
        // Another tab's and frame's ids: rejected whole.
        port.postMessage(batch(1, forged, { tabId: ${witness.tabId}, frameId: 5 })); rejected += forged.length;
        // Malformed envelopes.
        port.postMessage({ ...batch(2, [{}]), doc: '<b>not hex</b>' }); rejected += 1;
        port.postMessage({ ...batch(3, [{}, {}]), v: 99 }); rejected += 2;
        port.postMessage({ ...batch(4, []), events: 'x' }); rejected += 1;
        port.postMessage('<script>top.__pwned=3</script>'); rejected += 1;
        // Malformed and huge events in a good envelope: each one rejected, the good one kept.
        const huge = { type: 'start', id: 'huge', t, kind: 'fetch', method: 'GET', url: 'https://bank.example/' + 'x'.repeat(20 * 1024 * 1024), headers: [] };
        port.postMessage(batch(5, [huge, { type: 'step', id: 1 }, { type: MARKUP }, null, { type: 'step', id: 'ok', t, step: 'fine' }])); rejected += 4;
        // Well formed: this tab's, shown as text; then replayed twice.
        port.postMessage(batch(6, forged));
        port.postMessage(batch(6, forged));
        port.postMessage(batch(6, forged));
        // A flood: 60 batches of 100 events, sent at once.
        for (let i = 0; i < 60; i++) port.postMessage(batch(100 + i, Array.from({ length: 100 }, (_, k) => ({ type: 'step', id: 'flood-' + i, t: t + k, step: 'x' }))));
        const deadline = Date.now() + 120000;
        while (!acked.has(159) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        return { rejected, acked: acked.size, neverAcked: [1, 2, 3, 4].filter((s) => acked.has(s)) };
      })()`,
    )) as { rejected: number; acked: number; neverAcked: number[] };
    // Rejected batches are never acknowledged; good ones are (the replays once more each).
    expect(sent.neverAcked).toEqual([]);
    expect(sent.acked).toBe(2 + 60);

    // The background is alive and still records the other tab.
    await witness.page.evaluate(() => fetch('/api/echo?from=witness').then((r) => r.text()));
    await until(async () => (await readShownRows(witnessPanel)).some((r) => r.url.endsWith('from=witness') && r.status === '200'));
    // Nothing of the attacked tab in the other tab's panel or records.
    expect(JSON.stringify(await readShownRows(witnessPanel))).not.toContain('bank.example');
    expect(JSON.stringify(await env.session.records(witness.tabId))).not.toMatch(/bank\.example|feedface/);

    // In the attacked tab: counted, shown once, as text, marked as never seen on the wire.
    await panel.waitForFunction((n: number) => document.querySelector('[data-testid=rejected]')?.textContent === `${n} page events rejected`, {}, sent.rejected);
    const bank = await until(async () => {
      const rows = (await readShownRows(panel)).filter((r) => r.url.includes('bank.example'));
      return rows.length > 0 && rows;
    });
    expect(bank.map((r) => ({ method: r.method, url: r.url, status: r.status, notOnWire: r.notOnWire }))).toEqual([
      { method: 'POST', url: `https://bank.example/transfer?${MARKUP}`, status: '200', notOnWire: true },
    ]);
    const records = await env.session.records(tabId);
    expect(records.every((r) => r.tabId === tabId && r.frameId === 0)).toBe(true);
    expect(records.filter((r) => r.ev.type === 'start' && r.ev.url.includes('bank.example'))).toHaveLength(1);
    await panel.click(`[data-testid=entry-row][data-id=${JSON.stringify(bank[0].id)}]`);
    await panel.waitForSelector('[data-testid=entry-detail]');
    for (const tab of ['headers', 'response']) {
      await panel.click(`[data-testid=entry-detail] [data-testid=tab-${tab}]`);
      await panel.waitForSelector(`[data-testid=entry-detail][data-tab=${tab}]`);
      expect(await panel.$eval('[data-testid=entry-detail]', (d) => d.querySelectorAll('script, iframe, object, embed, img:not([data-testid=image-preview])').length)).toBe(0);
    }
    expect(await panel.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await panel.close();
    await witnessPanel.close();
    await page.close();
    await witness.page.close();
  });
});
