/**
 * Resumable and chunked uploads recognised as one transfer, from the requests alone.
 *
 * Big uploads rarely go in one request. Three families are recognised:
 *
 * - `tus` (tus 1.0, https://tus.io/protocols/resumable-upload): `POST` with `Upload-Length`
 *   creates the upload (201, `Location`); `HEAD` on it answers `Upload-Offset`; `PATCH` with
 *   `Upload-Offset` sends bytes from there and is answered with the new `Upload-Offset`.
 * - `content-range` (RFC 9110 §14.4 on requests, as Google Cloud Storage / Drive / YouTube
 *   resumable sessions and many chunked uploaders use it): `PUT`/`POST`/`PATCH` with
 *   `Content-Range: bytes a-b/total`; `bytes *\/total` with no body asks for the status; `308`
 *   with `Range: bytes=0-n` says what the server has.
 *   A resumable session's opening request (Google Cloud Storage `uploadType=resumable` or
 *   `X-Goog-Resumable: start`, answered with the session URL in `Location`) is its `create`.
 * - `s3-multipart` (Amazon S3 multipart upload, also Google Cloud Storage's XML API, MinIO, R2):
 *   `POST ?uploads` creates it (the answer's XML carries `<UploadId>`); `PUT ?partNumber=N&uploadId=…`
 *   sends part N; `GET ?uploadId=…` lists the parts; `POST ?uploadId=…` with the part list
 *   completes it; `DELETE ?uploadId=…` aborts it. Parts carry no byte offset: uploaders cut the
 *   file in parts of one size (all but the last), so part N is taken to start at (N − 1) × the
 *   largest part seen.
 * - `offset` (the classic resumable uploader: the file keyed by an id such as name-size-mtime, a
 *   status request answering how many bytes the server has, then the rest sent from that offset
 *   with `Blob.slice`): an upload id (`X-File-Id`, `X-Upload-Id`, `resumableIdentifier`,
 *   `flowIdentifier`, `qquuid`, `dzuuid`, …) with a start byte (`X-Start-Byte`, `offset`,
 *   `qqpartbyteoffset`, chunk number × chunk size, …).
 *
 * Requests that merely look alike are not grouped: a transfer needs at least one request that
 * sends bytes with a position in the file (paginated GETs with `offset=` send nothing; repeated
 * POSTs to one endpoint carry no position).
 */
import { base64ToBytes, decodeUtf8 } from './bytes';
import { parseUrlencoded } from './decode/urlencoded';
import { headerValue } from './headers';
import { originOf, urlParts } from './url';
import type { Entry } from './model';
import { payloadText } from './payload';

export type TransferProtocol = 'tus' | 'content-range' | 'offset' | 's3-multipart';
/**
 * `create`: opens the upload (tus POST, a resumable session's start, S3 `?uploads`); `query`: asks
 * how many bytes (or parts) the server has; `chunk`: sends bytes; `complete`: S3's completion
 * with the part list; `abort`: S3's abort.
 */
export type TransferRole = 'create' | 'query' | 'chunk' | 'complete' | 'abort';

export interface TransferMember {
  entryId: string;
  role: TransferRole;
  /** For a chunk: where its bytes start in the file, and how many (bytes). */
  offset?: number;
  /** For an S3 part: its part number (from 1). */
  part?: number;
  length?: number;
  /** What the server said it has, after this request (bytes): from a query or a chunk's answer. */
  reportedOffset?: number;
  /** For a chunk: `ok` (the server took it), `failed` (error status, network error, abort, timeout) or `pending`. */
  outcome?: 'ok' | 'failed' | 'pending';
  /** Why it failed: `HTTP 500`, the network error, `abort`. */
  error?: string;
  /** A chunk sending bytes an earlier failed chunk had tried. */
  retry?: boolean;
  /** Failed chunks in a row, this one included (0 when it did not fail). */
  consecutiveErrors?: number;
  /** A chunk that started after a pause (an abort, or a query after a failure): the offset it resumed from is `offset`. */
  resumed?: boolean;
}

export type TransferIssueKind = 'wrong-resume-offset' | 'duplicate-range' | 'gap' | 'size-mismatch';

export interface TransferIssue {
  kind: TransferIssueKind;
  entryId: string;
  /** A sentence for a person, with the numbers. */
  message: string;
}

export interface Transfer {
  /** `transfer:<first member's entry id>`. */
  id: string;
  protocol: TransferProtocol;
  /** The upload URL (tus, content-range) or the upload id (offset). */
  target: string;
  fileName?: string;
  /** The file's size as declared by the requests (bytes). */
  totalSize?: number;
  /** Bytes the server confirmed last (a query's answer, a chunk's answer, or a taken chunk's end). */
  confirmed: number;
  /** True when the server has taken every byte of `totalSize`. */
  complete: boolean;
  members: TransferMember[];
  chunks: number;
  failedChunks: number;
  retries: number;
  /** The longest run of failed chunks. */
  maxConsecutiveErrors: number;
  issues: TransferIssue[];
  /** Bytes of the file sent over time: `[t (epoch ms), bytes]`, from chunks' upload progress. */
  progress: [number, number][];
  startTime: number;
  endTime?: number;
  /** Confirmed bytes per second of the transfer's span (undefined until it spans time). */
  throughput?: number;
}

/** An entry as a transfer member may see it: which upload (`protocol`, `key`) and what it does. */
export interface Classified {
  entry: Entry;
  protocol: TransferProtocol;
  key: string;
  role: TransferRole;
  offset?: number;
  length?: number;
  total?: number;
  reportedOffset?: number;
  /** An S3 part's number; for an S3 completion, the part numbers it lists. */
  part?: number;
  parts?: number[];
  fileName?: string;
  /** The request's body has bytes. */
  sends: boolean;
}

const HTTP_KINDS = new Set(['xhr', 'fetch']);
const ID_HEADERS = ['x-file-id', 'x-upload-id', 'x-upload-key', 'upload-id'];
const ID_PARAMS = ['fileid', 'file_id', 'uploadid', 'upload_id', 'uploadkey', 'upload_key', 'resumableidentifier', 'flowidentifier', 'qquuid', 'dzuuid', 'x-file-id'];
const OFFSET_HEADERS = ['x-start-byte', 'x-upload-offset', 'x-offset', 'x-chunk-offset', 'x-file-offset'];
const OFFSET_PARAMS = ['offset', 'start', 'startbyte', 'start_byte', 'byteoffset', 'byte_offset', 'qqpartbyteoffset', 'dzchunkbyteoffset'];
const TOTAL_HEADERS = ['x-file-size', 'x-total-size', 'x-upload-length', 'x-upload-content-length'];
const TOTAL_PARAMS = ['resumabletotalsize', 'flowtotalsize', 'qqtotalfilesize', 'dztotalfilesize', 'totalsize', 'total_size', 'filesize', 'file_size'];
const NAME_PARAMS = ['resumablefilename', 'flowfilename', 'qqfilename', 'dzfilename', 'filename', 'file_name'];
const NAME_HEADERS = ['x-file-name', 'x-filename'];
/** Numbers in a status answer's JSON that say how many bytes the server has. */
const REPORT_FIELDS = ['offset', 'uploaded', 'bytesReceived', 'bytes_received', 'received', 'uploadedBytes', 'nextOffset', 'next_offset', 'size', 'bytes'];

const nonNegInt = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^\s*\d{1,15}\s*$/.test(s)) return undefined;
  return Number(s);
};

/** The URL's query parameters by lower-cased name (the first of each), read as URLSearchParams reads them. */
function params(url: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = url.indexOf('?');
  if (q < 0) return out;
  const end = url.indexOf('#', q);
  for (const { name, value } of parseUrlencoded(url.slice(q + 1, end < 0 ? undefined : end)).pairs) {
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

const first = <T>(names: readonly string[], get: (n: string) => T | undefined): T | undefined => {
  for (const n of names) {
    const v = get(n);
    if (v !== undefined) return v;
  }
  return undefined;
};

/** The URL without its fragment, resolved; the raw string when it does not parse. */
function absolute(url: string, base?: string): string {
  if (base === undefined) {
    // Serialized, '#' stands only before the fragment (elsewhere it is percent-encoded).
    const href = urlParts(url)?.href;
    return href === undefined ? url : href.split('#', 1)[0];
  }
  try {
    const u = new URL(url, base);
    u.hash = '';
    return u.href;
  } catch {
    return url;
  }
}

/** `bytes a-b/total`, `bytes &ast;/total` (a status query) or `bytes a-b/&ast;` (RFC 9110 §14.4). */
export function parseContentRange(value: string | undefined): { start?: number; end?: number; total?: number } | undefined {
  const m = value === undefined ? null : /^\s*bytes\s+(?:(\d{1,15})-(\d{1,15})|\*)\s*\/\s*(\d{1,15}|\*)\s*$/i.exec(value);
  if (!m) return undefined;
  const out: { start?: number; end?: number; total?: number } = {};
  if (m[1] !== undefined) {
    out.start = Number(m[1]);
    out.end = Number(m[2]);
    if (out.end < out.start) return undefined;
  }
  if (m[3] !== '*') out.total = Number(m[3]);
  return out;
}

/** A `Range: bytes=0-n` answer (a 308 "resume incomplete"): bytes the server has, n + 1. */
function rangeHave(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^\s*bytes=0-(\d{1,15})\s*$/i.exec(value);
  return m ? Number(m[1]) + 1 : undefined;
}

const requestBytes = (e: Entry): number | undefined => {
  const size = e.request.body?.size;
  if (size !== undefined && size >= 0) return size;
  return nonNegInt(headerValue(e.wire?.requestHeaders ?? [], 'content-length') ?? headerValue(e.request.headers, 'content-length'));
};

const requestHeader = (e: Entry, name: string) => headerValue(e.request.headers, name) ?? headerValue(e.wire?.requestHeaders ?? [], name);
const responseHeader = (e: Entry, name: string) => (e.response ? headerValue(e.response.headers, name) : undefined) ?? headerValue(e.wire?.responseHeaders ?? [], name);

/** What a status answer's body says the server has: a bare number, or a JSON number field. */
function reportedInBody(e: Entry): number | undefined {
  const body = e.response?.body;
  if (!body || body.size > 4096) return undefined;
  const text = payloadText(body, 4096).trim();
  const bare = nonNegInt(text);
  if (bare !== undefined) return bare;
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object') {
      for (const f of REPORT_FIELDS) {
        const n = (value as Record<string, unknown>)[f];
        if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
      }
    }
  } catch {
    // Not JSON: nothing reported.
  }
  return undefined;
}

/** tus `Upload-Metadata: filename <base64>,…` → the file name. */
function tusFileName(metadata: string | undefined): string | undefined {
  if (!metadata) return undefined;
  for (const pair of metadata.split(',')) {
    const [key, value] = pair.trim().split(/\s+/);
    if ((key === 'filename' || key === 'name') && value) {
      const bytes = base64ToBytes(value);
      return bytes && decodeUtf8(bytes).text;
    }
  }
  return undefined;
}

/** The text of the first `<name>` element of a small XML answer (S3's `InitiateMultipartUploadResult`). */
function xmlField(e: Entry, name: string): string | undefined {
  const body = e.response?.body;
  if (!body || body.size > 16_384) return undefined;
  const m = new RegExp(`<${name}>([^<]{1,1024})</${name}>`).exec(payloadText(body, 16_384));
  return m ? m[1].trim() : undefined;
}

/** The part numbers an S3 `CompleteMultipartUpload` body lists, in its order (at most 10,000, as S3 allows). */
function listedParts(e: Entry): number[] | undefined {
  const body = e.request.body;
  if (!body || body.size > 2_000_000) return undefined;
  const out: number[] = [];
  for (const m of payloadText(body, 2_000_000).matchAll(/<PartNumber>\s*(\d{1,5})\s*<\/PartNumber>/g)) {
    out.push(Number(m[1]));
    if (out.length >= 10_000) break;
  }
  return out.length ? out : undefined;
}

/** The object's name: the URL path's last segment, decoded. */
function lastSegment(url: string): string | undefined {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** `e` as a member of an upload (`groupKey` says which), or undefined when it is none. Never throws. */
export function classifyForTransfer(e: Entry): (Classified & { groupKey: string }) | undefined {
  try {
    const c = classify(e);
    return c && { ...c, groupKey: `${c.protocol} ${c.key}` };
  } catch {
    return undefined;
  }
}

/** Request headers without one of which a request is no upload's member (see classify). */
const MARK_HEADERS = new Set(['tus-resumable', 'x-goog-resumable', 'content-range', ...ID_HEADERS]);
/**
 * Whether a header name, in any case, is one of MARK_HEADERS: remembered per name as written (a
 * page's requests repeat a few dozen names, and lower-casing each again made mayBeMember the
 * largest part of classifying an entry), forgotten past MARK_NAMES_KEPT names.
 */
function isMarkHeader(name: string): boolean {
  let mark = markNames.get(name);
  if (mark === undefined) {
    if (markNames.size >= MARK_NAMES_KEPT) markNames.clear();
    markNames.set(name, (mark = MARK_HEADERS.has(name.toLowerCase())));
  }
  return mark;
}
const markNames = new Map<string, boolean>();
const MARK_NAMES_KEPT = 1_024;
/** Query parameters, likewise. */
const MARK_PARAMS = new Set(['uploads', 'uploadid', 'uploadtype', ...ID_PARAMS]);

/**
 * False when `e` cannot be an upload's member: none of the headers and parameters classify looks
 * for first. One pass over the headers and the query's names, where classify would scan the
 * headers per name and parse the query: most requests are no upload's, and every change of
 * every entry is classified again. A query with percent-escapes is left to classify (a name
 * may be escaped).
 */
function mayBeMember(e: Entry, url: string): boolean {
  for (const [n] of e.request.headers) if (isMarkHeader(n)) return true;
  for (const [n] of e.wire?.requestHeaders ?? []) if (isMarkHeader(n)) return true;
  const q = url.indexOf('?');
  if (q < 0) return false;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  if (query.includes('%')) return true;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (MARK_PARAMS.has((eq < 0 ? pair : pair.slice(0, eq)).toLowerCase())) return true;
  }
  return false;
}

function classify(e: Entry): Classified | undefined {
  if (!HTTP_KINDS.has(e.kind)) return undefined;
  const url = absolute(e.url);
  if (!mayBeMember(e, url)) return undefined;
  const method = e.method.toUpperCase();
  const bytes = requestBytes(e);
  const sends = bytes !== undefined && bytes > 0;
  const base = { entry: e, sends };

  // tus 1.0
  if (requestHeader(e, 'tus-resumable') !== undefined) {
    const uploadLength = nonNegInt(requestHeader(e, 'upload-length'));
    if (method === 'POST') {
      const location = responseHeader(e, 'location');
      if (!location) return undefined;
      const fileName = tusFileName(requestHeader(e, 'upload-metadata'));
      return { ...base, protocol: 'tus', key: absolute(location, url), role: 'create', total: uploadLength, fileName, reportedOffset: nonNegInt(responseHeader(e, 'upload-offset')) };
    }
    if (method === 'HEAD') {
      return { ...base, protocol: 'tus', key: url, role: 'query', total: nonNegInt(responseHeader(e, 'upload-length')), reportedOffset: nonNegInt(responseHeader(e, 'upload-offset')) };
    }
    if (method === 'PATCH') {
      const offset = nonNegInt(requestHeader(e, 'upload-offset'));
      if (offset === undefined) return undefined;
      return { ...base, protocol: 'tus', key: url, role: 'chunk', offset, length: bytes ?? 0, total: uploadLength, reportedOffset: nonNegInt(responseHeader(e, 'upload-offset')) };
    }
    return undefined;
  }

  const q = params(url);

  // S3 multipart (the query names the step; the upload id is the key, with the object's URL).
  if (q.has('uploads') || q.has('uploadid')) {
    const object = url.split('?')[0];
    if (q.has('uploads') && method === 'POST') {
      const id = xmlField(e, 'UploadId');
      return id ? { ...base, protocol: 's3-multipart', key: `${object} ${id}`, role: 'create', fileName: lastSegment(object) } : undefined;
    }
    const id = q.get('uploadid');
    if (!id) return undefined;
    const key = `${object} ${id}`;
    if (method === 'PUT' && !requestHeader(e, 'x-amz-copy-source')) {
      const part = nonNegInt(q.get('partnumber'));
      return part !== undefined && part >= 1 ? { ...base, protocol: 's3-multipart', key, role: 'chunk', part, length: bytes ?? 0, fileName: lastSegment(object) } : undefined;
    }
    if (method === 'POST') return { ...base, protocol: 's3-multipart', key, role: 'complete', parts: listedParts(e) };
    if (method === 'GET') return { ...base, protocol: 's3-multipart', key, role: 'query' };
    if (method === 'DELETE') return { ...base, protocol: 's3-multipart', key, role: 'abort' };
    return undefined;
  }

  // A resumable session's start: its chunks go to the session URL it answers with.
  if (method === 'POST' && (q.get('uploadtype') === 'resumable' || requestHeader(e, 'x-goog-resumable') === 'start')) {
    const location = responseHeader(e, 'location');
    if (!location) return undefined;
    const total = nonNegInt(requestHeader(e, 'x-upload-content-length'));
    return { ...base, protocol: 'content-range', key: absolute(location, url), role: 'create', total, fileName: q.get('name') };
  }

  // Content-Range on a request
  const range = parseContentRange(requestHeader(e, 'content-range'));
  if (range && (method === 'PUT' || method === 'POST' || method === 'PATCH')) {
    const have = e.response?.status === 308 ? (rangeHave(responseHeader(e, 'range')) ?? 0) : undefined;
    const fileName = first(NAME_HEADERS, (n) => requestHeader(e, n));
    if (range.start === undefined) return { ...base, protocol: 'content-range', key: url, role: 'query', total: range.total, reportedOffset: have, fileName };
    return { ...base, protocol: 'content-range', key: url, role: 'chunk', offset: range.start, length: range.end! - range.start + 1, total: range.total, reportedOffset: have, fileName };
  }

  // The classic: an upload id and a start byte.
  const id = first(ID_HEADERS, (n) => requestHeader(e, n)) ?? first(ID_PARAMS, (n) => q.get(n));
  if (!id) return undefined;
  let offset = first(OFFSET_HEADERS, (n) => nonNegInt(requestHeader(e, n))) ?? first(OFFSET_PARAMS, (n) => nonNegInt(q.get(n)));
  if (offset === undefined) {
    // Resumable.js / Flow.js: 1-based chunk numbers of a fixed size.
    const prefix = q.has('resumablechunknumber') ? 'resumable' : q.has('flowchunknumber') ? 'flow' : undefined;
    const n = prefix ? nonNegInt(q.get(`${prefix}chunknumber`)) : undefined;
    const size = prefix ? nonNegInt(q.get(`${prefix}chunksize`)) : undefined;
    if (n !== undefined && n >= 1 && size !== undefined) offset = (n - 1) * size;
  }
  // One upload id per origin (a URL that does not parse keys with itself).
  const key = `${originOf(url) ?? url} ${id}`;
  const total = first(TOTAL_HEADERS, (n) => nonNegInt(requestHeader(e, n))) ?? first(TOTAL_PARAMS, (n) => nonNegInt(q.get(n)));
  const fileName = first(NAME_HEADERS, (n) => requestHeader(e, n)) ?? first(NAME_PARAMS, (n) => q.get(n));
  if (sends && offset !== undefined) return { ...base, protocol: 'offset', key, role: 'chunk', offset, length: bytes, total, fileName };
  if (!sends) return { ...base, protocol: 'offset', key, role: 'query', total, fileName, reportedOffset: offset === undefined ? (nonNegInt(responseHeader(e, 'upload-offset')) ?? reportedInBody(e)) : undefined };
  return undefined;
}

const failedWith = (e: Entry): string | undefined => {
  if (e.state === 'pending') return undefined;
  if (e.state === 'aborted') return 'abort';
  if (e.state === 'timeout') return 'timeout';
  if (e.error) return e.error;
  if (e.state === 'error') return 'network error';
  const status = e.response?.status ?? e.wire?.statusCode;
  if (status !== undefined && status >= 400) return `HTTP ${status}`;
  return undefined;
};

const formatBytes = (n: number) => `${n.toLocaleString('en')} B`;

/** Byte ranges [start, end), kept sorted and merged. */
function createRanges() {
  const list: [number, number][] = [];
  return {
    list,
    add(a: number, b: number) {
      if (b <= a) return;
      list.push([a, b]);
      list.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < list.length; ) {
        if (list[i][0] <= list[i - 1][1]) {
          list[i - 1][1] = Math.max(list[i - 1][1], list[i][1]);
          list.splice(i, 1);
        } else i++;
      }
    },
    covers: (a: number, b: number) => b > a && list.some(([s, e]) => s <= a && b <= e),
    overlaps: (a: number, b: number) => list.some(([s, e]) => a < e && s < b),
    /** Bytes held from 0 without a hole. */
    fromZero: () => (list.length && list[0][0] === 0 ? list[0][1] : 0),
  };
}

/** The members of one upload (one `groupKey`), in start order → a transfer, or undefined when nothing was sent with a position. */
export function analyseTransfer(list: readonly Classified[]): Transfer | undefined {
  if (!list.some((c) => c.role === 'chunk')) return undefined;
  const head = list[0];
  const transfer: Transfer = {
    id: `transfer:${head.entry.id}`,
    protocol: head.protocol,
    target: head.protocol === 'offset' ? head.key.slice(head.key.indexOf(' ') + 1) : head.key,
    confirmed: 0,
    complete: false,
    members: [],
    chunks: 0,
    failedChunks: 0,
    retries: 0,
    maxConsecutiveErrors: 0,
    issues: [],
    progress: [],
    startTime: head.entry.startTime,
  };
  const issue = (kind: TransferIssueKind, entryId: string, message: string) => transfer.issues.push({ kind, entryId, message });
  /** What the server has (its reports, and the chunks it took). */
  const taken = createRanges();
  /** What failed chunks tried. */
  const tried = createRanges();
  let consecutive = 0;
  /** The last status answer not yet followed by a chunk. */
  let lastReport: number | undefined;
  let paused = false;
  let end = head.entry.endTime;
  const declared = new Set<number>();
  /** A chunk after which the server said it has everything (a final 200/201 to a Content-Range chunk). */
  let final: { entryId: string; end: number } | undefined;
  /** S3 parts: one size for all but the last, so part N starts at (N − 1) × the largest. */
  let partSize = 0;
  for (const c of list) if (c.part !== undefined && (c.length ?? 0) > partSize) partSize = c.length!;
  /** S3: part number → did the server take it; the completion that succeeded. */
  const partsTaken = new Set<number>();
  let completion: { entryId: string; parts?: number[] } | undefined;
  for (const c of list) {
    const e = c.entry;
    if (c.total !== undefined) {
      transfer.totalSize ??= c.total;
      declared.add(c.total);
    }
    if (c.fileName) transfer.fileName ??= c.fileName;
    if (e.endTime !== undefined && (end === undefined || e.endTime > end)) end = e.endTime;
    const member: TransferMember = { entryId: e.id, role: c.role };
    if (c.role === 'complete' || c.role === 'abort') {
      const error = failedWith(e);
      member.outcome = e.state === 'pending' ? 'pending' : error ? 'failed' : 'ok';
      if (error) member.error = error;
      if (c.role === 'complete' && member.outcome === 'ok') completion = { entryId: e.id, parts: c.parts };
      transfer.members.push(member);
      continue;
    }
    if (c.role !== 'chunk') {
      if (c.reportedOffset !== undefined) {
        member.reportedOffset = c.reportedOffset;
        transfer.confirmed = c.reportedOffset;
        taken.add(0, c.reportedOffset);
        lastReport = c.reportedOffset;
      }
      // A status query after a failure: the next chunk resumes.
      if (c.role === 'query' && consecutive > 0) paused = true;
      transfer.members.push(member);
      continue;
    }
    const length = c.length ?? 0;
    const offset = c.part !== undefined ? (c.part - 1) * partSize : c.offset!;
    member.offset = offset;
    member.length = length;
    if (c.part !== undefined) member.part = c.part;
    transfer.chunks++;
    if (paused) member.resumed = true;
    if (lastReport !== undefined && offset !== lastReport) {
      issue('wrong-resume-offset', e.id, `resumed at ${formatBytes(offset)} but the server had reported ${formatBytes(lastReport)}`);
    }
    lastReport = undefined;
    if (tried.overlaps(offset, offset + length)) {
      member.retry = true;
      transfer.retries++;
    } else if (c.part !== undefined ? partsTaken.has(c.part) : taken.covers(offset, offset + length)) {
      issue('duplicate-range', e.id, `${c.part !== undefined ? `part ${c.part} (` : ''}bytes ${offset}–${offset + length - 1}${c.part !== undefined ? ')' : ''} were sent again after the server had them`);
    }
    for (const step of e.lifecycle) {
      if (step.step === 'upload:progress' && typeof step.detail?.loaded === 'number') transfer.progress.push([step.t, offset + step.detail.loaded]);
    }
    const error = failedWith(e);
    if (e.state === 'pending') member.outcome = 'pending';
    else if (error) {
      member.outcome = 'failed';
      member.error = error;
      member.consecutiveErrors = ++consecutive;
      transfer.failedChunks++;
      transfer.maxConsecutiveErrors = Math.max(transfer.maxConsecutiveErrors, consecutive);
      tried.add(offset, offset + length);
      paused = true;
    } else {
      member.outcome = 'ok';
      consecutive = 0;
      paused = false;
      taken.add(offset, offset + length);
      const status = e.response?.status ?? e.wire?.statusCode;
      if (c.protocol === 'content-range' && (status === 200 || status === 201)) final = { entryId: e.id, end: offset + length };
      if (c.part !== undefined) {
        // The server reports no offset for a part: what it holds is the parts it took.
        partsTaken.add(c.part);
        transfer.confirmed = taken.list.reduce((n, [a, b]) => n + b - a, 0);
      } else {
        member.reportedOffset = c.reportedOffset ?? taken.fromZero();
        transfer.confirmed = member.reportedOffset;
      }
      if (e.endTime !== undefined) transfer.progress.push([e.endTime, offset + length]);
    }
    transfer.members.push(member);
  }
  // Holes: bytes below a taken range that no request ever delivered (nor is still sending).
  const sending = createRanges();
  for (const m of transfer.members) if (m.outcome === 'pending') sending.add(m.offset!, m.offset! + m.length!);
  for (let i = 0, at = 0; i < taken.list.length; at = taken.list[i][1], i++) {
    const [start] = taken.list[i];
    if (start <= at || sending.covers(at, start)) continue;
    const after = transfer.members.find((m) => m.role === 'chunk' && m.offset === start);
    issue('gap', after?.entryId ?? head.entry.id, `bytes ${at}–${start - 1} (${formatBytes(start - at)}) were never sent: the next chunk starts at ${formatBytes(start)}`);
  }
  if (completion) {
    const missing = (completion.parts ?? []).filter((n) => !partsTaken.has(n));
    if (missing.length) issue('gap', completion.entryId, `the completion lists ${missing.length === 1 ? 'part' : 'parts'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? '…' : ''} that the server never took`);
    // The object is what the listed parts hold.
    transfer.totalSize ??= taken.list.length ? taken.list[taken.list.length - 1][1] : 0;
    final = { entryId: completion.entryId, end: transfer.totalSize };
  }
  transfer.progress.sort((a, b) => a[0] - b[0]);
  if (end !== undefined) transfer.endTime = end;
  const total = transfer.totalSize;
  const sizes = [...declared];
  if (sizes.length > 1) issue('size-mismatch', head.entry.id, `the requests declare different sizes: ${sizes.map(formatBytes).join(', ')}`);
  if (total !== undefined) {
    const top = taken.list.length ? taken.list[taken.list.length - 1][1] : 0;
    if (top > total) issue('size-mismatch', head.entry.id, `bytes up to ${formatBytes(top)} were sent, past the declared size of ${formatBytes(total)}`);
    else if (final && final.end !== total) issue('size-mismatch', final.entryId, `the server called the upload complete at ${formatBytes(final.end)}, but ${formatBytes(total)} were declared`);
    transfer.complete = taken.fromZero() >= total;
  } else if (final) transfer.complete = true;
  const span = (transfer.endTime ?? transfer.startTime) - transfer.startTime;
  if (span > 0) transfer.throughput = (transfer.confirmed / span) * 1000;
  return transfer;
}

/**
 * The transfers among `entries` (any order; each is read, never changed), each with its members
 * in start order. An entry belongs to at most one transfer.
 */
export function recogniseTransfers(entries: readonly Entry[]): Transfer[] {
  const byKey = new Map<string, Classified[]>();
  for (const e of entries) {
    const c = classifyForTransfer(e);
    if (!c) continue;
    const list = byKey.get(c.groupKey);
    if (list) list.push(c);
    else byKey.set(c.groupKey, [c]);
  }
  const out: Transfer[] = [];
  for (const list of byKey.values()) {
    const t = analyseTransfer(list.sort(memberOrder));
    if (t) out.push(t);
  }
  return out.sort((a, b) => a.startTime - b.startTime);
}

/** Members in start order (ties by id, so that every caller orders them alike). */
export const memberOrder = (a: Classified, b: Classified) => a.entry.startTime - b.entry.startTime || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0);

/**
 * What a member entry carries in a HAR as `_netlens.transfer` (documented in src/shared/har/README.md):
 * the transfer's id and facts, this request's role and numbers, and the issues found at it.
 * Derived from the requests: importing a HAR recomputes it, and never reads it back. The upload
 * URL or id is left out: it is in the request (where redaction sees it), and upload session URLs
 * are often credentials.
 */
export interface HarTransfer {
  id: string;
  protocol: TransferProtocol;
  role: TransferRole;
  /** This request's place among the transfer's requests, from 0. */
  index: number;
  /** An S3 part's number. */
  part?: number;
  offset?: number;
  length?: number;
  reportedOffset?: number;
  outcome?: TransferMember['outcome'];
  error?: string;
  retry?: true;
  consecutiveErrors?: number;
  resumed?: true;
  fileName?: string;
  totalSize?: number;
  confirmed: number;
  complete: boolean;
  issues?: { kind: TransferIssueKind; message: string }[];
}

/** Entry id → its `_netlens.transfer`, for every member of every transfer among `entries`. */
export function harTransfers(entries: readonly Entry[]): Map<string, HarTransfer> {
  const out = new Map<string, HarTransfer>();
  for (const t of recogniseTransfers(entries)) {
    t.members.forEach((m, index) => {
      const issues = t.issues.filter((i) => i.entryId === m.entryId).map(({ kind, message }) => ({ kind, message }));
      const h: HarTransfer = { id: t.id, protocol: t.protocol, role: m.role, index, confirmed: t.confirmed, complete: t.complete };
      if (m.part !== undefined) h.part = m.part;
      if (m.offset !== undefined) h.offset = m.offset;
      if (m.length !== undefined) h.length = m.length;
      if (m.reportedOffset !== undefined) h.reportedOffset = m.reportedOffset;
      if (m.outcome) h.outcome = m.outcome;
      if (m.error) h.error = m.error;
      if (m.retry) h.retry = true;
      if (m.consecutiveErrors) h.consecutiveErrors = m.consecutiveErrors;
      if (m.resumed) h.resumed = true;
      if (t.fileName !== undefined) h.fileName = t.fileName;
      if (t.totalSize !== undefined) h.totalSize = t.totalSize;
      if (issues.length) h.issues = issues;
      out.set(m.entryId, h);
    });
  }
  return out;
}
