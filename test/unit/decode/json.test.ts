import { describe, expect, it } from 'vitest';
import { isExactNumber, parseJson, sniffJson, stripXssiPrefix } from '../../../src/shared/decode/json';
import { jsonGet, jsonScalarText, jsonToPlain, previewJson, stringifyJson } from '../../../src/shared/decode/json-tree';

const num = (value: number, source?: string) => (source === undefined ? { type: 'number', value } : { type: 'number', value, source });
const str = (value: string) => ({ type: 'string', value });

describe('parseJson', () => {
  it('keeps key order, duplicate keys and all value kinds', () => {
    const raw = '{"b":1,"a":[true,false,null,"x"],"b":{"__proto__":-0.5e1}}';
    expect(parseJson(raw)).toEqual({
      ok: true,
      nodes: 9,
      raw,
      value: {
        type: 'object',
        entries: [
          { key: 'b', value: num(1) },
          { key: 'a', value: { type: 'array', items: [{ type: 'boolean', value: true }, { type: 'boolean', value: false }, { type: 'null' }, str('x')] } },
          { key: 'b', value: { type: 'object', entries: [{ key: '__proto__', value: num(-5) }] } },
        ],
      },
    });
  });

  it('keeps the source text of numbers a double cannot hold, and only those', () => {
    const r = parseJson('[9007199254740993, 9007199254740992, 12345678901234567890, 1e400, -1e-400, 0.1, 0.10, 1.5e3, 123456789012345, 0.1000000000000000055511151231257827, 1E2, -0]');
    expect(r.ok && r.value.type === 'array' && r.value.items).toEqual([
      num(9007199254740992, '9007199254740993'),
      num(9007199254740992),
      num(12345678901234567000, '12345678901234567890'),
      num(Infinity, '1e400'),
      num(-0, '-1e-400'),
      num(0.1),
      num(0.1),
      num(1500),
      num(123456789012345),
      num(0.1, '0.1000000000000000055511151231257827'),
      num(100),
      num(-0),
    ]);
    expect(isExactNumber('2.50', 2.5)).toBe(true);
    expect(isExactNumber('1e21', 1e21)).toBe(true);
    expect(isExactNumber('123456789012345678', 123456789012345680)).toBe(false);
  });

  it('decodes string escapes, surrogate pairs and lone surrogates', () => {
    const r = parseJson('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\ud800"');
    expect(r).toEqual({ ok: true, nodes: 1, raw: expect.any(String), value: str('a"\\/\b\f\n\r\té😀\ud800') });
  });

  it('tolerates one leading BOM and surrounding whitespace', () => {
    expect(parseJson('\ufeff \n{"a":1}\t')).toMatchObject({ ok: true, value: { type: 'object' } });
  });

  it.each([
    ['', 'could not decode: unexpected end of input at line 1, column 1', 0],
    ['{"a":1,}', 'could not decode: unexpected "}", expected a "quoted" key at line 1, column 8', 7],
    ['[1,]', 'could not decode: unexpected "]" at line 1, column 4', 3],
    ['{"a" 1}', 'could not decode: unexpected "1", expected ":" at line 1, column 6', 5],
    ['[01]', 'could not decode: unexpected "1" at line 1, column 3', 2],
    ['[1.]', 'could not decode: unexpected "]", expected a digit at line 1, column 4', 3],
    ['"abc', 'could not decode: unterminated string at line 1, column 5', 4],
    ['"a\nb"', 'could not decode: control character in string at line 1, column 3', 2],
    ['"\\x"', 'could not decode: bad escape in string at line 1, column 2', 1],
    ['"\\u12G4"', 'could not decode: bad \\u escape in string at line 1, column 2', 1],
    ['{"a":1}\n{"b":2}', 'could not decode: unexpected data after the JSON value at line 2, column 1', 8],
    ['NaN', 'could not decode: unexpected "N" at line 1, column 1', 0],
    ["{'a':1}", 'could not decode: unexpected "\'", expected a "quoted" key at line 1, column 2', 1],
    ['[tru]', 'could not decode: unexpected "t" at line 1, column 2', 1],
  ])('rejects %j', (raw, error, offset) => {
    expect(parseJson(raw)).toEqual({ ok: false, error, offset, raw });
  });

  it('caps depth: 100k-deep brackets fail fast, no stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const t0 = performance.now();
    const r = parseJson(deep);
    expect(r).toEqual({ ok: false, error: 'could not decode: nesting deeper than 512 levels at line 1, column 513', offset: 512, raw: deep });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(parseJson('['.repeat(512) + ']'.repeat(512)).ok).toBe(true);
    expect(parseJson('[[[1]]]', { maxDepth: 2 }).ok).toBe(false);
  });

  it('caps the number of values', () => {
    expect(parseJson('[1,2,3,4]', { maxNodes: 4 })).toEqual({
      ok: false,
      error: 'could not decode: more than 4 values at line 1, column 8',
      offset: 7,
      raw: '[1,2,3,4]',
    });
  });
});

describe('json tree helpers', () => {
  const r = parseJson('{"id":12345678901234567890,"id":2,"list":[1,"two",{"x":null}],"s":"é\\n"}');
  const root = r.ok ? r.value : { type: 'null' as const };

  it('jsonGet takes the last duplicate, like JSON.parse', () => {
    expect(jsonGet(root, 'id')).toEqual(num(2));
    expect(jsonGet(jsonGet(root, 'list'), 1)).toEqual(str('two'));
    expect(jsonGet(root, 'missing')).toBeUndefined();
  });

  it('a negative zero prints as -0 (String(-0) is "0")', () => {
    const zeros = parseJson('[-0, -0.0e5, 0, -1e-400]');
    expect(zeros.ok && stringifyJson(zeros.value).text).toBe('[-0,-0,0,-1e-400]');
    expect(jsonScalarText({ type: 'number', value: -0 })).toBe('-0');
  });

  it('stringify keeps exact numbers; preview cuts with an ellipsis', () => {
    expect(stringifyJson(root).text).toBe('{"id":12345678901234567890,"id":2,"list":[1,"two",{"x":null}],"s":"é\\n"}');
    expect(stringifyJson(jsonGet(root, 'list')!, { indent: 2 }).text).toBe('[\n  1,\n  "two",\n  {\n    "x": null\n  }\n]');
    expect(previewJson(root, 20)).toBe('{"id":12345678901234…');
  });

  it('jsonToPlain gives JSON.parse-like values without prototype tricks', () => {
    const parsed = parseJson('{"__proto__":{"polluted":1},"a":[1,{"b":true}]}');
    if (!parsed.ok) throw new Error(parsed.error);
    const plain = jsonToPlain(parsed.value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.keys(plain)).toEqual(['__proto__', 'a']);
    expect(plain.a).toEqual([1, { b: true }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('sniffJson / stripXssiPrefix', () => {
  it.each([
    ['{"a":1}', true],
    ['  [1, 2]\n', true],
    ['\ufeff{}', true],
    [")]}'\n{\"a\":1}", true],
    ['hello', false],
    ['{ unbalanced', false],
    ['"just a string"', false],
    ['', false],
  ])('sniffJson(%j) is %s', (text, expected) => {
    expect(sniffJson(text)).toBe(expected);
  });

  it('strips anti-XSSI guards', () => {
    expect(stripXssiPrefix(")]}'\n[1]")).toEqual({ text: '\n[1]', prefix: ")]}'" });
    expect(stripXssiPrefix(")]}',\n[1]")).toEqual({ text: '\n[1]', prefix: ")]}'," });
    expect(stripXssiPrefix('while(1);{"a":1}')).toEqual({ text: '{"a":1}', prefix: 'while(1);' });
    expect(stripXssiPrefix('[1]')).toEqual({ text: '[1]' });
  });
});
