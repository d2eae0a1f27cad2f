import { describe, expect, it } from 'vitest';
import { decodeBody, type DecodedBody } from '../../../src/shared/decode/body';
import { jsonToPlain } from '../../../src/shared/decode/json-tree';

const enc = new TextEncoder();

/** The parts of a decoded body a UI branches on. */
function shape(b: DecodedBody): Record<string, unknown> {
  const out: Record<string, unknown> = { format: b.format, sniffed: b.sniffed };
  if (b.note !== undefined) out.note = b.note;
  if (b.declared !== undefined) out.declared = b.declared;
  switch (b.format) {
    case 'json':
      out.ok = b.result.ok;
      if (b.result.ok) out.value = jsonToPlain(b.result.value);
      else out.error = b.result.error;
      break;
    case 'text':
      out.syntax = b.syntax;
      out.text = b.text;
      break;
    case 'image':
    case 'binary':
      out.mime = b.mime;
      break;
    case 'urlencoded':
      out.pairs = b.result.pairs;
      break;
    case 'multipart':
      out.ok = b.result.ok;
      out.names = b.result.parts.map((p) => p.name);
      break;
    case 'event-stream':
      out.events = b.result.records.filter((r) => r.kind === 'event').length;
      break;
    case 'ndjson':
      out.lines = b.result.records.length;
      break;
    case 'jsonp':
      out.callback = b.result.callback;
      break;
  }
  return out;
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 2, 0, 0, 0, 3, 8, 2, 0, 0, 0]);

describe('decodeBody: by declared type', () => {
  it('JSON (charset, +json suffix, XSSI guard)', () => {
    expect(shape(decodeBody({ bytes: enc.encode('{"a":[1,2]}'), contentType: 'application/json; charset=utf-8' }))).toEqual({
      format: 'json',
      sniffed: false,
      declared: 'application/json',
      ok: true,
      value: { a: [1, 2] },
    });
    expect(shape(decodeBody({ text: '{"type":"about:blank"}', contentType: 'application/problem+json' }))).toMatchObject({ format: 'json', ok: true });
    const guarded = decodeBody({ text: ")]}'\n[1]", contentType: 'application/json' });
    expect(guarded).toMatchObject({ format: 'json', xssiPrefix: ")]}'", result: { ok: true } });
  });

  it('JSON bytes are UTF-8 whatever charset the type declares (RFC 8259 §11), a BOM still wins', () => {
    const bytes = enc.encode('{"name":"Zoë","€":1}');
    for (const charset of ['iso-8859-1', 'windows-1252', 'utf-16', 'shift_jis']) {
      expect(shape(decodeBody({ bytes, contentType: `application/json; charset=${charset}` }))).toMatchObject({ format: 'json', ok: true, value: { name: 'Zoë', '€': 1 } });
    }
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'[1]'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(shape(decodeBody({ bytes: utf16, contentType: 'application/json; charset=iso-8859-1' }))).toMatchObject({ format: 'json', ok: true, value: [1] });
  });

  it('broken JSON stays JSON with the error and the raw text', () => {
    const raw = enc.encode('{"a":');
    expect(decodeBody({ bytes: raw, contentType: 'application/json' })).toEqual({
      format: 'json',
      sniffed: false,
      declared: 'application/json',
      size: 5,
      raw,
      result: { ok: false, error: 'could not decode: unexpected end of input at line 1, column 6', offset: 5, raw: '{"a":' },
    });
  });

  it('form-urlencoded, multipart, event-stream, NDJSON, JSONP', () => {
    expect(shape(decodeBody({ text: 'a=1&b=%C3%A9', contentType: 'application/x-www-form-urlencoded' }))).toMatchObject({
      format: 'urlencoded',
      pairs: [{ name: 'a', value: '1' }, { name: 'b', value: 'é' }],
    });
    const mp = enc.encode('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--');
    expect(shape(decodeBody({ bytes: mp, contentType: 'multipart/form-data; boundary=b' }))).toMatchObject({ format: 'multipart', ok: true, names: ['x'] });
    expect(shape(decodeBody({ text: 'data: 1\n\ndata: 2\n\n', contentType: 'text/event-stream' }))).toMatchObject({ format: 'event-stream', events: 2 });
    expect(shape(decodeBody({ text: '{"a":1}\n{"a":2}\n', contentType: 'application/x-ndjson' }))).toMatchObject({ format: 'ndjson', lines: 2 });
    expect(shape(decodeBody({ text: 'jQuery_1({"a":1});', contentType: 'text/javascript' }))).toMatchObject({ format: 'jsonp', callback: 'jQuery_1' });
    expect(shape(decodeBody({ text: 'function f() { return 1 }', contentType: 'application/javascript' }))).toMatchObject({ format: 'text', syntax: 'javascript' });
  });

  it('XML, HTML and SVG are text, never markup', () => {
    expect(shape(decodeBody({ text: '<?xml version="1.0"?><a/>', contentType: 'application/xml' }))).toMatchObject({ format: 'text', syntax: 'xml' });
    expect(shape(decodeBody({ text: '<!doctype html><p>hi', contentType: 'text/html' }))).toMatchObject({ format: 'text', syntax: 'html', text: '<!doctype html><p>hi' });
    expect(shape(decodeBody({ text: '<svg xmlns="http://www.w3.org/2000/svg"/>', contentType: 'image/svg+xml' }))).toMatchObject({ format: 'text', syntax: 'svg' });
  });

  it('text in its charset', () => {
    expect(decodeBody({ bytes: new Uint8Array([0x63, 0x61, 0x66, 0xe9]), contentType: 'text/plain; charset=iso-8859-1' })).toMatchObject({
      format: 'text',
      text: 'café',
      charset: 'windows-1252',
      replacements: 0,
    });
  });

  it('images: type, size, preview', () => {
    const b = decodeBody({ bytes: png, contentType: 'image/png' });
    expect(b).toMatchObject({ format: 'image', mime: 'image/png', label: 'PNG image', width: 2, height: 3, size: png.length, sniffed: false });
    expect(b.format === 'image' && b.preview.dump.startsWith('00000000  89 50 4e 47')).toBe(true);
  });

  it('empty bodies', () => {
    expect(decodeBody({ bytes: new Uint8Array(0), contentType: 'application/json' })).toEqual({
      format: 'empty',
      sniffed: false,
      declared: 'application/json',
      size: 0,
      raw: new Uint8Array(0),
    });
    expect(decodeBody({})).toMatchObject({ format: 'empty', size: 0 });
  });
});

describe('decodeBody: sniffing when the type is missing or lies', () => {
  it.each([
    [{ text: '{"a":1}' }, { format: 'json', sniffed: true, ok: true, value: { a: 1 } }],
    [{ text: '[1,2]', contentType: 'text/plain' }, { format: 'json', sniffed: true, declared: 'text/plain', note: 'declared text/plain, but the body is JSON', ok: true, value: [1, 2] }],
    [{ text: '{"a":1}', contentType: 'text/html' }, { format: 'json', sniffed: true, declared: 'text/html', note: 'declared text/html, but the body is JSON', ok: true, value: { a: 1 } }],
    [
      { text: '<!DOCTYPE html><title>502</title>', contentType: 'application/json' },
      { format: 'text', sniffed: true, declared: 'application/json', note: 'declared application/json, but the body is HTML', syntax: 'html', text: '<!DOCTYPE html><title>502</title>' },
    ],
    [{ text: 'a=1&b=2' }, { format: 'urlencoded', sniffed: true, pairs: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }],
    [{ text: 'event: x\ndata: 1\n\n' }, { format: 'event-stream', sniffed: true, events: 1 }],
    [{ text: '{"a":1}\n{"a":2}\n' }, { format: 'ndjson', sniffed: true, lines: 2 }],
    [{ text: 'just words' }, { format: 'text', sniffed: true, syntax: 'plain', text: 'just words' }],
    [{ text: 'a=1&b=2', contentType: 'text/plain' }, { format: 'text', sniffed: true, declared: 'text/plain', syntax: 'plain', text: 'a=1&b=2' }],
  ])('%j', (input, expected) => {
    expect(shape(decodeBody(input))).toEqual(expected);
  });

  it('binary by magic number or by bytes', () => {
    expect(shape(decodeBody({ bytes: png }))).toEqual({ format: 'image', sniffed: true, mime: 'image/png' });
    expect(shape(decodeBody({ bytes: png, contentType: 'application/octet-stream' }))).toEqual({
      format: 'image',
      sniffed: true,
      declared: 'application/octet-stream',
      note: 'declared application/octet-stream, but the body is PNG image',
      mime: 'image/png',
    });
    expect(shape(decodeBody({ bytes: new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2]), contentType: 'application/json' }))).toEqual({
      format: 'binary',
      sniffed: true,
      declared: 'application/json',
      note: 'declared application/json, but the body is gzip data',
      mime: 'application/gzip',
    });
    expect(shape(decodeBody({ bytes: new Uint8Array([1, 2, 3, 0, 250]) }))).toEqual({ format: 'binary', sniffed: true, mime: undefined });
  });

  it('an unspecific type is sniffed; a wrong image type is noted', () => {
    expect(shape(decodeBody({ text: '{"a":1}', contentType: 'application/vnd.acme.v2' }))).toEqual({
      format: 'json',
      sniffed: true,
      declared: 'application/vnd.acme.v2',
      note: 'declared application/vnd.acme.v2, but the body is JSON',
      ok: true,
      value: { a: 1 },
    });
    expect(decodeBody({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), contentType: 'image/png' })).toMatchObject({
      format: 'image',
      mime: 'image/jpeg',
      note: 'declared image/png, but the body is JPEG image',
    });
  });

  it('an image type over an HTML error page shows the page as text', () => {
    expect(shape(decodeBody({ text: '<html>Not found</html>', contentType: 'image/png' }))).toMatchObject({
      format: 'text',
      syntax: 'html',
      note: 'declared image/png, but the body is HTML',
    });
  });

  it('a multipart body without boundary parameter is read from its first line (with the error)', () => {
    const mp = enc.encode('--zz\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--zz--');
    expect(shape(decodeBody({ bytes: mp, contentType: 'multipart/form-data' }))).toMatchObject({ format: 'multipart', ok: false, names: ['x'] });
    expect(shape(decodeBody({ bytes: mp }))).toMatchObject({ format: 'multipart', sniffed: true, names: ['x'] });
  });
});
