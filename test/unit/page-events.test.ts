import { describe, expect, it } from 'vitest';
import { LIMITS, MESSAGE_RUN_MAX, PAGE_EVENT_TYPES, RAW_HEADERS_MAX, STEP_RUN_MAX, StartMetaSchema, expandPageEvent, pickValid, validDoc, validatePageEvent } from '../../src/shared/page-events';
import type { PageEvent, StepDetail } from '../../src/shared/protocol';

const good: PageEvent[] = [
  {
    type: 'start',
    id: 'fetch-1',
    t: 1,
    kind: 'fetch',
    method: 'POST',
    url: 'http://a.test/x',
    headers: [['x-a', '1']],
    body: { encoding: 'text', data: '{}', size: 2, truncated: false, source: 'string' },
    meta: { credentials: 'include', mode: 'cors' },
    stack: 'at f (http://a.test/app.js:1:1)',
  },
  { type: 'step', id: 'xhr-1', t: 2, step: 'progress', detail: { loaded: 5, total: 10, lengthComputable: true } },
  { type: 'response', id: 'xhr-1', t: 3, status: 200, statusText: 'OK', headers: [], url: 'http://a.test/x', redirected: false },
  { type: 'body', id: 'xhr-1', t: 4, which: 'response', body: { encoding: 'base64', data: 'AAE=', size: 2, truncated: false } },
  { type: 'body', id: 'xhr-2', t: 4, which: 'response', body: { encoding: 'text', data: '{"a":1}', size: 9, truncated: false, source: 'json', reserialized: 'json' } },
  { type: 'message', id: 'websocket-1', t: 5, dir: 'receive', data: { encoding: 'text', data: 'hi', size: 2, truncated: false } },
  { type: 'end', id: 'websocket-1', t: 6, outcome: 'closed', close: { code: 1000, reason: 'bye', wasClean: true, by: 'page' } },
  { type: 'jsonp', id: 'jsonp-1', t: 7, callback: 'cb', called: true, args: 1, payload: { encoding: 'text', data: '[1]', size: 3, truncated: false } },
  { type: 'listen', id: 'eventsource-1', t: 8, names: ['tick', 'message'] },
  { type: 'capture-error', id: 'capture', t: 9, where: 'page:dropped', message: '3 page events dropped: the queue was full (10 waiting)', count: 3 },
];

describe('validatePageEvent', () => {
  it('keeps every well-formed event exactly', () => {
    for (const ev of good) expect(validatePageEvent(structuredClone(ev))).toEqual(ev);
  });

  it('drops fields it does not know and values of the wrong type', () => {
    expect(validatePageEvent({ ...good[0], extra: 'x', stack: 5 })).toEqual({ ...good[0], stack: undefined } as never);
    // A count, an argument count, a reserialized mark that are not what they say: left out, the event kept.
    for (const count of [-1, 1.5, '3', Infinity]) {
      expect(validatePageEvent({ type: 'capture-error', id: 'capture', t: 1, where: 'page:dropped', message: 'm', count })).toEqual({ type: 'capture-error', id: 'capture', t: 1, where: 'page:dropped', message: 'm', count: undefined });
    }
    expect(validatePageEvent({ type: 'jsonp', id: 'j', t: 1, callback: 'cb', called: true, args: -2 })).toMatchObject({ args: undefined });
    expect(validatePageEvent({ type: 'body', id: 'b', t: 1, which: 'response', body: { encoding: 'text', data: '', size: 0, truncated: false, reserialized: 'xml' } })).toMatchObject({ body: { reserialized: undefined } });
  });

  it.each([
    ['headers missing', { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'GET', url: 'https://b/' }],
    ['headers not an array', { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'GET', url: 'https://b/', headers: 'x' }],
    ['a header not a pair of strings', { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'GET', url: 'u', headers: [['a', 1]] }],
    ['method not a string', { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 1, url: 'u', headers: [] }],
    ['url not a string', { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'GET', url: 1, headers: [] }],
    ['unknown kind', { type: 'start', id: 'a', t: 1, kind: 'nope', method: 'GET', url: 'u', headers: [] }],
    ['too many headers', { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'GET', url: 'u', headers: Array.from({ length: LIMITS.headers + 1 }, () => ['a', 'b']) }],
    ['a message without data', { type: 'message', id: 'a', t: 1, dir: 'send' }],
    ['a payload whose data is not a string', { type: 'body', id: 'a', t: 1, which: 'response', body: { encoding: 'text', data: 5, size: 1, truncated: false } }],
    ['an empty payload', { type: 'body', id: 'a', t: 1, which: 'response', body: {} }],
    ['listened names not an array', { type: 'listen', id: 'a', t: 1, names: 'x' }],
    ['too many listened names', { type: 'listen', id: 'a', t: 1, names: Array.from({ length: LIMITS.names + 1 }, (_, i) => `n${i}`) }],
    ['a close without a code', { type: 'end', id: 'a', t: 1, outcome: 'closed', close: { reason: '' } }],
    ['a detail holding an object', { type: 'step', id: 'a', t: 1, step: 's', detail: { x: {} } }],
    ['a time that is not finite', { type: 'step', id: 'a', t: Infinity, step: 's' }],
    ['an unknown type', { type: 'evil', id: 'a', t: 1 }],
    ['a huge id', { type: 'step', id: 'x'.repeat(LIMITS.id + 1), t: 1, step: 's' }],
    ['an array', []],
    ['null', null],
  ])('rejects %s', (_name, raw) => {
    expect(validatePageEvent(raw)).toBeUndefined();
  });

  it('accepts only document ids shaped as the page script makes them', () => {
    expect(validDoc('0123456789abcdef')).toBe(true);
    expect(validDoc('net')).toBe(false);
    expect(validDoc('0123456789ABCDEF')).toBe(false);
  });
});

describe('pickValid (lenient reading of imported traces)', () => {
  it('keeps each field that fits and leaves out the others', () => {
    expect(pickValid(StartMetaSchema, { async: true, timeout: 'x', protocols: ['a', 'b'], credentials: 5, extra: 1 })).toEqual({ async: true, protocols: ['a', 'b'] });
    expect(pickValid(StartMetaSchema, { timeout: 'x' })).toBeUndefined();
    expect(pickValid(StartMetaSchema, 'x')).toBeUndefined();
  });
});

describe('one list of event types', () => {
  it('names every event type the schema accepts', () => {
    expect([...PAGE_EVENT_TYPES].sort()).toEqual([...new Set(good.map((e) => e.type))].sort());
  });

});

describe('expandPageEvent: runs of WebSocket text messages (page → background transport)', () => {
  const run = { type: 'messages', id: 'websocket-3', dir: 'send', t: [1, 2.5, 3], data: ['hi', 'héllo', '😀'], bufferedAmount: [0, 2, 8] };

  it('stands for the message events in order, sized in UTF-8 bytes here', () => {
    expect(expandPageEvent(run)).toEqual([
      { type: 'message', id: 'websocket-3', t: 1, dir: 'send', data: { encoding: 'text', data: 'hi', size: 2, truncated: false, source: 'text' }, bufferedAmount: 0 },
      { type: 'message', id: 'websocket-3', t: 2.5, dir: 'send', data: { encoding: 'text', data: 'héllo', size: 6, truncated: false, source: 'text' }, bufferedAmount: 2 },
      { type: 'message', id: 'websocket-3', t: 3, dir: 'send', data: { encoding: 'text', data: '😀', size: 4, truncated: false, source: 'text' }, bufferedAmount: 8 },
    ]);
    const received = expandPageEvent({ type: 'messages', id: 'websocket-3', dir: 'receive', origin: 'ws://a.test', t: [4], data: ['x'] });
    expect(received).toEqual([{ type: 'message', id: 'websocket-3', t: 4, dir: 'receive', data: { encoding: 'text', data: 'x', size: 1, truncated: false, source: 'text' }, origin: 'ws://a.test' }]);
  });

  it("carries an EventSource run: its event type, and each message's last event ID", () => {
    const sse = { type: 'messages', id: 'eventsource-1', dir: 'receive', origin: 'http://a.test', eventName: 'tick', t: [1, 2], data: ['a', 'b'], eventId: ['7', ''] };
    expect(expandPageEvent(sse)?.map((e) => e.type === 'message' && [e.eventName, e.eventId, e.data.data, e.origin])).toEqual([
      ['tick', '7', 'a', 'http://a.test'],
      ['tick', '', 'b', 'http://a.test'],
    ]);
    expect(expandPageEvent({ ...sse, eventId: ['7'] })).toBeUndefined();
  });

  it("carries a WebSocket's sends and receives interleaved (dirs): origin on receives only, bufferedAmount on sends only", () => {
    const mixed = { type: 'messages', id: 'websocket-4', dir: 'send', origin: 'ws://a.test', t: [1, 2, 3, 4], data: ['a', 'b', 'c', 'd'], bufferedAmount: [5, 0, 7, 0], dirs: 'srsr' };
    expect(expandPageEvent(mixed)?.map((e) => e.type === 'message' && [e.dir, e.data.data, e.origin, e.bufferedAmount])).toEqual([
      ['send', 'a', undefined, 5],
      ['receive', 'b', 'ws://a.test', undefined],
      ['send', 'c', undefined, 7],
      ['receive', 'd', 'ws://a.test', undefined],
    ]);
    // One letter per message, of two kinds only.
    expect(expandPageEvent({ ...mixed, dirs: 'srs' })).toBeUndefined();
    expect(expandPageEvent({ ...mixed, dirs: 'srsx' })).toBeUndefined();
  });

  it('passes every other event through validatePageEvent', () => {
    for (const ev of good) expect(expandPageEvent(ev)).toEqual([validatePageEvent(ev)]);
    expect(expandPageEvent({ type: 'message', id: 'x' })).toBeUndefined();
  });

  it('rejects a malformed or oversized run whole', () => {
    const bad: unknown[] = [
      { ...run, t: [1, 2] },
      { ...run, bufferedAmount: [1] },
      { ...run, data: ['a', 'b', 3] },
      { ...run, t: [], data: [], bufferedAmount: [] },
      { ...run, dir: 'sideways' },
      { ...run, id: 'x'.repeat(LIMITS.id + 1) },
      { ...run, t: [1, 2, Infinity] },
      { type: 'messages', id: 'w', dir: 'send', t: Array(MESSAGE_RUN_MAX + 1).fill(1), data: Array(MESSAGE_RUN_MAX + 1).fill('a') },
      { ...run, data: ['<img src=x onerror=alert(1)>', 'b'.repeat(LIMITS.payloadData + 1), 'c'] },
      // A hole is no message (structured clones keep holes).
      { ...run, data: ['a', , 'c'] },
      { ...run, t: [1, , 3] },
      { ...run, bufferedAmount: [0, 2, '8'] },
      { ...run, data: 'abc' },
      { ...run, t: { length: 3, 0: 1, 1: 2, 2: 3 } },
      { type: 'messages', id: 'es', dir: 'receive', t: [1], data: ['a'], eventId: ['x'.repeat(LIMITS.short * 4 + 1)] },
      { type: 'messages', id: 'es', dir: 'receive', t: [1], data: ['a'], eventId: [7] },
    ];
    for (const raw of bad) expect(expandPageEvent(raw)).toBeUndefined();
  });
});

describe('expandPageEvent: runs of steps (page → background transport)', () => {
  /** An XHR's steps as the page script records them, the way they were sent one by one before. */
  const steps: { t: number; step: string; detail: StepDetail | undefined }[] = [
    { t: 1, step: 'readystatechange', detail: { readyState: 1 } },
    { t: 1.25, step: 'loadstart', detail: { loaded: 0, total: 0, lengthComputable: false } },
    // A synthetic Event (not a ProgressEvent) the page dispatched on its xhr: no detail.
    { t: 2, step: 'load', detail: undefined },
    { t: 3.5, step: 'hidden-header-read', detail: { name: 'set-cookie' } },
    { t: 4, step: 'upload:loadend', detail: { loaded: 20480, total: 20480, lengthComputable: true } },
  ];
  const run = { type: 'steps', id: 'xhr-7', t: steps.map((s) => s.t), step: steps.map((s) => s.step), detail: steps.map((s) => s.detail ?? null) };
  /** What the background made of each step sent alone (through JSON, as the relay sends it: an undefined detail is left out). */
  const alone = steps.map((s) => validatePageEvent(JSON.parse(JSON.stringify({ type: 'step', id: 'xhr-7', t: s.t, step: s.step, detail: s.detail }))));

  it('stands for the step events in order, each exactly as validatePageEvent makes it of the step sent alone', () => {
    const expanded = expandPageEvent(run);
    expect(expanded).toStrictEqual(alone);
    // The same keys in the same order too (what is stored is what was stored before).
    expect(expanded!.map((e) => Object.keys(e))).toEqual(alone.map((e) => Object.keys(e!)));
    expect(expanded![2]).not.toHaveProperty('detail');
    // Through JSON (the relay) and through structured clone alike.
    expect(expandPageEvent(JSON.parse(JSON.stringify(run)))).toStrictEqual(alone);
    expect(expandPageEvent(structuredClone(run))).toStrictEqual(alone);
  });

  it('gives each step a detail object of its own when the page sent one object for several (an xhr shares equal details)', () => {
    const ready = { readyState: 4 };
    const progress = { loaded: 300, total: 300, lengthComputable: true };
    const shared = { type: 'steps', id: 'xhr-8', t: [1, 2, 3, 4], step: ['progress', 'readystatechange', 'load', 'loadend'], detail: [progress, ready, progress, progress] };
    const each = { ...shared, detail: [{ ...progress }, { ...ready }, { ...progress }, { ...progress }] };
    // Through a structured clone, as the port carries it: the one object stays one there.
    const cloned = structuredClone(shared);
    expect(cloned.detail[0]).toBe(cloned.detail[2]);
    const expanded = expandPageEvent(cloned)!;
    expect(expanded).toStrictEqual(expandPageEvent(each));
    const details = expanded.map((e) => (e as { detail?: object }).detail);
    expect(new Set(details).size).toBe(4);
    for (const d of details) expect(d === progress || d === ready || d === cloned.detail[0] || d === cloned.detail[1]).toBe(false);
  });

  it('checks each detail as a lone step\'s: scalars only, at most 16 keys, and leaves out keys it does not know', () => {
    expect(expandPageEvent({ ...run, extra: 'x' })).toStrictEqual(alone);
    const detail = Object.fromEntries(Array.from({ length: LIMITS.detailKeys }, (_, i) => [`k${i}`, i]));
    expect(expandPageEvent({ type: 'steps', id: 'x', t: [1], step: ['s'], detail: [detail] })).toStrictEqual([validatePageEvent({ type: 'step', id: 'x', t: 1, step: 's', detail })]);
  });

  it('rejects a malformed, forged or oversized run whole, and never throws', () => {
    const bad: unknown[] = [
      { ...run, t: run.t.slice(1) },
      { ...run, step: run.step.slice(1) },
      { ...run, detail: run.detail.slice(1) },
      { type: 'steps', id: 'x', t: [], step: [], detail: [] },
      { ...run, detail: undefined },
      { ...run, t: undefined },
      { ...run, t: [1, 2, 3, 4, NaN] },
      { ...run, t: [1, 2, 3, 4, '5'] },
      { ...run, step: [1, 2, 3, 4, 5] },
      { ...run, step: [...run.step.slice(1), 'x'.repeat(65)] },
      { ...run, id: 'x'.repeat(LIMITS.id + 1) },
      { ...run, id: 7 },
      { ...run, detail: [...run.detail.slice(1), 5] },
      { ...run, detail: [...run.detail.slice(1), { nested: { a: 1 } }] },
      { ...run, detail: [...run.detail.slice(1), { s: 'x'.repeat(LIMITS.short * 4 + 1) }] },
      { ...run, detail: [...run.detail.slice(1), Object.fromEntries(Array.from({ length: LIMITS.detailKeys + 1 }, (_, i) => [`k${i}`, i]))] },
      { type: 'steps', id: 'x', t: Array(STEP_RUN_MAX + 1).fill(1), step: Array(STEP_RUN_MAX + 1).fill('s'), detail: Array(STEP_RUN_MAX + 1).fill(null) },
      { type: 'steps', id: 'x', t: 'abc', step: 'abc', detail: 'abc' },
      { type: 'steps' },
      // A lone step's fields under the run's type.
      { type: 'steps', id: 'x', t: 1, step: 's', detail: { readyState: 1 } },
    ];
    for (const raw of bad) expect(expandPageEvent(raw)).toBeUndefined();
  });
});

describe('expandPageEvent: XHR responses with raw headers (page → background transport)', () => {
  const raw = {
    type: 'response:raw',
    id: 'xhr-3',
    t: 5.5,
    status: 200,
    statusText: 'OK',
    // As getAllResponseHeaders() gives them: lower-case names, one CRLF-ended line each.
    rawHeaders: 'content-type: application/json\r\nx-time: 12:30:05\r\nx-empty: \r\nx-spaced:   a b  \r\n',
    url: 'http://a.test/x',
    redirected: false,
  };
  const parsed = { type: 'response', id: 'xhr-3', t: 5.5, status: 200, statusText: 'OK', url: 'http://a.test/x', redirected: false };

  it('stands for the response event with its headers parsed as the page script parsed them, exactly as validatePageEvent makes it', () => {
    const headers = [
      ['content-type', 'application/json'],
      ['x-time', '12:30:05'],
      ['x-empty', ''],
      ['x-spaced', 'a b'],
    ];
    const want = validatePageEvent({ ...parsed, headers });
    const expanded = expandPageEvent(raw);
    expect(expanded).toStrictEqual([want]);
    expect(Object.keys(expanded![0])).toEqual(Object.keys(want!));
    expect(expandPageEvent(JSON.parse(JSON.stringify(raw)))).toStrictEqual([want]);
    // No headers at all (status 0 at readyState 2 has none), a line without a name, and no url.
    expect(expandPageEvent({ ...raw, rawHeaders: '', url: undefined })).toStrictEqual([validatePageEvent({ ...parsed, headers: [], url: undefined })]);
    expect(expandPageEvent({ ...raw, rawHeaders: ': x\r\nno colon\r\na: 1' })).toStrictEqual([validatePageEvent({ ...parsed, headers: [['a', '1']] })]);
    // As many headers as the schema takes, each with a blank line after it, still go.
    const most = Array.from({ length: LIMITS.headers }, (_, i) => `h${i}: ${i}\r\n`).join('\r\n');
    expect(expandPageEvent({ ...raw, rawHeaders: most })![0]).toMatchObject({ headers: expect.arrayContaining([['h0', '0']]) });
    // A forged `headers` beside the raw ones is not taken.
    expect(expandPageEvent({ ...raw, headers: [['forged', '1']] })).toStrictEqual([want]);
  });

  it('gives back a fetch response\'s header list from its lines (as fetch.ts rawHeaders writes them: values trim() leaves as they are)', () => {
    // As a Headers iterator gives them: lower-case names, combined values, HTTP whitespace trimmed.
    const headers: [string, string][] = [
      ['cache-control', 'no-cache, no-store'],
      ['content-type', 'text/html; charset="utf-8"'],
      ['link', '<http://a.test/x>; rel="next"'],
      ['x-colon', 'a: b: c'],
      ['x-empty', ''],
      ['x-inner', 'a \t\u000b b'],
      ['x-latin1', '\u00e9t\u00e9'],
      ['x-time', '12:30:05'],
    ];
    const lines = headers.map(([n, v]) => `${n}: ${v}\r\n`).join('');
    const fetchRaw = { type: 'response:raw', id: 'fetch-2', t: 7, status: 201, statusText: 'Created', rawHeaders: lines, url: 'http://a.test/y', redirected: true };
    const listed = { type: 'response', id: 'fetch-2', t: 7, status: 201, statusText: 'Created', headers, url: 'http://a.test/y', redirected: true };
    const want = validatePageEvent(listed);
    const expanded = expandPageEvent(structuredClone(fetchRaw));
    expect(expanded).toStrictEqual([want]);
    expect(Object.keys(expanded![0])).toEqual(Object.keys(want!));
    // No url (an empty Response.url): the key there, undefined, as in the list form.
    expect(expandPageEvent({ ...fetchRaw, url: undefined })).toStrictEqual([validatePageEvent({ ...listed, url: undefined })]);
    // What rawHeaders keeps in the list form: a value trim() would change does not come back.
    for (const v of ['a\u00a0', '\u000bb', 'c\u000c']) expect(expandPageEvent({ ...fetchRaw, rawHeaders: `x: ${v}\r\n` })![0]).not.toMatchObject({ headers: [['x', v]] });
  });

  it("rejects what the response event's schema rejects, and a raw header text that is not one, and never throws", () => {
    const bad: unknown[] = [
      { ...raw, rawHeaders: undefined },
      { ...raw, rawHeaders: ['a: 1'] },
      { ...raw, rawHeaders: 'a'.repeat(RAW_HEADERS_MAX + 1) },
      { ...raw, rawHeaders: `${'n'.repeat(LIMITS.headerName + 1)}: 1` },
      { ...raw, rawHeaders: `a: ${'v'.repeat(LIMITS.headerValue + 1)}` },
      { ...raw, rawHeaders: Array.from({ length: LIMITS.headers + 1 }, (_, i) => `h${i}: ${i}`).join('\r\n') },
      // Megabytes of line breaks: rejected before they are split (a list of 8 million empty lines).
      { ...raw, rawHeaders: '\r\n'.repeat(RAW_HEADERS_MAX / 2) },
      { ...raw, status: '200' },
      { ...raw, status: Infinity },
      { ...raw, id: undefined },
      { ...raw, t: null },
      { type: 'response:raw' },
    ];
    for (const r of bad) expect(expandPageEvent(r)).toBeUndefined();
  });
});
