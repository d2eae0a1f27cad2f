import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry, Message } from '../../src/shared/model';
import { isWireOnly } from '../../src/shared/timeline';
import { clickRow, openDetailTab, entriesOf, openPanelTab, readRows, startEnv, until, type Env, type Row } from '../helpers/env';
import { launchPlain, type Plain } from '../helpers/plain';

/** Message as [dir, text or bytes, flags] for readable comparisons. */
const msg = (m: Message) => {
  const data = m.data.encoding === 'text' ? m.data.data : m.data.encoding === 'base64' ? [...Buffer.from(m.data.data, 'base64')] : `(${m.data.encoding})`;
  return [m.dir, data, ...(m.dropped ? ['dropped'] : [])];
};
/** Page-side steps in order (the timeline may interleave `wire:*` steps as wire records arrive). */
const steps = (e: Entry) => e.lifecycle.map((s) => s.step).filter((s) => !s.startsWith('wire:'));
const header = (e: Entry, name: string) => e.wire?.requestHeaders?.find(([n]) => n.toLowerCase() === name)?.[1];

describe('realtime and script channels', () => {
  let env: Env;
  /** The same Chromium without netlens: what the page must observe. */
  let plain: Plain;
  beforeAll(async () => {
    [env, plain] = await Promise.all([startEnv(), launchPlain()]);
  });
  afterAll(async () => {
    await plain?.close();
    await env?.close();
  });

  /** Runs one scenario with and without netlens; the page must observe exactly the same. */
  async function both(scenario: string): Promise<{ page: Page; observed: unknown }> {
    const run = async (browser: Browser) => {
      const page = await browser.newPage();
      await page.goto(`${env.servers.a}/realtime.html`);
      const observed = await page.evaluate(`window.scenarios.${scenario}()`);
      return { page, observed };
    };
    const [withExt, without] = await Promise.all([run(env.session.browser), run(plain.browser)]);
    await without.page.close();
    expect(withExt.observed).toEqual(without.observed);
    return withExt;
  }

  // A wire-only entry stands for a request until the page's records arrive and absorb it.
  const isPageEntry = (e: Entry) => !isWireOnly(e);
  const settled = (env: Env, page: Page, check: (list: Entry[]) => boolean) =>
    until(async () => {
      const list = await entriesOf(env, page);
      return check(list) && list;
    });

  it('identity: statics, toString, descriptors, instanceof, subclassing and errors are native', async () => {
    const { page, observed } = await both('identity');
    expect(JSON.stringify(observed)).not.toContain('chrome-extension');
    const entries = await settled(env, page, (l) => l.some((e) => e.url.endsWith('/sub') && isPageEntry(e)));
    const sub = entries.find((e) => e.url.endsWith('/sub'))!;
    expect(sub.kind).toBe('websocket');
    expect(sub.request.meta?.protocols).toEqual(['chat.v1']);
    await page.close();
  });

  it('WebSocket: every message both ways, binary in every form, drops, closes, errors', async () => {
    const { page, observed } = await both('websocket');
    expect(observed).toContainEqual(['forged', ['text', 'forged']]);
    expect(observed).toContainEqual(['send-early', 'InvalidStateError', "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state."]);
    const entries = await settled(env, page, (l) => l.filter((e) => e.kind === 'websocket' && isPageEntry(e) && e.endTime !== undefined).length >= 4);
    const ws = entries.filter((e) => e.kind === 'websocket');
    const chat = ws.find((e) => e.url.endsWith('/chat?hello=hi'))!;
    expect(chat.url).toBe(`${env.servers.a.replace('http', 'ws')}/chat?hello=hi`);
    expect(chat.request.meta).toEqual({ protocols: ['chat.v1', 'x-other'], binaryType: 'blob' });
    expect(chat.response?.status).toBe(101);
    expect(chat.websocket).toEqual({
      protocol: 'chat.v1',
      extensions: '',
      close: { code: 4001, reason: 'asked to close', wasClean: true, by: 'server' },
    });
    expect(chat.state).toBe('closed');
    expect(chat.messages.map(msg)).toEqual([
      ['send', 'too early', 'dropped'],
      ['receive', '{"hello":"hi"}'],
      ['send', 'text ✓'],
      ['receive', 'text ✓'],
      ['send', [1, 2, 3, 4]],
      ['receive', [1, 2, 3, 4]],
      ['send', [8, 7]],
      ['receive', [8, 7]],
      ['send', [11, 12]],
      ['receive', [11, 12]],
      ['send', [...Buffer.from('blob-part')]],
      ['receive', [...Buffer.from('blob-part')]],
      ['send', [2, 1]],
      ['receive', [2, 1]],
      ['send', 'heard'],
      ['receive', 'heard'],
      ['send', 'unheard'],
      ['send', 'close-me'],
      ['receive', 'unheard'],
      ['send', 'after close', 'dropped'],
    ]);
    expect(chat.messages.map((m) => m.data.source)).toEqual([
      'text', 'text', 'text', 'text', 'arraybuffer', 'arraybuffer', 'view', 'arraybuffer', 'dataview', 'arraybuffer',
      'blob', 'arraybuffer', 'view', 'blob', 'text', 'text', 'text', 'text', 'text', 'text',
    ]);
    for (let i = 1; i < chat.messages.length; i++) expect(chat.messages[i].t).toBeGreaterThanOrEqual(chat.messages[i - 1].t);
    expect(chat.messages[2].bufferedAmount).toBeGreaterThanOrEqual(0);
    expect(chat.messages[1].origin).toBe(env.servers.a.replace('http', 'ws'));
    expect(chat.messages.every((m) => m.data.size >= 0)).toBe(true);
    expect(steps(chat)).toEqual(['start', 'readystatechange', 'send-dropped', 'open', 'close', 'end:closed', 'send-dropped']);
    // The handshake as it went over the wire, joined by URL.
    // (Chromium adds Sec-WebSocket-Key/-Protocol/-Extensions below webRequest: only deep capture sees them.)
    expect(chat.wire?.resourceType).toBe('websocket');
    expect(header(chat, 'upgrade')).toBe('websocket');
    expect(header(chat, 'sec-websocket-version')).toBe('13');
    expect(header(chat, 'origin')).toBe(env.servers.a);
    expect(chat.wire?.statusCode).toBe(101);
    expect(chat.wire?.responseHeaders?.find(([n]) => n.toLowerCase() === 'sec-websocket-protocol')?.[1]).toBe('chat.v1');
    // Joined, not listed twice.
    expect(entries.filter((e) => e.url === chat.url)).toHaveLength(1);

    const mine = ws.find((e) => e.url.endsWith('/mine'))!;
    expect(mine.websocket?.close).toEqual({ code: 4000, reason: 'bye', wasClean: true, by: 'page' });
    expect(mine.messages.map(msg)).toEqual([['send', 'while closing', 'dropped']]);
    expect(mine.lifecycle.find((s) => s.step === 'close()')?.detail).toEqual({ readyState: 2, code: 4000, reason: 'bye' });

    const terminated = ws.find((e) => e.url.endsWith('/terminated'))!;
    expect(terminated.websocket?.close).toMatchObject({ code: 1006, wasClean: false, by: 'server' });
    // Chromium reports a dropped TCP connection after open as close 1006 without an error event.
    expect(observed).toContainEqual(['terminated', [['close', 1006, false]]]);
    expect(steps(terminated)).toEqual(['start', 'readystatechange', 'open', 'close', 'end:closed']);
    expect(terminated.state).toBe('closed');

    const refused = ws.find((e) => e.url.endsWith('/refused'))!;
    expect(refused.state).toBe('error');
    expect(refused.error).toBe('connection failed');
    expect(refused.websocket?.close).toMatchObject({ code: 1006, wasClean: false });
    await page.close();
  });

  it('EventSource: events, named events, ids, reconnection with Last-Event-ID, close, failure', async () => {
    const { page, observed } = await both('eventSource');
    expect(observed).toContainEqual(['error', 0]);
    const entries = await settled(env, page, (l) => l.filter((e) => e.kind === 'eventsource' && e.endTime !== undefined).length >= 2);
    const [es, bad] = entries.filter((e) => e.kind === 'eventsource');
    expect(es.url).toBe(`${env.servers.a}/api/sse?n=4&named=1&retry=150&drop=1&every=10&unlistened=ghost`);
    expect(es.request.meta).toEqual({ withCredentials: false });
    expect(es.messages.map((m) => [m.eventName, m.data.data, m.eventId])).toEqual([
      ['message', 'line one of 1\nline two', '1'],
      ['tick', 'line one of 2\nline two', '2'],
      ['message', 'line one of 3\nline two', '3'],
      ['tick', 'line one of 4\nline two', '4'],
      ['message', 'line one of 5\nline two', '5'],
      ['tick', 'line one of 6\nline two', '6'],
      ['message', 'line one of 7\nline two', '7'],
    ]);
    expect(es.messages.every((m) => m.origin === env.servers.a && m.dir === 'receive')).toBe(true);
    expect(es.eventSource).toEqual({ listened: ['tick', 'tock', 'message'] });
    expect(steps(es)).toEqual(['start', 'readystatechange', 'open', 'error', 'reconnecting', 'reconnect', 'open', 'close()', 'end:closed']);
    const reconnect = es.lifecycle.find((s) => s.step === 'reconnect')!;
    expect(reconnect.detail?.lastEventId).toBe('4');
    expect(reconnect.detail?.waited).toBeGreaterThanOrEqual(100);
    expect(es.state).toBe('closed');
    // The resumed request carried the id on the wire.
    expect(env.servers.log.some((r) => r.url.includes('unlistened=ghost') && r.headers['last-event-id'] === '4')).toBe(true);
    expect(es.wire?.responseHeaders?.find(([n]) => n.toLowerCase() === 'content-type')?.[1]).toBe('text/event-stream');

    expect(bad.url).toBe(`${env.servers.a}/api/sse?status=500`);
    expect(bad.state).toBe('error');
    expect(steps(bad)).toEqual(['start', 'readystatechange', 'error', 'end:error']);
    await page.close();
  });

  it("EventSource: a reconnection redirected to another origin gives its messages that origin, though the page's capturing open listener stops the open event", async () => {
    const call = `window.scenarios.eventSourceRedirected(${JSON.stringify(env.servers.b)})`;
    const run = async (browser: Browser) => {
      const page = await browser.newPage();
      await page.goto(`${env.servers.a}/realtime.html`);
      return { page, observed: await page.evaluate(call) };
    };
    const [withExt, without] = await Promise.all([run(env.session.browser), run(plain.browser)]);
    await without.page.close();
    expect(withExt.observed).toEqual(without.observed);
    // The page saw the first connection's messages from here, the redirected one's from there.
    expect((withExt.observed as unknown[][]).filter((o) => o[0] === 'message').map((o) => [o[2], o[3]])).toEqual([
      ['1', 'here'],
      ['2', 'here'],
      ['3', 'there'],
      ['4', 'there'],
    ]);
    const done = (e: Entry) => e.kind === 'eventsource' && e.endTime !== undefined && e.messages.length >= 4;
    const es = (await settled(env, withExt.page, (l) => l.some(done))).find(done)!;
    expect(es.messages.map((m) => [m.eventId, m.origin])).toEqual([
      ['1', env.servers.a],
      ['2', env.servers.a],
      ['3', env.servers.b],
      ['4', env.servers.b],
    ]);
    await withExt.page.close();
  });

  it('JSONP and dynamic scripts: every insertion path, payloads, never-called, failed, thrown', async () => {
    const { page, observed } = await both('jsonp');
    expect(observed).toEqual(
      expect.arrayContaining([
        ['s1', 'load', null, 'cb123456'],
        ['s2', 'load', false],
        ['s3', 'load', true, 'function neverCalled() {}'],
        ['shared', 'load', 'load', ['one', 'two'], true],
      ]),
    );
    const entries = await settled(env, page, (l) => l.filter((e) => (e.kind === 'jsonp' || e.kind === 'script') && e.endTime !== undefined).length >= 11);
    const scripts = entries.filter((e) => e.kind === 'jsonp' || e.kind === 'script');
    const view = scripts.map((e) => ({
      kind: e.kind,
      path: e.url.replace(env.servers.a, ''),
      via: e.request.meta?.via,
      callback: e.request.meta?.callback,
      param: e.request.meta?.callbackParam,
      state: e.state,
      error: e.error,
      jsonp: e.jsonp && { called: e.jsonp.called, payload: e.jsonp.payload?.data, threw: e.jsonp.threw },
    }));
    const items = (q: string) => JSON.stringify({ items: [1, 2, 3], q });
    expect(view).toEqual([
      { kind: 'jsonp', path: '/api/jsonp?callback=written&q=w', via: 'document.write', callback: 'written', param: 'callback', state: 'done', error: undefined, jsonp: { called: true, payload: items('w'), threw: undefined } },
      { kind: 'jsonp', path: '/api/jsonp?cb=CallbackRegistry.cb123456&q=registry', via: 'insertBefore', callback: 'CallbackRegistry.cb123456', param: 'cb', state: 'done', error: undefined, jsonp: { called: true, payload: items('registry'), threw: undefined } },
      { kind: 'jsonp', path: '/api/jsonp?jsoncallback=lateDefined&q=late', via: 'append', callback: 'lateDefined', param: 'jsoncallback', state: 'done', error: undefined, jsonp: { called: true, payload: items('late'), threw: undefined } },
      { kind: 'jsonp', path: '/api/jsonp?callback=neverCalled&mode=nocall', via: 'prepend', callback: 'neverCalled', param: 'callback', state: 'error', error: 'JSONP callback was not called', jsonp: { called: false, payload: undefined, threw: undefined } },
      { kind: 'jsonp', path: '/api/status?code=404&callback=lost', via: 'after', callback: 'lost', param: 'callback', state: 'error', error: 'script failed to load', jsonp: { called: false, payload: undefined, threw: undefined } },
      { kind: 'jsonp', path: '/api/jsonp?callback=thrower', via: 'replaceWith', callback: 'thrower', param: 'callback', state: 'error', error: 'JSONP callback threw: TypeError: boom', jsonp: { called: true, payload: items(''), threw: 'TypeError: boom' } },
      { kind: 'script', path: '/realtime-lib.js?via=src', via: 'src', callback: undefined, param: undefined, state: 'done', error: undefined, jsonp: undefined },
      { kind: 'script', path: '/realtime-lib.js?via=before', via: 'before', callback: undefined, param: undefined, state: 'done', error: undefined, jsonp: undefined },
      { kind: 'jsonp', path: '/api/jsonp?callback=inContainer', via: 'appendChild', callback: 'inContainer', param: 'callback', state: 'done', error: undefined, jsonp: { called: true, payload: items(''), threw: undefined } },
      { kind: 'jsonp', path: '/api/jsonp?callback=shared&q=one&delay=30', via: 'append', callback: 'shared', param: 'callback', state: 'done', error: undefined, jsonp: { called: true, payload: items('one'), threw: undefined } },
      { kind: 'jsonp', path: '/api/jsonp?callback=shared&q=two', via: 'append', callback: 'shared', param: 'callback', state: 'done', error: undefined, jsonp: { called: true, payload: items('two'), threw: undefined } },
    ]);
    // Joined with what went over the wire.
    expect(scripts.filter((e) => e.url.includes('/api/jsonp')).every((e) => e.wire?.statusCode === 200)).toBe(true);
    expect(scripts.find((e) => e.url.includes('code=404'))?.wire?.statusCode).toBe(404);
    await page.close();
  });

  it('shows websocket, eventsource, jsonp and script rows in the panel', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/realtime.html`);
    await page.evaluate(async () => {
      const w = window as unknown as { scenarios: Record<string, () => Promise<unknown>> };
      await w.scenarios.eventSource();
      const s = new WebSocket(location.origin.replace('http', 'ws') + '/panel');
      await new Promise((r) => (s.onopen = r));
      s.close(1000, 'done');
    });
    const tabId = await env.session.tabIdOf(page);
    const panel = await openPanelTab(env, tabId);
    const rows = await until(async () => {
      const r = await readRows(panel);
      return r.some((x) => x.kind === 'websocket' && x.status === '101') && r;
    });
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of ['websocket', 'eventsource', 'jsonp']) expect(kinds).toContain(k);
    expect(rows.find((r) => r.url.endsWith('/panel'))).toMatchObject({ kind: 'websocket', method: 'GET', status: '101' });
    const detailOf = async (match: (r: Row) => boolean, testid: string) => {
      await clickRow(panel, match);
      await openDetailTab(panel, 'timing');
      return until(() => panel.evaluate((id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? '', testid));
    };
    expect(await detailOf((r) => r.url.endsWith('/panel'), 'ws-close')).toBe('Closed by page: code 1000 “done”');
    expect(await detailOf((r) => r.kind === 'eventsource', 'sse-listened')).toContain('The page listens to: tick, tock, message.');
    expect(await detailOf((r) => r.url.includes('callback=written'), 'jsonp-callback')).toBe('Callback written called with 1 argument.');
    expect(await panel.evaluate(() => document.querySelector('[data-testid=body-callback-argument]')?.textContent ?? '')).toContain('items');
    await panel.close();
    await page.close();
  });
});
