/**
 * Resumable upload endpoints for the demo and the tests, one per family netlens recognises
 * (src/shared/transfers.ts), each keeping what it received per upload in memory:
 *
 * - `/api/upload/offset/status` and `/api/upload/offset/data`: the classic resumable uploader
 *   (the file keyed by `X-File-Id`; `GET status` answers the bytes held as text; `POST data` with
 *   `X-Start-Byte` appends from there). `?fail=<bytes>` on a data request keeps only that many of
 *   its bytes and answers 500, once per upload (a connection that broke mid-way).
 * - `/api/upload/tus/`: tus 1.0 core + creation (POST → 201 Location; HEAD → Upload-Offset;
 *   PATCH with Upload-Offset → 204). `?fail=<n>` on creation: the n-th PATCH keeps half of its
 *   bytes and answers 500.
 * - `/api/upload/range/<session>`: Content-Range chunks (PUT `bytes a-b/total` → 308 with
 *   `Range: bytes=0-n` until the last, then 200; `bytes *\/total` asks for the status).
 *   `?fail=<n>`: the n-th chunk of a session answers 503 and keeps nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseContentRange } from '../shared/transfers';

interface Upload {
  received: number;
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
  return false;
}
