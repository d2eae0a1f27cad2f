import { describe, expect, it } from 'vitest';
import { fromHex, hexDump, hexPreview, toHex } from '../../../src/shared/decode/hex';
import { imageSize } from '../../../src/shared/decode/image-size';
import { looksBinary, sniffMagic } from '../../../src/shared/decode/magic';
import { decodeText } from '../../../src/shared/decode/text';

const enc = new TextEncoder();

describe('decodeText', () => {
  it('decodes in the declared charset', () => {
    const raw = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x80]);
    expect(decodeText(raw, 'ISO-8859-1')).toEqual({
      ok: true,
      text: 'café€',
      charset: 'windows-1252',
      replacements: 0,
      decodedBytes: 5,
      size: 5,
      truncated: false,
      raw,
    });
  });

  it('unknown label: falls back to UTF-8 and says which label was given', () => {
    const raw = enc.encode('héllo');
    expect(decodeText(raw, 'x-klingon')).toEqual({ ok: true, text: 'héllo', charset: 'utf-8', declared: 'x-klingon', replacements: 0, decodedBytes: 6, size: 6, truncated: false, raw });
  });

  it('invalid bytes become U+FFFD and are counted', () => {
    const raw = new Uint8Array([0x61, 0xff, 0x62, 0xc3]);
    expect(decodeText(raw)).toMatchObject({ text: 'a\ufffdb\ufffd', charset: 'utf-8', replacements: 2 });
  });

  it('a BOM wins over the declared charset and is removed', () => {
    const raw = new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]);
    expect(decodeText(raw, 'utf-8')).toMatchObject({ text: 'hi', charset: 'utf-16le', bom: 'utf-16le', declared: 'utf-8' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toMatchObject({ text: 'A', bom: 'utf-8' });
  });

  it('truncates at maxBytes without cutting a character into U+FFFD', () => {
    const raw = enc.encode('aé€');
    expect(decodeText(raw, undefined, { maxBytes: 4 })).toMatchObject({ text: 'aé', truncated: true, decodedBytes: 4, size: 6, replacements: 0 });
  });
});

describe('hex', () => {
  it('hexdump -C style lines with offsets and ASCII', () => {
    const bytes = enc.encode('Hello, hex dump!\x00\x01\xff');
    expect(hexDump(bytes)).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 68  65 78 20 64 75 6d 70 21  |Hello, hex dump!|\n' +
        '00000010  00 01 c3 bf                                       |....|',
    );
  });

  it('preview stops at maxBytes', () => {
    expect(hexPreview(new Uint8Array(100), 16)).toEqual({
      dump: '00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|',
      shown: 16,
      total: 100,
      truncated: true,
    });
  });

  it('hex both ways', () => {
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    expect(toHex(new Uint8Array([0xde, 0xad]), ' ')).toBe('de ad');
    expect(fromHex('0xDE:AD be-ef')).toEqual({ ok: true, bytes: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) });
    expect(fromHex('abc')).toEqual({ ok: false, error: 'could not decode: odd number of hex digits', raw: 'abc' });
    expect(fromHex('zz')).toEqual({ ok: false, error: 'could not decode: not hexadecimal', raw: 'zz' });
  });
});

describe('sniffMagic / looksBinary / imageSize', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 2, 128, 0, 0, 1, 224]);
  it.each([
    [png, 'image/png'],
    [new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    [enc.encode('GIF89a'), 'image/gif'],
    [enc.encode('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp'],
    [enc.encode('%PDF-1.7'), 'application/pdf'],
    [new Uint8Array([0x50, 0x4b, 0x03, 0x04]), 'application/zip'],
    [new Uint8Array([0x1f, 0x8b, 0x08, 0x00]), 'application/gzip'],
    [new Uint8Array([0, 0, 0, 0x20, ...enc.encode('ftypavif')]), 'image/avif'],
    [new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 'application/wasm'],
    [enc.encode('wOF2'), 'font/woff2'],
  ])('%#: %s', (bytes, mime) => {
    expect(sniffMagic(bytes)?.mime).toBe(mime);
  });

  it('text is not binary; control bytes and NUL are; UTF-16 with BOM is text', () => {
    expect(looksBinary(enc.encode('plain text\r\n\ttabs\fff\x1b[0m'))).toBe(false);
    expect(looksBinary(new Uint8Array([0x61, 0x00, 0x62]))).toBe(true);
    expect(looksBinary(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toBe(false);
    expect(sniffMagic(enc.encode('hello'))).toBeUndefined();
  });

  it('image dimensions from headers', () => {
    expect(imageSize(png, 'image/png')).toEqual({ width: 640, height: 480 });
    expect(imageSize(new Uint8Array([...enc.encode('GIF89a'), 0x10, 0x00, 0x20, 0x00]), 'image/gif')).toEqual({ width: 16, height: 32 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x00, 0x02, 0x00, 0x03, 0, 0, 0, 0]);
    expect(imageSize(jpeg, 'image/jpeg')).toEqual({ width: 512, height: 256 });
    expect(imageSize(new Uint8Array(4), 'image/png')).toBeUndefined();
  });
});
