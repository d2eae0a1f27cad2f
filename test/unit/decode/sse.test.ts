import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, parseSse, type SseRecord } from '../../../src/shared/decode/sse';

const enc = new TextEncoder();

function whole(input: string | Uint8Array): SseRecord[] {
  return parseSse(input).records;
}

/** Feeds `bytes` cut at the given offsets; returns every record of every feed plus end(). */
function fedIn(bytes: Uint8Array, cuts: number[]): SseRecord[] {
  const parser = createSseParser();
  const out: SseRecord[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...parser.feed(bytes.subarray(at, cut)));
    at = cut;
  }
  out.push(...parser.feed(bytes.subarray(at)));
  out.push(...parser.end());
  return out;
}

describe('SSE: WHATWG HTML examples', () => {
  it('stock ticker: multi-line data joined by LF', () => {
    expect(whole('data: YHOO\ndata: +2\ndata: 10\n\n')).toEqual([{ kind: 'event', type: 'message', data: 'YHOO\n+2\n10', lastEventId: '' }]);
  });

  it('comment, id set then reset by a bare "id", leading space kept after the first', () => {
    const stream = ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n';
    expect(whole(stream)).toEqual([
      { kind: 'comment', text: ' test stream' },
      { kind: 'event', type: 'message', data: 'first event', lastEventId: '1' },
      { kind: 'event', type: 'message', data: 'second event', lastEventId: '' },
      { kind: 'event', type: 'message', data: ' third event', lastEventId: '' },
    ]);
  });

  it('"fires two events": empty data, a single LF, last block discarded at end', () => {
    expect(whole('data\n\ndata\ndata\n\ndata:')).toEqual([
      { kind: 'event', type: 'message', data: '', lastEventId: '' },
      { kind: 'event', type: 'message', data: '\n', lastEventId: '' },
      { kind: 'incomplete', line: 'data:' },
    ]);
  });

  it('"fires two identical events": one space after the colon is dropped', () => {
    expect(whole('data:test\n\ndata: test\n\n')).toEqual([
      { kind: 'event', type: 'message', data: 'test', lastEventId: '' },
      { kind: 'event', type: 'message', data: 'test', lastEventId: '' },
    ]);
  });
});

describe('SSE: field rules', () => {
  it('event type, default "message", reset after each dispatch', () => {
    expect(whole('event: add\ndata: 1\n\ndata: 2\n\n')).toEqual([
      { kind: 'event', type: 'add', data: '1', lastEventId: '' },
      { kind: 'event', type: 'message', data: '2', lastEventId: '' },
    ]);
  });

  it('last event ID persists across events; id with U+0000 is ignored', () => {
    expect(whole('id: 7\ndata: a\n\ndata: b\n\nid: x\u0000y\ndata: c\n\n')).toEqual([
      { kind: 'event', type: 'message', data: 'a', lastEventId: '7' },
      { kind: 'event', type: 'message', data: 'b', lastEventId: '7' },
      { kind: 'ignored', field: 'id', value: 'x\u0000y', reason: 'id contains U+0000 NULL' },
      { kind: 'event', type: 'message', data: 'c', lastEventId: '7' },
    ]);
  });

  it('a block with an id but no data dispatches nothing, but still sets the last event ID', () => {
    const parser = createSseParser();
    expect(parser.feed('id: 42\nevent: ping\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('42');
    expect(parser.feed('data: x\n\n')).toEqual([{ kind: 'event', type: 'message', data: 'x', lastEventId: '42' }]);
  });

  it('retry: only ASCII digits count; reported on its own and on the event of its block', () => {
    const parser = createSseParser();
    expect(parser.feed('retry: 2500\ndata: a\n\nretry: 1e3\nretry: -1\nretry:\ndata: b\n\n')).toEqual([
      { kind: 'retry', value: 2500 },
      { kind: 'event', type: 'message', data: 'a', lastEventId: '', retry: 2500 },
      { kind: 'ignored', field: 'retry', value: '1e3', reason: 'retry value is not only ASCII digits' },
      { kind: 'ignored', field: 'retry', value: '-1', reason: 'retry value is not only ASCII digits' },
      { kind: 'ignored', field: 'retry', value: '', reason: 'retry value is not only ASCII digits' },
      { kind: 'event', type: 'message', data: 'b', lastEventId: '' },
    ]);
    expect(parser.retry).toBe(2500);
  });

  it('retry: a value over 2^64 - 1 is ignored (it would be Infinity), leading zeros do not count', () => {
    const huge = '9'.repeat(400);
    expect(whole(`retry: ${huge}\nretry: 18446744073709551616\nretry: 00018446744073709551615\ndata: a\n\n`)).toEqual([
      { kind: 'ignored', field: 'retry', value: huge, reason: 'retry value is over 2^64 - 1 (Chromium ignores it)' },
      { kind: 'ignored', field: 'retry', value: '18446744073709551616', reason: 'retry value is over 2^64 - 1 (Chromium ignores it)' },
      { kind: 'retry', value: 18446744073709551615 },
      { kind: 'event', type: 'message', data: 'a', lastEventId: '', retry: 18446744073709551615 },
    ]);
  });

  it('a field without a colon is the whole line with an empty value; unknown fields are reported', () => {
    expect(whole('data\nevent\nfoo\nfoo: bar\n\n')).toEqual([
      { kind: 'ignored', field: 'foo', value: '', reason: 'unknown field' },
      { kind: 'ignored', field: 'foo', value: 'bar', reason: 'unknown field' },
      { kind: 'event', type: 'message', data: '', lastEventId: '' },
    ]);
  });

  it('field names are case-sensitive and only one leading space is removed', () => {
    expect(whole('Data: x\ndata:   three\n\n')).toEqual([
      { kind: 'ignored', field: 'Data', value: 'x', reason: 'unknown field' },
      { kind: 'event', type: 'message', data: '  three', lastEventId: '' },
    ]);
  });

  it('CRLF, CR and LF line ends are all line ends', () => {
    expect(whole('data: a\r\ndata: b\rdata: c\n\r\n')).toEqual([{ kind: 'event', type: 'message', data: 'a\nb\nc', lastEventId: '' }]);
    expect(whole('data: a\r\rdata: b\n\n')).toEqual([
      { kind: 'event', type: 'message', data: 'a', lastEventId: '' },
      { kind: 'event', type: 'message', data: 'b', lastEventId: '' },
    ]);
  });

  it('one leading BOM is stripped, a second one is kept', () => {
    expect(whole('\ufeffdata: a\n\n')).toEqual([{ kind: 'event', type: 'message', data: 'a', lastEventId: '' }]);
    expect(whole(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('data: a\n\n')]))).toEqual([
      { kind: 'event', type: 'message', data: 'a', lastEventId: '' },
    ]);
    expect(whole('\ufeff\ufeffdata: a\n\n')).toEqual([{ kind: 'ignored', field: '\ufeffdata', value: 'a', reason: 'unknown field' }]);
  });

  it('a trailing event without its blank line is not dispatched at end()', () => {
    const parser = createSseParser();
    expect(parser.feed('event: x\ndata: 1\n')).toEqual([]);
    expect(parser.end()).toEqual([{ kind: 'incomplete', line: '', data: '1', type: 'x' }]);
    expect(parser.feed('data: 2\n\n')).toEqual([{ kind: 'error', error: 'could not decode: data fed after end()' }]);
  });

  it('invalid UTF-8 becomes U+FFFD', () => {
    expect(whole(new Uint8Array([...enc.encode('data: a'), 0xff, 0xc3, ...enc.encode('\n\n')]))).toEqual([
      { kind: 'event', type: 'message', data: 'a\ufffd\ufffd', lastEventId: '' },
    ]);
  });
});

describe('SSE: bounds', () => {
  it('a line over the cap gives one error, is skipped, and parsing resyncs at the next line end', () => {
    const parser = createSseParser({ maxLineLength: 16 });
    const records = [
      ...parser.feed('data: ok\n\ndata: 0123456789'),
      ...parser.feed('0123456789'),
      ...parser.feed('0123456789\ndata: after\n\n'),
      ...parser.end(),
    ];
    expect(records).toEqual([
      { kind: 'event', type: 'message', data: 'ok', lastEventId: '' },
      { kind: 'error', error: 'could not decode: line longer than 16 characters; skipped to the next line end' },
      { kind: 'event', type: 'message', data: 'after', lastEventId: '' },
    ]);
  });

  it('a 50 MB single line is refused in bounded memory', () => {
    const parser = createSseParser();
    const chunk = 'x'.repeat(1 << 20);
    const errors: SseRecord[] = [];
    for (let i = 0; i < 50; i++) errors.push(...parser.feed(chunk));
    errors.push(...parser.feed('\ndata: fine\n\n'));
    expect(errors).toEqual([
      { kind: 'error', error: 'could not decode: line longer than 4194304 characters; skipped to the next line end' },
      { kind: 'event', type: 'message', data: 'fine', lastEventId: '' },
    ]);
  });

  it('event data over the cap is dropped with an error', () => {
    expect(parseSse('data: 12345\ndata: 67890\n\ndata: ok\n\n', { maxDataLength: 8 }).records).toEqual([
      { kind: 'error', error: 'could not decode: event data longer than 8 characters; event dropped' },
      { kind: 'event', type: 'message', data: 'ok', lastEventId: '' },
    ]);
  });
});

describe('SSE: a whole body gives at most maxRecords records', () => {
  it('stops reading past the cap and says so in a last error record', () => {
    // Before: a 16 MiB body of ":" lines gave 8 million records (half a GB, and a panel list of them).
    const r = parseSse(':\n'.repeat(8 * 1024 * 1024));
    expect(r.records).toHaveLength(20_001);
    expect(r.records[19_999]).toEqual({ kind: 'comment', text: '' });
    expect(r.records[20_000]).toEqual({ kind: 'error', error: 'could not decode: more than 20000 records; the rest of the stream is not shown' });
    expect(parseSse(enc.encode(':a\n:b\n:c\n'), { maxRecords: 3 }).records).toEqual([
      { kind: 'comment', text: 'a' },
      { kind: 'comment', text: 'b' },
      { kind: 'comment', text: 'c' },
    ]);
    expect(parseSse(':a\n:b\n:c\n:d', { maxRecords: 3 }).records.at(-1)).toEqual({ kind: 'error', error: 'could not decode: more than 3 records; the rest of the stream is not shown' });
  });
});

describe('SSE: chunking never changes the result', () => {
  const stream = enc.encode(
    '\ufeff: hello ✓\r\nretry: 3000\r\nevent: ünïcode\r\nid: é1\r\ndata: 日本語 🎉\rdata: second\n\r\n' +
      'data: crlf split\r\n\r\nid: 2\ndata: {"a":1}\n\n: bye\ndata: tail-without-blank-line',
  );
  const reference = whole(stream);

  it('reference result', () => {
    expect(reference).toEqual([
      { kind: 'comment', text: ' hello ✓' },
      { kind: 'retry', value: 3000 },
      { kind: 'event', type: 'ünïcode', data: '日本語 🎉\nsecond', lastEventId: 'é1', retry: 3000 },
      { kind: 'event', type: 'message', data: 'crlf split', lastEventId: 'é1' },
      { kind: 'event', type: 'message', data: '{"a":1}', lastEventId: '2' },
      { kind: 'comment', text: ' bye' },
      { kind: 'incomplete', line: 'data: tail-without-blank-line' },
    ]);
  });

  it('byte by byte', () => {
    expect(fedIn(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1))).toEqual(reference);
  });

  it('split at every single position (two chunks)', () => {
    for (let cut = 0; cut <= stream.length; cut++) expect(fedIn(stream, [cut])).toEqual(reference);
  });

  it('random splits', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 40 }), (cuts) => {
        expect(fedIn(stream, cuts)).toEqual(reference);
      }),
      { numRuns: 150 },
    );
  });

  it('CR at the end of a chunk then LF at the start of the next is one line end', () => {
    const parser = createSseParser();
    expect(parser.feed('data: a\r')).toEqual([]);
    expect(parser.feed('\ndata: b\r')).toEqual([]);
    expect(parser.feed('\n\r')).toEqual([{ kind: 'event', type: 'message', data: 'a\nb', lastEventId: '' }]);
    expect(parser.feed('\n')).toEqual([]);
  });

  it('a UTF-8 character split across chunks is decoded whole', () => {
    const bytes = enc.encode('data: €😀\n\n');
    const parser = createSseParser();
    const records = [...bytes].flatMap((b) => parser.feed(new Uint8Array([b])));
    expect(records).toEqual([{ kind: 'event', type: 'message', data: '€😀', lastEventId: '' }]);
  });

  it('string chunks and byte chunks mix', () => {
    const parser = createSseParser();
    const euro = enc.encode('€');
    expect([
      ...parser.feed('data: '),
      ...parser.feed(euro.subarray(0, 2)),
      ...parser.feed(euro.subarray(2)),
      ...parser.feed('\n\n'),
    ]).toEqual([{ kind: 'event', type: 'message', data: '€', lastEventId: '' }]);
  });

  it('random streams: byte-by-byte equals whole', () => {
    const line = fc.oneof(
      fc.constantFrom('', 'data', 'data:', 'id: 1', 'id', 'event: e', 'retry: 10', ':c', 'x:y'),
      fc.string({ maxLength: 12 }).map((s) => `data: ${s}`),
    );
    const eol = fc.constantFrom('\n', '\r', '\r\n');
    const streamArb = fc.array(fc.tuple(line, eol), { maxLength: 20 }).map((ls) => enc.encode(ls.map(([l, e]) => l + e).join('')));
    fc.assert(
      fc.property(streamArb, fc.uniqueArray(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        const ref = whole(bytes);
        expect(fedIn(bytes, cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))).toEqual(ref);
      }),
      { numRuns: 200 },
    );
  });
});
