import { decodeQueryPart } from '../har/headers';
import { base64ToBytes, binaryString, encodeUtf8, toBase64, utf8Text } from '../bytes';
import type { At, Ctx } from './context';
import { mask, maskEncoded } from './context';
import { looksLikeJson, redactJsonText } from './json';
import { scrubText } from './text';

/** `a=1&b=2` with short names: a base64 blob ending in `=` is not a form. */
const FORM_LIKE = /^[^\s=&"{}<>]{1,128}=[^\s&"<>]*(?:&[^\s=&"{}<>]{1,128}=[^\s&"<>]*)*$/;
/** Types whose bytes have no fields to look into (their text is still scanned for token shapes). */
const OPAQUE = /^(?:image\/(?!svg)|audio\/|video\/|font\/|application\/(?:octet-stream|pdf|zip|gzip|wasm|x-protobuf|protobuf|grpc))/;

function mimeOf(mime: string | undefined): string {
  return (mime ?? '').split(';')[0].trim().toLowerCase();
}

/** Scripts and stylesheets: code, not forms or `name:value` lines (see Ctx.code). */
const CODE = /^(?:(?:text|application)\/(?:x-)?(?:javascript|ecmascript|jscript)|text\/css)$/;
const HTML = /^(?:text\/html|application\/xhtml\+xml)$/;

/** A body, message or field in any format: its structure first (JSON, form, multipart, SSE, HTML), then shapes. */
export function scrubBody(ctx: Ctx, at: At, text: string, mimeType?: string): string {
  if (!text) return text;
  const mime = mimeOf(mimeType);
  let out = text;
  if (OPAQUE.test(mime)) return scrubText(ctx, at, out);
  if (CODE.test(mime)) {
    // A JSONP response is JSON after its callback's name: its strings are text, not code.
    return looksLikeJson(out) ? redactJsonText(ctx, at, out) : scrubText({ ...ctx, code: true }, at, out);
  }
  // HTML's tags first, then as any other text (its `name: value` lines, pairs).
  if (HTML.test(mime)) out = scrubHtmlTags(ctx, at, out);
  if (mime.startsWith('multipart/')) out = scrubMultipart(ctx, at, out, mimeType ?? '');
  else if (mime === 'text/event-stream') out = scrubEventStream(ctx, at, out);
  else if (mime === 'application/x-www-form-urlencoded' || (!mime.includes('json') && text.length < 1_000_000 && FORM_LIKE.test(text))) {
    out = scrubPairs(ctx, at, out);
  } else if (mime.includes('json') || looksLikeJson(out)) {
    // Every string of the JSON is scanned by shape as it goes; keys and numbers hold no tokens.
    return redactJsonText(ctx, at, out);
  } else if (out.includes(':')) out = scrubHeaderLines(ctx, at, out);
  return scrubText(ctx, at, out);
}

/** `<meta …>` and `<input …>` tags, their attributes. */
const HTML_TAG = /<(meta|input)\b((?:[^<>"']|"[^"]*"|'[^']*')*)>/gi;
// A name starts where the previous one cannot go on (else a long run with no `=` is tried from each of its characters).
const HTML_ATTR = /(?<![^\s"'<>/=])([^\s"'<>/=]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
/** Meta names that name where a token goes, not hold it: Rails's `csrf-param`, Spring Security's `_csrf_header`, `_csrf_parameter`. */
const NAMES_A_NAME = /[-_.](?:param|parameter|header)$/i;

/**
 * HTML (HTML Living Standard's `meta` and `input` elements): the `content` of a `<meta>` whose
 * `name` (or `property`, `itemprop`) is credential-named (Rails's and Laravel's
 * `<meta name="csrf-token" content="…">`, Spring Security's `_csrf`) or whose `http-equiv` is a
 * credential header (`set-cookie`), and the `value` of an `<input>` whose `name` is
 * credential-named (a hidden `authenticity_token`, `csrfmiddlewaretoken`) or whose type is
 * `password`. Quotes and every other attribute stay.
 */
function scrubHtmlTags(ctx: Ctx, at: At, text: string): string {
  return text.replace(HTML_TAG, (whole, tag: string, attrs: string) => {
    const found = new Map<string, { index: number; raw: string }>();
    for (const a of attrs.matchAll(HTML_ATTR)) {
      const raw = a[3] ?? a[4] ?? a[5] ?? '';
      const quoted = a[3] !== undefined || a[4] !== undefined;
      const index = a.index + a[1].length + a[2].length + (quoted ? 1 : 0);
      const name = a[1].toLowerCase();
      if (!found.has(name)) found.set(name, { index, raw });
    }
    const meta = tag.toLowerCase() === 'meta';
    const target = found.get(meta ? 'content' : 'value');
    if (!target) return whole;
    const name = (found.get('name') ?? found.get('property') ?? found.get('itemprop'))?.raw ?? '';
    const equiv = found.get('http-equiv')?.raw ?? '';
    const secret = meta
      ? (ctx.m.field(name) && !NAMES_A_NAME.test(name)) || (!!equiv && ctx.m.header(equiv))
      : ctx.m.field(name) || found.get('type')?.raw.toLowerCase() === 'password';
    if (!secret) return whole;
    const masked = mask(ctx, at, name || equiv || 'password', target.raw);
    if (masked === target.raw) return whole;
    const start = 1 + tag.length + target.index;
    return whole.slice(0, start) + masked + whole.slice(start + target.raw.length);
  });
}

/**
 * `name:value` lines at a line's start (STOMP frames' `passcode:`, raw HTTP heads, env files):
 * a credential-named header's value goes. Authorization-like values are left to the Bearer and
 * Basic shapes, which keep their scheme.
 */
function scrubHeaderLines(ctx: Ctx, at: At, text: string): string {
  return text.replace(/^([A-Za-z][\w-]{0,63})([ \t]*:[ \t]*)([^\r\n]*?)([ \t]*\r?)$/gm, (whole, name: string, colon: string, value: string, end: string) => {
    if (!ctx.m.header(name) || /authoriz/i.test(name)) return whole;
    const masked = mask(ctx, at, name, value);
    return masked === value ? whole : `${name}${colon}${masked}${end}`;
  });
}

/** Bytes that are not text (C0 controls other than tab and line ends). */
// eslint-disable-next-line no-control-regex
const BINARY = /[\x00-\x08\x0e-\x1f]/;
/** Media: no credential is carried in their bytes, and a change there would only spoil them. */
const MEDIA = /^(?:image\/(?!svg)|audio\/|video\/|font\/)/;

/**
 * Base64 bytes: redacted as text when they are UTF-8. Other bytes (but media's) are read as
 * Latin-1, one char per byte, so a marker (ASCII) replaces exactly the bytes of what it replaces
 * and every other byte stays: multipart by its parts (a text field beside a binary file), any
 * other binary (protobuf, MessagePack, CBOR…) by token shapes with same-length markers, so its
 * framing still holds.
 */
export function scrubEncoded(ctx: Ctx, at: At, base64: string, mimeType?: string): string {
  const bytes = base64ToBytes(base64);
  if (!bytes) return base64;
  const text = utf8Text(bytes);
  if (text !== undefined && !BINARY.test(text)) {
    const next = scrubBody(ctx, at, text, mimeType);
    return next === text ? base64 : toBase64(encodeUtf8(next));
  }
  const mime = mimeOf(mimeType);
  if (MEDIA.test(mime)) return base64;
  const latin = binaryString(bytes);
  const next = mime.startsWith('multipart/') ? scrubBody(ctx, at, latin, mimeType) : scrubText({ ...ctx, sameLength: true }, at, latin);
  return next === latin ? base64 : btoa(next);
}

/**
 * `a=1&password=2&variables=%7B…%7D` (a form body, a URL's query or fragment): credential-named
 * values go whole, by name; any other value that is percent-encoded is redacted as what it
 * encodes (JSON such as GraphQL's `variables`, a URL such as `redirect_uri`'s), by its structure,
 * and encoded again when something went.
 */
function scrubPairs(ctx: Ctx, at: At, text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) return pair;
      const name = decodeQueryPart(pair.slice(0, eq));
      const raw = pair.slice(eq + 1);
      const value = decodeQueryPart(raw);
      if (ctx.m.query(name)) return `${pair.slice(0, eq)}=${maskEncoded(ctx, at, name, raw, value)}`;
      if (value === raw) return pair;
      const next = scrubBody(ctx, at, value);
      return next === value ? pair : `${pair.slice(0, eq)}=${encodeURIComponent(next)}`;
    })
    .join('&');
}

/**
 * A whole URL (a request's, a redirect's `Location`, a page's): its query split as the HAR's
 * queryString is (pairs at `&`, up to `#`; a value may hold `;`, `'` or `"`, which end a URL
 * found in text), and its fragment's `name=value` pairs the same way (OAuth's implicit flow:
 * `#access_token=…`), each as scrubPairs does; then every other shape, as in any text. The URL's
 * marker then stands for exactly the value the queryString's does, and nothing of the value is
 * left after it.
 */
export function scrubUrl(ctx: Ctx, at: At, url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const q = beforeHash.indexOf('?');
  let out = q < 0 || !beforeHash.includes('=', q) ? beforeHash : `${beforeHash.slice(0, q + 1)}${scrubPairs(ctx, at, beforeHash.slice(q + 1))}`;
  if (hash >= 0) {
    const fragment = url.slice(hash + 1);
    // `#/route?a=1&token=2` (a hash router): the pairs start after the route's `?`.
    const fq = /^[^=&]*\?/.exec(fragment)?.[0].length ?? 0;
    out += `#${fragment.includes('=') ? fragment.slice(0, fq) + scrubPairs(ctx, at, fragment.slice(fq)) : fragment}`;
  }
  return scrubText(ctx, at, out);
}

function scrubEventStream(ctx: Ctx, at: At, text: string): string {
  return text.replace(/^(data|id):( ?)(.*)$/gm, (_w, field: string, space: string, value: string) => `${field}:${space}${scrubBody(ctx, at, value)}`);
}

/** multipart text: a credential-named field's content goes; other parts are scrubbed by their type. */
function scrubMultipart(ctx: Ctx, at: At, text: string, mimeType: string): string {
  const declared = /boundary="?([^";]+)"?/i.exec(mimeType)?.[1];
  const boundary = declared ?? /^--([^\r\n]+)\r?\n/.exec(text)?.[1];
  if (!boundary) return text;
  const delimiter = `--${boundary}`;
  const pieces = text.split(delimiter);
  for (let k = 1; k < pieces.length; k++) {
    const part = pieces[k];
    const headEnd = part.search(/\r?\n\r?\n/);
    if (headEnd < 0) continue;
    const sep = /\r?\n\r?\n/.exec(part.slice(headEnd))![0];
    const head = part.slice(0, headEnd);
    let content = part.slice(headEnd + sep.length);
    const trail = /\r?\n$/.exec(content)?.[0] ?? '';
    content = content.slice(0, content.length - trail.length);
    const name = /\bname="([^"]*)"/i.exec(head)?.[1] ?? '';
    const isFile = /\bfilename\*?=/i.test(head);
    const type = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
    const partAt = { where: at.where, path: `${at.path} (part "${name}")` };
    // A part's binary bytes (a file read as Latin-1, see scrubEncoded) keep their length.
    const partCtx = BINARY.test(content) ? { ...ctx, sameLength: true } : ctx;
    const next = !isFile && ctx.m.field(name) ? mask(ctx, partAt, name, content) : scrubBody(partCtx, partAt, content, type);
    pieces[k] = head + sep + next + trail;
  }
  return pieces.join(delimiter);
}

/** Where each line of a text starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * A position of `before` (cut between two pieces) carried into `after`, the same text with values
 * replaced by markers: by the common prefix and suffix of the two (of the line holding it, when
 * the redaction kept the lines), a position inside a replaced stretch going to that stretch's end.
 */
function carry(before: string, after: string, pos: number, lines: { b: number[]; a: number[] } | undefined): number {
  let from = 0;
  let toB = before.length;
  let toA = after.length;
  let fromA = 0;
  if (lines) {
    let k = lines.b.length - 1;
    while (lines.b[k] > pos) k--;
    from = lines.b[k];
    fromA = lines.a[k];
    if (k + 1 < lines.b.length) {
      toB = lines.b[k + 1];
      toA = lines.a[k + 1];
    }
  }
  const lenB = toB - from;
  const lenA = toA - fromA;
  let p = 0;
  while (p < lenB && p < lenA && before.charCodeAt(from + p) === after.charCodeAt(fromA + p)) p++;
  let s = 0;
  while (s < lenB - p && s < lenA - p && before.charCodeAt(toB - 1 - s) === after.charCodeAt(toA - 1 - s)) s++;
  const off = pos - from;
  if (off <= p) return fromA + off;
  if (off >= lenB - s) return toA - (lenB - off);
  return toA - s;
}

/**
 * The text pieces of one stream (a streamed body's chunks, deep capture's raw event-stream text),
 * `["data: {\"pass", "word\":\"x\"}\n\n"]`: redacted as the one text they make, by its type (so a
 * secret cut between two pieces, or a key in one piece and its value in the next, goes as in the
 * whole body), then cut again where the pieces were: each piece keeps its place, and a cut that
 * fell inside a redacted value moves to the value's end (its marker stays in the piece where the
 * value began).
 */
export function scrubStream(ctx: Ctx, at: At, pieces: readonly string[], mimeType?: string): string[] {
  const whole = pieces.join('');
  const next = scrubBody(ctx, at, whole, mimeType);
  if (next === whole) return [...pieces];
  const b = lineStarts(whole);
  const a = lineStarts(next);
  const lines = a.length === b.length ? { b, a } : undefined;
  const out: string[] = [];
  let pos = 0;
  let mapped = 0;
  pieces.forEach((piece, k) => {
    pos += piece.length;
    const end = k === pieces.length - 1 ? next.length : carry(whole, next, pos, lines);
    out.push(next.slice(mapped, end));
    mapped = end;
  });
  return out;
}
