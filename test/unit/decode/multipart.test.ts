import { describe, expect, it } from 'vitest';
import { parseContentDisposition, parseContentType } from '../../../src/shared/decode/header-params';
import { parseMultipart, sniffMultipartBoundary } from '../../../src/shared/decode/multipart';
import { scaled } from '../../helpers/time';

const enc = new TextEncoder();
const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p)));

const FORM = bytes(
  'This is the preamble.\r\n',
  '--XyZ\r\n',
  'Content-Disposition: form-data; name="title"\r\n\r\n',
  'Hello, wörld\r\n',
  '--XyZ\r\n',
  'Content-Disposition: form-data; name="upload"; filename="a.png"; filename*=UTF-8\'\'%E2%82%AC%20rates.png\r\n',
  'Content-Type: image/png\r\n\r\n',
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  '\r\n--XyZ\r\n',
  'Content-Disposition: form-data; name="empty"; filename=""\r\n',
  'Content-Type: application/octet-stream\r\n\r\n',
  '\r\n--XyZ--\r\n',
  'epilogue, ignored\r\n--XyZ\r\n',
);

describe('parseMultipart: form-data', () => {
  it('reads every part: headers, name, filename (filename* wins), type, size, text or preview', () => {
    const r = parseMultipart(FORM, 'multipart/form-data; boundary="XyZ"');
    expect(r).toEqual({
      ok: true,
      subtype: 'form-data',
      boundary: 'XyZ',
      raw: FORM,
      parts: [
        {
          kind: 'text',
          headers: [['Content-Disposition', 'form-data; name="title"']],
          disposition: 'form-data',
          name: 'title',
          size: 13,
          offset: 78,
          text: 'Hello, wörld',
          charset: 'utf-8',
          textTruncated: false,
          replacements: 0,
        },
        {
          kind: 'file',
          headers: [
            ['Content-Disposition', 'form-data; name="upload"; filename="a.png"; filename*=UTF-8\'\'%E2%82%AC%20rates.png'],
            ['Content-Type', 'image/png'],
          ],
          disposition: 'form-data',
          name: 'upload',
          filename: '€ rates.png',
          contentType: 'image/png',
          size: 8,
          offset: 232,
          preview: { dump: '00000000  89 50 4e 47 0d 0a 1a 0a                           |.PNG....|', shown: 8, total: 8, truncated: false },
        },
        {
          kind: 'file',
          headers: [
            ['Content-Disposition', 'form-data; name="empty"; filename=""'],
            ['Content-Type', 'application/octet-stream'],
          ],
          disposition: 'form-data',
          name: 'empty',
          filename: '',
          contentType: 'application/octet-stream',
          size: 0,
          offset: 350,
          preview: { dump: '', shown: 0, total: 0, truncated: false },
        },
      ],
    });
  });

  it('unquoted boundary, bare LF line ends, transport padding after the delimiter', () => {
    const body = bytes('--b1  \nContent-Disposition: form-data; name=a\n\none\n--b1\t\nContent-Disposition: form-data; name="b"\n\ntwo\n--b1--');
    const r = parseMultipart(body, 'multipart/form-data; charset=utf-8; boundary=b1');
    expect(r.ok).toBe(true);
    expect(r.parts.map((p) => [p.name, p.kind === 'text' ? p.text : null])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
    ]);
  });

  it('"--boundaryX" inside a body is content, not a delimiter', () => {
    const body = bytes('--ab\r\nContent-Disposition: form-data; name="t"\r\n\r\nline\r\n--abc not ours\r\n--ab--');
    const r = parseMultipart(body, 'multipart/form-data; boundary=ab');
    expect(r.ok && r.parts[0].kind === 'text' && r.parts[0].text).toBe('line\r\n--abc not ours');
  });

  it('text parts are decoded in their charset', () => {
    const body = bytes('--q\r\nContent-Disposition: form-data; name="n"\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n', [0x63, 0x61, 0x66, 0xe9], '\r\n--q--');
    const r = parseMultipart(body, 'multipart/form-data; boundary=q');
    expect(r.parts[0]).toMatchObject({ kind: 'text', text: 'café', charset: 'windows-1252' });
  });

  it('folded header lines are joined; quoted-pairs unescaped', () => {
    const body = bytes('--q\r\nContent-Disposition: form-data;\r\n name="a\\"b"; filename="c:\\\\x.txt"\r\n\r\nX\r\n--q--');
    const r = parseMultipart(body, 'multipart/form-data; boundary=q');
    expect(r.parts[0]).toMatchObject({ headers: [['Content-Disposition', 'form-data; name="a\\"b"; filename="c:\\\\x.txt"']], name: 'a"b', filename: 'c:\\x.txt' });
  });
});

describe('parseMultipart: mixed and related', () => {
  it('multipart/mixed parts without names; binary parts summarised', () => {
    const body = bytes(
      '--m\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n',
      '--m\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n',
      [0, 1, 2, 255],
      '\r\n--m--\r\n',
    );
    const r = parseMultipart(body, 'multipart/mixed; boundary=m');
    expect(r).toMatchObject({ ok: true, subtype: 'mixed' });
    expect(r.parts.map((p) => p.kind)).toEqual(['text', 'binary']);
    expect(r.parts[1]).toMatchObject({ size: 4, preview: { dump: '00000000  00 01 02 ff                                       |....|' } });
  });

  it('multipart/related (e.g. MTOM) with Content-ID headers', () => {
    const body = bytes('--r\r\nContent-Type: application/xop+xml; type="text/xml"\r\nContent-ID: <root>\r\n\r\n<x/>\r\n--r--');
    const r = parseMultipart(body, 'multipart/related; type="application/xop+xml"; boundary=r; start="<root>"');
    expect(r).toMatchObject({ ok: true, subtype: 'related', parts: [{ kind: 'text', text: '<x/>', headers: [['Content-Type', 'application/xop+xml; type="text/xml"'], ['Content-ID', '<root>']] }] });
  });

  it('an empty multipart (close delimiter only) has no parts', () => {
    expect(parseMultipart(bytes('--e--\r\n'), 'multipart/mixed; boundary=e')).toMatchObject({ ok: true, parts: [] });
  });
});

describe('parseMultipart: malformed input', () => {
  it('truncated final part: partial result plus error', () => {
    const cut = FORM.subarray(0, 236);
    const r = parseMultipart(cut, 'multipart/form-data; boundary=XyZ');
    expect(r).toMatchObject({ ok: false, error: 'could not decode: body ends inside part 2 (no closing boundary)', boundary: 'XyZ' });
    expect(r.parts).toHaveLength(2);
    expect(r.parts[0]).toMatchObject({ name: 'title', text: 'Hello, wörld' });
    expect(r.parts[1]).toMatchObject({ name: 'upload', size: 4, offset: 232, truncated: true });
  });

  it('body ending inside part headers', () => {
    const r = parseMultipart(FORM.subarray(0, 120), 'multipart/form-data; boundary=XyZ');
    expect(r).toMatchObject({ ok: false, error: 'could not decode: body ends inside the headers of part 2' });
    expect(r.parts).toHaveLength(1);
  });

  it('body ending right after a delimiter, without the closing "--"', () => {
    const r = parseMultipart(bytes('--z\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--z'), 'multipart/form-data; boundary=z');
    expect(r).toMatchObject({ ok: false, error: 'could not decode: body ends after a boundary, without the closing "--z--"', parts: [{ name: 'a' }] });
  });

  it('missing boundary parameter: error, parts read with the boundary of the first line', () => {
    const r = parseMultipart(FORM.subarray(23), 'multipart/form-data');
    expect(r).toMatchObject({
      ok: false,
      error: "could not decode: Content-Type has no boundary parameter; parts shown using the body's first line as boundary",
      boundary: 'XyZ',
    });
    expect(r.parts).toHaveLength(3);
  });

  it('wrong boundary: error with what the body suggests', () => {
    const r = parseMultipart(FORM.subarray(23), 'multipart/form-data; boundary=nope');
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('boundary "nope" not found in the body'), boundary: 'XyZ' });
  });

  it('wrong boundary and no boundary-looking first line', () => {
    expect(parseMultipart(bytes('just text'), 'multipart/form-data; boundary=x')).toEqual({
      ok: false,
      error: 'could not decode: boundary "x" not found in the body',
      subtype: 'form-data',
      boundary: 'x',
      parts: [],
      raw: bytes('just text'),
    });
  });

  it('caps the number of parts', () => {
    const body = bytes(...Array.from({ length: 5 }, (_, i) => `--c\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${i}\r\n`), '--c--');
    const r = parseMultipart(body, 'multipart/form-data; boundary=c', { maxParts: 3 });
    expect(r).toMatchObject({ ok: false, error: 'could not decode: more than 3 parts; showing the first 3' });
    expect(r.parts).toHaveLength(3);
  });

  it('caps text and previews', () => {
    const body = bytes('--c\r\nContent-Disposition: form-data; name="t"\r\n\r\n', 'é'.repeat(10), '\r\n--c\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\n', 'x'.repeat(100), '\r\n--c--');
    const r = parseMultipart(body, 'multipart/form-data; boundary=c', { maxTextBytes: 5, previewBytes: 4 });
    expect(r.parts[0]).toMatchObject({ kind: 'text', text: 'éé', textTruncated: true, size: 20 });
    expect(r.parts[1]).toMatchObject({ kind: 'file', size: 100, preview: { shown: 4, total: 100, truncated: true } });
  });
});

describe('parseMultipart: time', () => {
  it('a body made of the boundary\'s characters is searched in linear time', () => {
    // Before: every position of `aaaa…` matched the delimiter's last byte and was compared back
    // over the whole 203-byte delimiter with a shift of 1: 16 MB took about 7 s, now about 0.1 s.
    const boundary = 'a'.repeat(200);
    const body = enc.encode('a'.repeat(16 * 1024 * 1024));
    const t0 = performance.now();
    expect(parseMultipart(body, `multipart/form-data; boundary=${boundary}`)).toMatchObject({ ok: false, parts: [] });
    expect(performance.now() - t0).toBeLessThan(scaled(2000));
    const padded = bytes(`--${boundary}\r\n\r\n`, 'a'.repeat(100_000), `\r\n--${boundary}--`);
    expect(parseMultipart(padded, `multipart/form-data; boundary=${boundary}`)).toMatchObject({ ok: true, parts: [{ size: 100_000 }] });
  });
});

describe('sniffMultipartBoundary', () => {
  it('finds the boundary of a body whose first line is a delimiter followed by a header', () => {
    expect(sniffMultipartBoundary(bytes('------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'))).toBe('----WebKitFormBoundary7MA4YWxkTrZu0gW');
    expect(sniffMultipartBoundary(bytes('--x\r\nnot a header\r\n'))).toBeUndefined();
    expect(sniffMultipartBoundary(bytes('hello'))).toBeUndefined();
  });
});

describe('header parameters', () => {
  it('Content-Type: lower-cased essence, suffix, quoted and token params, first repeated param wins', () => {
    expect(parseContentType('Application/Problem+JSON; Charset="UTF-8"; q=1; charset=latin1')).toEqual({
      mime: 'application/problem+json',
      type: 'application',
      subtype: 'problem+json',
      suffix: 'json',
      params: { charset: 'UTF-8', q: '1' },
    });
    expect(parseContentType('nonsense')).toBeUndefined();
    expect(parseContentType(undefined)).toBeUndefined();
  });

  it('Content-Disposition: RFC 8187 filename* wins; bad filename* falls back to filename', () => {
    expect(parseContentDisposition("attachment; filename=\"fallback.txt\"; filename*=utf-8'en'%E2%82%AC.txt")).toEqual({
      type: 'attachment',
      filename: '€.txt',
      params: { filename: 'fallback.txt', 'filename*': "utf-8'en'%E2%82%AC.txt" },
    });
    expect(parseContentDisposition("attachment; filename*=UTF-8''%ZZ; filename=plain.txt")).toMatchObject({ filename: 'plain.txt' });
    expect(parseContentDisposition("inline; filename*=iso-8859-1''caf%E9")).toMatchObject({ filename: 'café' });
  });

  it('parameter lists of megabytes take linear time (no search to the end per parameter)', () => {
    // Before: each parameter searched for the next "=" (and in a quoted value the next "\\") to the
    // end of the value again: minutes for these (the test's limit is the timing).
    const bare = 'a/b' + '; x'.repeat(1_400_000) + '; q=1';
    expect(parseContentType(bare)?.params).toEqual({ q: '1' });
    const quoted = 'a/b' + '; a="x"'.repeat(600_000) + '; b="\\""';
    expect(parseContentType(quoted)?.params).toEqual({ a: 'x', b: '"' });
  });
});
