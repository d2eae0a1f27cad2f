import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { Entry } from '../../src/shared/model';
import type { Payload } from '../../src/shared/protocol';
import { createTimeline } from '../../src/shared/timeline';
import { startEnv, until, type Env } from '../helpers/env';

const text = (p: Payload | undefined) => (p?.encoding === 'base64' ? Buffer.from(p.data, 'base64').toString('utf8') : p?.data);
const steps = (e: Entry) => e.lifecycle.map((s) => s.step);

describe('HTTP capture: XHR, fetch and sendBeacon as the page lives them', () => {
  let env: Env;
  let page: Page;
  let tabId: number;
  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/http-capture.html`);
    tabId = await env.session.tabIdOf(page);
  });
  afterAll(async () => {
    await env?.close();
  });

  const timeline = async () => {
    const t = createTimeline();
    for (const r of await env.session.records(tabId)) t.apply(r);
    return t;
  };
  /**
   * The entry whose URL carries `t=tag`, once `settled` (by default: it has ended). The wire alone
   * may end it before the page's records of it arrive (they wait up to 250 ms for company while no
   * panel watches the tab): a test reading what the page script records waits for that.
   */
  const entry = (tag: string, settled = (e: Entry) => e.state !== 'pending', timeoutMs = 10_000) =>
    until(async () => (await timeline()).entries().find((e) => new RegExp(`[?&]t=${tag}(&|$)`).test(e.url) && e.kind !== 'other' && settled(e)), timeoutMs);

  it('XHR: open arguments, headers, timeout, credentials, FormData with a file, events, JSON response, stack', async () => {
    await page.evaluate('T.xhrFull()');
    const e = await entry('xhr-full');
    expect(e).toMatchObject({ kind: 'xhr', method: 'POST', state: 'done' });
    expect(e.request.meta).toMatchObject({ async: true, user: 'alice', hasPassword: true, timeout: 5000, withCredentials: true, responseType: 'json' });
    expect(JSON.stringify(e)).not.toContain('s3cret');
    expect(e.request.headers).toEqual([['X-Trace', 'a, b']]);
    expect(e.request.body?.form).toEqual([{ name: 'name', value: 'lens' }, { name: 'upload', fileName: 'ten.txt', type: 'text/plain', size: 10 }]);
    expect(steps(e).filter((s) => s === 'readystatechange' || !s.startsWith('upload:'))).toEqual(
      expect.arrayContaining(['start', 'readystatechange', 'loadstart', 'load', 'loadend', 'end:ok']),
    );
    expect(e.lifecycle.filter((s) => s.step === 'readystatechange').map((s) => s.detail?.readyState)).toEqual([1, 2, 3, 4]);
    expect(steps(e)).toContain('upload:load');
    const progress = e.lifecycle.find((s) => s.step === 'upload:progress' || s.step === 'upload:load');
    expect(progress?.detail).toMatchObject({ lengthComputable: true });
    expect(e.response).toMatchObject({ status: 200, statusText: 'OK' });
    expect(JSON.parse(text(e.response?.body)!)).toMatchObject({ method: 'POST' });
    expect(e.initiator).toContain('http-capture.html');
    for (let i = 1; i < e.lifecycle.length; i++) expect(e.lifecycle[i].t).toBeGreaterThanOrEqual(e.lifecycle[0].t - 50);
  });

  it('XHR: every request body kind', async () => {
    await page.evaluate('T.xhrBodies()');
    const body = async (name: string) => (await entry(`xhr-body-${name}`, (e) => e.state === 'done' && !!e.request.body && e.request.body.encoding !== 'none' || e.request.body?.source === 'object')).request.body!;
    expect(await body('params')).toMatchObject({ source: 'urlsearchparams', data: 'a=1&b=x+y' });
    const blob = await until(async () => { const b = (await entry('xhr-body-blob')).request.body; return b?.encoding === 'base64' && b; });
    expect(blob).toMatchObject({ source: 'blob', size: 9, truncated: false, mimeType: 'text/x-blob' });
    expect(text(blob)).toBe('blob-body');
    expect(await body('buffer')).toMatchObject({ source: 'arraybuffer', size: 4, data: Buffer.from([1, 2, 3, 4]).toString('base64') });
    expect(await body('view')).toMatchObject({ source: 'view', size: 2, data: Buffer.from([8, 7]).toString('base64') });
    expect(await body('document')).toMatchObject({ source: 'document', data: '<r><a>1</a></r>' });
    expect(await body('object')).toMatchObject({ source: 'object', data: 'stringified' });
  });

  it('XHR: arraybuffer, blob, document and streamed text responses; abort, timeout, network error, sync, cap', async () => {
    await page.evaluate('T.xhrResponses()');
    expect((await entry('xhr-ab')).response?.body).toMatchObject({ source: 'arraybuffer', size: 5, data: Buffer.from('aaaaa').toString('base64') });
    const blob = await until(async () => (await entry('xhr-blob')).response?.body);
    expect(blob).toMatchObject({ size: 6 });
    expect(text((await entry('xhr-doc')).response?.body)).toContain('compliance scenarios');
    const chunked = await entry('xhr-chunked');
    expect(chunked.lifecycle.filter((s) => s.step === 'progress').length).toBeGreaterThanOrEqual(2);
    // Chromium sniffs a text/plain body's first 1024 bytes before any progress: chunks of 2000.
    expect(text(chunked.response?.body)).toBe(['0', '1', '2'].map((i) => i.padStart(2000, '-')).join(''));

    // A streamed XHR response (NDJSON): chunk by chunk as readyState 3 reports them, with times.
    const nd = await entry('xhr-ndjson');
    expect(nd.messages.length).toBeGreaterThanOrEqual(2);
    expect(nd.messages.map((m) => text(m.data)).join('')).toBe([0, 1, 2].map((i) => `${JSON.stringify({ i, token: `tok${i}` })}\n`).join(''));
    expect(nd.messages[nd.messages.length - 1].t - nd.messages[0].t).toBeGreaterThan(100);

    await page.evaluate('T.xhrOutcomes()');
    expect(await entry('xhr-abort')).toMatchObject({ state: 'aborted' });
    expect(await entry('xhr-timeout')).toMatchObject({ state: 'timeout' });
    expect(await entry('xhr-drop')).toMatchObject({ state: 'error', error: 'network error' });
    const sync = await entry('xhr-sync');
    expect(sync).toMatchObject({ state: 'done', request: { meta: { async: false } }, response: { status: 200 } });
    expect(sync.lifecycle.filter((s) => s.step === 'readystatechange').map((s) => s.detail?.readyState)).toEqual([1, 4]);
    // Its body too: settled at loadend, which a sync request fires inside send().
    expect(JSON.parse(text(sync.response?.body)!)).toMatchObject({ method: 'GET', path: '/api/echo' });
    expect(sync.response?.body?.reserialized).toBeUndefined();
    const big = await entry('xhr-big');
    expect(big.response?.body).toMatchObject({ truncated: true, size: 2_000_000 });
    expect(big.response?.body?.data.length).toBe(1024 * 1024);
  });

  it('XHR: the lifecycle is the events the page saw, in order (loadstart and readystatechange 3 and 4 recorded without a listener of ours)', async () => {
    // The page's own listeners, added before open(), log every event of the xhr; the recorded
    // lifecycle (without start, end and upload steps) must be that log, whatever the timing.
    const logs = (await page.evaluate(`(async () => {
      const logs = {};
      const run = (tag, url, setup, method = 'GET', body = null, async = true) => new Promise((done) => {
        const x = new XMLHttpRequest();
        const log = (logs[tag] = []);
        for (const t of ['readystatechange', 'loadstart', 'progress', 'load', 'error', 'abort', 'timeout', 'loadend']) x.addEventListener(t, (e) => log.push(t === 'readystatechange' ? [t, x.readyState] : t === 'progress' ? [t, e.loaded] : [t]));
        x.open(method, url + '&t=seq-' + tag, async);
        x.addEventListener('loadend', () => setTimeout(done, 0));
        if (setup) setup(x);
        try { x.send(body); } catch {}
        if (!async) setTimeout(done, 0);
      });
      await run('chunked', '/api/chunked?n=25&size=20000&every=8');
      await run('slow', '/api/chunked?n=10&size=3000&every=60');
      await run('big', '/api/bytes?n=3000000');
      await run('small', '/api/echo?a=1');
      await run('abort', '/api/chunked?n=10&size=100&every=50', (x) => setTimeout(() => x.abort(), 130));
      await run('timeout', '/api/chunked?n=10&size=100&every=50', (x) => (x.timeout = 160));
      await run('drop', '/api/drop?a=1');
      await run('middrop', '/api/chunked?n=3&size=3000&every=30&drop=1');
      await run('sync', '/api/echo?a=1', null, 'GET', null, false);
      await run('post', '/api/echo?a=1', null, 'POST', 'x'.repeat(5000));
      await run('ndjson', '/api/ndjson?n=4&every=40');
      await run('uploadabort', '/api/hang?a=1', (x) => { x.upload.onprogress = () => {}; setTimeout(() => x.abort(), 100); }, 'POST', new Blob([new Uint8Array(100000)]));
      await run('abortinprogress', '/api/chunked?n=5&size=100&every=40', (x) => x.addEventListener('progress', () => x.abort()));
      return logs;
    })()`)) as Record<string, unknown[][]>;
    for (const [tag, log] of Object.entries(logs)) {
      const e = await entry(`seq-${tag}`);
      const recorded = e.lifecycle
        .filter((s) => s.step !== 'start' && !s.step.startsWith('end:') && !s.step.startsWith('upload:'))
        .map((s) => (s.step === 'readystatechange' ? [s.step, s.detail?.readyState] : s.step === 'progress' ? [s.step, s.detail?.loaded] : [s.step]));
      expect({ tag, recorded }).toEqual({ tag, recorded: log });
    }
  });

  it('fetch: Request objects and init, body kinds, redirects, aborts, errors, cap', async () => {
    const results = await page.evaluate('T.fetches()');
    expect(results).toEqual({ abort: 'AbortError', drop: 'Failed to fetch' });
    const req = await until(async () => { const e = await entry('fetch-request', (x) => x.state === 'done'); return e.request.body?.encoding === 'base64' && e; });
    expect(req).toMatchObject({ kind: 'fetch', method: 'PUT', response: { status: 200 } });
    expect(text(req.request.body)).toBe('request-body');
    expect(req.request.headers).toEqual(expect.arrayContaining([['x-req', '1']]));
    const init = await entry('fetch-init');
    expect(init.request).toMatchObject({ body: { source: 'string', data: '{"a":1}' }, meta: { credentials: 'include', cache: 'no-store', keepalive: true, mode: 'cors' } });
    expect(init.request.headers).toEqual([['content-type', 'application/json']]);
    expect(JSON.parse(text(init.response?.body)!)).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect((await entry('fetch-form')).request.body?.form).toEqual([{ name: 'f', value: 'v' }, { name: 'file', fileName: 'p.png', type: 'image/png', size: 3 }]);
    const blob = await until(async () => { const b = (await entry('fetch-blob')).request.body; return b?.encoding === 'base64' && b; });
    expect(text(blob)).toBe('blob!');
    const redirect = await entry('fetch-redirect');
    expect(redirect.response).toMatchObject({ status: 200, redirected: true, url: `${env.servers.a}/api/echo?t=fetch-redirected` });
    expect(await entry('fetch-abort')).toMatchObject({ state: 'aborted' });
    expect(await entry('fetch-drop')).toMatchObject({ state: 'error', error: 'TypeError: Failed to fetch' });
    const big = await entry('fetch-big');
    expect(big.response?.body).toMatchObject({ truncated: true, size: 3_000_000 });
    expect(Buffer.from(big.response!.body!.data, 'base64').length).toBe(1024 * 1024);
  });

  it('fetch: streamed NDJSON and SSE bodies are recorded chunk by chunk, with their times', async () => {
    const lines = (n: number) => [...Array(n).keys()].map((i) => `${JSON.stringify({ i, token: `tok${i}` })}\n`).join('');
    // Waits for the page's records, not only the wire's (see entry).
    const nd = await entry('fetch-ndjson', (e) => e.state === 'done' && e.messages.map((m) => text(m.data)).join('') === lines(4));
    // How the network cut the body is its own business: netlens must record the reads the page
    // got, one message per read, each stamped between the page's call and the page's resume.
    const reads = (await page.evaluate('window.ndjsonReads')) as { before: number; after: number; text: string }[];
    expect(reads.map((r) => r.text).join('')).toBe([0, 1, 2, 3].map((i) => `${JSON.stringify({ i, token: `tok${i}` })}\n`).join(''));
    expect(nd.messages.map((m) => text(m.data))).toEqual(reads.map((r) => r.text));
    expect(nd.messages.map((m, i) => reads[i]!.before <= m.t && m.t <= reads[i]!.after)).toEqual(reads.map(() => true));
    // Read with for await…of: the same chunks; a loop the page breaks out of: what it read.
    const iterated = await entry('fetch-for-await', (e) => e.state === 'done' && e.messages.map((m) => text(m.data)).join('') === lines(3));
    expect(iterated.messages.map((m) => text(m.data)).join('')).toBe([0, 1, 2].map((i) => `${JSON.stringify({ i, token: `tok${i}` })}\n`).join(''));
    const broke = await entry('fetch-break', (e) => !!e.response?.body);
    expect(broke.response?.body).toMatchObject({ truncated: true, size: -1 });
    expect(Buffer.from(broke.response!.body!.data, 'base64').length).toBeGreaterThan(0);
    // Read at once with text(): one body, when the page got it.
    const sse = await entry('fetch-sse', (e) => e.state === 'done' && !!e.response?.body);
    expect(text(sse.response?.body)).toContain('data: line one of 1');
  });

  it('fetch: a body the page never reads is not pulled into memory without limit', async () => {
    await page.evaluate(`T.unread('unread')`);
    await new Promise((r) => setTimeout(r, 1500));
    const { flushed } = await (await fetch(`${env.servers.a}/api/counted?key=unread`)).json() as { flushed: number };
    expect(flushed).toBeLessThan(24 * 1024 * 1024);
    // Headers are recorded; the body is not read for the page: no body, and "unread" in its lifecycle.
    const e = await entry('fetch-unread');
    expect(e).toMatchObject({ state: 'done', response: { status: 200 } });
    expect(e.response?.body).toBeUndefined();
    expect(steps(e)).toEqual(['start', 'body:unread', 'end:ok']);
    await page.evaluate('window.keep.body.cancel()');
  });

  it('sendBeacon: URL, body, whether the browser accepted it', async () => {
    expect(await page.evaluate('T.beacons()')).toEqual([true, false, true]);
    const blob = await until(async () => { const b = (await entry('beacon-blob')).request.body; return b?.encoding === 'base64' && b; });
    expect(blob).toMatchObject({ source: 'blob', size: 11, mimeType: 'text/plain' });
    expect(text(blob)).toBe('blob beacon');
    expect(await entry('beacon-text')).toMatchObject({ kind: 'beacon', method: 'POST', state: 'done', request: { body: { data: 'beacon body' }, meta: { accepted: true } } });
    expect(await entry('beacon-big')).toMatchObject({ kind: 'beacon', state: 'error', request: { meta: { accepted: false }, body: { size: 70 * 1024, truncated: false } } });
  });

  it('iframes: about:blank right after appendChild, srcdoc, same-origin src — each attributed to its frame', async () => {
    await page.evaluate('T.frames()');
    // Bodies nobody reads are not read for the page: the response is enough here.
    const answered = (e: Entry) => e.response?.status === 200;
    const blank = await entry('frame-blank', answered);
    const blankXhr = await entry('frame-blank-xhr', answered);
    const srcdoc = await entry('frame-srcdoc', answered);
    const src = await entry('frame-src', answered);
    const top = await entry('frame-top', answered);
    for (const e of [blank, blankXhr, srcdoc, src]) expect(e.frameId).not.toBe(top.frameId);
    expect(blank.frameUrl).toBe('about:blank');
    expect(srcdoc.frameUrl).toBe('about:srcdoc');
    expect(src.frameUrl).toBe(`${env.servers.a}/compliance-blank.html?frame=1`);
    expect(new Set([blank.frameId, srcdoc.frameId, src.frameId]).size).toBe(3);
    // A sandboxed srcdoc frame (opaque origin).
    const sandboxed = await entry('frame-sandboxed', answered);
    expect(sandboxed.frameId).not.toBe(top.frameId);
  });

  it('a frame written with document.open()/write() right after appendChild: captured, and our handshake never reaches its listeners', async () => {
    // document.open() erases the window's listeners (the relay's too) in the task that created
    // the frame: the handshake is synchronous, so it is over by then.
    const written = await entry('frame-written', (e) => e.response?.status === 200);
    expect(written.kind).toBe('fetch');
    expect(await page.evaluate('window.writtenSaw')).toBeUndefined();
  });

  it('a failure of ours is a counted capture error, never a page-visible difference', async () => {
    const before = (await timeline()).captureErrors;
    // The page defines Object.prototype.toJSON: copying a json response would run it.
    expect(await page.evaluate('T.jsonToJSON()')).toBe(0);
    await until(async () => (await timeline()).captureErrors > before);
    const e = await entry('xhr-tojson');
    expect(e).toMatchObject({ state: 'done', response: { status: 200 } });
  });
});
