import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/shared/model';
import type { Header } from '../../src/shared/protocol';
import { exportHar, importHar } from '../../src/shared/har';
import { createTransferIndex } from '../../src/shared/panel-views/transfer-index';
import { parseContentRange, recogniseTransfers, type Transfer } from '../../src/shared/transfers';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
let n = 0;

interface Req {
  method: string;
  url: string;
  headers?: Header[];
  /** Request body size, bytes (0: none). */
  bytes?: number;
  status?: number;
  responseHeaders?: Header[];
  responseText?: string;
  state?: Entry['state'];
  error?: string;
  /** Upload progress `loaded` values, bytes of this request's body. */
  progress?: number[];
  /** A text request body (its size is `bytes` when given). */
  requestText?: string;
}

/** Requests one after another, 100 ms each, 10 ms apart, as the page made them. */
function sequence(reqs: Req[]): Entry[] {
  return reqs.map((r, i) => {
    const start = T0 + i * 110;
    const state = r.state ?? 'done';
    const e: Entry = {
      id: `doc:xhr-${++n}`,
      tabId: 1,
      frameId: 0,
      kind: 'xhr',
      method: r.method,
      url: r.url,
      startTime: start,
      endTime: start + 100,
      state,
      request: { headers: r.headers ?? [] },
      lifecycle: [{ t: start, step: 'start' }, ...(r.progress ?? []).map((loaded, k) => ({ t: start + 10 + k, step: 'upload:progress', detail: { loaded, total: r.bytes ?? 0 } }))],
      messages: [],
      droppedMessages: 0,
    };
    if (r.bytes) e.request.body = { encoding: 'none', data: '', size: r.bytes, truncated: true, source: 'blob' };
    if (r.requestText !== undefined) e.request.body = { encoding: 'text', data: r.requestText, size: r.bytes ?? r.requestText.length, truncated: false };
    if (r.error) e.error = r.error;
    if (r.status !== undefined) {
      e.response = { status: r.status, statusText: '', headers: r.responseHeaders ?? [] };
      if (r.responseText !== undefined) e.response.body = { encoding: 'text', data: r.responseText, size: r.responseText.length, truncated: false };
    }
    return e;
  });
}

const roles = (t: Transfer) => t.members.map((m) => [m.role, m.offset, m.length, m.outcome, m.reportedOffset]);
const KiB = 1024;

describe('recogniseTransfers: the classic offset-query resumable upload', () => {
  const id: Header = ['X-File-Id', 'photo.jpg-3072-1700000000000'];
  const status = (have: number): Req => ({ method: 'GET', url: 'https://a.test/status', headers: [id], status: 200, responseText: String(have) });
  const upload = (from: number, bytes: number, over: Partial<Req> = {}): Req => ({ method: 'POST', url: 'https://a.test/upload', headers: [id, ['X-Start-Byte', String(from)]], bytes, status: 200, responseText: 'ok', ...over });

  it('a failure mid-way, a pause (abort) and two resumes from the offsets the server reported', () => {
    const entries = sequence([
      status(0),
      upload(0, 3 * KiB, { status: 500, progress: [KiB] }),
      status(KiB),
      upload(KiB, 2 * KiB, { state: 'aborted', status: undefined }),
      status(2 * KiB),
      upload(2 * KiB, KiB, { progress: [512, KiB] }),
    ]);
    const [t, ...rest] = recogniseTransfers(entries);
    expect(rest).toEqual([]);
    expect(t.protocol).toBe('offset');
    expect(t.target).toBe('photo.jpg-3072-1700000000000');
    expect(roles(t)).toEqual([
      ['query', undefined, undefined, undefined, 0],
      ['chunk', 0, 3 * KiB, 'failed', undefined],
      ['query', undefined, undefined, undefined, KiB],
      ['chunk', KiB, 2 * KiB, 'failed', undefined],
      ['query', undefined, undefined, undefined, 2 * KiB],
      ['chunk', 2 * KiB, KiB, 'ok', 3 * KiB],
    ]);
    expect(t.members.map((m) => m.error)).toEqual([undefined, 'HTTP 500', undefined, 'abort', undefined, undefined]);
    expect(t.members.map((m) => m.consecutiveErrors)).toEqual([undefined, 1, undefined, 2, undefined, undefined]);
    expect(t.members.map((m) => !!m.resumed)).toEqual([false, false, false, true, false, true]);
    expect(t.members.map((m) => !!m.retry)).toEqual([false, false, false, true, false, true]);
    expect([t.chunks, t.failedChunks, t.retries, t.maxConsecutiveErrors, t.confirmed, t.issues]).toEqual([3, 2, 2, 2, 3 * KiB, []]);
    // Progress is drawn as bytes of the file: each chunk's upload progress from its offset.
    expect(t.progress.map(([, b]) => b)).toEqual([KiB, 2 * KiB + 512, 3 * KiB, 3 * KiB]);
    expect(t.throughput).toBeCloseTo((3 * KiB) / ((entries[5].endTime! - entries[0].startTime) / 1000));
  });

  it('marks a resume at another offset than the server reported, and bytes sent twice', () => {
    const [t] = recogniseTransfers(sequence([upload(0, KiB), status(KiB), upload(0, 2 * KiB)]));
    expect(t.issues.map((i) => [i.kind, i.message])).toEqual([
      ['wrong-resume-offset', 'resumed at 0 B but the server had reported 1,024 B'],
    ]);
    const [dup] = recogniseTransfers(sequence([upload(0, KiB), upload(KiB, KiB), upload(KiB, KiB)]));
    expect(dup.issues.map((i) => i.kind)).toEqual(['duplicate-range']);
    expect(dup.issues[0].entryId).toBe(dup.members[2].entryId);
  });

  it('marks a gap: bytes never sent', () => {
    const [t] = recogniseTransfers(sequence([upload(0, KiB), upload(2 * KiB, KiB)]));
    expect(t.issues.map((i) => [i.kind, i.message])).toEqual([['gap', 'bytes 1024–2047 (1,024 B) were never sent: the next chunk starts at 2,048 B']]);
  });

  it('reads Resumable.js-style chunk numbers and Fine Uploader-style byte offsets from the query', () => {
    const r = (k: number) => ({ method: 'POST', url: `https://a.test/up?resumableChunkNumber=${k}&resumableChunkSize=1000&resumableTotalSize=2500&resumableIdentifier=2500-clipmp4&resumableFilename=clip.mp4`, bytes: k < 3 ? 1000 : 500, status: 200 });
    const [t] = recogniseTransfers(sequence([r(1), r(2), r(3)]));
    expect([t.fileName, t.totalSize, t.complete, t.members.map((m) => m.offset)]).toEqual(['clip.mp4', 2500, true, [0, 1000, 2000]]);
    const q = (at: number) => ({ method: 'POST', url: `https://a.test/up?qquuid=u-1&qqpartbyteoffset=${at}&qqtotalfilesize=20`, bytes: 10, status: 200 });
    expect(recogniseTransfers(sequence([q(0), q(10)]))[0].complete).toBe(true);
  });

  it('finds the upload id in a parameter whose name is percent-escaped or in capitals, or in a header the wire saw', () => {
    const escaped = (at: number) => ({ method: 'POST', url: `https://a.test/up?file%5Fid=f-1&offset=${at}&size=2`, bytes: 10, status: 200 });
    expect(recogniseTransfers(sequence([escaped(0), escaped(10)])).map((t) => t.members.length)).toEqual([2]);
    const capitals = (at: number) => ({ method: 'POST', url: `https://a.test/up?UploadKey=k-1&Offset=${at}`, bytes: 10, status: 200 });
    expect(recogniseTransfers(sequence([capitals(0), capitals(10)])).map((t) => t.members.length)).toEqual([2]);
    const [a, b] = sequence([upload(0, KiB, { headers: [['X-Start-Byte', '0']] }), upload(KiB, KiB, { headers: [['X-Start-Byte', '1024']] })]);
    for (const e of [a, b]) e.wire = { requestId: e.id, requestHeaders: [id] } as unknown as Entry['wire'];
    expect(recogniseTransfers([a, b]).map((t) => t.members.length)).toEqual([2]);
  });
});

describe('recogniseTransfers: tus 1.0', () => {
  const tus: Header = ['Tus-Resumable', '1.0.0'];
  const name = btoa('report.pdf');
  it('creation, PATCHes with Upload-Offset, a failed PATCH, HEAD and the resume', () => {
    const entries = sequence([
      { method: 'POST', url: 'https://a.test/files/', headers: [tus, ['Upload-Length', '3000'], ['Upload-Metadata', `filename ${name},filetype YXBwbGljYXRpb24vcGRm`]], status: 201, responseHeaders: [['Location', '/files/abc']] },
      { method: 'PATCH', url: 'https://a.test/files/abc', headers: [tus, ['Upload-Offset', '0'], ['Content-Type', 'application/offset+octet-stream']], bytes: 1000, status: 204, responseHeaders: [['Upload-Offset', '1000']] },
      { method: 'PATCH', url: 'https://a.test/files/abc', headers: [tus, ['Upload-Offset', '1000']], bytes: 1000, status: 500 },
      { method: 'HEAD', url: 'https://a.test/files/abc', headers: [tus], status: 200, responseHeaders: [['Upload-Offset', '1500'], ['Upload-Length', '3000']] },
      { method: 'PATCH', url: 'https://a.test/files/abc', headers: [tus, ['Upload-Offset', '1500']], bytes: 1500, status: 204, responseHeaders: [['Upload-Offset', '3000']] },
    ]);
    const [t] = recogniseTransfers(entries);
    expect([t.protocol, t.target, t.fileName, t.totalSize, t.confirmed, t.complete]).toEqual(['tus', 'https://a.test/files/abc', 'report.pdf', 3000, 3000, true]);
    expect(roles(t)).toEqual([
      ['create', undefined, undefined, undefined, undefined],
      ['chunk', 0, 1000, 'ok', 1000],
      ['chunk', 1000, 1000, 'failed', undefined],
      ['query', undefined, undefined, undefined, 1500],
      ['chunk', 1500, 1500, 'ok', 3000],
    ]);
    expect([t.retries, t.issues]).toEqual([1, []]);
  });
});

describe('recogniseTransfers: Content-Range chunks', () => {
  const put = (a: number, b: number, total: number | '*', status: number, have?: number): Req => ({
    method: 'PUT',
    url: 'https://storage.test/upload/bucket?upload_id=xyz&uploadType=resumable',
    headers: [['Content-Range', `bytes ${a}-${b}/${total}`]],
    bytes: b - a + 1,
    status,
    responseHeaders: have === undefined ? [] : [['Range', `bytes=0-${have - 1}`]],
  });
  it('308 Resume Incomplete with Range, then the final 200', () => {
    const [t] = recogniseTransfers(sequence([put(0, 999, 2500, 308, 1000), put(1000, 1999, 2500, 308, 2000), put(2000, 2499, 2500, 200)]));
    expect([t.protocol, t.totalSize, t.confirmed, t.complete, t.issues]).toEqual(['content-range', 2500, 2500, true, []]);
    expect(t.members.map((m) => m.reportedOffset)).toEqual([1000, 2000, 2500]);
  });

  it('a status query (bytes */total) answered 308 Range, then the resume', () => {
    const query: Req = { method: 'PUT', url: put(0, 0, 0, 0).url, headers: [['Content-Range', 'bytes */2500']], status: 308, responseHeaders: [['Range', 'bytes=0-1499']] };
    const [t] = recogniseTransfers(sequence([put(0, 999, 2500, 308, 1000), put(1000, 2499, 2500, 503), query, put(1500, 2499, 2500, 201)]));
    expect(roles(t).map((r) => r[0])).toEqual(['chunk', 'chunk', 'query', 'chunk']);
    expect([t.confirmed, t.complete, t.retries, t.issues]).toEqual([2500, true, 1, []]);
  });

  it('the final size disagreeing with the declared one', () => {
    const [t] = recogniseTransfers(sequence([put(0, 999, 2500, 308, 1000), put(1000, 1999, 2500, 200)]));
    expect(t.issues.map((i) => [i.kind, i.message])).toEqual([['size-mismatch', 'the server called the upload complete at 2,000 B, but 2,500 B were declared']]);
    const [two] = recogniseTransfers(sequence([put(0, 999, 2500, 308, 1000), put(1000, 1999, 3000, 308, 2000)]));
    expect(two.issues.map((i) => i.kind)).toEqual(['size-mismatch']);
  });

  it('parses Content-Range as RFC 9110 writes it', () => {
    expect(parseContentRange('bytes 0-99/200')).toEqual({ start: 0, end: 99, total: 200 });
    expect(parseContentRange('bytes */200')).toEqual({ total: 200 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9 });
    for (const bad of ['bytes 9-5/20', 'items 0-1/2', 'bytes=0-1/2', 'bytes -1-2/3', '']) expect(parseContentRange(bad)).toBeUndefined();
  });
});

describe('recogniseTransfers: S3 multipart uploads', () => {
  const object = 'https://bucket.s3.test/videos/big%20clip.mp4';
  const MiB = 1024 * 1024;
  const create: Req = { method: 'POST', url: `${object}?uploads`, status: 200, responseText: '<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>bucket</Bucket><Key>videos/big clip.mp4</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>' };
  const part = (n: number, bytes: number, status = 200, state?: Entry['state']): Req => ({ method: 'PUT', url: `${object}?partNumber=${n}&uploadId=VXBsb2FkIElE`, bytes, status: state === 'pending' ? undefined : status, state, responseHeaders: [['ETag', `"e${n}"`]] });
  const complete = (parts: number[], status = 200): Req => ({
    method: 'POST',
    url: `${object}?uploadId=VXBsb2FkIElE`,
    requestText: `<CompleteMultipartUpload>${parts.map((n) => `<Part><PartNumber>${n}</PartNumber><ETag>"e${n}"</ETag></Part>`).join('')}</CompleteMultipartUpload>`,
    status,
    responseText: '<CompleteMultipartUploadResult><Key>videos/big clip.mp4</Key></CompleteMultipartUploadResult>',
  });

  it('initiate, parts (one failed and retried), completion: parts placed by number, complete at the sum', () => {
    const [t] = recogniseTransfers(sequence([create, part(1, 5 * MiB), part(2, 5 * MiB, 500), part(2, 5 * MiB), part(3, 2 * MiB), complete([1, 2, 3])]));
    expect(roles(t)).toEqual([
      ['create', undefined, undefined, undefined, undefined],
      ['chunk', 0, 5 * MiB, 'ok', undefined],
      ['chunk', 5 * MiB, 5 * MiB, 'failed', undefined],
      ['chunk', 5 * MiB, 5 * MiB, 'ok', undefined],
      ['chunk', 10 * MiB, 2 * MiB, 'ok', undefined],
      ['complete', undefined, undefined, 'ok', undefined],
    ]);
    expect(t.members.map((m) => m.part)).toEqual([undefined, 1, 2, 2, 3, undefined]);
    expect([t.protocol, t.fileName, t.totalSize, t.confirmed, t.complete, t.retries, t.failedChunks, t.issues]).toEqual(['s3-multipart', 'big clip.mp4', 12 * MiB, 12 * MiB, true, 1, 1, []]);
  });

  it('parts sent in parallel, out of order, one still running: no gap until it ends; then a part sent twice and a completion listing a part never taken', () => {
    const running = recogniseTransfers(sequence([create, part(2, 5 * MiB), part(1, 5 * MiB, 0, 'pending'), part(3, MiB)]))[0];
    expect([running.confirmed, running.complete, running.issues]).toEqual([6 * MiB, false, []]);
    const [t] = recogniseTransfers(sequence([create, part(1, 5 * MiB), part(1, 5 * MiB), part(3, MiB), complete([1, 2, 3])]));
    expect(t.issues.map((i) => [i.kind, i.message])).toEqual([
      ['duplicate-range', `part 1 (bytes 0–${5 * MiB - 1}) were sent again after the server had them`],
      ['gap', `bytes ${5 * MiB}–${10 * MiB - 1} (5,242,880 B) were never sent: the next chunk starts at 10,485,760 B`],
      ['gap', 'the completion lists part 2 that the server never took'],
    ]);
  });

  it('an abort, and uploads keyed by upload id: two uploads of one object are two transfers', () => {
    const other = (r: Req): Req => ({ ...r, url: r.url.replace('VXBsb2FkIElE', 'T3RoZXI'), responseText: r.responseText?.replace('VXBsb2FkIElE', 'T3RoZXI') });
    const ts = recogniseTransfers(sequence([create, part(1, MiB), { method: 'DELETE', url: `${object}?uploadId=VXBsb2FkIElE`, status: 204 }, other(create), other(part(1, MiB))]));
    expect(ts.map((t) => t.members.map((m) => m.role))).toEqual([
      ['create', 'chunk', 'abort'],
      ['create', 'chunk'],
    ]);
    expect(ts.map((t) => t.complete)).toEqual([false, false]);
  });

  it('a resumable session started with uploadType=resumable is the create of its Content-Range chunks', () => {
    const session = 'https://storage.test/upload/storage/v1/b/bkt/o?uploadType=resumable&upload_id=ABC';
    const [t] = recogniseTransfers(
      sequence([
        { method: 'POST', url: 'https://storage.test/upload/storage/v1/b/bkt/o?uploadType=resumable&name=photo.jpg', headers: [['X-Upload-Content-Length', '2000']], status: 200, responseHeaders: [['Location', session]] },
        { method: 'PUT', url: session, headers: [['Content-Range', 'bytes 0-999/2000']], bytes: 1000, status: 308, responseHeaders: [['Range', 'bytes=0-999']] },
        { method: 'PUT', url: session, headers: [['Content-Range', 'bytes 1000-1999/2000']], bytes: 1000, status: 200 },
      ]),
    );
    expect(roles(t).map((r) => r[0])).toEqual(['create', 'chunk', 'chunk']);
    expect([t.protocol, t.fileName, t.totalSize, t.confirmed, t.complete, t.issues]).toEqual(['content-range', 'photo.jpg', 2000, 2000, true, []]);
  });
});

describe('recogniseTransfers: requests that merely look alike are not grouped', () => {
  it('paginated GETs, repeated POSTs without positions, offsets without an upload id, an id without bytes', () => {
    const entries = sequence([
      ...[0, 20, 40].map((o): Req => ({ method: 'GET', url: `https://a.test/api/items?offset=${o}&limit=20`, status: 200, responseText: '[]' })),
      ...[1, 2, 3].map((): Req => ({ method: 'POST', url: 'https://a.test/api/upload', bytes: 5000, status: 200 })),
      ...[0, 100].map((o): Req => ({ method: 'POST', url: `https://a.test/api/log?offset=${o}`, bytes: 100, status: 200 })),
      ...[1, 2].map((): Req => ({ method: 'GET', url: 'https://a.test/api/file?fileId=abc', status: 200, responseText: '{"size": 10}' })),
      { method: 'GET', url: 'https://a.test/video.mp4', headers: [['Range', 'bytes=0-99']], status: 206 },
      { method: 'PUT', url: 'https://a.test/doc', headers: [['Content-Range', 'bytes 0-9/10']], bytes: 10, state: 'pending' },
    ]);
    // Only the last one: a Content-Range PUT is a (one-chunk, still running) transfer.
    expect(recogniseTransfers(entries).map((t) => [t.protocol, t.members.map((m) => m.outcome)])).toEqual([['content-range', ['pending']]]);
  });

  it('never throws on odd entries', () => {
    const odd = sequence([{ method: 'PATCH', url: 'not a url', headers: [['Tus-Resumable', '1.0.0'], ['Upload-Offset', 'x']] }, { method: 'POST', url: '::', headers: [['Tus-Resumable', '1.0.0']], status: 201, responseHeaders: [['Location', 'http://[bad']] }]);
    expect(() => recogniseTransfers(odd)).not.toThrow();
  });
});

describe('HAR: _netlens.transfer on each member', () => {
  it('is written on every member with its role and numbers, and an import recomputes the same', () => {
    const tus: Header = ['Tus-Resumable', '1.0.0'];
    const entries = sequence([
      { method: 'GET', url: 'https://a.test/unrelated', status: 200 },
      { method: 'POST', url: 'https://a.test/files/', headers: [tus, ['Upload-Length', '2000']], status: 201, responseHeaders: [['Location', 'https://a.test/files/k']] },
      { method: 'PATCH', url: 'https://a.test/files/k', headers: [tus, ['Upload-Offset', '0']], bytes: 1000, status: 204, responseHeaders: [['Upload-Offset', '1000']] },
      { method: 'PATCH', url: 'https://a.test/files/k', headers: [tus, ['Upload-Offset', '0']], bytes: 1000, status: 204, responseHeaders: [['Upload-Offset', '1000']] },
    ]);
    const har = exportHar(entries, { redact: false });
    const fields = har.log.entries.map((e) => e._netlens?.transfer);
    const id = `transfer:${entries[1].id}`;
    expect(fields).toEqual([
      undefined,
      { id, protocol: 'tus', role: 'create', index: 0, totalSize: 2000, confirmed: 1000, complete: false },
      { id, protocol: 'tus', role: 'chunk', index: 1, offset: 0, length: 1000, reportedOffset: 1000, outcome: 'ok', totalSize: 2000, confirmed: 1000, complete: false },
      {
        id,
        protocol: 'tus',
        role: 'chunk',
        index: 2,
        offset: 0,
        length: 1000,
        reportedOffset: 1000,
        outcome: 'ok',
        totalSize: 2000,
        confirmed: 1000,
        complete: false,
        issues: [{ kind: 'duplicate-range', message: 'bytes 0–999 were sent again after the server had them' }],
      },
    ]);
    const again = exportHar(importHar(JSON.parse(JSON.stringify(har))).entries, { redact: false });
    expect(again.log.entries.map((e) => e._netlens?.transfer)).toEqual(fields);
  });
});

describe('createTransferIndex: kept per change, the same transfers as recogniseTransfers over all entries', () => {
  const tus: Header = ['Tus-Resumable', '1.0.0'];
  const id: Header = ['X-File-Id', 'f-1'];
  const all = sequence([
    { method: 'GET', url: 'https://a.test/api/items?offset=20', status: 200 },
    { method: 'POST', url: 'https://a.test/files/', headers: [tus, ['Upload-Length', '2000']], status: 201, responseHeaders: [['Location', '/files/k']] },
    { method: 'GET', url: 'https://a.test/status', headers: [id], status: 200, responseText: '0' },
    { method: 'PATCH', url: 'https://a.test/files/k', headers: [tus, ['Upload-Offset', '0']], bytes: 1000, status: 500 },
    { method: 'POST', url: 'https://a.test/upload', headers: [id, ['X-Start-Byte', '0']], bytes: 500, status: 200 },
    { method: 'HEAD', url: 'https://a.test/files/k', headers: [tus], status: 200, responseHeaders: [['Upload-Offset', '0']] },
    { method: 'PATCH', url: 'https://a.test/files/k', headers: [tus, ['Upload-Offset', '0']], bytes: 2000, status: 204, responseHeaders: [['Upload-Offset', '2000']] },
    { method: 'PUT', url: 'https://b.test/s?upload_id=1', headers: [['Content-Range', 'bytes 0-9/20']], bytes: 10, status: 308, responseHeaders: [['Range', 'bytes=0-9']] },
    { method: 'PUT', url: 'https://b.test/s?upload_id=1', headers: [['Content-Range', 'bytes 10-19/20']], bytes: 10, status: 200 },
  ]);
  /** The entry as it looked while running: no answer yet. */
  const running = (e: Entry): Entry => ({ ...e, state: 'pending', response: undefined, endTime: undefined });

  it('an entry that moves to an upload updated before its old one in the same batch keeps its new transfer', () => {
    // A request redirected (deep capture: the entry takes the new URL) from one upload to another.
    const range = (from: number): Header[] => [['Content-Range', `bytes ${from}-${from + 9}/20`]];
    const [a1, a2, b1, b2] = sequence([
      { method: 'PUT', url: 'https://b.test/s?upload_id=1', headers: range(0), bytes: 10, status: 308, responseHeaders: [['Range', 'bytes=0-9']] },
      { method: 'PUT', url: 'https://b.test/s?upload_id=1', headers: range(10), bytes: 10, status: 200 },
      { method: 'PUT', url: 'https://b.test/s?upload_id=2', headers: range(0), bytes: 10, status: 308, responseHeaders: [['Range', 'bytes=0-9']] },
      { method: 'PUT', url: 'https://b.test/s?upload_id=2', headers: range(10), bytes: 10, status: 200 },
    ]);
    const index = createTransferIndex();
    index.update([a1, a2, b1], []);
    expect(index.transferOf(a2.id)?.members.map((m) => m.entryId)).toEqual([a1.id, a2.id]);
    a2.url = 'https://b.test/s?upload_id=2';
    index.update([b2, a2], []);
    expect(index.all()).toEqual(recogniseTransfers([a1, a2, b1, b2]));
    for (const t of index.all()) for (const m of t.members) expect(index.transferOf(m.entryId)).toBe(t);
  });

  it('for any order of arrival, with each entry seen running first, and removals', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(all.map((_, i) => i), { minLength: all.length }), fc.integer({ min: 1, max: 4 }), fc.subarray(all.map((e) => e.id)), (order, per, gone) => {
        const index = createTransferIndex();
        for (let k = 0; k < order.length; k += per) {
          const batch = order.slice(k, k + per).map((i) => all[i]);
          index.update(batch.map(running), []);
          index.update(batch, []);
        }
        expect(index.all()).toEqual(recogniseTransfers(all));
        index.update([], gone);
        const left = all.filter((e) => !gone.includes(e.id));
        expect(index.all()).toEqual(recogniseTransfers(left));
        for (const t of index.all()) for (const m of t.members) expect(index.transferOf(m.entryId)).toBe(t);
        for (const id of gone) expect(index.transferOf(id)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
