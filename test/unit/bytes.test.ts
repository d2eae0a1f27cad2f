import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Length, base64ToBytes, decodeUtf8, encodeUtf8, fromBase64, toBase64, utf8Length, utf8Text } from '../../src/shared/bytes';

const RUNS = 300;

describe('base64', () => {
  it('toBase64 is standard padded base64 (as Node writes it), and fromBase64 gives the bytes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(text)).toEqual({ ok: true, bytes });
        expect(base64ToBytes(text)).toEqual(bytes);
        expect(base64Length(text)).toBe(bytes.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('works across the 32 KiB chunks the encoder builds its string in', () => {
    for (const size of [0x8000 - 1, 0x8000, 0x8000 + 1, 200_000]) {
      const bytes = new Uint8Array(size).map((_, i) => i * 7);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(base64ToBytes(text)!).equals(bytes)).toBe(true);
    }
  });

  it('reads URL-safe, unpadded and wrapped base64 too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(76), (bytes, wrap) => {
        const url = toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        expect(base64ToBytes(url)).toEqual(bytes);
        expect(base64Length(url)).toBe(bytes.length);
        const wrapped = wrap ? toBase64(bytes).replace(new RegExp(`(.{${wrap}})`, 'g'), '$1\r\n') : toBase64(bytes);
        expect(base64ToBytes(` ${wrapped}\n`)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0x00, 0x41]);
    expect(toBase64(bytes)).toBe('+/+/AEE=');
    expect(fromBase64('-_-_AEE')).toEqual({ ok: true, bytes });
    expect(fromBase64(' +/+/\nAEE= ')).toEqual({ ok: true, bytes });
    expect(fromBase64('QQ=')).toEqual({ ok: true, bytes: new Uint8Array([0x41]) });
  });

  it('says why it cannot decode, with the input, and never throws', () => {
    expect(fromBase64('a')).toEqual({ ok: false, error: 'could not decode: base64 length is impossible', raw: 'a' });
    expect(fromBase64('ab$d')).toEqual({ ok: false, error: 'could not decode: not base64', raw: 'ab$d' });
    expect(fromBase64('QQ===')).toEqual({ ok: false, error: 'could not decode: not base64', raw: 'QQ===' });
    expect(fromBase64('Q=Q=')).toEqual({ ok: false, error: 'could not decode: not base64', raw: 'Q=Q=' });
    expect(fromBase64('é')).toEqual({ ok: false, error: 'could not decode: not base64', raw: 'é' });
    expect(base64ToBytes('ab$d')).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 64, unit: fc.constantFrom(...'AZaz09+/-_= \n\t$é') }), (text) => {
        const result = fromBase64(text);
        if (!result.ok) expect(result.raw).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts everything atob accepts, with the same bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: fc.constantFrom(...'AZaz09+/= \n') }), (text) => {
        let binary: string;
        try {
          binary = atob(text);
        } catch {
          return;
        }
        expect(base64ToBytes(text)).toEqual(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('UTF-8', () => {
  it('encodes, measures and decodes any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => {
        const bytes = encodeUtf8(text);
        expect(bytes).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
        expect(utf8Length(text)).toBe(bytes.length);
        expect(utf8Text(bytes)).toBe(text);
        expect(decodeUtf8(bytes)).toEqual({ text, invalid: false });
      }),
      { numRuns: RUNS },
    );
  });

  it('measures any UTF-16 string, lone surrogates included, as the encoder encodes it, short or long', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)), maxLength: 20 }), (a, b) => {
        for (const text of [a, b, a + b, b + a, 'x'.repeat(250) + b + a]) expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps a BOM; invalid bytes are undefined strictly and U+FFFD leniently', () => {
    expect(utf8Text(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('\ufeffa');
    const bad = new Uint8Array([0x61, 0xff, 0x62]);
    expect(utf8Text(bad)).toBeUndefined();
    expect(decodeUtf8(bad)).toEqual({ text: 'a\ufffdb', invalid: true });
    expect(utf8Length('\ud800')).toBe(3);
  });
});
