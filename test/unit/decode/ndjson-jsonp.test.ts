import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonToPlain } from '../../../src/shared/decode/json-tree';
import { parseJsonp } from '../../../src/shared/decode/jsonp';
import { createNdjsonParser, parseNdjson, sniffNdjson, type NdjsonRecord } from '../../../src/shared/decode/ndjson';

const enc = new TextEncoder();
const plain = (records: NdjsonRecord[]) => records.map((r) => (r.kind === 'value' ? { line: r.line, value: jsonToPlain(r.value) } : r));

describe('NDJSON', () => {
  it('one JSON value per line; blank lines skipped; CRLF ok; last line without LF parsed at end', () => {
    const r = parseNdjson('{"a":1}\r\n\n  \n[2]\n"three"');
    expect(r.ok).toBe(true);
    expect(plain(r.records)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: [2] },
      { line: 5, value: 'three' },
    ]);
  });

  it('a bad line gives an error record with the raw line; the others still parse', () => {
    const r = parseNdjson('{"ok":true}\n{broken\n{"ok":false}\n');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.error).toBe('could not decode: 1 of 3 lines are not JSON');
    expect(plain(r.records)).toEqual([
      { line: 1, value: { ok: true } },
      { kind: 'error', line: 2, error: 'could not decode: unexpected "b", expected a "quoted" key at line 1, column 2', raw: '{broken' },
      { line: 3, value: { ok: false } },
    ]);
  });

  it('a whole body gives at most maxRecords records, then stops and says so', () => {
    // Before: a 16 MiB body of one-character lines gave 8 million records (43 s and about 2 GB of
    // heap when every line is bad; a panel list of them after).
    const r = parseNdjson('x\n'.repeat(8 * 1024 * 1024));
    const error = 'could not decode: more than 20000 records; the rest of the body is not shown';
    expect(r).toMatchObject({ ok: false, error });
    expect(r.records).toHaveLength(20_001);
    expect(r.records[20_000]).toEqual({ kind: 'error', line: 20_001, error, raw: '' });
    expect(plain(parseNdjson(enc.encode('1\n\n2\n3'), { maxRecords: 3 }).records)).toEqual([
      { line: 1, value: 1 },
      { line: 3, value: 2 },
      { line: 4, value: 3 },
    ]);
    expect(parseNdjson('1\n\n2\n3\n4', { maxRecords: 3 })).toMatchObject({ ok: false, records: { 3: { kind: 'error', line: 5, error: 'could not decode: more than 3 records; the rest of the body is not shown' } } });
  });

  it('incremental: records come when their line ends; chunking does not matter', () => {
    const bytes = enc.encode('{"n":"é"}\r\n{"n":2}\n\n{"n":[3]}');
    const reference = parseNdjson(bytes).records;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const parser = createNdjsonParser();
        const out: NdjsonRecord[] = [];
        let at = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          out.push(...parser.feed(bytes.subarray(at, cut)));
          at = cut;
        }
        out.push(...parser.feed(bytes.subarray(at)), ...parser.end());
        expect(out).toEqual(reference);
      }),
      { numRuns: 150 },
    );
    const parser = createNdjsonParser();
    expect(parser.feed('{"a"')).toEqual([]);
    expect(plain(parser.feed(':1}\n{'))).toEqual([{ line: 1, value: { a: 1 } }]);
    expect(plain(parser.end())).toEqual([{ kind: 'error', line: 2, error: 'could not decode: unexpected end of input, expected a "quoted" key at line 1, column 2', raw: '{' }]);
  });

  it('an over-long line is an error and skipped', () => {
    const parser = createNdjsonParser({ maxLineLength: 8 });
    expect(plain([...parser.feed('[1]\n[1234567'), ...parser.feed('890]\n[2]\n'), ...parser.end()])).toEqual([
      { line: 1, value: [1] },
      { kind: 'error', line: 2, error: 'could not decode: line longer than 8 characters; skipped', raw: '' },
      { line: 3, value: [2] },
    ]);
  });

  it('sniffNdjson', () => {
    expect(sniffNdjson('{"a":1}\n{"a":2}\n')).toBe(true);
    expect(sniffNdjson('{"a":1}\n')).toBe(false);
    expect(sniffNdjson('{\n  "a": 1\n}\n')).toBe(false);
  });
});

describe('JSONP', () => {
  const argsOf = (r: ReturnType<typeof parseJsonp>) => (r.ok ? r.args.map((a) => (a.json !== undefined ? jsonToPlain(a.json) : { raw: a.raw })) : r.error);

  it.each([
    ['cb({"a":1});', undefined, 'cb', [{ a: 1 }]],
    ['/**/ cb({"a":1})', undefined, 'cb', [{ a: 1 }]],
    ["/**/ typeof cb === 'function' && cb({\"a\":[1,2]}, 3);", 'cb', 'cb', [{ a: [1, 2] }, 3]],
    ['CallbackRegistry.cb123456({"x":"y"})', 'CallbackRegistry.cb123456', 'CallbackRegistry.cb123456', [{ x: 'y' }]],
    ['window.cb("hi")', 'cb', 'cb', ['hi']],
    ['window["jQuery3600_17"]({"ok":true})', 'jQuery3600_17', 'jQuery3600_17', [{ ok: true }]],
    ['if (typeof cb == "function") { cb([1]) }', undefined, 'cb', [[1]]],
    ['try { cb([1]) } catch (e) {}', 'cb', 'cb', [[1]]],
    ['cb && cb({"s":"a)b,c"}, [1,{"x":")"}])', 'cb', 'cb', [{ s: 'a)b,c' }, [1, { x: ')' }]]],
    ['// comment\nself.a.b(null)', 'a.b', 'a.b', [null]],
    ['cb()', 'cb', 'cb', []],
  ])('%j', (script, expected, callback, args) => {
    const r = parseJsonp(script, expected);
    expect(r.ok && r.callback).toBe(callback);
    expect(argsOf(r)).toEqual(args);
  });

  it('keeps exact big numbers in arguments', () => {
    const r = parseJsonp('cb({"id":9007199254740993})');
    expect(r.ok && r.args[0].json).toEqual({ type: 'object', entries: [{ key: 'id', value: { type: 'number', value: 9007199254740992, source: '9007199254740993' } }] });
  });

  it('non-JSON arguments keep their raw text and the parse error', () => {
    const r = parseJsonp("cb({a:1}, 'x', undefined)");
    expect(r).toMatchObject({
      ok: true,
      callback: 'cb',
      args: [
        { raw: '{a:1}', error: 'could not decode: unexpected "a", expected a "quoted" key at line 1, column 2' },
        { raw: "'x'", error: expect.any(String) },
        { raw: 'undefined', error: expect.any(String) },
      ],
    });
  });

  it('the expected name is found past other calls; a call in a string does not count', () => {
    expect(parseJsonp('log("cb(1)"); cb([2])', 'cb')).toMatchObject({ ok: true, callback: 'cb', args: [{ raw: '[2]' }] });
    expect(parseJsonp('other({"a":1})', 'cb')).toEqual({
      ok: false,
      error: 'could not decode: no call of "cb" found (the script calls "other")',
      callback: 'other',
      raw: 'other({"a":1})',
    });
  });

  it('reports text after the call', () => {
    expect(parseJsonp('cb(1); doSomethingElse();')).toMatchObject({ ok: true, trailing: 'doSomethingElse();' });
  });

  it('malformed scripts: errors, never exceptions, no stack use on deep nesting', () => {
    expect(parseJsonp('cb({"a":1}')).toMatchObject({ ok: false, error: 'could not decode: the call is not closed (missing ")")' });
    expect(parseJsonp('cb(")')).toMatchObject({ ok: false, error: 'could not decode: unterminated string in the arguments' });
    expect(parseJsonp('var x = 1;')).toMatchObject({ ok: false, error: 'could not decode: no callback call found' });
    const deep = 'cb(' + '['.repeat(100_000) + ']'.repeat(100_000) + ')';
    expect(parseJsonp(deep)).toMatchObject({ ok: true, args: [{ error: expect.stringContaining('nesting deeper than 512 levels') }] });
  });
});
