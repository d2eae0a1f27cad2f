import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSED_JSON, startServers, type Origins } from '../../src/cli/server';
import { captureHar, entryTagged, harBytes as bytes } from '../helpers/cli';
import { PAGES } from '../helpers/env';

interface HarEntry {
  request: { url: string; bodySize: number };
  response: { status: number; content: { size: number; text?: string; encoding?: string } };
  _eventSourceMessages?: { eventName: string; eventId: string; data: string }[];
  _netlens: { kind: string; state: string; lifecycle: { step: string }[]; chunks?: unknown[]; [k: string]: unknown };
  [k: string]: unknown;
}


describe('exact capture through `netlens capture` and the HAR: every byte, however the page consumes the body', () => {
  let servers: Origins;
  let entries: HarEntry[];
  const entry = (tag: string) => entryTagged(entries, tag);
  beforeAll(async () => {
    servers = await startServers([PAGES]);
    ({ entries } = await captureHar<HarEntry>(`${servers.a}/exact.html`));
  }, 120_000);
  afterAll(async () => {
    await servers?.close();
  });

  it('pipeThrough, pipeTo and tee of a chunked body: the whole body, chunk by chunk, ended', () => {
    for (const tag of ['pipethrough', 'pipeto', 'tee']) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe('done');
      expect(e.response.content.size, tag).toBe(15);
      expect(bytes(e.response.content).toString('utf8'), tag).toBe('----0----1----2');
      expect(e._netlens.lifecycle.map((s) => s.step), tag).not.toContain('body:unread');
    }
  });

  it('SSE over fetch read through pipeThrough(TextDecoderStream) or a reader: messages in real time and the body', () => {
    for (const [tag, n] of [['sse-pipe', 3], ['sse-reader', 2]] as const) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe('done');
      expect(e._eventSourceMessages?.map((m) => [m.eventId, m.data]), tag).toEqual(
        Array.from({ length: n }, (_, i) => [String(i + 1), `line one of ${i + 1}\nline two`]),
      );
      expect(e._netlens.chunks?.length, tag).toBeGreaterThan(0);
      expect(e.response.content.text, tag).toContain(`retry: 500\n\n: a comment\n\nid: 1\ndata: line one of 1\ndata: line two\n\n`);
      expect(e.response.content.size, tag).toBe(bytes(e.response.content).length);
    }
  });

  it('json() on gzip and br responses, with and without Content-Length: the bytes the server sent', () => {
    for (const tag of ['json-gz', 'json-br']) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe('done');
      expect(e.response.content.size, tag).toBe(COMPRESSED_JSON.length);
      expect(bytes(e.response.content).toString('utf8'), tag).toBe(COMPRESSED_JSON);
    }
  });

  it('text() of bytes that are not UTF-8: the bytes, not the decoded text', () => {
    const e = entry('text-bytes');
    expect(bytes(e.response.content)).toEqual(Buffer.from('c3286f6b', 'hex'));
    expect(e.response.content.size).toBe(4);
  });

  it('a body the page never reads, of known wire length: recorded from a late clone', () => {
    const e = entry('unread-gz');
    expect(e._netlens.state).toBe('done');
    expect(e.response.content.size).toBe(COMPRESSED_JSON.length);
    expect(bytes(e.response.content).toString('utf8')).toBe(COMPRESSED_JSON);
    expect(e._netlens.lifecycle.map((s) => s.step)).not.toContain('body:unread');
  });

  it('XHR text decoded as x-user-defined: the 256 bytes the server sent, size 256', () => {
    const e = entry('xhr-xud');
    expect(e.response.content.size).toBe(256);
    expect([...bytes(e.response.content)]).toEqual(Array.from({ length: 256 }, (_, i) => i));
  });

  it('multipart/form-data request bodies: bodySize is the bytes on the wire, as the server counted them', () => {
    for (const tag of ['multipart-xhr', 'multipart-fetch']) {
      const e = entry(tag);
      const { received } = JSON.parse(bytes(e.response.content).toString('utf8')) as { received: number };
      expect(received, tag).toBeGreaterThan(1100);
      expect(e.request.bodySize, tag).toBe(received);
    }
  });

  it('XHR json and document: the page\'s parsed value re-serialised, said so, with the true size', () => {
    const json = entry('xhr-json');
    // The server's text had a big number, a duplicate key, 1.10: the page could only read the parsed value.
    expect(json.response.content.text).toBe('{"big":12345678901234567000,"a":2,"z":0,"b":1.1}');
    expect(json.response.content.text).not.toBe(COMPRESSED_JSON);
    expect(json.response.content.size).toBe(COMPRESSED_JSON.length);
    expect(json._netlens.responseBodyReserialized).toBe('json');
    const doc = entry('xhr-doc');
    expect(doc.response.content.size).toBe(Buffer.byteLength(`<?xml version="1.0"?>\n<r  b="2" a='1'><x></x><!-- c --></r>`));
    expect(doc.response.content.text).toContain('<r b="2" a="1"><x/><!-- c --></r>');
    expect(doc._netlens.responseBodyReserialized).toBe('document');
    // Text bodies that are the bytes carry no such mark.
    expect(entry('text-bytes')._netlens.responseBodyReserialized).toBeUndefined();
    expect(entry('xhr-xud')._netlens.responseBodyReserialized).toBeUndefined();
  });

  it('XHR text in single-byte legacy charsets: the bytes the server sent, re-encoded exactly', () => {
    const high = Array.from({ length: 128 }, (_, i) => 0x80 + i);
    for (const [tag, raw] of [
      ['xhr-1252', [0x61, 0x62, 0x63, ...high]],
      ['xhr-latin1', [0x63, 0x61, 0x66, 0xe9]],
      ['xhr-koi8', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]],
      ['fetch-1252', [0x63, 0x61, 0x66, 0xe9]],
    ] as const) {
      const e = entry(tag);
      expect([...bytes(e.response.content)], tag).toEqual(raw);
      expect(e.response.content.size, tag).toBe(raw.length);
      expect(e.response.content.encoding, tag).toBe('base64');
      expect(e._netlens.responseBodyReserialized, tag).toBeUndefined();
    }
  });

  it('XHR text in a multi-byte legacy charset, or behind a BOM: the decoded text, said so, with the true size', () => {
    for (const [tag, text, size] of [['xhr-sjis', 'あいabc', 7], ['xhr-bom', 'hi', 5]] as const) {
      const e = entry(tag);
      expect(e.response.content.text, tag).toBe(text);
      expect(e.response.content.size, tag).toBe(size);
      expect(e._netlens.responseBodyReserialized, tag).toBe('text');
    }
  });

  it('JSONP: the value the callback received as JSON, its facts beside it; a failed script says it never called', () => {
    expect(entry('jsonp-one')._netlens.jsonp).toEqual({
      callback: 'jsonpOne',
      called: true,
      args: 1,
      payload: { items: [1, 2, 3], q: 'one' },
      payloadInfo: { encoding: 'text', size: 27, truncated: false, source: 'json', mimeType: 'application/json' },
    });
    // Three arguments: the list; the big number as the page's own double had it.
    const args = entry('jsonp-args')._netlens.jsonp as { args: number; payload: unknown };
    expect(args.args).toBe(3);
    expect(args.payload).toEqual([{ big: 12345678901234567000, k: [1, 2] }, 'two', null]);
    // The script the server sent, read by `netlens capture` from what Chromium received.
    const one = entry('jsonp-one');
    const script = `/**/ typeof jsonpOne === 'function' && jsonpOne({"items":[1,2,3],"q":"one"});`;
    expect(one.response.content).toMatchObject({ size: script.length, text: script });
    expect(one.response.status).toBe(200);
    const lost = entry('jsonp-404');
    // With no second request: the server saw each script once.
    for (const tag of ['jsonp-one', 'jsonp-args', 'jsonp-404']) expect(servers.log.filter((r) => r.url.includes(`t=${tag}`)).length, tag).toBe(1);
    expect(lost._netlens.kind).toBe('jsonp');
    expect(lost.response.status).toBe(404);
    expect(lost._netlens.jsonp).toEqual({ callback: 'jsonpLost', called: false });
  });

  it('XHR upload lifecycle starts with upload:loadstart when the page listens on upload', () => {
    const steps = entry('multipart-xhr')._netlens.lifecycle.map((s) => s.step).filter((s) => s.startsWith('upload:'));
    expect(steps[0]).toBe('upload:loadstart');
    expect(steps).toContain('upload:load');
  });

  it('request bodies bigger than one extension message (sent to the worker in parts): every byte, in order', () => {
    const sent = Buffer.alloc(300_001);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 131 + (i >> 9)) & 255;
    const post = entry('big-bytes').request as unknown as { bodySize: number; postData: { text: string; _encoding?: string } };
    expect(post.postData._encoding).toBe('base64');
    expect(Buffer.from(post.postData.text, 'base64').equals(sent)).toBe(true);
    const text = Array.from({ length: 40_000 }, (_, i) => String.fromCodePoint(0x41 + (i % 26), 0xe9, 0x1f642)).join('');
    const xhr = entry('big-text').request as unknown as { bodySize: number; postData: { text: string } };
    expect(xhr.postData.text).toBe(text);
    expect(xhr.bodySize).toBe(Buffer.byteLength(text));
  });

  it('a URL or a header value past 16 KiB, a data: URL of 100 KB: each recorded, whole', () => {
    const long = entry('long-url');
    expect(long.request.url).toContain(`pad=${'p'.repeat(40_000)}&`);
    expect(long.response.status).toBe(200);
    const header = entry('long-header').request as unknown as { headers: { name: string; value: string }[] };
    expect(header.headers.find((h) => h.name.toLowerCase() === 'x-long')?.value).toBe('h'.repeat(20_000));
    const data = entry('data-url');
    expect(data.request.url.length).toBeGreaterThan(100_000);
    expect(data.response.content.size).toBeGreaterThanOrEqual(100_000);
  });
});
