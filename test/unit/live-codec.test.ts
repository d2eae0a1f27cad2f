import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLiveDecoder, createLiveEncoder, LiveDesync, WIRE_MEMORY, type PackedRow } from '../../src/shared/live-codec';
import type { LiveRow, StoredRun, TabRecord } from '../../src/shared/protocol';

const TAB = 7;
/** What the port does to a message: a structured clone (manifest `message_serialization`). */
const overPort = <T>(x: T): T => structuredClone(x);

/** A fetch as the live link carries it: the wire's three phases, then the page's four records. */
function exchange(seq: number, i: number, date = 'Wed, 02 Dec 2026 06:08:36 GMT'): TabRecord[] {
  const url = `http://127.0.0.1:4000/api/items?i=${i}`;
  const wire = { method: 'GET', url, resourceType: 'xmlhttprequest', frameId: 0, initiator: 'http://127.0.0.1:4000' };
  const page = { tabId: TAB, frameId: 0, doc: 'e7afa1eca6b9741c', frameUrl: 'http://127.0.0.1:4000/' };
  const requestHeaders: [string, string][] = [
    ['sec-ch-ua-platform', '"Linux"'],
    ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/150.0.0.0 Safari/537.36'],
    ['Accept', '*/*'],
    ['Sec-Fetch-Site', 'same-origin'],
    ['Referer', 'http://127.0.0.1:4000/'],
  ];
  const responseHeaders: [string, string][] = [
    ['content-type', 'application/json'],
    ['Date', date],
    ['Content-Length', '8'],
  ];
  return [
    { seq, tabId: TAB, frameId: 0, ev: { type: 'wire', phase: 'send', requestId: String(i), t: 1, ...wire, requestHeaders } },
    { seq: seq + 1, tabId: TAB, frameId: 0, ev: { type: 'wire', phase: 'headers', requestId: String(i), t: 2, ...wire, responseHeaders, statusCode: 200, statusLine: 'HTTP/1.1 200 OK' } },
    { seq: seq + 2, tabId: TAB, frameId: 0, ev: { type: 'wire', phase: 'completed', requestId: String(i), t: 3, ...wire, statusCode: 200, fromCache: false, ip: '127.0.0.1' } },
    { seq: seq + 3, ...page, ev: { id: `fetch-${i}`, t: 1, type: 'start', kind: 'fetch', method: 'GET', url, headers: [], meta: { credentials: 'same-origin', mode: 'cors', cache: 'default', redirect: 'follow' } } },
    { seq: seq + 4, ...page, ev: { id: `fetch-${i}`, t: 2, type: 'response', status: 200, statusText: 'OK', headers: responseHeaders.map(([n, v]) => [n.toLowerCase(), v]), url, redirected: false } },
    { seq: seq + 5, ...page, ev: { id: `fetch-${i}`, t: 3, type: 'body', which: 'response', body: { encoding: 'base64', data: 'eyJvayI6MX0=', size: 8, truncated: false, source: 'stream' } } },
    { seq: seq + 6, ...page, ev: { id: `fetch-${i}`, t: 4, type: 'end', outcome: 'ok' } },
  ] as TabRecord[];
}

/** Encoded, sent through the port as one message, decoded: what the panel gets. */
function roundTrip(batches: LiveRow[][]) {
  const encoder = createLiveEncoder();
  const decoder = createLiveDecoder();
  const sent: PackedRow[][] = [];
  const got = batches.map((rows) => {
    const packed = overPort(encoder.encode(rows));
    // A copy: the decoder fills in the message it parsed.
    sent.push(overPort(packed));
    return decoder.decode(TAB, packed);
  });
  return { got, sent };
}

describe('live codec', () => {
  it('gives the panel the very records of a run of fetches, in a fraction of the bytes', () => {
    const records = Array.from({ length: 20 }, (_, i) => exchange(1 + i * 7, i, `Wed, 02 Dec 2026 06:08:${10 + (i >> 3)} GMT`)).flat();
    const before = JSON.stringify(records);
    const snapshot = JSON.stringify(records); // the encoder must not change them
    const { got, sent } = roundTrip([records.slice(0, 50), records.slice(50)]);
    expect(got.flat()).toEqual(records);
    expect(JSON.stringify(records)).toBe(snapshot);
    // The third exchange says only what is its own: no tab, frame or document, no wire request
    // fields after its send, its request headers as indexes, its Date header alone anew.
    const third = sent.flat().slice(14, 21) as { ev: Record<string, unknown> }[];
    for (const r of third) expect(Object.keys(r).filter((k) => k !== 'ev' && k !== 'seq' && k !== 's')).toEqual([]);
    expect(third[0].ev.requestHeaders).toEqual([0, 1, 2, 3, 4]);
    expect(third[1].ev).not.toHaveProperty('url');
    expect(third[1].ev.responseHeaders).toEqual([0, 1, 2]);
    expect(third[2].ev).not.toHaveProperty('method');
    expect(third[4].ev.headers).toEqual([0, 1, 2]);
    expect(JSON.stringify(sent.flat()).length).toBeLessThan(before.length * 0.9);
  });

  it('shares the earlier pair of a header list, and leaves runs of messages as they are', () => {
    const [send1] = exchange(1, 1);
    const [send2] = exchange(8, 2);
    const run: StoredRun = { first: 15, tabId: TAB, frameId: 0, doc: 'd', id: 'ws-1', dir: 'receive', t: [1, 2], data: ['a', 'b'], size: [1, 1] };
    const encoder = createLiveEncoder();
    const decoder = createLiveDecoder();
    const [one] = decoder.decode(TAB, overPort(encoder.encode([send1]))) as TabRecord[];
    const [two, third] = decoder.decode(TAB, overPort(encoder.encode([send2, run])));
    const headersOf = (r: LiveRow) => ((r as TabRecord).ev as { requestHeaders: unknown[] }).requestHeaders;
    expect(headersOf(two)[1]).toBe(headersOf(one)[1]);
    expect(third).toEqual(run);
  });

  it('starts afresh at a reset on both sides, and says so when the panel would have to guess', () => {
    const [a, b] = exchange(1, 1);
    const encoder = createLiveEncoder();
    encoder.encode([a]);
    const packed = overPort(encoder.encode([b]));
    // A decoder that never saw `a` cannot fill in b's request.
    expect(() => createLiveDecoder().decode(TAB, packed)).toThrow(LiveDesync);
    expect(() => createLiveDecoder().decode(TAB, [{ seq: 1, ev: { type: 'start', headers: [0] } }])).toThrow(LiveDesync);
    expect(() => createLiveDecoder().decode(TAB, [{ seq: 1, s: 2, ev: { type: 'end' } }])).toThrow(LiveDesync);
    // After a reset the encoder says everything again.
    encoder.reset();
    expect(createLiveDecoder().decode(TAB, overPort(encoder.encode([b])))).toEqual(overPort([b]));
  });

  it('forgets a request at its last phase and past WIRE_MEMORY requests, the same way on both sides', () => {
    const sends = Array.from({ length: WIRE_MEMORY + 2 }, (_, i) => exchange(1 + i * 7, i)[0]);
    const late = exchange(1 + sends.length * 7, 0)[1]; // request 0's headers after every other send
    const { got } = roundTrip([sends, [late]]);
    expect(got[1]).toEqual(overPort([late]));
  });

  it('decodes whatever sequence of records it encoded', () => {
    const word = fc.constantFrom('a', 'b', 'c');
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const headers = fc.array(fc.tuple(word, word), { maxLength: 4 });
    const wire = fc.record({
      type: fc.constant('wire'),
      phase: fc.constantFrom('send', 'headers', 'redirect', 'completed', 'error'),
      requestId: fc.constantFrom('1', '2', '3'),
      t: fc.nat(),
      method: maybe(word),
      url: maybe(word),
      resourceType: maybe(word),
      frameId: maybe(fc.constantFrom(0, 1)),
      initiator: maybe(word),
      requestHeaders: maybe(headers),
      responseHeaders: maybe(headers),
    });
    const page = fc.record({ type: fc.constantFrom('start', 'response', 'end'), id: word, t: fc.nat(), headers: maybe(headers), url: maybe(word) });
    const deep = fc.record({ type: fc.constant('deep'), phase: fc.constant('request'), requestId: word, t: fc.nat(), headers: maybe(headers) });
    const record = fc.record({
      frameId: fc.constantFrom(0, 1),
      doc: maybe(word),
      frameUrl: maybe(word),
      frameOrigin: maybe(word),
      ev: fc.oneof(wire, page, deep),
    });
    const run = fc.record({ id: word, data: fc.array(word, { minLength: 1, maxLength: 3 }) });
    const item = fc.oneof({ arbitrary: record, weight: 5 }, { arbitrary: run, weight: 1 });
    fc.assert(
      fc.property(fc.array(fc.array(item, { maxLength: 6 }), { maxLength: 8 }), fc.nat({ max: 8 }), fc.nat({ max: 3 }), (batches, resetAt, snapshotPages) => {
        let seq = 1;
        const rows: LiveRow[][] = batches.map((batch) =>
          batch.map((x): LiveRow => {
            if ('data' in x) {
              const r: StoredRun = { first: seq, tabId: TAB, frameId: 0, id: x.id, dir: 'send', t: x.data.map((_, i) => i), data: x.data, size: x.data.map(() => 1) };
              seq += x.data.length;
              return r;
            }
            return { seq: seq++, tabId: TAB, ...x } as unknown as TabRecord;
          }),
        );
        const encoder = createLiveEncoder();
        const decoder = createLiveDecoder();
        rows.forEach((batch, i) => {
          if (i === resetAt) {
            encoder.reset();
            decoder.reset();
          }
          const copy = JSON.stringify(batch);
          // From a reset on, a snapshot's pages (records only), then live rows.
          if (i >= resetAt && i < resetAt + snapshotPages) {
            const records = batch.filter((r): r is TabRecord => !('first' in r));
            expect(decoder.decodeRecords(TAB, overPort(encoder.encodeRecords(records)))).toEqual(overPort(records));
          } else {
            const got = decoder.decode(TAB, overPort(encoder.encode(batch)));
            expect(got).toEqual(overPort(batch));
          }
          expect(JSON.stringify(batch)).toBe(copy);
        });
      }),
      { numRuns: 300 },
    );
  });
});
