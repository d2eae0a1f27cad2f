import { describe, expect, it } from 'vitest';
import { parseUrlencoded, sniffUrlencoded } from '../../../src/shared/decode/urlencoded';

const enc = new TextEncoder();

describe('parseUrlencoded (WHATWG URL application/x-www-form-urlencoded parser)', () => {
  it('splits on &, first = separates, + is space, pairs in order with duplicates, empty pieces skipped', () => {
    expect(parseUrlencoded('a=1&&b=x+y&a=2&c&=v&d==e&').pairs).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'x y' },
      { name: 'a', value: '2' },
      { name: 'c', value: '' },
      { name: '', value: 'v' },
      { name: 'd', value: '=e' },
    ]);
  });

  it('percent-decodes UTF-8 bytes; %2B is a plus, not a space', () => {
    expect(parseUrlencoded('q=caf%C3%A9+%E2%82%AC&p=1%2B1&k%20ey=%3D').pairs).toEqual([
      { name: 'q', value: 'café €' },
      { name: 'p', value: '1+1' },
      { name: 'k ey', value: '=' },
    ]);
  });

  it('keeps bad escapes literally and flags them', () => {
    expect(parseUrlencoded('a=100%&b=%zz&c=%4&d=%41').pairs).toEqual([
      { name: 'a', value: '100%', badEscape: true },
      { name: 'b', value: '%zz', badEscape: true },
      { name: 'c', value: '%4', badEscape: true },
      { name: 'd', value: 'A' },
    ]);
  });

  it('invalid UTF-8 after decoding becomes U+FFFD and is flagged', () => {
    expect(parseUrlencoded('a=%FF%C3&b=%C3%A9').pairs).toEqual([
      { name: 'a', value: '\ufffd\ufffd', invalidUtf8: true },
      { name: 'b', value: 'é' },
    ]);
    expect(parseUrlencoded(new Uint8Array([0x61, 0x3d, 0xff])).pairs).toEqual([{ name: 'a', value: '\ufffd', invalidUtf8: true }]);
  });

  it('bytes: a percent-escape joins with raw UTF-8 bytes around it', () => {
    expect(parseUrlencoded(new Uint8Array([...enc.encode('x='), 0xc3, ...enc.encode('%A9')])).pairs).toEqual([{ name: 'x', value: 'é' }]);
    expect(parseUrlencoded(enc.encode('name=J%C3%BCrgen&city=M%C3%BCnchen')).pairs).toEqual([
      { name: 'name', value: 'Jürgen' },
      { name: 'city', value: 'München' },
    ]);
  });

  it('string input: lone surrogates become U+FFFD (UTF-8 encoding first)', () => {
    expect(parseUrlencoded('a=\ud800b').pairs).toEqual([{ name: 'a', value: '\ufffdb' }]);
  });

  it('empty input gives no pairs; the result carries the raw input', () => {
    expect(parseUrlencoded('')).toEqual({ ok: true, pairs: [], truncated: false, raw: '' });
  });

  it('caps the number of pairs', () => {
    const raw = Array.from({ length: 20 }, (_, i) => `k${i}=${i}`).join('&');
    const r = parseUrlencoded(raw, { maxPairs: 3 });
    expect(r).toEqual({ ok: true, pairs: [{ name: 'k0', value: '0' }, { name: 'k1', value: '1' }, { name: 'k2', value: '2' }], truncated: true, raw });
  });
});

describe('sniffUrlencoded', () => {
  it.each([
    ['a=1&b=2', true],
    ['token=abc%3D%3D', true],
    ['a=1&b', false],
    ['{"a":1}', false],
    ['hello world', false],
    ['<html>', false],
    ['a=1\nb=2', false],
  ])('%j → %s', (text, expected) => {
    expect(sniffUrlencoded(text)).toBe(expected);
  });
});
