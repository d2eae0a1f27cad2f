import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCdpMapper, type CdpSession } from '../../src/shared/deep/cdp';
import type { DeepEvent } from '../../src/shared/deep/events';
import { deepFailureText } from '../../src/shared/deep/cost';
import { corsDisagreement } from '../../src/shared/deep/cors';
import { importHar } from '../../src/shared/har';
import type { PageEvent, TabRecord } from '../../src/shared/protocol';
import { createTimeline } from '../../src/shared/timeline';
import { buildHar } from '../../src/shared/trace';
import { entrySize } from '../../src/shared/entry-columns';
import type { Message } from '../../src/shared/model';
import { createInlineIndex } from '../../src/shared/panel-views';

/**
 * Deep capture's pure half, over CDP events Chromium really sent (test/fixtures/cdp/deep-page.json,
 * recorded by scripts/record-cdp.mts from test/fixtures/pages/deep.html): the mapper, the
 * timeline's merge and the HAR.
 */
type Recorded = [session: string, method: string, params: Record<string, unknown>];
const RECORDED = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/cdp/deep-page.json'), 'utf8')) as Recorded[];
const WORKER: CdpSession = { sessionId: 'W1', worker: { type: 'dedicated', url: 'http://127.0.0.1:8000/deep-worker.js' } };
const ES_URL = 'http://127.0.0.1:8000/sse?n=2&named=1&unlistened=Join&end=1';

/**
 * Replays the recording: each command the mapper asks for is answered with the recorded result
 * at the place it arrived (streamResourceContent), or at once from `bodies` (getResponseBody).
 */
function replay(bodyCap = 1 << 20, recorded = RECORDED): DeepEvent[] {
  const mapper = createCdpMapper({ bodyCap, now: () => 0 });
  const out: DeepEvent[] = [];
  const waiting = new Map<string, (result: unknown) => DeepEvent[]>();
  for (const [session, method, params] of recorded) {
    if (method.startsWith('result:')) {
      const then = waiting.get(`${session}|${method.slice(7)}|${params.requestId}`);
      if (then) out.push(...then(params.result));
      continue;
    }
    const { records, commands } = mapper.event(method, params, session === 'worker' ? WORKER : undefined);
    out.push(...records);
    for (const c of commands) {
      if (c.method === 'Network.getResponseBody') out.push(...c.then({ body: '{"echo":true}', base64Encoded: false }));
      else waiting.set(`${session}|${c.method}|${c.params.requestId}`, c.then);
    }
  }
  return out;
}

let seq = 0;
const rec = (ev: TabRecord['ev']): TabRecord => ({ seq: ++seq, tabId: 1, frameId: 0, doc: 'd1', frameUrl: 'http://127.0.0.1:8000/deep.html', ev });
const esStart: PageEvent = { type: 'start', id: 'es-1', t: 1, kind: 'eventsource', method: 'GET', url: ES_URL, headers: [] };
const listen = (names: string[]): PageEvent => ({ type: 'listen', id: 'es-1', t: 2, names });

describe('deep capture: CDP events to deep records', () => {
  const records = replay();
  const es = records.filter((r) => r.requestId === records.find((x) => x.phase === 'request' && x.url === ES_URL)?.requestId);

  it("keeps the tab's script-made requests and leaves documents, scripts and favicons out", () => {
    const requests = records.filter((r) => r.phase === 'request' && !r.worker).map((r) => (r.phase === 'request' ? [r.cdpType, r.url] : []));
    expect(requests).toEqual([
      ['Fetch', 'http://127.0.0.1:8000/api/sse?n=1&end=1'],
      ['EventSource', ES_URL],
    ]);
  });

  it('gives every SSE event, the unlistened `Join` included, with its data and the id carried over', () => {
    expect(es.filter((r) => r.phase === 'sse').map((r) => (r.phase === 'sse' ? [r.eventName, r.eventId, r.data] : []))).toEqual([
      ['message', '1', 'line one of 1\nline two'],
      ['tick', '2', 'line one of 2\nline two'],
      ['Join', '2', 'nobody listens'],
    ]);
  });

  it('gives the raw stream of an EventSource and of an event stream over fetch, `retry:` and comments included', () => {
    const raw = (id: string | undefined) => records.filter((r) => r.requestId === id && r.phase === 'raw').map((r) => (r.phase === 'raw' ? r.text : '')).join('');
    expect(raw(es[0].requestId)).toBe('retry: 500\n\n: a comment\n\nid: 1\ndata: line one of 1\ndata: line two\n\nevent: tick\nid: 2\ndata: line one of 2\ndata: line two\n\nevent: Join\ndata: nobody listens\n\n');
    const fetchId = records.find((r) => r.phase === 'request' && r.cdpType === 'Fetch' && !r.worker)?.requestId;
    expect(raw(fetchId)).toBe('retry: 500\n\n: a comment\n\nid: 1\ndata: line one of 1\ndata: line two\n\n');
  });

  it("marks a dedicated worker's fetch and WebSocket with the worker, with body, handshake as sent and frames", () => {
    const worker = records.filter((r) => r.worker);
    expect(worker.every((r) => r.worker?.type === 'dedicated' && r.requestId.startsWith('W1:'))).toBe(true);
    expect(worker.map((r) => r.phase)).toEqual(['request', 'response', 'end', 'body', 'ws-created', 'ws-handshake', 'ws-response', 'ws-frame', 'ws-frame', 'ws-closed']);
    const handshake = worker.find((r) => r.phase === 'ws-handshake');
    expect(handshake?.phase === 'ws-handshake' && handshake.headers.map(([n]) => n)).toEqual(expect.arrayContaining(['Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Sec-WebSocket-Extensions', 'Origin']));
    expect(worker.filter((r) => r.phase === 'ws-frame').map((r) => (r.phase === 'ws-frame' ? [r.dir, r.data.data] : []))).toEqual([
      ['send', 'hello from the worker'],
      ['receive', 'hello from the worker'],
    ]);
  });

  it('puts timestamps on the wall clock (from requestWillBeSent.wallTime)', () => {
    const request = RECORDED.find(([, m, p]) => m === 'Network.requestWillBeSent' && p.type === 'EventSource')![2];
    expect(es[0].t).toBeCloseTo((request.wallTime as number) * 1000, 3);
    for (const r of es) expect(r.t).toBeGreaterThanOrEqual(es[0].t);
  });

  it("keeps Chromium's CORS verdict from loadingFailed, cuts data at the cap, and skips what does not fit", () => {
    const mapper = createCdpMapper({ bodyCap: 4, now: () => 7 });
    mapper.event('Network.requestWillBeSent', { requestId: '9', type: 'Fetch', request: { url: 'http://b.test/', method: 'PUT', headers: { A: 'x\ny' } } });
    const failed = mapper.event('Network.loadingFailed', { requestId: '9', errorText: 'net::ERR_FAILED', corsErrorStatus: { corsError: 'PreflightMissingAllowOriginHeader', failedParameter: '' } });
    expect(failed.records).toEqual([{ type: 'deep', requestId: 'tab:9', t: expect.any(Number), phase: 'end', error: 'net::ERR_FAILED', cors: { corsError: 'PreflightMissingAllowOriginHeader', failedParameter: '' } }]);
    expect(mapper.event('Network.eventSourceMessageReceived', { requestId: '9', eventName: 'x', data: 'abcdefgh' }).records[0]).toMatchObject({ data: 'abcd' });
    for (const junk of [null, 3, 'x', [], { requestId: 5 }, { requestId: '9', request: 'no' }]) {
      expect(() => mapper.event('Network.requestWillBeSent', junk)).not.toThrow();
      expect(() => mapper.event('Network.webSocketFrameReceived', junk, WORKER)).not.toThrow();
    }
  });
});

describe('deep capture: merged into the timeline and the HAR', () => {
  const deepRecords = replay().map(rec);

  it('adds the event the page did not listen to, marked, beside the names it listens to', () => {
    for (const deepFirst of [false, true]) {
      const tl = createTimeline();
      const pageRecords = [rec(esStart), rec(listen(['join', 'tick']))];
      for (const r of deepFirst ? [...deepRecords, ...pageRecords] : [...pageRecords, ...deepRecords]) tl.apply(r);
      const entry = tl.entries().find((e) => e.url === ES_URL)!;
      expect(entry.id).toBe('d1:es-1');
      expect(entry.messages.map((m) => [m.eventName, m.data.data, m.unlistened])).toEqual([['Join', 'nobody listens', true]]);
      expect(entry.eventSource?.listened).toEqual(['join', 'tick']);
      expect(entry.deep?.raw?.map((r) => r.text).join('')).toContain('retry: 500\n');
    }
  });

  it('drops the mark once the page listens to that name (its own capture has the event then)', () => {
    const tl = createTimeline();
    for (const r of [rec(esStart), ...deepRecords]) tl.apply(r);
    const entry = tl.get('d1:es-1')!;
    expect(entry.messages.filter((m) => m.unlistened).map((m) => m.eventName)).toEqual(['tick', 'Join']);
    tl.apply(rec(listen(['tick'])));
    expect(tl.get('d1:es-1')!.messages.filter((m) => m.unlistened).map((m) => m.eventName)).toEqual(['Join']);
  });

  it("gives the worker's requests entries of their own, exported with their worker, and back on import", () => {
    const tl = createTimeline();
    for (const r of [rec(esStart), rec(listen(['join'])), ...deepRecords]) tl.apply(r);
    const workerEntries = tl.entries().filter((e) => e.worker);
    expect(workerEntries.map((e) => [e.kind, e.state, e.url, e.response?.status])).toEqual([
      ['fetch', 'done', 'http://127.0.0.1:8000/api/echo?from=dedicated-worker', 200],
      ['websocket', 'closed', 'ws://127.0.0.1:8000/deep-worker-ws', 101],
    ]);
    expect(workerEntries[0].response?.body?.data).toBe('{"echo":true}');
    expect(workerEntries[1].messages.map((m) => [m.dir, m.data.data])).toEqual([
      ['send', 'hello from the worker'],
      ['receive', 'hello from the worker'],
    ]);

    const har = buildHar(tl.entries(), { redact: false });
    const byUrl = (url: string) => har.log.entries.find((e) => e.request.url === url)!;
    const worker = { type: 'dedicated', url: WORKER.worker.url };
    expect(byUrl('http://127.0.0.1:8000/api/echo?from=dedicated-worker')._netlens?.worker).toEqual(worker);
    const ws = byUrl('ws://127.0.0.1:8000/deep-worker-ws');
    expect(ws._netlens?.worker).toEqual(worker);
    expect(ws._webSocketMessages?.map((m) => [m.type, m.opcode, m.data])).toEqual([
      ['send', 1, 'hello from the worker'],
      ['receive', 1, 'hello from the worker'],
    ]);
    expect(ws._netlens?.handshake?.requestHeaders?.some((h) => h.name === 'Sec-WebSocket-Key')).toBe(true);
    const es = byUrl(ES_URL);
    expect(es._eventSourceMessages?.map((m) => [m.eventName, m.data, m._netlens])).toEqual([
      ['tick', 'line one of 2\nline two', { unlistened: true }],
      ['Join', 'nobody listens', { unlistened: true }],
    ]);
    expect(es._netlens?.listened).toEqual(['join']);
    expect(es._netlens?.rawStream?.[0].text).toBe('retry: 500\n\n');

    const back = importHar(JSON.parse(JSON.stringify(har)));
    const imported = (url: string) => back.entries.find((e) => e.url === url)!;
    expect(imported(ws.request.url).worker).toEqual(worker);
    expect(imported(ES_URL).messages.map((m) => [m.eventName, m.unlistened])).toEqual([
      ['tick', true],
      ['Join', true],
    ]);
    expect(imported(ES_URL).deep?.raw).toEqual(tl.get('d1:es-1')!.deep?.raw?.map((r) => ({ ...r, t: expect.closeTo(r.t, 2) })));
  });

  it("shows a worker's redirected request with the method it went on with", () => {
    // A form-like POST answered 303: Chromium sends a GET to the new URL under the same request id.
    const worker = { type: 'dedicated' as const, url: WORKER.worker.url };
    const deep = (t: number, method: string, url: string): TabRecord['ev'] => ({ type: 'deep', requestId: 'W1.7', t, worker, phase: 'request', method, url, cdpType: 'Fetch', headers: [] });
    const tl = createTimeline();
    tl.apply(rec(deep(1, 'POST', 'http://127.0.0.1:8000/submit')));
    tl.apply(rec(deep(2, 'GET', 'http://127.0.0.1:8000/result')));
    expect(tl.entries().map((e) => [e.method, e.url])).toEqual([['GET', 'http://127.0.0.1:8000/result']]);
  });

  it("keeps an EventSource's size and its messages inline right when an unlistened event comes after later ones the page sent", () => {
    // The deep event goes in time order, before messages already there: the views, which read
    // messages as appended, must see a new list.
    const tl = createTimeline();
    const message = (t: number, data: string): PageEvent => ({ type: 'message', id: 'es-1', t, dir: 'receive', data: { encoding: 'text', data, size: data.length, truncated: false }, eventName: 'tick' });
    for (const ev of [esStart, listen(['tick']), message(10, 'a'), message(30, 'ccc')]) tl.apply(rec(ev));
    tl.apply(rec({ type: 'deep', requestId: 'T.1', t: 5, phase: 'request', method: 'GET', url: ES_URL, cdpType: 'EventSource', headers: [] }));
    const es = tl.get('d1:es-1')!;
    // A body: filter the late event does not match.
    const accepts = (m: Message) => m.data.data !== 'bb';
    const inline = createInlineIndex();
    inline.sync([es], accepts);
    expect(entrySize(es)).toBe(4);
    tl.apply(rec({ type: 'deep', requestId: 'T.1', t: 20, phase: 'sse', eventName: 'Join', data: 'bb', eventId: '' }));
    expect(es.messages.map((m) => m.data.data)).toEqual(['a', 'bb', 'ccc']);
    expect(entrySize(es)).toBe(6);
    inline.sync([es], accepts);
    const fresh = createInlineIndex();
    fresh.sync([es], accepts);
    const rows = (ix: typeof inline) => Array.from({ length: ix.count }, (_, r) => ix.at(r).message);
    expect(rows(inline)).toEqual(rows(fresh));
  });

  it("keeps an EventSource's messages in time order when the page's event comes after a later unlistened one", () => {
    // Deep capture's records and the page's arrive on separate paths: either may be first.
    const message = (t: number, data: string): PageEvent => ({ type: 'message', id: 'es-1', t, dir: 'receive', data: { encoding: 'text', data, size: data.length, truncated: false }, eventName: 'tick' });
    const request: TabRecord['ev'] = { type: 'deep', requestId: 'T.2', t: 5, phase: 'request', method: 'GET', url: ES_URL, cdpType: 'EventSource', headers: [] };
    const join: TabRecord['ev'] = { type: 'deep', requestId: 'T.2', t: 20, phase: 'sse', eventName: 'Join', data: 'bb', eventId: '' };
    const orders: TabRecord['ev'][][] = [
      [esStart, listen(['tick']), request, message(10, 'a'), join, message(30, 'c')],
      [esStart, listen(['tick']), request, join, message(10, 'a'), message(30, 'c')],
    ];
    for (const order of orders) {
      const tl = createTimeline();
      for (const ev of order) tl.apply(rec(ev));
      const es = tl.get('d1:es-1')!;
      expect(es.messages.map((m) => m.data.data)).toEqual(['a', 'bb', 'c']);
      expect(entrySize(es)).toBe(4);
    }
  });

  it("sets Chromium's CORS verdict beside the doctor's in the HAR", () => {
    const tl = createTimeline();
    const url = 'http://b.test/api';
    tl.apply(rec({ type: 'start', id: 'f-1', t: 1, kind: 'fetch', method: 'PUT', url, headers: [] }));
    tl.apply(rec({ type: 'deep', requestId: 'tab:1', t: 1, phase: 'request', method: 'PUT', url, cdpType: 'Fetch', headers: [] }));
    tl.apply(rec({ type: 'deep', requestId: 'tab:1', t: 2, phase: 'end', error: 'net::ERR_FAILED', cors: { corsError: 'MissingAllowOriginHeader', failedParameter: '' } }));
    const entry = tl.get('d1:f-1')!;
    expect(entry.deep?.cors).toEqual({ corsError: 'MissingAllowOriginHeader', failedParameter: '' });
    const har = buildHar([entry], { redact: false });
    expect((har.log.entries[0]._netlens?.cors as { chromium: unknown }).chromium).toEqual({ corsError: 'MissingAllowOriginHeader', failedParameter: '' });
  });

  it('says plainly when another debugger holds the tab', () => {
    expect(deepFailureText('Another debugger is already attached to the tab with id: 5.')).toMatch(/^Deep capture could not start: another debugger/);
    expect(deepFailureText('Cannot access a chrome:// URL')).toBe('Deep capture could not start: Cannot access a chrome:// URL');
  });
});

describe("deep capture: the doctor's CORS verdict against Chromium's", () => {
  const chromium = (corsError: string) => ({ corsError, failedParameter: '' });
  it('is silent when they agree or the doctor cannot judge', () => {
    expect(corsDisagreement({ outcome: 'allowed' }, null)).toBeUndefined();
    expect(corsDisagreement({ outcome: 'blocked', error: 'MissingAllowOriginHeader' }, chromium('MissingAllowOriginHeader'))).toBeUndefined();
    expect(corsDisagreement({ outcome: 'unknown' }, chromium('MissingAllowOriginHeader'))).toBeUndefined();
  });
  it('says which way they disagree', () => {
    expect(corsDisagreement({ outcome: 'allowed' }, chromium('PreflightInvalidStatus'))).toBe('Chromium blocked this request (PreflightInvalidStatus), but the doctor predicted it allowed.');
    expect(corsDisagreement({ outcome: 'blocked', error: 'MissingAllowOriginHeader' }, null)).toBe('The doctor predicted MissingAllowOriginHeader, but Chromium did not block this request.');
    expect(corsDisagreement({ outcome: 'blocked', error: 'MissingAllowOriginHeader' }, chromium('AllowOriginMismatch'))).toBe('The doctor says MissingAllowOriginHeader, Chromium says AllowOriginMismatch.');
  });
});

describe('deep capture: an event stream\'s raw text', () => {
  /** Per request, the raw text the mapper gave, in order. */
  const rawOf = (events: DeepEvent[]) => {
    const by = new Map<string, string>();
    for (const e of events) if (e.phase === 'raw') by.set(e.requestId, (by.get(e.requestId) ?? '') + e.text);
    return by;
  };

  it('is in the stream\'s order when streamResourceContent\'s answer is handled after the bytes streamed after it', () => {
    // Each answer moved after the last dataReceived with bytes of its request (the worker may
    // handle a command's answer after events Chromium sent later).
    const late = [...RECORDED];
    for (let i = 0; i < late.length; i++) {
      const [session, method, params] = late[i];
      if (method !== 'result:Network.streamResourceContent') continue;
      let last = -1;
      for (let k = i + 1; k < late.length && late[k][1] !== 'Network.loadingFinished'; k++) if (late[k][0] === session && late[k][1] === 'Network.dataReceived' && late[k][2].requestId === params.requestId && late[k][2].data) last = k;
      if (last < 0) continue;
      late.splice(last + 1, 0, late[i]);
      late.splice(i, 1);
    }
    expect(late).not.toEqual(RECORDED);
    const inOrder = rawOf(replay());
    expect([...inOrder.values()].some((t) => t.startsWith('retry: 500\n\n: a comment\n\n'))).toBe(true);
    expect(rawOf(replay(1 << 20, late))).toEqual(inOrder);
  });
});

describe('deep capture: an EventSource in any interleaving of the page\'s records and deep capture\'s', () => {
  it("gives the same messages, in time order, whichever records come first (each side in its own order)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom('message', 'tick', 'Join')), { maxLength: 12 }),
        fc.subarray(['tick', 'Join']),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (events, names, picks) => {
          const pageStream: TabRecord['ev'][] = [esStart, listen(names)];
          const deepStream: TabRecord['ev'][] = [{ type: 'deep', requestId: 'T.3', t: 3, phase: 'request', method: 'GET', url: ES_URL, cdpType: 'EventSource', headers: [] }];
          let t = 10;
          for (const [step, name] of events) {
            t += step;
            const data = `${name}@${t}`;
            // The page hears what it listens to (and onmessage's); Chromium reports every event.
            if (name === 'message' || names.includes(name)) pageStream.push({ type: 'message', id: 'es-1', t, dir: 'receive', data: { encoding: 'text', data, size: data.length, truncated: false }, eventName: name });
            deepStream.push({ type: 'deep', requestId: 'T.3', t, phase: 'sse', eventName: name, data, eventId: '' });
          }
          const run = (order: TabRecord['ev'][]) => {
            const tl = createTimeline();
            for (const ev of order) tl.apply(rec(ev));
            const es = tl.get('d1:es-1')!;
            return { messages: es.messages.map((m) => [m.t, m.data.data, m.unlistened ?? false]), size: entrySize(es) };
          };
          const mixed: TabRecord['ev'][] = [];
          let p = 0;
          let d = 0;
          for (const pick of picks) {
            if (pick && p < pageStream.length) mixed.push(pageStream[p++]);
            else if (!pick && d < deepStream.length) mixed.push(deepStream[d++]);
          }
          mixed.push(...pageStream.slice(p), ...deepStream.slice(d));
          const expected = events.map(([, name], i) => {
            const at = 10 + events.slice(0, i + 1).reduce((n, [s]) => n + s, 0);
            return [at, `${name}@${at}`, !(name === 'message' || names.includes(name))];
          });
          expect(run([...pageStream, ...deepStream])).toEqual({ messages: expected, size: expected.reduce((n, [, data]) => n + String(data).length, 0) });
          expect(run(mixed)).toEqual(run([...pageStream, ...deepStream]));
        },
      ),
      { numRuns: Number(process.env.PROPS_RUNS ?? 300) },
    );
  });
});
