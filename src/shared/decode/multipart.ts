/**
 * multipart/form-data (RFC 7578, WHATWG HTML "multipart/form-data encoding algorithm"),
 * multipart/mixed and multipart/related (RFC 2046 §5.1) over bytes.
 *
 * - Boundary from the Content-Type `boundary` parameter (quoted or not), or `options.boundary`.
 * - Delimiters are searched as `LF--boundary` (Boyer–Moore–Horspool over the Uint8Array, linear
 *   in the worst case too), and a CR before the LF belongs to the delimiter, so CRLF and bare-LF
 *   bodies both work.
 * - Preamble before the first delimiter and epilogue after the close delimiter are ignored.
 * - A delimiter must be followed by `--`, or optional spaces/tabs and a line end; anything else is
 *   body content (`--boundaryX` is not our boundary).
 * - Part headers: lines up to an empty line, folded lines joined; Content-Disposition `name`,
 *   `filename`, `filename*` (RFC 8187, wins over `filename`), Content-Type.
 * - Parts with a filename are files (hex/ASCII preview); parts without one are text when their type
 *   is absent or textual (decoded in their `charset`, default UTF-8), else binary (preview).
 * - A body ending inside a part gives `ok: false` with the parts so far (the last one `truncated`).
 *
 * Bounds: ≤ `maxParts` parts (10 000), ≤ `maxHeaderBytes` per part header block (16 KiB), text ≤
 * `maxTextBytes` per part (1 MiB, then `textTruncated`), previews of `previewBytes` (256).
 * Time is linear in the body; parts keep byte offsets into `raw` instead of copies.
 */
import { decodeUtf8, encodeUtf8 } from '../bytes';
import { firstHeaderValue } from '../headers';
import { parseContentDisposition, parseContentType } from './header-params';
import { hexPreview, type HexPreview } from './hex';
import { countReplacements, decodeText } from './text';

export const MULTIPART_MAX_PARTS = 10_000;
export const MULTIPART_MAX_HEADER_BYTES = 16 * 1024;
export const MULTIPART_MAX_TEXT_BYTES = 1024 * 1024;
export const MULTIPART_PREVIEW_BYTES = 256;

export interface MultipartOptions {
  boundary?: string;
  maxParts?: number;
  maxHeaderBytes?: number;
  maxTextBytes?: number;
  previewBytes?: number;
}

interface PartBase {
  /** Header fields in order, names as sent. */
  headers: Array<[name: string, value: string]>;
  /** Content-Disposition type (`form-data`, `attachment`, `inline`), lower case. */
  disposition?: string;
  name?: string;
  filename?: string;
  /** The part's Content-Type as sent. */
  contentType?: string;
  /** Body bytes, and where they start in `raw`. */
  size: number;
  offset: number;
  /** The body ended before this part's closing delimiter. */
  truncated?: true;
}

export type MultipartPart =
  | (PartBase & { kind: 'text'; text: string; charset: string; textTruncated: boolean; replacements: number })
  | (PartBase & { kind: 'file' | 'binary'; preview: HexPreview });

export type MultipartResult =
  | { ok: true; subtype: string; boundary: string; parts: MultipartPart[]; raw: Uint8Array }
  | { ok: false; error: string; subtype?: string; boundary?: string; parts: MultipartPart[]; raw: Uint8Array };

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;

export function parseMultipart(raw: Uint8Array, contentType?: string, options: MultipartOptions = {}): MultipartResult {
  const ct = parseContentType(contentType);
  const subtype = ct?.type === 'multipart' ? ct.subtype : 'form-data';
  const declared = options.boundary ?? ct?.params.boundary;
  if (declared === undefined || declared === '' || declared.length > 200) {
    const why = declared === undefined || declared === '' ? 'Content-Type has no boundary parameter' : 'boundary is longer than 200 characters';
    return withSniffedBoundary(raw, subtype, why, options);
  }
  const result = parseWithBoundary(raw, declared, subtype, options);
  if (!result.ok && result.parts.length === 0) {
    const sniffed = sniffMultipartBoundary(raw);
    if (sniffed !== undefined && sniffed !== declared) return withSniffedBoundary(raw, subtype, result.error.replace(/^could not decode: /, ''), options);
  }
  return result;
}

function withSniffedBoundary(raw: Uint8Array, subtype: string, why: string, options: MultipartOptions): MultipartResult {
  const sniffed = sniffMultipartBoundary(raw);
  if (sniffed === undefined) return { ok: false, error: `could not decode: ${why}`, subtype, parts: [], raw };
  const guess = parseWithBoundary(raw, sniffed, subtype, options);
  const note = `could not decode: ${why}; parts shown using the body's first line as boundary`;
  return { ok: false, error: guess.ok ? note : `${note} (${guess.error.replace(/^could not decode: /, '')})`, subtype, boundary: sniffed, parts: guess.parts, raw };
}

/**
 * The boundary a body's first line announces (`--boundary` + line end, followed by a header line),
 * for bodies whose Content-Type lies or lost its boundary.
 */
export function sniffMultipartBoundary(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== DASH || bytes[1] !== DASH) return undefined;
  const lf = bytes.subarray(0, 260).indexOf(LF);
  if (lf < 3) return undefined;
  const end = bytes[lf - 1] === CR ? lf - 1 : lf;
  const line = decodeUtf8(bytes.subarray(2, end)).text.trimEnd();
  if (line === '' || line.length > 200 || /[\s"]/.test(line.trim()) || line.endsWith('--')) return undefined;
  const next = decodeUtf8(bytes.subarray(lf + 1, lf + 1 + 200)).text;
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:/.test(next) ? line.trim() : undefined;
}

function parseWithBoundary(raw: Uint8Array, boundary: string, subtype: string, options: MultipartOptions): MultipartResult {
  const maxParts = options.maxParts ?? MULTIPART_MAX_PARTS;
  const maxHeaderBytes = options.maxHeaderBytes ?? MULTIPART_MAX_HEADER_BYTES;
  const parts: MultipartPart[] = [];
  const fail = (why: string): MultipartResult => ({ ok: false, error: `could not decode: ${why}`, subtype, boundary, parts, raw });

  const delimiter = encodeUtf8(`\n--${boundary}`);
  const search = createSearch(delimiter);
  const n = raw.length;

  // The first delimiter is `--boundary` at offset 0 or `LF--boundary` after a preamble.
  let afterDelimiter = startsWithAt(raw, delimiter, 1, 0) ? delimiterEnd(raw, delimiter.length - 1) : NOT_A_DELIMITER;
  for (let from = 0; afterDelimiter === NOT_A_DELIMITER; ) {
    const found = search(raw, from);
    if (found === -1) return fail(`boundary "${boundary}" not found in the body`);
    afterDelimiter = delimiterEnd(raw, found + delimiter.length);
    from = found + 1;
  }

  for (;;) {
    if (afterDelimiter === CLOSE) return { ok: true, subtype, boundary, parts, raw };
    if (afterDelimiter === END_OF_BODY) return fail(`body ends after a boundary, without the closing "--${boundary}--"`);
    if (parts.length >= maxParts) return fail(`more than ${maxParts} parts; showing the first ${maxParts}`);

    const headerStart = afterDelimiter;
    const head = readHeaders(raw, headerStart, maxHeaderBytes);
    if (head === undefined) {
      const which = `part ${parts.length + 1}`;
      return fail(n - headerStart > maxHeaderBytes ? `${which} has more than ${maxHeaderBytes} bytes of headers` : `body ends inside the headers of ${which}`);
    }
    const bodyStart = head.bodyStart;

    // From the header block's last LF: tolerates a part with an empty body and no line end of its own.
    let found = search(raw, bodyStart - 1);
    let nextDelimiter = NOT_A_DELIMITER;
    while (found !== -1) {
      nextDelimiter = delimiterEnd(raw, found + delimiter.length);
      if (nextDelimiter !== NOT_A_DELIMITER) break;
      found = search(raw, found + 1);
    }
    if (found === -1) {
      const part = describePart(raw, head.headers, bodyStart, n, options);
      part.truncated = true;
      parts.push(part);
      return fail(`body ends inside part ${parts.length} (no closing boundary)`);
    }
    let bodyEnd = found;
    if (bodyEnd > bodyStart && raw[bodyEnd - 1] === CR) bodyEnd--;
    if (bodyEnd < bodyStart) bodyEnd = bodyStart;
    parts.push(describePart(raw, head.headers, bodyStart, bodyEnd, options));
    afterDelimiter = nextDelimiter;
  }
}

const NOT_A_DELIMITER = -1;
const CLOSE = -2;
const END_OF_BODY = -3;

/** What follows `--boundary` at i: the close `--`, a line end (returns the index after it), or neither. */
function delimiterEnd(raw: Uint8Array, i: number): number {
  if (raw[i] === DASH && raw[i + 1] === DASH) return CLOSE;
  while (raw[i] === 0x20 || raw[i] === 0x09) i++;
  if (i >= raw.length) return END_OF_BODY;
  if (raw[i] === CR && raw[i + 1] === LF) return i + 2;
  if (raw[i] === LF) return i + 1;
  if (raw[i] === CR && i + 1 === raw.length) return END_OF_BODY;
  return NOT_A_DELIMITER;
}

function startsWithAt(raw: Uint8Array, pattern: Uint8Array, patternFrom: number, at: number): boolean {
  if (raw.length - at < pattern.length - patternFrom) return false;
  for (let k = patternFrom; k < pattern.length; k++) if (raw[at + k - patternFrom] !== pattern[k]) return false;
  return true;
}

/**
 * Boyer–Moore–Horspool: returns a function finding `pattern` (`LF--boundary`) in `hay` from `from`,
 * or -1. A body is scanned with one table; on random bytes it inspects about one byte in |pattern|.
 * A candidate must also start with the LF, and is then compared forwards: the comparison stops at
 * the body's next LF at the latest (a boundary holds none), so no byte is compared twice and time
 * stays linear on bodies like `aaaa…` against boundary `aaaa…` (comparing every candidate whole
 * was |body| × |pattern|).
 */
function createSearch(pattern: Uint8Array): (hay: Uint8Array, from: number) => number {
  const m = pattern.length;
  const last = m - 1;
  const shift = new Uint8Array(256).fill(Math.min(m, 255));
  for (let k = 0; k < last; k++) shift[pattern[k]] = Math.min(last - k, 255);
  const head = pattern[0];
  const tail = pattern[last];
  return (hay, from) => {
    const n = hay.length;
    let i = from + last;
    while (i < n) {
      const c = hay[i];
      if (c === tail && hay[i - last] === head) {
        const start = i - last;
        let k = 1;
        while (k < last && hay[start + k] === pattern[k]) k++;
        if (k === last) return start;
      }
      i += shift[c];
    }
    return -1;
  };
}

/** Header lines from `start` to the empty line; undefined when the body ends first or the block is too big. */
function readHeaders(raw: Uint8Array, start: number, maxBytes: number): { headers: Array<[string, string]>; bodyStart: number } | undefined {
  const limit = Math.min(raw.length, start + maxBytes);
  if (raw[start] === LF) return { headers: [], bodyStart: start + 1 };
  if (raw[start] === CR && raw[start + 1] === LF) return { headers: [], bodyStart: start + 2 };
  // A JS loop beats native indexOf calls on these short lines.
  for (let i = start; i < limit; i++) {
    if (raw[i] !== LF) continue;
    const next = raw[i + 1];
    let bodyStart = -1;
    if (next === LF) bodyStart = i + 2;
    else if (next === CR && raw[i + 2] === LF) bodyStart = i + 3;
    if (bodyStart !== -1) {
      if (bodyStart > raw.length) return undefined;
      return { headers: parseHeaderLines(decodeUtf8(raw.subarray(start, i)).text), bodyStart };
    }
  }
  return undefined;
}

function parseHeaderLines(block: string): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (let from = 0; from < block.length; ) {
    let lf = block.indexOf('\n', from);
    if (lf === -1) lf = block.length;
    const text = block.charCodeAt(lf - 1) === 0x0d ? block.slice(from, lf - 1) : block.slice(from, lf);
    from = lf + 1;
    if (text === '') continue;
    if ((text[0] === ' ' || text[0] === '\t') && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${text.trim()}`.trim();
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) continue;
    headers.push([text.slice(0, colon).trim(), text.slice(colon + 1).trim()]);
  }
  return headers;
}

function describePart(raw: Uint8Array, headers: Array<[string, string]>, start: number, end: number, options: MultipartOptions): MultipartPart {
  const cd = parseContentDisposition(firstHeaderValue(headers, 'content-disposition'));
  const typeValue = firstHeaderValue(headers, 'content-type');
  const body = raw.subarray(start, end);
  const ct = parseContentType(typeValue);
  let part: MultipartPart;
  if (cd?.filename === undefined && (typeValue === undefined || isTextual(ct?.mime, ct?.suffix))) {
    const charset = ct?.params.charset?.toLowerCase();
    const maxText = options.maxTextBytes ?? MULTIPART_MAX_TEXT_BYTES;
    if ((charset === undefined || charset === 'utf-8' || charset === 'utf8') && body.length <= maxText) {
      const { text, invalid } = decodeUtf8(body);
      part = { kind: 'text', headers, size: body.length, offset: start, text, charset: 'utf-8', textTruncated: false, replacements: invalid ? countReplacements(text) : 0 };
    } else {
      const t = decodeText(body, charset, { maxBytes: maxText });
      part = { kind: 'text', headers, size: body.length, offset: start, text: t.text, charset: t.charset, textTruncated: t.truncated, replacements: t.replacements };
    }
  } else {
    const preview = hexPreview(body, options.previewBytes ?? MULTIPART_PREVIEW_BYTES);
    part = { kind: cd?.filename !== undefined ? 'file' : 'binary', headers, size: body.length, offset: start, preview };
  }
  // Set one by one (not spread): parts keep a few stable shapes, which is much faster to build.
  if (cd !== undefined) {
    part.disposition = cd.type;
    if (cd.name !== undefined) part.name = cd.name;
    if (cd.filename !== undefined) part.filename = cd.filename;
  }
  if (typeValue !== undefined) part.contentType = typeValue;
  return part;
}

/** Media types shown as text: text/*, JSON, XML, JavaScript, form-urlencoded and their `+json`/`+xml` kin. */
export function isTextual(mime: string | undefined, suffix?: string): boolean {
  if (mime === undefined) return false;
  if (mime.startsWith('text/') || suffix === 'json' || suffix === 'xml') return true;
  return /^application\/(?:json|xml|javascript|ecmascript|x-javascript|x-www-form-urlencoded|graphql|x-ndjson|ndjson|jsonl|x-jsonlines|yaml|x-yaml|toml|csv|sql)$/.test(mime);
}
