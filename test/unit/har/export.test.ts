import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import { importHar } from '../../../src/shared/har/import';
import { NETLENS_HAR_FORMAT } from '../../../src/shared/har/types';
import type { Entry } from '../../../src/shared/model';
import { T0, base64, makeEntry, msg, text, validateHar } from './helpers';

const plain = (entries: Entry[], cors?: (e: Entry) => unknown) => exportHar(entries, { redact: false, version: '1.2.3', cors });

describe('exportHar: log', () => {
  it('writes HAR 1.2 with netlens as creator and one page per document', async () => {
    const a = makeEntry({ doc: 'doc-A', frameUrl: 'https://a.example/', startTime: T0 + 5, endTime: T0 + 125.5 });
    const b = makeEntry({ doc: 'doc-A', frameUrl: 'https://a.example/', startTime: T0 + 1 });
    const c = makeEntry({ doc: 'doc-B', frameUrl: 'https://b.example/frame', frameId: 3 });
    const wireOnly = makeEntry({ id: 'wire:99', doc: undefined, frameUrl: undefined, kind: 'other' });
    const har = plain([a, b, c, wireOnly]);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'netlens', version: '1.2.3' });
    expect(har.log.pages).toEqual([
      { startedDateTime: new Date(T0 + 1).toISOString(), id: 'doc-A', title: 'https://a.example/', pageTimings: {} },
      { startedDateTime: new Date(c.startTime).toISOString(), id: 'doc-B', title: 'https://b.example/frame', pageTimings: {} },
    ]);
    expect(har.log.entries.map((e) => e.pageref)).toEqual(['doc-A', 'doc-A', 'doc-B', undefined]);
    expect(har.log.entries[0].startedDateTime).toBe(new Date(T0 + 5).toISOString());
    expect(har.log.entries[0].time).toBe(120.5);
    await validateHar(har);
  });

  it('maps kinds to Chrome resource types', () => {
    const kinds: Entry['kind'][] = ['xhr', 'fetch', 'websocket', 'eventsource', 'jsonp', 'script', 'beacon', 'preflight', 'other'];
    const har = plain(kinds.map((kind) => makeEntry({ kind })));
    expect(har.log.entries.map((e) => e._resourceType)).toEqual(['xhr', 'fetch', 'websocket', 'eventsource', 'script', 'script', 'ping', 'preflight', 'other']);
  });
});

describe('exportHar: request and response', () => {
  it('prefers the wire headers and status, keeping the page view under _netlens', async () => {
    const e = makeEntry({
      method: 'POST',
      request: { headers: [['X-Page', '1']], body: text('{"a":1}', { mimeType: 'application/json' }) },
      response: { status: 0, statusText: '', headers: [['content-type', 'application/json']], body: text('{}') },
      wire: {
        requestId: '42',
        resourceType: 'xmlhttprequest',
        requestHeaders: [['X-Page', '1'], ['Cookie', 'a=1; b=2'], ['Content-Type', 'application/json']],
        responseHeaders: [['Content-Type', 'application/json'], ['Set-Cookie', 'sid=abc; Path=/; HttpOnly; Secure']],
        statusCode: 201,
        statusLine: 'HTTP/1.1 201 Created',
        ip: '10.0.0.1',
        redirects: [],
        sendTime: T0 + 10,
        headersTime: T0 + 60,
        endTime: T0 + 100,
      },
    });
    e.startTime = T0;
    e.endTime = T0 + 110;
    const [h] = plain([e]).log.entries;
    expect(h.request.headers.map((x) => x.name)).toEqual(['X-Page', 'Cookie', 'Content-Type']);
    expect(h.request.cookies).toEqual([{ name: 'a', value: '1' }, { name: 'b', value: '2' }]);
    expect(h.request.httpVersion).toBe('HTTP/1.1');
    expect(h.request.queryString).toEqual([{ name: 'page', value: '2' }]);
    expect(h.request.postData).toEqual({ mimeType: 'application/json', text: '{"a":1}' });
    expect(h.request.bodySize).toBe(7);
    expect(h.response.status).toBe(201);
    expect(h.response.statusText).toBe('Created');
    expect(h.response.cookies).toEqual([{ name: 'sid', value: 'abc', path: '/', httpOnly: true, secure: true }]);
    expect(h.response.content).toEqual({ size: 2, mimeType: 'application/json', text: '{}' });
    expect(h.serverIPAddress).toBe('10.0.0.1');
    expect(h.timings).toEqual({ blocked: 10, dns: -1, connect: -1, ssl: -1, send: -1, wait: 50, receive: 50 });
    expect(h.time).toBe(110);
    expect(h._netlens?.requestHeaders).toEqual([{ name: 'X-Page', value: '1' }]);
    expect(h._netlens?.response).toEqual({ status: 0, statusText: '', headers: [{ name: 'content-type', value: 'application/json' }] });
    expect(h._netlens?.wire).toMatchObject({ requestId: '42', requestHeaders: true, responseHeaders: true, statusCode: 201 });
    await validateHar({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [h] } });
  });

  it('uses -1 for timings it does not know', () => {
    const [h] = plain([makeEntry({ endTime: undefined, state: 'pending' })]).log.entries;
    expect(h.timings).toEqual({ blocked: -1, dns: -1, connect: -1, ssl: -1, send: -1, wait: -1, receive: -1 });
    expect(h.time).toBe(0);
  });

  it('takes wait/receive from XHR readyState steps when there is no wire view', () => {
    const e = makeEntry({ kind: 'xhr' });
    e.lifecycle = [
      { t: e.startTime, step: 'start' },
      { t: e.startTime + 30, step: 'readystatechange', detail: { readyState: 2 } },
    ];
    const [h] = plain([e]).log.entries;
    expect([h.timings.wait, h.timings.receive]).toEqual([30, 90.5]);
  });

  it('writes urlencoded, multipart and FormData bodies with params', async () => {
    const form = makeEntry({
      method: 'POST',
      request: { headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: text('a=1&b=x+y&c=%E2%9C%93') },
    });
    const multipartText = '--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n--XyZ--\r\n';
    const multipart = makeEntry({
      method: 'POST',
      request: { headers: [['Content-Type', 'multipart/form-data; boundary=XyZ']], body: text(multipartText) },
    });
    const formData = makeEntry({
      method: 'POST',
      request: {
        headers: [],
        body: {
          encoding: 'none',
          data: '',
          size: 1234,
          truncated: false,
          source: 'formdata',
          mimeType: 'multipart/form-data',
          form: [{ name: 'user', value: 'ann' }, { name: 'avatar', fileName: 'me.png', type: 'image/png', size: 1200 }],
        },
      },
    });
    const binary = makeEntry({ method: 'PUT', request: { headers: [], body: base64([0, 1, 2, 255], { mimeType: 'application/octet-stream' }) } });
    const har = plain([form, multipart, formData, binary]);
    const [p1, p2, p3, p4] = har.log.entries.map((e) => e.request.postData);
    expect(p1).toEqual({
      mimeType: 'application/x-www-form-urlencoded',
      text: 'a=1&b=x+y&c=%E2%9C%93',
      params: [{ name: 'a', value: '1' }, { name: 'b', value: 'x y' }, { name: 'c', value: '✓' }],
    });
    expect(p2?.params).toEqual([
      { name: 'note', value: 'hello' },
      { name: 'f', value: 'file body', fileName: 'a.txt', contentType: 'text/plain' },
    ]);
    expect(p3).toEqual({
      mimeType: 'multipart/form-data',
      params: [{ name: 'user', value: 'ann' }, { name: 'avatar', fileName: 'me.png', contentType: 'image/png', _size: 1200 }],
    });
    expect(har.log.entries[2]._netlens).toMatchObject({ requestForm: true, requestBodySize: 1234, requestBodySource: 'formdata' });
    expect(har.log.entries[2].request.bodySize).toBe(1234);
    expect(p4).toEqual({ mimeType: 'application/octet-stream', text: 'AAEC/w==', _encoding: 'base64' });
    await validateHar(har);
  });

  it('writes binary response bodies as base64 (an ArrayBuffer too) and keeps truncation and true size', async () => {
    const bytes = new Uint8Array([137, 80, 78, 71]);
    const png = makeEntry({
      response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'image/png']], body: { encoding: 'buffer', data: '', buffer: bytes.buffer, size: 4, truncated: false } },
    });
    const cut = makeEntry({ response: { status: 200, statusText: 'OK', headers: [], body: text('abc', { size: 1_000_000, truncated: true, mimeType: 'text/plain' }) } });
    const har = plain([png, cut]);
    expect(har.log.entries[0].response.content).toEqual({ size: 4, mimeType: 'image/png', text: 'iVBORw==', encoding: 'base64' });
    expect(har.log.entries[1].response.content).toEqual({ size: 1_000_000, mimeType: 'text/plain', text: 'abc' });
    expect(har.log.entries[1]._netlens).toMatchObject({ responseBodyTruncated: true, responseBodySize: 1_000_000 });
    await validateHar(har);
  });

  it("writes a fetch's textual bytes as text, as Chrome does, when they are UTF-8 read as UTF-8; others stay base64", () => {
    const utf8 = (s: string) => [...new TextEncoder().encode(s)];
    const body = (type: string | undefined, bytes: number[]) =>
      makeEntry({ response: { status: 200, statusText: 'OK', headers: type ? [['Content-Type', type]] : [], body: base64(bytes, { size: bytes.length }) } });
    const cases: [string | undefined, number[], { text: string; encoding?: 'base64' }][] = [
      ['application/json', utf8('{"a":"é"}'), { text: '{"a":"é"}' }],
      ['application/problem+json', utf8('{"title":"ok"}'), { text: '{"title":"ok"}' }],
      ['text/html; charset=UTF-8', [0xef, 0xbb, 0xbf, ...utf8('<p>ü</p>')], { text: '\ufeff<p>ü</p>' }],
      ['text/plain', utf8('plain ascii'), { text: 'plain ascii' }],
      // No charset: a browser may read these bytes as windows-1252; kept as they are.
      ['text/html', utf8('<p>ü</p>'), { text: 'PHA+w7w8L3A+', encoding: 'base64' }],
      ['text/plain; charset=iso-8859-1', [0x61, 0xe9], { text: 'Yek=', encoding: 'base64' }],
      ['application/json', [0x7b, 0xff, 0x7d], { text: 'e/99', encoding: 'base64' }],
      ['image/png', utf8('PNG'), { text: 'UE5H', encoding: 'base64' }],
      [undefined, utf8('no type'), { text: 'bm8gdHlwZQ==', encoding: 'base64' }],
    ];
    const har = plain(cases.map(([type, bytes]) => body(type, bytes)));
    cases.forEach(([type, bytes, want], i) => expect(har.log.entries[i].response.content, type).toEqual({ size: bytes.length, mimeType: type ?? '', ...want }));
  });

  it('reports decode errors under _netlens', () => {
    const e = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'multipart/form-data; boundary=nope']], body: text('not multipart at all') } });
    const [h] = plain([e]).log.entries;
    expect(h._netlens?.decodeErrors?.[0]).toMatchObject({ where: 'request.postData' });
    expect(h._netlens?.decodeErrors?.[0].message).toMatch(/could not decode/);
  });
});

describe('exportHar: channels', () => {
  it('writes WebSocket messages as Chrome does, with the close as opcode 8', async () => {
    const ws = makeEntry({
      kind: 'websocket',
      method: 'GET',
      url: 'wss://live.example/socket',
      state: 'closed',
      response: undefined,
      lifecycle: [{ t: T0, step: 'start' }, { t: T0 + 5, step: 'open' }],
      messages: [msg(T0 + 10.25, 'send', text('hi')), msg(T0 + 20.5, 'receive', base64([1, 2, 3]))],
      websocket: { protocol: 'chat', extensions: 'permessage-deflate', close: { code: 4001, reason: 'bye', wasClean: true, by: 'server' } },
      endTime: T0 + 30,
    });
    const [h] = plain([ws]).log.entries;
    expect(h._resourceType).toBe('websocket');
    expect(h.response.status).toBe(101);
    expect(h._webSocketMessages).toEqual([
      { type: 'send', time: (T0 + 10.25) / 1000, opcode: 1, data: 'hi' },
      { type: 'receive', time: (T0 + 20.5) / 1000, opcode: 2, data: 'AQID' },
      { type: 'receive', time: (T0 + 30) / 1000, opcode: 8, data: '4001 bye' },
    ]);
    expect(h._netlens).toMatchObject({ protocol: 'chat', extensions: 'permessage-deflate', close: { code: 4001, reason: 'bye', wasClean: true, by: 'server' } });
    await validateHar(plain([ws]));
  });

  it('keeps sends that never went out of _webSocketMessages, under _netlens.unsentMessages, and imports them back in place', () => {
    const ws = makeEntry({
      kind: 'websocket',
      url: 'wss://live.example/socket',
      response: undefined,
      messages: [
        msg(T0 + 1, 'send', text('too early'), { dropped: true }),
        msg(T0 + 5, 'send', text('hello')),
        msg(T0 + 7, 'receive', text('hi')),
        msg(T0 + 9, 'send', text('after close'), { dropped: true }),
      ],
      websocket: { close: { code: 1000, reason: '', wasClean: true, by: 'page' } },
      endTime: undefined,
    });
    const [h] = plain([ws]).log.entries;
    expect(h._webSocketMessages!.map((m) => [m.type, m.data])).toEqual([
      ['send', 'hello'],
      ['receive', 'hi'],
      ['send', '1000'],
    ]);
    // The close is stamped after the last message that went out, not after a send that did not.
    expect(h._webSocketMessages![2].time).toBe((T0 + 7) / 1000);
    expect(h._netlens?.unsentMessages?.map((m) => [m.data, m._netlens?.dropped])).toEqual([
      ['too early', true],
      ['after close', true],
    ]);
    const back = importHar(plain([ws])).entries[0];
    expect(back.messages.map((m) => [m.data.data, m.dropped ?? false])).toEqual([
      ['too early', true],
      ['hello', false],
      ['hi', false],
      ['after close', true],
    ]);
  });

  it('writes EventSource events as _eventSourceMessages', () => {
    const es = makeEntry({
      kind: 'eventsource',
      messages: [msg(T0 + 1, 'receive', text('{"n":1}'), { eventName: 'tick', eventId: '7' }), msg(T0 + 2, 'receive', text('plain'))],
      eventSource: { listened: ['tick'] },
    });
    const [h] = plain([es]).log.entries;
    expect(h._eventSourceMessages).toEqual([
      { time: (T0 + 1) / 1000, eventName: 'tick', eventId: '7', data: '{"n":1}' },
      { time: (T0 + 2) / 1000, eventName: 'message', eventId: '', data: 'plain' },
    ]);
    expect(h._netlens?.listened).toEqual(['tick']);
  });

  it('parses a streamed text/event-stream fetch body from its raw chunks', () => {
    const stream = makeEntry({
      response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/event-stream']] },
      messages: [
        msg(T0 + 1, 'receive', text('event: delta\nid: 1\nda')),
        msg(T0 + 2, 'receive', text('ta: {"t":"Hel"}\n\ndata: lo\r\n')),
        msg(T0 + 3, 'receive', text('\r\n: comment\n\n')),
      ],
    });
    const [h] = plain([stream]).log.entries;
    expect(h._eventSourceMessages?.map(({ time, eventName, eventId, data }) => ({ time, eventName, eventId, data }))).toEqual([
      { time: (T0 + 2) / 1000, eventName: 'delta', eventId: '1', data: '{"t":"Hel"}' },
      { time: (T0 + 3) / 1000, eventName: 'message', eventId: '1', data: 'lo' },
    ]);
    expect(h._netlens?.chunks).toHaveLength(3);
    expect(h._netlens?.chunks?.[0]).toEqual({ type: 'receive', time: (T0 + 1) / 1000, opcode: 1, data: 'event: delta\nid: 1\nda' });
  });
});

describe('exportHar: streamed bodies', () => {
  it('a streamed event stream of 200 000 events exports (no spread of them as call arguments)', () => {
    // Before: events.push(...parsed.events) threw RangeError (maximum call stack size exceeded)
    // past about 120 000 events, 1 MB of 'data:a' events, and the whole export failed.
    const stream = makeEntry({
      response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/event-stream']] },
      messages: [msg(T0 + 1, 'receive', text('data:a\n\n'.repeat(200_000)))],
    });
    const [h] = plain([stream]).log.entries;
    expect(h._eventSourceMessages).toHaveLength(200_000);
    expect(h._eventSourceMessages?.[199_999]).toMatchObject({ eventName: 'message', data: 'a' });
  });

  it('recognises an untyped event stream by its lines, and leaves other streams as chunks only', () => {
    const untyped = makeEntry({
      kind: 'xhr',
      response: { status: 200, statusText: 'OK', headers: [] },
      messages: [msg(T0 + 1, 'receive', text('data: one\n\n')), msg(T0 + 2, 'receive', text('data: two\n\n'))],
    });
    const ndjson = makeEntry({
      response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/x-ndjson']] },
      messages: [msg(T0 + 1, 'receive', text('{"a":1}\n'))],
    });
    const [a, b] = plain([untyped, ndjson]).log.entries;
    expect(a._eventSourceMessages?.map((m) => m.data)).toEqual(['one', 'two']);
    expect(b._eventSourceMessages).toBeUndefined();
    expect(b._netlens?.chunks).toEqual([{ type: 'receive', time: (T0 + 1) / 1000, opcode: 1, data: '{"a":1}\n' }]);
  });
});

describe('exportHar: _netlens', () => {
  it('carries kind, state, lifecycle, ids, initiator, meta, jsonp and cors', async () => {
    const stack = 'Error\n    at load (https://app.example/main.js:10:5)\n    at https://app.example/boot.js:1:1';
    const jsonp = makeEntry({
      kind: 'jsonp',
      frameId: 4,
      url: 'https://api.example/data?callback=cb_1',
      initiator: stack,
      request: { headers: [], meta: { via: 'appendChild', callback: 'cb_1', callbackParam: 'callback' } },
      response: undefined,
      jsonp: { callback: 'cb_1', called: true, payload: text('{"ok":true}') },
      preflightFor: undefined,
    });
    const har = plain([jsonp], (e) => ({ verdict: 'allowed', id: e.id }));
    const [h] = har.log.entries;
    expect(h._resourceType).toBe('script');
    expect(h._initiator).toEqual({
      type: 'script',
      stack: {
        callFrames: [
          { functionName: 'load', url: 'https://app.example/main.js', lineNumber: 9, columnNumber: 4 },
          { functionName: '', url: 'https://app.example/boot.js', lineNumber: 0, columnNumber: 0 },
        ],
      },
    });
    expect(h._netlens).toMatchObject({
      id: jsonp.id,
      kind: 'jsonp',
      state: 'done',
      frameId: 4,
      lifecycle: jsonp.lifecycle,
      initiator: stack,
      meta: { via: 'appendChild', callback: 'cb_1', callbackParam: 'callback' },
      jsonp: { callback: 'cb_1', called: true, payload: { ok: true }, payloadInfo: { encoding: 'text', size: 11, truncated: false } },
      cors: { verdict: 'allowed', id: jsonp.id },
    });
    await validateHar(har);
  });

  it('jsonp.payload is the value the callback received; its facts beside it; the text only when not whole JSON', () => {
    const jsonp = (j: Entry['jsonp']) => plain([makeEntry({ kind: 'jsonp', jsonp: j })]).log.entries[0]._netlens?.jsonp;
    const big = '{"items":[1,2,3],"n":1e+21,"s":"é\\u2028","nested":{"a":[null,true]}}';
    expect(JSON.stringify(JSON.parse(big))).not.toBe(big); // 1e+21 and the escape are not what JSON.stringify writes
    const canonical = JSON.stringify(JSON.parse(big));
    expect(jsonp({ callback: 'cb', called: true, args: 1, payload: { ...text(canonical), source: 'json', mimeType: 'application/json' } })).toEqual({
      callback: 'cb',
      called: true,
      args: 1,
      payload: JSON.parse(big),
      payloadInfo: { encoding: 'text', size: Buffer.byteLength(canonical), truncated: false, source: 'json', mimeType: 'application/json' },
    });
    // Several arguments: the list of them.
    expect(jsonp({ callback: 'cb', called: true, args: 3, payload: text('[{"a":1},"two",null]') })?.payload).toEqual([{ a: 1 }, 'two', null]);
    // Cut at the cap, or text that JSON.stringify would not give back: kept as text in payloadInfo.data.
    expect(jsonp({ callback: 'cb', called: true, args: 1, payload: { ...text('{"items":[1,2'), size: -1, truncated: true } })).toEqual({
      callback: 'cb',
      called: true,
      args: 1,
      payloadInfo: { encoding: 'text', data: '{"items":[1,2', size: -1, truncated: true },
    });
    expect(jsonp({ callback: 'cb', called: true, payload: text(big) })?.payloadInfo?.data).toBe(big);
    // undefined, a function: nothing to show but what it was.
    expect(jsonp({ callback: 'cb', called: true, args: 0, payload: { encoding: 'none', data: '', size: -1, truncated: false, source: 'undefined' } })).toEqual({
      callback: 'cb',
      called: true,
      args: 0,
      payloadInfo: { encoding: 'none', data: '', size: -1, truncated: false, source: 'undefined' },
    });
    // A script that failed or never called it.
    expect(jsonp({ callback: 'lost', called: false })).toEqual({ callback: 'lost', called: false });
  });

  it('import reads jsonp of both formats: the value (2) and the Payload wrapper (1)', () => {
    const entry = makeEntry({ kind: 'jsonp', jsonp: { callback: 'cb', called: true, args: 2, payload: text('[1,{"b":"x"}]') } });
    const har = plain([entry]);
    expect(importHar(har).entries[0].jsonp).toEqual(entry.jsonp);
    const old = structuredClone(har);
    old.log._netlens = { format: 1, redacted: false };
    old.log.entries[0]._netlens!.jsonp = { callback: 'cb', called: true, payload: { encoding: 'text', data: '{"ok":true}', size: 11, truncated: false } };
    expect(importHar(old).entries[0].jsonp).toEqual({ callback: 'cb', called: true, payload: { encoding: 'text', data: '{"ok":true}', size: 11, truncated: false } });
    // Format 2 with a value that looks like a wrapper: payloadInfo says it is the value.
    const tricky = makeEntry({ kind: 'jsonp', jsonp: { callback: 'cb', called: true, args: 1, payload: text('{"encoding":"text","data":"x","size":1,"truncated":false}') } });
    expect(importHar(plain([tricky])).entries[0].jsonp).toEqual(tricky.jsonp);
  });

  it('writes observed preflights as entries of their own, linked both ways', () => {
    const target = makeEntry({ kind: 'fetch', method: 'PUT', preflightId: 'wire:5' });
    const pre = makeEntry({
      id: 'wire:5',
      kind: 'preflight',
      method: 'OPTIONS',
      doc: undefined,
      url: target.url,
      preflightFor: target.id,
      request: { headers: [['Access-Control-Request-Method', 'PUT']] },
      response: { status: 204, statusText: 'No Content', headers: [['Access-Control-Allow-Methods', 'PUT']] },
    });
    const [p, t] = plain([pre, target]).log.entries;
    expect(p._resourceType).toBe('preflight');
    expect(p._initiator).toEqual({ type: 'preflight', url: target.url });
    expect(p._netlens?.preflightFor).toBe(target.id);
    expect(t._netlens?.preflightId).toBe('wire:5');
  });

  it('is redacted by default and says so', () => {
    const e = makeEntry({ request: { headers: [['Authorization', 'Bearer abcdefghijklmnop']] } });
    const har = exportHar([e]);
    expect(har.log._netlens).toEqual({ format: NETLENS_HAR_FORMAT, redacted: true });
    expect(har.log.entries[0].request.headers[0].value).toBe('Bearer [redacted:16-32]');
    expect(exportHar([e], { redact: { enabled: false } }).log.entries[0].request.headers[0].value).toBe('Bearer abcdefghijklmnop');
  });
});

describe('exportHar: re-serialised bodies', () => {
  it('says when content.text is the page\'s view written again, keeps the true size, and imports it back', () => {
    const e = makeEntry({
      kind: 'xhr',
      response: {
        status: 200,
        statusText: 'OK',
        headers: [['Content-Type', 'application/json']],
        body: text('{"big":12345678901234567000,"a":2}', { size: 40, source: 'json', reserialized: 'json' }),
      },
    });
    const [h] = plain([e]).log.entries;
    expect(h.response.content).toMatchObject({ size: 40, text: '{"big":12345678901234567000,"a":2}' });
    expect(h._netlens?.responseBodyReserialized).toBe('json');
    expect(importHar(plain([e])).entries[0].response?.body?.reserialized).toBe('json');
    const bytes = makeEntry({ response: { status: 200, statusText: 'OK', headers: [], body: text('ok') } });
    expect(plain([bytes]).log.entries[0]._netlens?.responseBodyReserialized).toBeUndefined();
  });
});
