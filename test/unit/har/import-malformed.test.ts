import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import { importHar, MAX_WARNINGS } from '../../../src/shared/har/import';
import { entriesArb } from './arbitraries';
import { FIXTURE_NAMES, fixture } from './helpers';

describe('importHar on malformed input', () => {
  it.each([
    ['null', null, 'not a HAR: no "log" object'],
    ['a number', 42, 'not a HAR: no "log" object'],
    ['bad JSON text', '{"log": ', /^not JSON: /],
    ['no entries', { log: { version: '1.2' } }, 'not a HAR: "log.entries" is not an array'],
    ['entries not an array', { log: { entries: {} } }, 'not a HAR: "log.entries" is not an array'],
  ])('%s → no entries and a warning', (_name, input, warning) => {
    const result = importHar(input);
    expect(result.entries).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(typeof warning === 'string' ? new RegExp(`^${warning.replace(/[.*+?^${}()|[\]\\"]/g, '\\$&')}$`) : warning)]);
  });

  it('skips what it cannot read, entry by entry, and says why', () => {
    const { entries, warnings } = importHar({
      log: {
        entries: [
          'nope',
          { response: {} },
          { startedDateTime: 'yesterday', request: { url: 'https://a.example/', headers: 'x' }, response: { status: 'two hundred' } },
          {
            startedDateTime: '2024-01-01T00:00:00Z',
            request: { method: 'GET', url: 'wss://a.example/s', headers: [{ name: 'a', value: 1 }, null] },
            response: { status: 101, headers: [] },
            _webSocketMessages: [{ type: 'receive', time: 1704067200.5, opcode: 1, data: 'x' }, { type: 'ping' }, 7, { type: 'send', time: 1704067201, opcode: 9, data: '' }],
            _eventSourceMessages: 'none',
            _netlens: { id: 5 },
          },
        ],
      },
    });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ url: 'https://a.example/', startTime: 0, method: 'GET', kind: 'other', state: 'pending' });
    expect(entries[1]).toMatchObject({ kind: 'websocket', request: { headers: [['a', '1']] } });
    expect(entries[1].messages).toEqual([{ t: 1704067200500, dir: 'receive', data: { encoding: 'text', data: 'x', size: 1, truncated: false } }]);
    expect(warnings).toEqual([
      'entry 0: skipped: no request',
      'entry 1: skipped: no request',
      'entry 2: bad startedDateTime "yesterday"',
      'entry 3: request.headers: 1 header(s) left out (name or value not text)',
      'entry 3: unreadable _netlens fields ignored',
      'entry 3: 3 WebSocket message(s) skipped (control frames or malformed)',
    ]);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = importHar(value);
        expect(Array.isArray(r.entries)).toBe(true);
        importHar({ log: { entries: [value] } });
        importHar({ log: { entries: [{ request: value, response: value, _netlens: value, _webSocketMessages: value }] } });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws when any field of a real or netlens HAR is replaced by junk', () => {
    const sources = [...FIXTURE_NAMES.map(fixture)];
    fc.assert(
      fc.property(entriesArb, fc.nat(), fc.nat(), fc.anything(), (entries, pick, pathSeed, junk) => {
        const hars = [...sources, JSON.parse(JSON.stringify(exportHar(entries, { redact: false })))];
        const har = JSON.parse(JSON.stringify(hars[pick % hars.length])) as unknown;
        // Walk a pseudo-random path and put junk there.
        let node = har as Record<string, unknown>;
        let seed = pathSeed;
        for (let depth = 0; depth < 6; depth++) {
          const keys = node && typeof node === 'object' ? Object.keys(node) : [];
          if (!keys.length) break;
          const key = keys[seed % keys.length];
          seed = Math.floor(seed / keys.length) + 7 * depth;
          if (depth === 5 || typeof node[key] !== 'object' || node[key] === null) {
            node[key] = junk;
            break;
          }
          node = node[key] as Record<string, unknown>;
        }
        expect(() => importHar(har)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });
});

describe('importHar on hostile input', () => {
  const at = '2024-01-01T00:00:00Z';
  const request = { method: 'GET', url: 'wss://a.example/s', headers: [] };

  it('reads no time a Date cannot hold (the panel formats every time it shows)', () => {
    const huge = [1e13, 1e303, -1e13];
    const messages = huge.map((time) => ({ type: 'receive', time, opcode: 1, data: 'x' }));
    const { entries, warnings } = importHar({
      log: {
        entries: [
          // Chrome's shape: message times in epoch seconds, the phases in ms.
          { startedDateTime: at, time: 1e308, request, response: { status: 101, headers: [] }, timings: { blocked: 1e308, send: 0, wait: 0, receive: 0 }, _webSocketMessages: messages },
          {
            startedDateTime: at,
            request,
            response: { status: 101, headers: [] },
            _netlens: {
              id: 'n1',
              kind: 'websocket',
              state: 'closed',
              startTime: 1704067200000,
              endTime: 1e300,
              lifecycle: [{ t: 1e300, step: 'open' }, { t: 1704067200001, step: 'close' }],
              wire: { requestId: 'w', sendTime: 1e300, headersTime: -1e300, endTime: 1704067200002 },
              unsentMessages: messages,
              rawStream: [{ time: 1e303, text: 'x' }],
            },
            _webSocketMessages: messages,
          },
          { startedDateTime: at, request, response: { status: 101, headers: [] }, _netlens: { id: 'n2', kind: 'websocket', state: 'open', startTime: 1e20 } },
        ],
      },
    });
    expect(entries).toHaveLength(3);
    const times = (e: (typeof entries)[number]) => [
      e.startTime,
      e.endTime,
      e.wire?.sendTime,
      e.wire?.headersTime,
      e.wire?.endTime,
      ...e.lifecycle.map((s) => s.t),
      ...e.messages.map((m) => m.t),
      ...(e.deep?.raw ?? []).map((r) => r.t),
    ];
    for (const e of entries) for (const t of times(e)) if (t !== undefined) expect(new Date(t).getTime()).toBe(t);
    expect(entries[0]).toMatchObject({ startTime: 1704067200000, messages: [] });
    expect(entries[0].endTime).toBeUndefined();
    expect(entries[1]).toMatchObject({ id: 'n1', lifecycle: [{ t: 1704067200001, step: 'close' }], messages: [], wire: { endTime: 1704067200002 } });
    expect(entries[1].endTime).toBeUndefined();
    // Not netlens's own whole: read as any tool's entry, and said so.
    expect(entries[2]).toMatchObject({ id: 'har:2', startTime: 1704067200000 });
    expect(warnings).toEqual([
      'entry 0: 3 WebSocket message(s) skipped (control frames or malformed)',
      'entry 1: 3 WebSocket message(s) skipped (control frames or malformed)',
      'entry 1: 3 WebSocket message(s) skipped (control frames or malformed)',
      'entry 2: unreadable _netlens fields ignored',
    ]);
  });
});

describe('importHar: facts of a message', () => {
  it('keeps a message\'s _netlens facts only when they have their documented types', () => {
    const junk = { size: 'big', truncated: 'yes', dropped: 'no', origin: { a: 1 }, bufferedAmount: '7', mimeType: 5, source: [], eventName: 1, unlistened: 1, fromChunks: 'no', dir: 'up' };
    const { entries } = importHar({
      log: {
        entries: [
          {
            startedDateTime: '2024-01-01T00:00:00Z',
            request: { method: 'GET', url: 'https://a.example/feed', headers: [] },
            response: { status: 200, headers: [] },
            _webSocketMessages: [{ type: 'receive', time: 1704067200, opcode: 1, data: 'x', _netlens: junk }],
            _eventSourceMessages: [{ time: 1704067201, eventName: 'tick', eventId: '', data: 'y', _netlens: junk }],
          },
        ],
      },
    });
    // Not dropped (unsent), not truncated, its size counted, nothing else claimed; the event kept.
    expect(entries[0].messages).toEqual([
      { t: 1704067200000, dir: 'receive', data: { encoding: 'text', data: 'x', size: 1, truncated: false } },
      { t: 1704067201000, dir: 'receive', eventName: 'tick', data: { encoding: 'text', data: 'y', size: 1, truncated: false } },
    ]);
  });
});

describe('importHar: entry ids', () => {
  it('renames a duplicate id to one no other entry has', () => {
    const entry = (id: string) => ({
      startedDateTime: '2024-01-01T00:00:00Z',
      request: { method: 'GET', url: `https://a.example/${id}`, headers: [] },
      response: { status: 200, headers: [] },
      _netlens: { id, kind: 'fetch', state: 'done', startTime: 1704067200000 },
    });
    const { entries, warnings } = importHar({ log: { entries: [entry('a'), entry('a#2'), entry('a'), entry('har:4'), { ...entry('x'), _netlens: undefined }] } });
    expect(entries.map((e) => e.url)).toEqual(['a', 'a#2', 'a', 'har:4', 'x'].map((id) => `https://a.example/${id}`));
    expect(new Set(entries.map((e) => e.id)).size).toBe(5);
    expect(warnings).toEqual(['entry 2: duplicate id a, renamed a#2#2', 'entry 4: duplicate id har:4, renamed har:4#4']);
  });
});

describe('importHar: from cache', () => {
  it('says from cache only when _fromCache says so', () => {
    const values = ['memory', 'disk', true, false, null, '', 0];
    const { entries } = importHar({
      log: {
        entries: values.map((fromCache) => ({
          startedDateTime: '2024-01-01T00:00:00Z',
          request: { method: 'GET', url: 'https://a.example/', headers: [] },
          response: { status: 200, headers: [] },
          _fromCache: fromCache,
        })),
      },
    });
    expect(entries.map((e) => e.wire?.fromCache ?? false)).toEqual([true, true, true, false, false, false, false]);
  });
});

describe('importHar: warnings', () => {
  it('keeps the first MAX_WARNINGS and counts the rest', () => {
    // 9 bytes an entry, 3 warnings each: no response, no url, no startedDateTime.
    const text = `{"log":{"entries":[${Array(1_500).fill('{"request":{}}').join(',')}]}}`;
    const { entries, warnings, moreWarnings } = importHar(text);
    expect(entries).toHaveLength(1_500);
    expect(warnings).toHaveLength(MAX_WARNINGS);
    expect(warnings[0]).toBe('entry 0: no response');
    expect(moreWarnings).toBe(4_500 - MAX_WARNINGS);
  });
});

describe('importHar: a JSONP payload', () => {
  it('too deep to write as JSON is left out, the entry kept', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    const { entries, warnings } = importHar({
      log: {
        entries: [
          {
            startedDateTime: '2024-01-01T00:00:00Z',
            request: { method: 'GET', url: 'https://a.example/p?cb=f', headers: [] },
            response: { status: 200, headers: [] },
            _netlens: { id: 'j', kind: 'jsonp', state: 'done', startTime: 1704067200000, jsonp: { callback: 'f', called: true, args: 1, payload: deep, payloadInfo: { encoding: 'text', size: 400000, truncated: false } } },
          },
        ],
      },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0].jsonp).toEqual({ callback: 'f', called: true, args: 1 });
    expect(warnings).toEqual([expect.stringMatching(/^entry 0: jsonp payload left out: /)]);
  });
});

describe('importHar: _netlens.frameOrigin', () => {
  const withFrameOrigin = (frameOrigin: unknown) => ({
    log: {
      entries: [
        {
          startedDateTime: '2026-12-02T00:00:00Z',
          request: { method: 'GET', url: 'https://a.example/api', headers: [] },
          response: { status: 200, headers: [] },
          _netlens: { id: 'd:1', kind: 'fetch', state: 'done', startTime: 1_764_633_600_000, frameUrl: 'about:srcdoc', frameOrigin },
        },
      ],
    },
  });
  it('keeps an origin as Chromium serializes it, or "null"; leaves anything else out, with a warning', () => {
    for (const origin of ['https://a.example', 'http://127.0.0.1:8080', 'null']) {
      const { entries, warnings } = importHar(withFrameOrigin(origin));
      expect(entries[0].frameOrigin, origin).toBe(origin);
      expect(warnings, origin).toEqual([]);
    }
    // "" once won over frameUrl's origin (no CORS report at all); a URL or garbage was taken for an origin.
    for (const bad of ['', 'https://a.example/page', 'HTTPS://A.EXAMPLE', 'not an origin']) {
      const { entries, warnings } = importHar(withFrameOrigin(bad));
      expect(entries[0].frameOrigin, bad).toBeUndefined();
      expect(warnings, bad).toEqual([`entry 0: frameOrigin ${JSON.stringify(bad)} is no origin, left out`]);
    }
    // Not a string: not read, as any other field of the wrong type.
    expect(importHar(withFrameOrigin(7)).entries[0].frameOrigin).toBeUndefined();
  });
});

describe('importHar: header and form field names and values', () => {
  const at = '2024-01-01T00:00:00Z';
  const headers = [
    { name: 'a', value: 'x' },
    { name: 'Content-Length', value: 42 },
    { name: 'DNT', value: true },
    { name: 'o', value: { a: 1 } },
    { name: 'l', value: [1] },
    { name: 'n', value: null },
    { name: { a: 1 }, value: 'x' },
    { name: 'm' },
    null,
  ];
  const params = [
    { name: 'a', value: 'x' },
    { name: 'n', value: 7 },
    { name: 7, value: false },
    { name: 'file', fileName: 'f.txt', contentType: 'text/plain' },
    { name: 'o', value: { a: 1 } },
    { name: 'z', value: null },
    { name: [1], value: 'x' },
    { value: 'x' },
    'x',
  ];
  const readable: [string, string][] = [['a', 'x'], ['Content-Length', '42'], ['DNT', 'true']];
  const fields = [{ name: 'a', value: 'x' }, { name: 'n', value: '7' }, { name: '7', value: 'false' }, { name: 'file', fileName: 'f.txt', type: 'text/plain' }];

  it('reads numbers and booleans as their text; leaves out, with a warning, what is no text (never "[object Object]")', () => {
    const { entries, warnings } = importHar({
      log: {
        entries: [
          { startedDateTime: at, request: { method: 'POST', url: 'https://a.example/', headers, postData: { mimeType: 'multipart/form-data', params } }, response: { status: 200, headers } },
          {
            startedDateTime: at,
            request: { method: 'POST', url: 'https://a.example/', headers: [], postData: { mimeType: 'multipart/form-data', params } },
            response: { status: 200, headers: [] },
            _netlens: {
              id: 'n',
              kind: 'fetch',
              state: 'done',
              startTime: 1704067200000,
              requestHeaders: headers,
              requestBodySize: 10,
              requestForm: true,
              response: { status: 200, statusText: 'OK', headers },
              wire: { requestId: 'w', redirects: [{ url: 'https://a.example/r', headers }] },
              handshake: { requestHeaders: headers, responseHeaders: headers },
            },
          },
        ],
      },
    });
    expect(JSON.stringify(entries)).not.toContain('[object Object]');
    const [foreign, netlens] = entries;
    expect(foreign.request.headers).toEqual(readable);
    expect(foreign.response?.headers).toEqual(readable);
    expect(foreign.request.body?.form).toEqual(fields);
    expect(netlens.request.headers).toEqual(readable);
    expect(netlens.response?.headers).toEqual(readable);
    expect(netlens.request.body?.form).toEqual(fields);
    expect(netlens.wire?.redirects[0].headers).toEqual(readable);
    expect(netlens.deep?.handshake).toEqual({ requestHeaders: readable, responseHeaders: readable });
    expect(warnings).toEqual([
      'entry 0: request.headers: 6 header(s) left out (name or value not text)',
      'entry 0: response.headers: 6 header(s) left out (name or value not text)',
      'entry 0: request.postData.params: 5 field(s) left out (name or value not text)',
      'entry 1: _netlens.requestHeaders: 6 header(s) left out (name or value not text)',
      'entry 1: _netlens.wire.redirects[].headers: 6 header(s) left out (name or value not text)',
      'entry 1: request.postData.params: 5 field(s) left out (name or value not text)',
      'entry 1: _netlens.response.headers: 6 header(s) left out (name or value not text)',
      'entry 1: _netlens.handshake.requestHeaders: 6 header(s) left out (name or value not text)',
      'entry 1: _netlens.handshake.responseHeaders: 6 header(s) left out (name or value not text)',
    ]);
  });
});

describe('importHar: WebSocket close', () => {
  const at = '2024-01-01T00:00:00Z';
  const request = { method: 'GET', url: 'wss://a.example/s', headers: [] };
  const response = { status: 101, headers: [] };
  const frame = (type: string, time: number, data: string, opcode = 8) => ({ type, time, opcode, data });
  const huge = '1'.repeat(400);

  it('reads a close code only as a 16-bit number; out of 0–65535 it is 1005 (no code), with a warning', () => {
    const codes = ['1000 bye', '4999', '0', '65535', '65536 bye', huge, ''];
    const { entries, warnings } = importHar({
      log: { entries: codes.map((data) => ({ startedDateTime: at, request, response, _webSocketMessages: [frame('receive', 1704067200, data)] })) },
    });
    expect(entries.map((e) => e.websocket?.close && [e.websocket.close.code, e.websocket.close.reason])).toEqual([
      [1000, 'bye'],
      [4999, ''],
      [0, ''],
      [65535, ''],
      [1005, 'bye'],
      [1005, ''],
      [1005, ''],
    ]);
    expect(entries.map((e) => e.state)).toEqual(Array(codes.length).fill('closed'));
    expect(warnings).toEqual([
      'entry 4: close code 65536 is not 0–65535, read as 1005 (no code)',
      `entry 5: close code ${'1'.repeat(20)}… is not 0–65535, read as 1005 (no code)`,
    ]);
  });

  it('keeps the first close frame (who began the closing handshake); its answer is part of it, more are left out with a warning', () => {
    const { entries, warnings } = importHar({
      log: {
        entries: [
          { startedDateTime: at, request, response, _webSocketMessages: [frame('send', 1704067200, '1000 done'), frame('receive', 1704067201, '1000 done')] },
          {
            startedDateTime: at,
            request,
            response,
            _webSocketMessages: [frame('receive', 1704067200, '4001 kicked'), frame('send', 1704067201, '1000'), frame('receive', 1704067202, '1006'), frame('send', 1704067203, '1001')],
          },
        ],
      },
    });
    expect(entries[0].websocket?.close).toEqual({ code: 1000, reason: 'done', wasClean: true, by: 'page' });
    expect(entries[1].websocket?.close).toEqual({ code: 4001, reason: 'kicked', wasClean: true, by: 'server' });
    expect(warnings).toEqual(['entry 1: 2 close frame(s) after the close and its answer left out (a WebSocket closes once)']);
  });

  it('_netlens: a close code out of 0–65535 is 1005 with a warning; a close frame in unsentMessages is skipped with a warning', () => {
    const netlens = (close: unknown, unsentMessages: unknown[] = []) => ({
      startedDateTime: at,
      request,
      response,
      _webSocketMessages: [],
      _netlens: { id: `n${JSON.stringify(close)}`, kind: 'websocket', state: 'closed', startTime: 1704067200000, close, unsentMessages },
    });
    const { entries, warnings } = importHar({
      log: {
        entries: [
          netlens({ code: 1000, reason: 'bye', wasClean: true, by: 'page' }, [frame('send', 1704067200, 'x', 1), frame('send', 1704067201, '1000 bye')]),
          netlens({ code: Number(huge), reason: '', wasClean: true, by: 'server' }),
          netlens({ code: -1, reason: '', wasClean: false, by: 'server' }),
          netlens({ code: 1000.5, reason: '', wasClean: false, by: 'server' }),
        ],
      },
    });
    expect(entries.map((e) => e.websocket?.close?.code)).toEqual([1000, 1005, 1005, 1005]);
    expect(entries[0].messages).toMatchObject([{ dir: 'send', dropped: true, data: { data: 'x' } }]);
    expect(warnings).toEqual([
      'entry 0: 1 WebSocket message(s) skipped (control frames or malformed)',
      'entry 1: _netlens.close.code Infinity is not 0–65535, read as 1005 (no code)',
      'entry 2: _netlens.close.code -1 is not 0–65535, read as 1005 (no code)',
      'entry 3: _netlens.close.code 1000.5 is not 0–65535, read as 1005 (no code)',
    ]);
  });
});

describe('importHar: numbers out of their range', () => {
  const at = '2024-01-01T00:00:00Z';
  const foreign = (status: unknown, size: unknown, bodySize: unknown) => ({
    startedDateTime: at,
    request: { method: 'POST', url: 'https://a.example/', headers: [], bodySize, postData: { mimeType: 'text/plain', text: 'abc' } },
    response: { status, headers: [], content: { size, mimeType: 'text/plain', text: 'hello' } },
  });

  it('any tool\'s HAR: status 0–999, sizes -1 or 0…2^53-1; others are left out with a warning', () => {
    const { entries, warnings } = importHar({
      log: {
        entries: [
          foreign(200, 5, 3),
          foreign(999, -1, -1),
          foreign(-5, -7, -2),
          foreign(1000, 1e308, 1e308),
          foreign(200.5, 2.5, 3.5),
          foreign('200', '5', '3'),
        ],
      },
    });
    expect(entries.map((e) => [e.response?.status ?? 0, e.state, e.response?.body?.size, e.request.body?.size])).toEqual([
      [200, 'done', 5, 3],
      [999, 'done', 5, 3],
      [0, 'pending', 5, 3],
      [0, 'pending', 5, 3],
      [0, 'pending', 5, 3],
      [0, 'pending', 5, 3],
    ]);
    expect(warnings).toEqual([
      'entry 2: response.status -5 is not an HTTP status (0–999), left out',
      'entry 2: request.bodySize -2 is not a size (-1 or 0…2^53-1), left out',
      'entry 2: response.content.size -7 is not a size (-1 or 0…2^53-1), left out',
      'entry 3: response.status 1000 is not an HTTP status (0–999), left out',
      'entry 3: request.bodySize 1e+308 is not a size (-1 or 0…2^53-1), left out',
      'entry 3: response.content.size 1e+308 is not a size (-1 or 0…2^53-1), left out',
      'entry 4: response.status 200.5 is not an HTTP status (0–999), left out',
      'entry 4: request.bodySize 3.5 is not a size (-1 or 0…2^53-1), left out',
      'entry 4: response.content.size 2.5 is not a size (-1 or 0…2^53-1), left out',
    ]);
  });

  it('_netlens: droppedMessages a count, statuses 0–999, body sizes -1 or 0…2^53-1; others are left out with a warning', () => {
    const netlens = (k: number, n: Record<string, unknown>) => ({
      startedDateTime: at,
      request: { method: 'POST', url: 'https://a.example/', headers: [], postData: { mimeType: 'text/plain', text: 'abc' } },
      response: { status: 200, headers: [], content: { size: 5, mimeType: 'text/plain', text: 'hello' } },
      _netlens: { id: `n${k}`, kind: 'fetch', state: 'done', startTime: 1704067200000, ...n },
    });
    const fields = (dropped: unknown, status: unknown, size: unknown) => ({
      droppedMessages: dropped,
      requestBodySize: size,
      responseBodySize: size,
      response: { status, statusText: '', url: 'https://a.example/' },
      wire: { requestId: 'w', statusCode: status, redirects: [{ url: 'https://a.example/r', status }] },
      handshake: { status },
    });
    const { entries, warnings } = importHar({
      log: { entries: [netlens(0, fields(2, 200, 3)), netlens(1, fields(0, 0, -1)), netlens(2, fields(-1, -200, -5)), netlens(3, fields(1.5, 1e308, 1e308))] },
    });
    const facts = (e: (typeof entries)[number]) => [e.droppedMessages, e.response?.status, e.wire?.statusCode, e.wire?.redirects[0].status, e.deep?.handshake?.status, e.request.body?.size, e.response?.body?.size];
    expect(entries.map(facts)).toEqual([
      [2, 200, 200, 200, 200, 3, 3],
      [0, 0, 0, 0, 0, -1, -1],
      [0, 0, undefined, undefined, undefined, -1, -1],
      [0, 0, undefined, undefined, undefined, -1, -1],
    ]);
    const bad = (k: number, dropped: string, status: string, size: string) => [
      `entry ${k}: _netlens.droppedMessages ${dropped} is not a count (0…2^53-1), left out`,
      `entry ${k}: _netlens.wire.statusCode ${status} is not an HTTP status (0–999), left out`,
      `entry ${k}: _netlens.wire.redirects[].status ${status} is not an HTTP status (0–999), left out`,
      `entry ${k}: _netlens.requestBodySize ${size} is not a size (-1 or 0…2^53-1), left out`,
      `entry ${k}: _netlens.response.status ${status} is not an HTTP status (0–999), left out`,
      `entry ${k}: _netlens.responseBodySize ${size} is not a size (-1 or 0…2^53-1), left out`,
      `entry ${k}: _netlens.handshake.status ${status} is not an HTTP status (0–999), left out`,
    ];
    expect(warnings).toEqual([...bad(2, '-1', '-200', '-5'), ...bad(3, '1.5', '1e+308', '1e+308')]);
  });

  it('_netlens.jsonp: a payload size out of -1 or 0…2^53-1 is unknown (-1), with a warning', () => {
    const jsonp = (size: unknown) => ({
      startedDateTime: at,
      request: { method: 'GET', url: 'https://a.example/p?cb=f', headers: [] },
      response: { status: 200, headers: [] },
      _netlens: { id: `j${String(size)}`, kind: 'jsonp', state: 'done', startTime: 1704067200000, jsonp: { callback: 'f', called: true, payload: [1], payloadInfo: { encoding: 'text', size, truncated: false } } },
    });
    const { entries, warnings } = importHar({ log: { entries: [jsonp(3), jsonp(-3), jsonp(1e308)] } });
    expect(entries.map((e) => e.jsonp?.payload?.size)).toEqual([3, -1, -1]);
    expect(warnings).toEqual(['entry 1: _netlens.jsonp size -3 is not a size (-1 or 0…2^53-1), left out', 'entry 2: _netlens.jsonp size 1e+308 is not a size (-1 or 0…2^53-1), left out']);
  });
});
