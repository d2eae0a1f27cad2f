/**
 * Resumable upload endpoints for the demo and the tests, one per family netlens recognises
 * (src/shared/transfers.ts), each keeping what it received per upload in memory:
 *
 * - `/api/upload/offset/status` and `/api/upload/offset/data`: the classic resumable uploader
 *   (the file keyed by `X-File-Id`; `GET status` answers the bytes held as text; `POST data` with
 *   `X-Start-Byte` appends from there). `?fail=<bytes>` on a data request keeps only that many of
 *   its bytes and answers 500, once per upload (a connection that broke mid-way); `?paused` keeps
 *   nothing and never answers (the page aborts it at once).
 * - `/api/upload/tus/`: tus 1.0 core + creation (POST → 201 Location; HEAD → Upload-Offset;
 *   PATCH with Upload-Offset → 204). `?fail=<n>` on creation: the n-th PATCH keeps half of its
 *   bytes and answers 500.
 * - `/api/upload/range/<session>`: Content-Range chunks (PUT `bytes a-b/total` → 308 with
 *   `Range: bytes=0-n` until the last, then 200; `bytes *\/total` asks for the status).
 *   `?fail=<n>`: the n-th chunk of a session answers 503 and keeps nothing.
 * - `/api/upload/session?uploadType=resumable&name=…` (POST, `X-Upload-Content-Length`): starts a
 *   resumable session as Google Cloud Storage does, answering its `/api/upload/range/…` URL in
 *   `Location`.
 * - `/api/upload/s3/<object>`: S3 multipart (POST `?uploads` → `<UploadId>`; PUT
 *   `?partNumber=N&uploadId=…` → 200 with an ETag; POST `?uploadId=…` with the part list
 *   completes, 400 `InvalidPart` when a listed part is missing; DELETE aborts; GET lists parts).
 *   `?fail=<n>` on the creation: the first attempt at part n answers 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseContentRange } from '../shared/transfers';

interface Upload {
  received: number;
  /** S3: the parts taken, by number. */
  parts?: Set<number>;
  length?: number;
  patches: number;
  failAt?: number;
  failed: boolean;
  name?: string;
}

const MAX_UPLOADS = 1_000;
const uploads = new Map<string, Upload>();
let nextId = 0;

function uploadOf(key: string): Upload {
  let u = uploads.get(key);
  if (!u) {
    if (uploads.size >= MAX_UPLOADS) uploads.delete(uploads.keys().next().value!);
    u = { received: 0, patches: 0, failed: false };
    uploads.set(key, u);
  }
  return u;
}

/**
 * Reads the body, counting bytes (the content is not kept: only its size matters here).
 * Undefined when the client went away before the end (an aborted upload): nothing is kept.
 */
function bodySize(req: IncomingMessage): Promise<number | undefined> {
  return new Promise((resolve) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => resolve(n));
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(req.complete ? n : undefined));
  });
}

/** Reads a small text body (at most 1 MiB; more is cut). Undefined when the client went away. */
function bodyText(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      if (n < 1 << 20) parts.push(c);
      n += c.length;
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8').slice(0, 1 << 20)));
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(req.complete ? Buffer.concat(parts).toString('utf8') : undefined));
  });
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function send(res: ServerResponse, status: number, headers: Record<string, string>, body = '') {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/** Handles `/api/upload/{offset,tus,range}/…`; false for any other path. */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/api/upload/offset/status' || path === '/api/upload/offset/data') {
    const id = header(req, 'x-file-id');
    if (!id) {
      send(res, 400, { 'Content-Type': 'text/plain' }, 'X-File-Id missing');
      return true;
    }
    const u = uploadOf(`offset ${id}`);
    if (path.endsWith('/status')) {
      send(res, 200, { 'Content-Type': 'text/plain' }, String(u.received));
      return true;
    }
    const start = Number(header(req, 'x-start-byte'));
    const n = await bodySize(req);
    if (n === undefined) return true;
    // A send the page pauses at once (`?paused`): nothing of it is kept and no answer goes, as
    // when the pause beats the bytes to the server. Whether Chromium had sent them all before
    // the abort is timing, which the tests must not depend on.
    if (url.searchParams.has('paused')) return true;
    if (start !== u.received) {
      send(res, 400, { 'Content-Type': 'text/plain' }, `wrong start byte: have ${u.received}`);
      return true;
    }
    const fail = url.searchParams.get('fail');
    if (fail !== null && !u.failed) {
      u.failed = true;
      u.received += Math.min(n, Number(fail));
      send(res, 500, { 'Content-Type': 'text/plain' }, 'broke mid-way');
      return true;
    }
    u.received += n;
    send(res, 200, { 'Content-Type': 'text/plain' }, `ok ${u.received}`);
    return true;
  }

  if (path.startsWith('/api/upload/tus/')) {
    const tus = { 'Tus-Resumable': '1.0.0' };
    const rest = path.slice('/api/upload/tus/'.length);
    if (method === 'OPTIONS') {
      send(res, 204, { ...tus, 'Tus-Version': '1.0.0', 'Tus-Extension': 'creation' });
      return true;
    }
    if (header(req, 'tus-resumable') !== '1.0.0') {
      send(res, 412, { ...tus, 'Tus-Version': '1.0.0' });
      return true;
    }
    if (method === 'POST' && rest === '') {
      const length = Number(header(req, 'upload-length'));
      if (!Number.isSafeInteger(length) || length < 0) {
        send(res, 400, tus);
        return true;
      }
      const id = `u${++nextId}`;
      const u = uploadOf(`tus ${id}`);
      u.length = length;
      const fail = url.searchParams.get('fail');
      if (fail !== null) u.failAt = Number(fail);
      send(res, 201, { ...tus, Location: `/api/upload/tus/${id}` });
      return true;
    }
    const u = uploads.get(`tus ${rest}`);
    if (!u) {
      send(res, 404, tus);
      return true;
    }
    if (method === 'HEAD') {
      send(res, 200, { ...tus, 'Upload-Offset': String(u.received), 'Upload-Length': String(u.length) });
      return true;
    }
    if (method === 'PATCH') {
      const offset = Number(header(req, 'upload-offset'));
      const n = await bodySize(req);
      if (n === undefined) return true;
      if (header(req, 'content-type') !== 'application/offset+octet-stream') {
        send(res, 415, tus);
        return true;
      }
      if (offset !== u.received) {
        send(res, 409, tus);
        return true;
      }
      u.patches++;
      if (u.failAt === u.patches) {
        u.received += Math.floor(n / 2);
        send(res, 500, tus);
        return true;
      }
      u.received += n;
      send(res, 204, { ...tus, 'Upload-Offset': String(u.received) });
      return true;
    }
    send(res, 405, tus);
    return true;
  }

  if (path.startsWith('/api/upload/range/') && (method === 'PUT' || method === 'POST')) {
    const session = path.slice('/api/upload/range/'.length);
    const u = uploadOf(`range ${session}`);
    const range = parseContentRange(header(req, 'content-range'));
    const n = await bodySize(req);
    if (n === undefined) return true;
    const have = () => (u.received ? { Range: `bytes=0-${u.received - 1}` } : ({} as Record<string, string>));
    if (!range || range.total === undefined) {
      send(res, 400, { 'Content-Type': 'text/plain' }, 'Content-Range with a total needed');
      return true;
    }
    u.length = range.total;
    if (range.start === undefined) {
      if (u.received >= range.total) send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify({ size: u.received }));
      else send(res, 308, have());
      return true;
    }
    u.patches++;
    if (String(u.patches) === url.searchParams.get('fail') && !u.failed) {
      u.failed = true;
      send(res, 503, { 'Content-Type': 'text/plain' }, 'try again');
      return true;
    }
    if (range.start !== u.received || range.end! - range.start + 1 !== n) {
      send(res, 416, have());
      return true;
    }
    u.received += n;
    if (u.received >= range.total) send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify({ size: u.received }));
    else send(res, 308, have());
    return true;
  }
  if (path === '/api/upload/session' && method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
    await bodySize(req);
    send(res, 200, { Location: `/api/upload/range/g${++nextId}` });
    return true;
  }

  if (path.startsWith('/api/upload/s3/')) {
    const xml = { 'Content-Type': 'application/xml' };
    const completing = method === 'POST' && url.searchParams.has('uploadId');
    const body = completing ? await bodyText(req) : undefined;
    const n = completing ? body?.length : await bodySize(req);
    if (n === undefined) return true;
    if (method === 'POST' && url.searchParams.has('uploads')) {
      const id = `s3-${++nextId}`;
      const u = uploadOf(id);
      u.parts = new Set();
      const fail = url.searchParams.get('fail');
      if (fail !== null) u.failAt = Number(fail);
      send(res, 200, xml, `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>local</Bucket><Key>${path.slice('/api/upload/s3/'.length)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      return true;
    }
    const id = url.searchParams.get('uploadId') ?? '';
    const u = uploads.get(id);
    if (!u?.parts) {
      send(res, 404, xml, '<Error><Code>NoSuchUpload</Code></Error>');
      return true;
    }
    if (method === 'PUT') {
      const part = Number(url.searchParams.get('partNumber'));
      if (part === u.failAt && !u.failed) {
        u.failed = true;
        send(res, 500, xml, '<Error><Code>InternalError</Code></Error>');
        return true;
      }
      u.parts.add(part);
      u.received += n;
      send(res, 200, { ETag: `"p${part}"` });
      return true;
    }
    if (method === 'POST') {
      const listed = [...(body ?? '').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
      if (listed.some((p) => !u.parts!.has(p))) send(res, 400, xml, '<Error><Code>InvalidPart</Code></Error>');
      else send(res, 200, xml, `<CompleteMultipartUploadResult><Location>${path}</Location><ETag>"done"</ETag></CompleteMultipartUploadResult>`);
      return true;
    }
    if (method === 'DELETE') {
      uploads.delete(id);
      send(res, 204, {});
      return true;
    }
    send(res, 200, xml, `<ListPartsResult>${[...u.parts].map((p) => `<Part><PartNumber>${p}</PartNumber></Part>`).join('')}</ListPartsResult>`);
    return true;
  }
  return false;
}
