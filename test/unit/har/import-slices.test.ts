import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importHar, startHarImport } from '../../../src/shared/har/import';
import { leadingHar, locateHarEntries } from '../../../src/shared/har/locate-entries';
import { exportHar } from '../../../src/shared/har/export';
import { createTimeline } from '../../../src/shared/timeline';
import { FIXTURE_NAMES, fixtureText } from './helpers';

/** Reads `text` a slice of `n` entries at a time, as the panel does. */
function inSlices(text: string, n: number) {
  const job = startHarImport(text);
  const seen: string[] = [];
  let slices = 0;
  while (!job.done) {
    seen.push(...job.next(n).map((e) => e.id));
    slices++;
  }
  return { result: job.result, total: job.total, seen, slices };
}

/** Any JSON text of a HAR-shaped value: odd keys and strings, any spacing, keys in any order. */
const harText = fc
  .record({
    before: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    after: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    logBefore: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    logAfter: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    entries: fc.array(fc.jsonValue(), { maxLength: 12 }),
    indent: fc.constantFrom(0, 1, 2, '\t'),
  })
  .map(({ before, after, logBefore, logAfter, entries, indent }) => {
    const log = { ...logBefore, entries, ...logAfter };
    if (!Array.isArray(log.entries)) log.entries = entries;
    const root = { ...before, log, ...after };
    if (root.log !== log) root.log = log;
    return JSON.stringify(root, null, indent);
  });

describe('locateHarEntries', () => {
  it('finds each entry of any HAR-shaped JSON text exactly, and the rest parses to the same HAR without them', () => {
    fc.assert(
      fc.property(harText, (text) => {
        const whole = JSON.parse(text) as { log: { entries: unknown[] } };
        const located = locateHarEntries(text);
        expect(located).toBeDefined();
        const { rest, starts, ends } = located!;
        expect(starts.map((s, k) => JSON.parse(text.slice(s, ends[k])) as unknown)).toEqual(whole.log.entries);
        expect(JSON.parse(rest)).toEqual({ ...whole, log: { ...whole.log, entries: [] } });
      }),
      { numRuns: 400 },
    );
  });

  it('strings holding brackets, quotes and backslashes do not confuse it', () => {
    const entries = [{ a: '[{"x": "]}' }, { b: 'back\\\\' }, { c: 'quote \\" } ] {' }, ['\\', '"', '{'], 'x\\"]', 12.5e3, null];
    const text = JSON.stringify({ log: { version: '1.2', entries } }, null, 1);
    const { starts, ends } = locateHarEntries(text)!;
    expect(starts.map((s, k) => JSON.parse(text.slice(s, ends[k])) as unknown)).toEqual(entries);
  });

  it('uses the last of duplicate keys, as JSON.parse does', () => {
    const text = '{"log": {"entries": [1, 2], "entries": [3]}, "log2": {"entries": [9]}}';
    const { starts, ends } = locateHarEntries(text)!;
    expect(starts.map((s, k) => text.slice(s, ends[k]))).toEqual(['3']);
    expect(locateHarEntries('{"log": {"entries": [1]}, "log": 5}')).toBeUndefined();
  });

  it('gives up (undefined) on text it cannot follow, so the caller parses it whole', () => {
    for (const text of ['', '[]', '{"log": ', '{"log": {"entries": [1, 2', '{"log": {"entries": [1 2]}}', '{"log": {"entries": {}}}', '{"log": {"entries": "[1]"}}']) {
      expect(locateHarEntries(text)).toBeUndefined();
    }
    // Trailing garbage is found by JSON.parse of `rest`, not by the scanner.
    expect(() => JSON.parse(locateHarEntries('{"log": {"entries": [1]}} x')!.rest)).toThrow();
  });
});

describe('leadingHar: the first rows of a file still being read', () => {
  it('cut anywhere, gives a prefix of the entries, each whole (all of them once the text is whole)', () => {
    fc.assert(
      fc.property(harText, fc.double({ min: 0, max: 1, noNaN: true }), (text, at) => {
        // Only the first `log`/`entries` keys are looked at: the generated keys never repeat them.
        const whole = (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries;
        const cut = Math.floor(text.length * at);
        const found = leadingHar(text.slice(0, cut)).entries.map((t) => JSON.parse(t) as unknown);
        expect(found).toEqual(whole.slice(0, found.length));
        expect(leadingHar(text).entries.map((t) => JSON.parse(t) as unknown)).toEqual(whole);
        // The log's members before `entries`, once the head reaches the entries.
        const log = JSON.parse(text).log as Record<string, unknown>;
        const keys = Object.keys(log);
        const before = Object.fromEntries(keys.slice(0, keys.indexOf('entries')).map((k) => [k, log[k]]));
        expect(JSON.parse(leadingHar(text).log)).toEqual(before);
        const head = leadingHar(text.slice(0, cut));
        if (head.entries.length) expect(JSON.parse(head.log)).toEqual(before);
      }),
      { numRuns: 400 },
    );
  });

  it('a number at the very end of the head may go on: it is not taken', () => {
    expect(leadingHar('{"log": {"entries": [12, 34').entries).toEqual(['12']);
    expect(leadingHar('{"log": {"creator": {"name": "x"}, "entries": [{"a": 1}, {"b"').entries).toEqual(['{"a": 1}']);
    expect(leadingHar('{"log": {"creator": {"name": "x').entries).toEqual([]);
  });

  it('startHarImport with head: those entries, marked head, as the whole import gives them', () => {
    const text = fixtureText('firefox-111-page-load.har');
    const whole = importHar(text).entries;
    const job = startHarImport(text.slice(0, Math.floor(text.length / 2)), { head: true });
    while (!job.done) job.next(3);
    expect(job.head).toBe(true);
    expect(job.result.entries.length).toBeGreaterThan(0);
    expect(job.result.entries.length).toBeLessThan(whole.length);
    // Its pages come before its entries: the frame URLs are known from the head already.
    expect(job.result.entries).toEqual(whole.slice(0, job.result.entries.length));
  });

  it("startHarImport with head: a netlens trace's wireSince (before the entries in its file) is known from the head", () => {
    const tl = createTimeline();
    for (let i = 0; i < 50; i++) tl.apply({ seq: i + 1, tabId: 1, frameId: 0, doc: 'd', frameUrl: 'http://a.test/', ev: { type: 'start', id: `f${i}`, t: 1_000 + i, kind: 'fetch', method: 'GET', url: `http://a.test/${i}`, headers: [] } });
    const wireSince = Date.parse('2026-12-02T09:00:00.000Z');
    const text = JSON.stringify(exportHar(tl.entries(), { wireSince }), null, 2);
    const job = startHarImport(text.slice(0, Math.floor(text.length / 3)), { head: true });
    while (!job.done) job.next(10);
    expect(job.result.entries.length).toBeGreaterThan(0);
    expect(job.result.wireSince).toBe(wireSince);
  });
});

describe('startHarImport: a HAR read a slice at a time', () => {
  it.each(FIXTURE_NAMES)('%s gives the same entries and warnings in slices of 1 as importHar gives at once', (name) => {
    const text = fixtureText(name);
    const once = importHar(text);
    const { result, total, seen, slices } = inSlices(text, 1);
    expect(result.entries).toEqual(once.entries);
    expect(result.warnings).toEqual(once.warnings);
    expect(seen).toEqual(once.entries.map((e) => e.id));
    expect(slices).toBe(total);
  });

  it('pages listed after the entries still name the entries’ frames', () => {
    const text = JSON.stringify({
      log: {
        entries: [{ pageref: 'p1', startedDateTime: '2024-01-01T00:00:00.000Z', request: { method: 'GET', url: 'https://a.test/x', headers: [] }, response: { status: 200, headers: [] } }],
        pages: [{ id: 'p1', title: 'https://a.test/page' }],
      },
    });
    expect(inSlices(text, 1).result.entries[0].frameUrl).toBe('https://a.test/page');
  });

  it('an entry that is not JSON is skipped with a warning; the others are read', () => {
    const good = (i: number) => JSON.stringify({ startedDateTime: '2024-01-01T00:00:00.000Z', request: { method: 'GET', url: `https://a.test/${i}`, headers: [] }, response: { status: 200, headers: [] } });
    // A raw control character inside a string: the brackets still balance, JSON.parse refuses it.
    const text = `{"log": {"entries": [${good(0)}, {"request": "a\u0001b"}, ${good(2)}]}}`;
    const { result } = inSlices(text, 10);
    expect(result.entries.map((e) => e.url)).toEqual(['https://a.test/0', 'https://a.test/2']);
    expect(result.warnings).toEqual([expect.stringMatching(/^entry 1: not JSON: /)]);
  });

  it('text that is not JSON is reported once, as before', () => {
    const { result, total } = inSlices('{"log": {"entries": [1, 2', 5);
    expect(total).toBe(0);
    expect(result.warnings).toEqual([expect.stringMatching(/^not JSON: /)]);
  });
});
