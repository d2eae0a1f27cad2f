import { describe, expect, it } from 'vitest';
import { scaled } from '../../helpers/time';
import { MAX_METRICS, parseDuration, parseServerTiming, timingAllowed } from '../../../src/shared/decode/server-timing';

const metrics = (...values: string[]) => parseServerTiming(values).metrics;

describe('Server-Timing (W3C Server Timing, the header field)', () => {
  it("reads the spec's example: every metric of every header, in order, with or without dur and desc", () => {
    expect(metrics('miss, db;dur=53, app;dur=47.2', 'customView, dc;desc=atl', 'cache;desc="Cache Read";dur=23.2', 'total;dur=123.4')).toEqual([
      { name: 'miss', description: '' },
      { name: 'db', duration: 53, description: '' },
      { name: 'app', duration: 47.2, description: '' },
      { name: 'customView', description: '' },
      { name: 'dc', description: 'atl' },
      { name: 'cache', duration: 23.2, description: 'Cache Read' },
      { name: 'total', duration: 123.4, description: '' },
    ]);
  });

  it('keeps repeated metric names; parameter names are case-insensitive and the first of a repeated one counts', () => {
    const parsed = parseServerTiming(['db;DUR=5;Desc=first;dur=9;desc=second, db;dur=1']);
    expect(parsed.metrics).toEqual([
      { name: 'db', duration: 5, description: 'first' },
      { name: 'db', duration: 1, description: '' },
    ]);
    expect(parsed.notes).toEqual(['"dur" given twice in "db": the first one counts.', '"desc" given twice in "db": the first one counts.']);
  });

  it('reads dur as Chromium does: only a whole-value number counts; absent or not a number is 0 (said)', () => {
    expect(parseDuration('.5')).toBe(0.5);
    expect(parseDuration('1.')).toBe(1);
    expect(parseDuration('+3')).toBe(3);
    expect(parseDuration('-2e1')).toBe(-20);
    expect(parseDuration('00012')).toBe(12);
    expect(parseDuration('1e400')).toBe(Infinity);
    expect(parseDuration(' \t7')).toBe(7);
    for (const no of ['12.5ms', ' 7 ', '7 ', 'Infinity', '0x10', '1e', '-', '1.5.5', '']) expect(parseDuration(no), no).toBeUndefined();
    const parsed = parseServerTiming(['a;dur=abc, b;dur, c;dur=12.5ms']);
    expect(parsed.metrics).toEqual([
      { name: 'a', duration: 0, description: '' },
      { name: 'b', duration: 0, description: '' },
      { name: 'c', duration: 0, description: '' },
    ]);
    expect(parsed.notes).toEqual(['"dur" of "a" is not a number ("abc"): read as 0.', '"dur" of "b" is not a number (""): read as 0.', '"dur" of "c" is not a number ("12.5ms"): read as 0.']);
  });

  it('takes quoted-strings whole (commas, semicolons, escaped quotes); one never closed is "" and ends the header', () => {
    expect(metrics('a;desc="x, y; \\"z\\"";dur=1, b')).toEqual([
      { name: 'a', duration: 1, description: 'x, y; "z"' },
      { name: 'b', description: '' },
    ]);
    // The headers are one value, as in Chromium: the quote runs on into the next header.
    const open = parseServerTiming(['a;desc="never closed, b;dur=2', 'c']);
    expect(open.metrics).toEqual([{ name: 'a', description: '' }]);
    expect(open.notes).toEqual(['A quoted value of "desc" in "a" is not closed: read as "".']);
  });

  it('skips, and says, characters after a name or a value; a name that is no token ends the reading of every header after it, as in Chromium', () => {
    const parsed = parseServerTiming(['a junk;dur=1 trailing;desc=d, b;duration=3, c=4;dur=5, ;dur=2, d', 'q;dur=7']);
    expect(parsed.metrics).toEqual([
      { name: 'a', duration: 1, description: 'd' },
      { name: 'b', description: '' },
      { name: 'c', duration: 5, description: '' },
    ]);
    expect(parsed.notes).toEqual([
      'Ignored: "junk".',
      'Ignored: "trailing".',
      'Unknown parameter "duration" in "b" ignored (only dur and desc are defined).',
      'Deprecated syntax "c=…": a metric is <name>;dur=<duration>;desc=<description>.',
      'Ignored: "=4".',
      'Not read (Chromium stops here too): ";dur=2, d, q;dur=7".',
    ]);
    expect(parseServerTiming(['q;;dur=7, r', 'p;dur=8']).metrics).toEqual([{ name: 'q', description: '' }]);
  });

  it("takes Chromium's token characters: braces and DEL are in, separators and non-ASCII are not", () => {
    expect(metrics('a{b};dur=1, {x};desc={y}, c\x7fd')).toEqual([
      { name: 'a{b}', duration: 1, description: '' },
      { name: '{x}', description: '{y}' },
      { name: 'c\x7fd', description: '' },
    ]);
    expect(metrics('é;dur=1')).toEqual([]);
    expect(metrics('a@b;dur=1, c')).toEqual([
      { name: 'a', duration: 1, description: '' },
      { name: 'c', description: '' },
    ]);
  });

  it('gives nothing for an empty or blank header; an empty header before others ends the reading, as the joined value does in Chromium', () => {
    expect(parseServerTiming([''])).toEqual({ metrics: [], notes: [], truncated: false });
    expect(parseServerTiming(['  '])).toEqual({ metrics: [], notes: [], truncated: false });
    expect(parseServerTiming(['', 'a;dur=1'])).toEqual({ metrics: [], notes: ['Not read (Chromium stops here too): ", a;dur=1".'], truncated: false });
  });

  it('keeps at most MAX_METRICS metrics, and says so', () => {
    const parsed = parseServerTiming(['m;dur=1, '.repeat(MAX_METRICS + 50), 'after']);
    expect(parsed.metrics).toHaveLength(MAX_METRICS);
    expect(parsed.truncated).toBe(true);
  });

  it('reads hostile headers of 256 KB in one pass (no backtracking): quotes, semicolons, equals signs, long tokens', () => {
    const big = 256 * 1024;
    for (const value of ['"'.repeat(big), ';'.repeat(big), `a;${'='.repeat(big)}`, `a;dur=${'9'.repeat(big)}`, 'x'.repeat(big), `a;desc="${'\\'.repeat(big)}`]) {
      const started = performance.now();
      const parsed = parseServerTiming([value]);
      expect(parsed.metrics.length).toBeLessThanOrEqual(1);
      // Generous: a quadratic scan of 256 KB takes seconds.
      expect(performance.now() - started).toBeLessThan(scaled(1_000));
    }
  });
});

describe('Timing-Allow-Origin (Fetch "TAO check"): whether the page sees the metrics', () => {
  const page = 'http://a.test';
  it('same origin: always', () => {
    expect(timingAllowed(page, page, [])).toEqual({ allowed: true, why: 'same origin' });
  });
  it('cross-origin: with * or the exact origin among the values, else not', () => {
    expect(timingAllowed(page, 'http://b.test', ['*'])?.allowed).toBe(true);
    expect(timingAllowed(page, 'http://b.test', ['http://c.test, http://a.test'])).toEqual({ allowed: true, why: 'Timing-Allow-Origin lists http://a.test' });
    expect(timingAllowed(page, 'http://b.test', ['http://a.test/'])).toEqual({ allowed: false, why: 'cross-origin, and Timing-Allow-Origin (http://a.test/) does not list http://a.test' });
    expect(timingAllowed(page, 'http://b.test', [])).toEqual({ allowed: false, why: 'cross-origin, without Timing-Allow-Origin' });
  });
  it('unknown when an origin is', () => {
    expect(timingAllowed(undefined, 'http://b.test', ['*'])).toBeUndefined();
  });
});
