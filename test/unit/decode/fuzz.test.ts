/**
 * Every decoder on random and mutated inputs: never throws, always returns a result, and the
 * result (minus the `raw` it carries by reference) stays within a linear bound of the input size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../../src/shared/bytes';
import { decodeBody } from '../../../src/shared/decode/body';
import { closeCodeInfo } from '../../../src/shared/decode/close-codes';
import { parseContentDisposition, parseContentType } from '../../../src/shared/decode/header-params';
import { fromHex, hexPreview } from '../../../src/shared/decode/hex';
import { parseJson } from '../../../src/shared/decode/json';
import { previewJson, stringifyJson } from '../../../src/shared/decode/json-tree';
import { parseJsonp } from '../../../src/shared/decode/jsonp';
import { parseMultipart } from '../../../src/shared/decode/multipart';
import { createNdjsonParser } from '../../../src/shared/decode/ndjson';
import { createSseParser } from '../../../src/shared/decode/sse';
import { decodeText } from '../../../src/shared/decode/text';
import { parseUrlencoded } from '../../../src/shared/decode/urlencoded';
import { createWsState, decodeWsMessage, detectWsProtocol } from '../../../src/shared/decode/websocket';

const RUNS = 300;
const enc = new TextEncoder();

/** Size of a result as JSON, with `raw` (a reference to the input) left out and bytes counted by length. */
function outputSize(value: unknown): number {
  return JSON.stringify(value, (key, v) => (key === 'raw' ? undefined : v instanceof Uint8Array ? v.length : v instanceof Map ? [...v] : v))?.length ?? 0;
}

function bounded(result: unknown, inputLength: number): void {
  expect(result).toBeDefined();
  expect(outputSize(result)).toBeLessThanOrEqual(64 * inputLength + 16_384);
}

const SAMPLES = [
  '{"a":[1,2.5e3,"x\\u00e9",true,null],"b":{"c":12345678901234567890}}',
  'a=1&b=caf%C3%A9+x&c&=&%zz',
  '--XyZ\r\nContent-Disposition: form-data; name="t"\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name="f"; filename*=UTF-8\'\'%E2%82%AC.bin\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u0001\u0002\r\n--XyZ--\r\n',
  ': c\r\nretry: 100\nevent: e\nid: 1\ndata: {"x":1}\ndata: y\r\n\r\ndata\n\n',
  '{"n":1}\n{"n":2}\r\n\nbad\n',
  'CallbackRegistry.cb1({"a":[1,{"b":")"}]}, "s");',
  '42/chat,7["ev",{"_placeholder":true,"num":0}]',
  '{"id":"1","type":"subscribe","payload":{"query":"subscription S { x }"}}',
  'SEND\ndestination:/q\ncontent-length:2\n\nhi\u0000\n',
  '[{"jsonrpc":"2.0","method":"m","id":1},{"jsonrpc":"2.0","result":2,"id":1}]',
  '<!doctype html><html><body>hi</body></html>',
];
const BINARY_SAMPLES = [
  new Uint8Array([0x10, 0x12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0xc2, 0, 60, 0, 1, 0x61, 0, 1, 0x62, 0, 1, 0x63]),
  new Uint8Array([0x33, 0x0a, 0, 3, 0x61, 0x2f, 0x62, 0, 1, 0x7b, 0x7d, 0x20]),
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0]),
  new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0, 16, 0, 16]),
];

/** Valid samples, cut, spliced, repeated and sprinkled with random bytes. */
const mutatedBytes = fc
  .tuple(
    fc.constantFrom(...SAMPLES.map((s) => enc.encode(s)), ...BINARY_SAMPLES),
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
        fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
        fc.record({ op: fc.constant('flip' as const), at: fc.nat(), b: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ op: fc.constant('repeat' as const), times: fc.integer({ min: 2, max: 4 }) }),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([sample, ops]) => {
    let b = Array.from(sample);
    for (const o of ops) {
      const at = b.length === 0 ? 0 : ('at' in o ? o.at : 0) % (b.length + 1);
      if (o.op === 'cut') b = b.slice(0, at);
      else if (o.op === 'insert') b.splice(at, 0, ...o.bytes);
      else if (o.op === 'delete') b.splice(at, o.n);
      else if (o.op === 'flip') b[Math.min(at, b.length - 1)] = o.b;
      else b = Array.from({ length: o.times }, () => b).flat();
    }
    return new Uint8Array(b);
  });

const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedBytes);
const anyText = fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), fc.string({ maxLength: 200 }), mutatedBytes.map((b) => new TextDecoder().decode(b)));
const contentType = fc.oneof(
  fc.constantFrom(
    undefined,
    'application/json',
    'text/plain; charset=utf-8',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=XyZ',
    'multipart/form-data',
    'multipart/mixed; boundary="XyZ"',
    'text/event-stream',
    'application/x-ndjson',
    'text/javascript',
    'image/png',
    'application/octet-stream',
    'text/plain; charset=x-unknown',
    'text/plain; charset=shift_jis',
  ),
  fc.string({ maxLength: 40 }),
);

/** Feeds bytes in random chunks; returns all records. */
function feedAll<T>(parser: { feed(c: Uint8Array): T[]; end(): T[] }, bytes: Uint8Array, cuts: number[]): T[] {
  const out: T[] = [];
  let at = 0;
  for (const c of [...cuts].map((c) => c % (bytes.length + 1)).sort((a, b) => a - b)) {
    out.push(...parser.feed(bytes.subarray(at, c)));
    at = c;
  }
  out.push(...parser.feed(bytes.subarray(at)), ...parser.end());
  return out;
}

describe('decoders never throw and stay bounded on random and mutated input', () => {
  it('parseJson + tree printing', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parseJson(text);
        bounded(r, text.length);
        if (r.ok) {
          expect(previewJson(r.value, 50).length).toBeLessThanOrEqual(51);
          stringifyJson(r.value, { indent: 2 });
        } else {
          expect(r.error).toMatch(/^could not decode: /);
        }
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), (text) => {
        const r = parseJson(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(JSON.parse(stringifyJson(r.value).text)).toEqual(JSON.parse(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('parseUrlencoded (text and bytes)', () => {
    fc.assert(
      fc.property(anyText, anyBytes, (text, bytes) => {
        bounded(parseUrlencoded(text), text.length);
        bounded(parseUrlencoded(bytes), bytes.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('parseMultipart and header parameters', () => {
    fc.assert(
      fc.property(anyBytes, contentType, fc.string({ maxLength: 60 }), (bytes, type, header) => {
        const r = parseMultipart(bytes, type ?? undefined);
        bounded(r, bytes.length);
        if (!r.ok) expect(r.error).toMatch(/^could not decode: /);
        parseContentType(header);
        parseContentDisposition(header);
      }),
      { numRuns: RUNS },
    );
  });

  it('decodeText, hex and base64', () => {
    fc.assert(
      fc.property(anyBytes, fc.constantFrom(undefined, 'utf-8', 'latin1', 'utf-16le', 'shift_jis', 'nope'), anyText, (bytes, charset, text) => {
        bounded(decodeText(bytes, charset), bytes.length);
        expect(hexPreview(bytes).shown).toBeLessThanOrEqual(256);
        const b64 = fromBase64(toBase64(bytes));
        expect(b64.ok && b64.bytes).toEqual(bytes);
        bounded(fromBase64(text), text.length);
        bounded(fromHex(text), text.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('SSE and NDJSON parsers, chunked anywhere', () => {
    fc.assert(
      fc.property(anyBytes, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        bounded(feedAll(createSseParser({ maxLineLength: 64 }), bytes, cuts), bytes.length);
        bounded(feedAll(createNdjsonParser({ maxLineLength: 64 }), bytes, cuts), bytes.length);
        expect(feedAll(createSseParser(), bytes, cuts)).toEqual(feedAll(createSseParser(), bytes, []));
      }),
      { numRuns: RUNS },
    );
  });

  it('decodeBody with any content type', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes.map((bytes) => ({ bytes })), anyText.map((text) => ({ text }))), contentType, (input, type) => {
        const body = decodeBody({ ...input, contentType: type ?? undefined });
        bounded(body, 'bytes' in input ? input.bytes.length : input.text.length * 3);
        expect(body.raw).toBe('bytes' in input ? input.bytes : input.text);
      }),
      { numRuns: RUNS },
    );
  });

  it('WebSocket messages under every protocol, close codes, detection', () => {
    const protocols = fc.constantFrom(undefined, 'graphql-ws', 'graphql-transport-ws', 'v12.stomp', 'mqtt', 'jsonrpc', 'other');
    fc.assert(
      fc.property(fc.array(fc.oneof(anyText, anyBytes), { minLength: 1, maxLength: 6 }), protocols, fc.boolean(), (messages, protocol, socketIo) => {
        const state = createWsState();
        const url = socketIo ? 'ws://h/socket.io/?EIO=4' : undefined;
        for (const data of messages) {
          const m = decodeWsMessage({ data, protocol: protocol ?? undefined, url }, state);
          bounded(m, data.length);
          expect(typeof m.summary).toBe('string');
          if (!m.ok) expect(m.error).toMatch(/^could not decode: /);
        }
        detectWsProtocol(messages.map((data) => ({ data })));
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double()), (code) => {
        expect(closeCodeInfo(code).code).toBe(code);
      }),
      { numRuns: RUNS },
    );
  });

  it('parseJsonp', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(undefined, 'cb', 'CallbackRegistry.cb1', 'window.x'), (text, expected) => {
        const r = parseJsonp(text, expected);
        bounded(r, text.length);
        if (!r.ok) expect(r.error).toMatch(/^could not decode: /);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('pathological inputs finish quickly', () => {
  // Quickly means within the test's limit (it stretches with the machine's load), not a timed assertion.
  it('50 MB single line, 100k-deep brackets, huge headers', () => {
    const line = 'x'.repeat(50 * 1024 * 1024);
    expect(parseJson(line).ok).toBe(false);
    expect(parseJsonp(`cb(${'['.repeat(100_000)}${']'.repeat(100_000)})`).ok).toBe(true);
    expect(decodeBody({ text: '['.repeat(100_000), contentType: 'application/json' })).toMatchObject({ format: 'json', result: { ok: false } });
    const sse = createSseParser();
    expect(sse.feed(line)).toEqual([{ kind: 'error', error: 'could not decode: line longer than 4194304 characters; skipped to the next line end' }]);
    const headerBomb = enc.encode(`--b\r\n${'X: y\r\n'.repeat(10_000)}\r\n`);
    expect(parseMultipart(headerBomb, 'multipart/form-data; boundary=b')).toMatchObject({ ok: false, error: 'could not decode: part 1 has more than 16384 bytes of headers' });
    expect(parseUrlencoded('&'.repeat(1_000_000) + 'a=1').pairs).toEqual([{ name: 'a', value: '1' }]);
  });
});
