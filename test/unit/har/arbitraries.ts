import fc from 'fast-check';
import type { Entry, EntryKind, EntryState, LifecycleStep, Message, WireView } from '../../../src/shared/model';
import type { FormField, Header, Payload, StartMeta } from '../../../src/shared/protocol';

const KINDS: EntryKind[] = ['xhr', 'fetch', 'beacon', 'websocket', 'eventsource', 'jsonp', 'script', 'preflight', 'other'];
const STATES: EntryState[] = ['pending', 'open', 'done', 'error', 'aborted', 'timeout', 'closed'];

const time = fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true, noDefaultInfinity: true });
const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/);
const ascii = fc.string({ maxLength: 24 });
const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), ascii);
const size = fc.oneof(fc.constant(-1), fc.nat({ max: 100_000 }));

const headerValue = fc.oneof(ascii, fc.constantFrom('application/json', 'text/event-stream', 'multipart/form-data; boundary=b0', 'application/x-www-form-urlencoded', 'a=1; b=2', 'sid=x; Path=/; HttpOnly'));
const headerName = fc.oneof(token, fc.constantFrom('Content-Type', 'Cookie', 'Set-Cookie', 'Location', 'Upgrade', 'Accept'));
const headers: fc.Arbitrary<Header[]> = fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 });

const url = fc
  .tuple(
    fc.constantFrom('https', 'http', 'ws', 'wss'),
    fc.constantFrom('api.example', 'a.test:8443', '127.0.0.1'),
    fc.array(fc.stringMatching(/^[a-z0-9._~-]{1,8}$/), { maxLength: 3 }),
    fc.array(fc.tuple(ascii, anyText), { maxLength: 3 }),
  )
  .map(([scheme, host, path, query]) => {
    const q = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return `${scheme}://${host}/${path.join('/')}${q ? `?${q}` : ''}`;
  });

const formField: fc.Arbitrary<FormField> = fc.record(
  { name: ascii, value: anyText, fileName: ascii, type: token, size: fc.nat() },
  { requiredKeys: ['name'] },
);

const payloadBase = fc.oneof(
  anyText.map((data) => ({ encoding: 'text' as const, data })),
  fc.uint8Array({ maxLength: 24 }).map((b) => ({ encoding: 'base64' as const, data: btoa(String.fromCharCode(...b)) })),
  fc.uint8Array({ maxLength: 24 }).map((b) => ({ encoding: 'buffer' as const, data: '', buffer: b.slice().buffer })),
  fc.constant({ encoding: 'none' as const, data: '' }),
  fc.constantFrom(
    { encoding: 'text' as const, data: 'a=1&b=%20x&c' },
    { encoding: 'text' as const, data: '--b0\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\n\r\nhi\r\n--b0--\r\n' },
    { encoding: 'text' as const, data: 'event: e\nid: 3\ndata: {"x":1}\n\n' },
  ),
);

function payload(withForm: boolean): fc.Arbitrary<Payload> {
  return fc
    .tuple(
      payloadBase,
      fc.record(
        {
          size,
          truncated: fc.boolean(),
          mimeType: fc.constantFrom('text/plain', 'application/json', 'text/event-stream', 'multipart/form-data; boundary=b0', 'application/x-www-form-urlencoded'),
          source: fc.constantFrom('string', 'json', 'formdata', 'blob'),
          form: withForm ? fc.array(formField, { maxLength: 3 }) : fc.constant(undefined),
        },
        { requiredKeys: ['size', 'truncated'] },
      ),
    )
    .map(([base, rest]) => {
      const p = { ...base, ...rest } as Payload;
      if (p.form === undefined) delete p.form;
      return p;
    });
}

function message(eventLike: boolean): fc.Arbitrary<Message> {
  return fc
    .tuple(
      time,
      fc.constantFrom('send', 'receive') as fc.Arbitrary<'send' | 'receive'>,
      payload(false),
      fc.record(
        { eventName: eventLike ? ascii : fc.constant(undefined), eventId: ascii, origin: url, bufferedAmount: fc.nat(), dropped: fc.boolean() },
        { requiredKeys: [] },
      ),
    )
    .map(([t, dir, data, rest]) => {
      const m: Message = { t, dir, data, ...rest };
      if (m.eventName === undefined) delete m.eventName;
      return m;
    });
}

const step: fc.Arbitrary<LifecycleStep> = fc.record(
  {
    t: time,
    step: fc.constantFrom('start', 'open', 'readystatechange', 'progress', 'headers', 'error'),
    detail: fc.record({ readyState: fc.integer({ min: 0, max: 4 }), loaded: fc.nat(), lengthComputable: fc.boolean(), note: ascii }, { requiredKeys: [] }),
  },
  { requiredKeys: ['t', 'step'] },
);

const meta: fc.Arbitrary<StartMeta> = fc.record(
  {
    async: fc.boolean(),
    user: ascii,
    hasPassword: fc.boolean(),
    timeout: fc.nat(),
    withCredentials: fc.boolean(),
    responseType: ascii,
    credentials: fc.constantFrom('include', 'omit'),
    mode: fc.constantFrom('cors', 'no-cors'),
    keepalive: fc.boolean(),
    protocols: fc.array(token, { maxLength: 2 }),
    via: ascii,
    callback: ascii,
  },
  { requiredKeys: [] },
);

const wire: fc.Arbitrary<WireView> = fc.record(
  {
    requestId: fc.nat().map(String),
    resourceType: fc.constantFrom('xmlhttprequest', 'main_frame', 'image', 'websocket', 'ping', 'other', 'strange'),
    requestHeaders: headers,
    responseHeaders: headers,
    statusCode: fc.integer({ min: 100, max: 599 }),
    statusLine: fc.constantFrom('HTTP/1.1 200 OK', 'HTTP/2 404', 'weird'),
    fromCache: fc.boolean(),
    ip: fc.constantFrom('10.1.2.3', '::1', 'not-an-ip'),
    error: ascii,
    redirects: fc.array(fc.record({ url, status: fc.integer({ min: 300, max: 399 }), location: url, headers }, { requiredKeys: ['url'] }), { maxLength: 2 }),
    sendTime: time,
    headersTime: time,
    endTime: time,
  },
  { requiredKeys: ['requestId', 'resourceType', 'redirects'] },
);

const stack = fc.oneof(
  fc.constant('Error\n    at load (https://app.example/a.js:10:5)\n    at https://app.example/b.js:2:3'),
  fc.constant('load@https://app.example/a.js:1:2'),
  ascii,
);

/** Any entry the timeline could produce (and some it would not), with id `e${index}`. */
export function entryArb(index: number): fc.Arbitrary<Entry> {
  return fc
    .record(
      {
        kind: fc.constantFrom(...KINDS),
        doc: fc.constantFrom('d1', 'd2'),
        frameUrl: fc.constantFrom('https://app.example/', 'https://frame.example/x', ''),
        tabId: fc.nat(),
        frameId: fc.nat({ max: 9 }),
        method: fc.constantFrom('GET', 'POST', 'patch', 'OPTIONS'),
        url,
        startTime: time,
        endTime: time,
        state: fc.constantFrom(...STATES),
        error: ascii,
        reqHeaders: headers,
        reqBody: payload(true),
        meta,
        response: fc.record(
          {
            status: fc.integer({ min: 0, max: 599 }),
            statusText: ascii,
            headers,
            url,
            redirected: fc.boolean(),
            // A response body may be the page's view written again (XHR json/document/decoded text).
            body: fc.tuple(payload(false), fc.option(fc.constantFrom('json', 'document', 'text') as fc.Arbitrary<'json' | 'document' | 'text'>, { nil: undefined })).map(([p, reserialized]) =>
              reserialized ? { ...p, reserialized } : p,
            ),
          },
          { requiredKeys: ['status', 'statusText', 'headers'] },
        ),
        lifecycle: fc.array(step, { maxLength: 4 }),
        messages: fc.array(message(true), { maxLength: 5 }),
        droppedMessages: fc.nat({ max: 3 }),
        initiator: stack,
        wire,
        websocket: fc.record(
          {
            protocol: token,
            extensions: ascii,
            close: fc.record({ code: fc.integer({ min: 1000, max: 4999 }), reason: anyText, wasClean: fc.boolean(), by: fc.constantFrom('page', 'server', 'unknown') as fc.Arbitrary<'page' | 'server' | 'unknown'> }),
          },
          { requiredKeys: [] },
        ),
        listened: fc.array(ascii, { maxLength: 3 }),
        jsonp: fc.record(
          {
            callback: ascii,
            called: fc.boolean(),
            args: fc.nat({ max: 4 }),
            // Any payload, or what the page sends: the callback's value as JSON text.
            payload: fc.oneof(
              payload(false),
              fc.jsonValue({ maxDepth: 3 }).map((value): Payload => {
                const data = JSON.stringify(value);
                return { encoding: 'text', data, size: new TextEncoder().encode(data).length, truncated: false, source: 'json', mimeType: 'application/json' };
              }),
            ),
            threw: ascii,
          },
          { requiredKeys: ['callback', 'called'] },
        ),
        preflightFor: fc.constant('e0'),
        preflightId: fc.constant('e1'),
      },
      { requiredKeys: ['kind', 'tabId', 'frameId', 'method', 'url', 'startTime', 'state', 'reqHeaders', 'lifecycle', 'messages', 'droppedMessages'] },
    )
    .map((r) => {
      const entry: Entry = {
        id: `e${index}`,
        tabId: r.tabId,
        frameId: r.frameId,
        kind: r.kind,
        method: r.method,
        url: r.url,
        startTime: r.startTime,
        state: r.state,
        request: { headers: r.reqHeaders },
        lifecycle: r.lifecycle,
        messages: r.messages,
        droppedMessages: r.droppedMessages,
      };
      const copy = <K extends keyof Entry>(key: K, value: Entry[K] | undefined) => {
        if (value !== undefined) entry[key] = value;
      };
      copy('doc', r.doc);
      copy('frameUrl', r.doc !== undefined ? r.frameUrl : undefined);
      copy('endTime', r.endTime);
      copy('error', r.error);
      copy('response', r.response);
      copy('initiator', r.initiator);
      copy('wire', r.wire);
      copy('websocket', r.websocket);
      copy('eventSource', r.listened && { listened: r.listened });
      copy('jsonp', r.jsonp);
      copy('preflightFor', r.preflightFor);
      copy('preflightId', r.preflightId);
      if (r.reqBody) entry.request.body = r.reqBody;
      if (r.meta) entry.request.meta = r.meta;
      return entry;
    });
}

export const entriesArb: fc.Arbitrary<Entry[]> = fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => entryArb(k))));
