import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type Origins } from '../../src/cli/server';
import { captureHar, entryTagged, harBytes as bytes } from '../helpers/cli';
import { PAGES } from '../helpers/env';

interface HarEntry {
  request: { url: string; method: string; bodySize: number };
  response: { status: number; content: { size: number; text?: string; encoding?: string } };
  _netlens: { kind: string; state: string; error?: string; lifecycle: { step: string }[]; [k: string]: unknown };
  [k: string]: unknown;
}


describe('exact capture at the edges, through `netlens capture` and the HAR', () => {
  let servers: Origins;
  let entries: HarEntry[];
  const entry = (tag: string) => entryTagged(entries, tag);
  beforeAll(async () => {
    servers = await startServers([PAGES]);
    ({ entries } = await captureHar<HarEntry>(`${servers.a}/exact-edges.html`));
  }, 120_000);
  afterAll(async () => {
    await servers?.close();
  });

  it('an XHR the page aborts or opens again from its readystatechange at DONE or its load/error listener: each exchange as it ended', () => {
    for (const [tag, body] of [['xhr-done-abort', 'done-then-abort'], ['xhr-reuse-1', 'first'], ['xhr-reuse-2', 'second'], ['xhr-reuse-3', 'third']]) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe('done');
      expect(e._netlens.error, tag).toBeUndefined();
      expect(e.response.status, tag).toBe(200);
      expect(bytes(e.response.content).toString('utf8'), tag).toBe(body);
      expect(e.response.content.size, tag).toBe(body.length);
    }
    // Opened again from its error listener: the failed request failed, the next one is whole.
    expect(entry('xhr-error')._netlens.state).toBe('error');
    const next = entry('xhr-after-error');
    expect(next._netlens.state).toBe('done');
    expect(bytes(next.response.content).toString('utf8')).toBe('after-error');
  });

  it('a body of known length broken mid-way (the page\'s abort, the connection cut): the bytes that came, truncated', () => {
    for (const [tag, state] of [['partial-abort', 'aborted'], ['partial-cut', 'error']]) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe(state);
      expect(bytes(e.response.content).equals(Buffer.alloc(1000, 0x70)), tag).toBe(true);
      expect(e._netlens.responseBodyTruncated, tag).toBe(true);
    }
  });

  it('a body of exactly the cap (1 MiB): whole, not truncated, response and request', () => {
    const e = entry('at-cap');
    expect(e._netlens.responseBodyTruncated).toBe(false);
    expect(e._netlens.responseBodySize).toBe(1048576);
    expect(bytes(e.response.content).equals(Buffer.alloc(1048576, 0x61))).toBe(true);
    const post = entry('at-cap-request');
    expect(post._netlens.requestBodyTruncated).toBe(false);
    expect(post.request.bodySize).toBe(1048576);
    const sent = post.request as unknown as { postData: { text: string } };
    expect(Buffer.from(sent.postData.text, 'base64').equals(Buffer.alloc(1048576, 0x71))).toBe(true);
  });

  it('a body the page stops reading with reader.cancel() (a read pending or not): ended, with what it read, truncated', () => {
    // What the page read of the 1000 bytes (one read of them, or more).
    const got = new URL(entry('reader-cancel-got').request.url).searchParams.get('got')!.split(',').map(Number);
    for (const [i, tag] of ['reader-cancel', 'reader-cancel-idle'].entries()) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe('done');
      expect(got[i], tag).toBeGreaterThan(0);
      expect(bytes(e.response.content).equals(Buffer.alloc(got[i], 0x70)), tag).toBe(true);
      expect(e._netlens.responseBodyTruncated, tag).toBe(true);
    }
  });

  it('a body the page hands to a Response of its own and reads there: every byte', () => {
    for (const tag of ['rewrapped', 'rewrapped-later']) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe('done');
      expect(bytes(e.response.content).toString('utf8'), tag).toBe('----0----1----2');
      expect(e.response.content.size, tag).toBe(15);
    }
  });

  it('responses with no body (a 204, a HEAD) the page never reads: an empty body, not "body:unread"', () => {
    for (const tag of ['no-body-204', 'no-body-head']) {
      const e = entry(tag);
      expect(e._netlens.state, tag).toBe('done');
      expect(e._netlens.lifecycle.map((s) => s.step), tag).not.toContain('body:unread');
      expect(e._netlens.responseBodySize, tag).toBe(0);
      expect(e._netlens.responseBodyTruncated, tag).toBe(false);
    }
  });

  it('a POST redirected by a 303 (followed with a GET): the request headers are the POST\'s, beside its method and body', () => {
    const e = entry('redirect-303');
    const request = e.request as unknown as { method: string; headers: { name: string; value: string }[]; postData: { mimeType: string; text: string } };
    expect(request.method).toBe('POST');
    expect(request.postData).toMatchObject({ mimeType: 'text/plain;charset=UTF-8', text: 'posted' });
    const header = (name: string) => request.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('content-type')).toBe('text/plain;charset=UTF-8');
    // The hop: its 303 in the wire view; the response the page got, the GET's.
    expect((e._netlens.wire as { redirects: { status: number }[] }).redirects.map((r) => r.status)).toEqual([303]);
    expect(JSON.parse(bytes(e.response.content).toString('utf8'))).toMatchObject({ method: 'GET', size: 0 });
  });

  it('an XHR event stream whose responseType the page sets at readyState 2: the body, whole, as bytes', () => {
    const e = entry('xhr-type-at-headers');
    expect(e._netlens.state).toBe('done');
    const body = bytes(e.response.content).toString('utf8');
    expect(body).toMatch(/^retry: 500\n\n: a comment\n\nid: 1\n/);
    expect(body).toContain('id: 2\ndata: line one of 2\ndata: line two\n\n');
    expect(e.response.content.size).toBe(Buffer.byteLength(body));
  });

  it('string bodies and messages with a lone surrogate: recorded as sent, with U+FFFD in its place', () => {
    for (const [tag, text] of [['lone-xhr', 'a\ufffdb'], ['lone-fetch', 'c\ufffdd']]) {
      const e = entry(tag);
      const request = e.request as unknown as { bodySize: number; postData: { text: string } };
      const { received } = JSON.parse(bytes(e.response.content).toString('utf8')) as { received: number };
      expect(request.postData.text, tag).toBe(text);
      expect(request.bodySize, tag).toBe(received);
    }
    const messages = entry('lone-ws')._webSocketMessages as { type: string; opcode: number; data: string }[];
    expect(messages.filter((m) => m.opcode === 1).map((m) => [m.type, m.data])).toEqual([['send', 'e\ufffdf'], ['receive', 'e\ufffdf']]);
  });
});
