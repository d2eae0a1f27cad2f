/**
 * "Copy as …" for one entry, as the Network panel's context menu offers it: cURL (bash), browser
 * `fetch(…)`, Node.js `fetch(…)`, a HAR entry, the response body, the URL. Pure text in, text
 * out; every captured string is untrusted and is quoted, never interpreted.
 *
 * Facts followed (from Chrome DevTools' "Copy as cURL (bash)", our own code):
 * - a value with a control character, `!` or `'` is written in bash ANSI-C quoting `$'…'`,
 *   anything else in plain single quotes; header values are ByteStrings (one byte per character
 *   up to U+00FF, as the browser sent them), bodies UTF-8;
 * - headers the browser or the HTTP layer sets and curl would get wrong are left out: HTTP/2
 *   pseudo-headers (`:authority`, `:method`, `:path`, `:scheme`), `Host`, `Content-Length`
 *   (curl computes them), and `Accept-Encoding` (replaced by `--compressed`, so curl decodes
 *   the response it asked to be compressed);
 * - the body goes as `--data-raw` (no `@file` interpretation) and `-X` is written only when the
 *   method is not the one curl infers (GET without a body, POST with one).
 * Beyond Chrome:
 * - every captured string is the value of an option (`-H`, `-X`, `--data-raw`: curl takes the
 *   next word as is) except the URL, which curl reads as an option when it begins with `-`: such
 *   a URL (possible in an imported HAR) is written as `--url <url>`; a URL not http(s) (`file:`,
 *   `gopher:`, from an imported HAR) gets `--proto '=http,https'`, so curl refuses it;
 * - a header with an empty value is written `-H 'Name;'` (curl's manual, -H: `Name:` removes it),
 *   and a body the wire view saw sent without Content-Type gets `-H 'Content-Type:'` (else curl
 *   sends its own, application/x-www-form-urlencoded); without the wire's headers, the one the
 *   browser adds for the kind of body the page passed (browserContentType);
 * - HEAD is `--head` (curl's manual, -X: with `-X HEAD` curl still waits for the body that the
 *   response's Content-Length announces, until the server closes);
 * - bytes that cannot travel in an argument (NUL, in a binary or a text body; a body longer than
 *   ARG_LIMIT) are piped in with `printf -- '<octal escapes>' | curl … --data-binary @-` (`--`:
 *   a format that begins with `-`, as every multipart body does, is no option to printf);
 * - FormData goes as `--form-string` for text fields and `-F name=@./file` for files, whose
 *   contents were never captured (said in a note), the file part written so that nothing the
 *   page chose names a local file (curlFilePart).
 */
import { base64ToBytes, encodeUtf8, toBase64, utf8Text } from './bytes';
import type { HarEntry } from './har/types';
import { hasHeader, headerValue } from './headers';
import type { Entry } from './model';
import type { FormField, Header, Payload } from './protocol';
import { exportHar } from './har/export';
import type { RedactionRules } from './redact/rules';
import { NETLENS_VERSION, corsReportOf } from './trace';

export type CopyFormat = 'curl' | 'fetch' | 'node-fetch' | 'har' | 'response' | 'url';

export const COPY_FORMATS: { format: CopyFormat; label: string }[] = [
  { format: 'url', label: 'Copy URL' },
  { format: 'curl', label: 'Copy as cURL (bash)' },
  { format: 'fetch', label: 'Copy as fetch' },
  { format: 'node-fetch', label: 'Copy as fetch (Node.js)' },
  { format: 'har', label: 'Copy as HAR entry (redacted)' },
  { format: 'response', label: 'Copy response' },
];

/** What was copied, and what the copy could not carry (one sentence each). */
export interface CopyResult {
  text: string;
  notes: string[];
}

/** Headers never written into a replay: set by the HTTP layer from the URL and the body. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length']);
/** Hop-by-hop headers Node's fetch (undici) refuses or manages itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'expect']);
/**
 * Forbidden request header names (Fetch spec, "forbidden request-header"): a page's fetch cannot
 * set them, so "Copy as fetch" leaves them out (the browser adds its own).
 */
const FORBIDDEN = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method', 'connection',
  'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive', 'origin', 'referer', 'set-cookie', 'te',
  'trailer', 'transfer-encoding', 'upgrade', 'via',
]);
const isForbidden = (name: string) => FORBIDDEN.has(name) || name.startsWith('proxy-') || name.startsWith('sec-');

/** The request headers as they went out: the wire's when webRequest saw them, else the page's. */
function sentHeaders(entry: Entry): Header[] {
  return entry.wire?.requestHeaders ?? entry.request.headers;
}

/** The request body as bytes or text, or why there is none to replay. */
type Body =
  | { kind: 'none' }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'bytes'; bytes: Uint8Array; truncated: boolean }
  | { kind: 'form'; fields: FormField[] }
  | { kind: 'missing'; why: string };

/**
 * Whether `fields` are a form to send as one: a FormData's, or an imported multipart form's known
 * only by its fields (a HAR's postData.params with no text, as Charles writes). The params of a
 * urlencoded body are no form curl -F could send.
 */
function sentAsForm(p: Payload, fields: FormField[]): boolean {
  if (p.source === 'formdata') return true;
  return p.encoding === 'none' && (/^multipart\//i.test(p.mimeType ?? '') || fields.some((f) => f.fileName !== undefined));
}

function requestBody(p: Payload | undefined): Body {
  if (!p) return { kind: 'none' };
  if (p.form && sentAsForm(p, p.form)) return { kind: 'form', fields: p.form };
  if (p.encoding === 'text') return { kind: 'text', text: p.data, truncated: p.truncated };
  if (p.encoding === 'base64') {
    const bytes = base64ToBytes(p.data);
    if (!bytes) return { kind: 'missing', why: 'the captured request body is not valid base64' };
    const text = utf8Text(bytes);
    return text !== undefined && !text.includes('\0') ? { kind: 'text', text, truncated: p.truncated } : { kind: 'bytes', bytes, truncated: p.truncated };
  }
  return p.size === 0 ? { kind: 'none' } : { kind: 'missing', why: `the request body${p.source ? ` (${p.source})` : ''} was not captured` };
}

/**
 * The Content-Type the browser adds to a request whose page set none, by the kind of body the page
 * passed (Fetch, "extract a body"; XHR send() the same): a string's text/plain;charset=UTF-8,
 * URLSearchParams' application/x-www-form-urlencoded;charset=UTF-8, a Blob's type when it has
 * one; null when it adds none (a buffer, an untyped Blob); undefined when the kind is not known
 * (an imported entry, a document).
 */
function browserContentType(p: Payload | undefined): string | null | undefined {
  switch (p?.source) {
    case 'string':
      return 'text/plain;charset=UTF-8';
    case 'urlsearchparams':
      return 'application/x-www-form-urlencoded;charset=UTF-8';
    case 'blob':
      return p.mimeType || null;
    case 'arraybuffer':
    case 'view':
      return null;
    default:
      return undefined;
  }
}

function bodyNotes(body: Body, notes: string[]) {
  if ((body.kind === 'text' || body.kind === 'bytes') && body.truncated) notes.push('The request body was cut at the capture cap: the copy sends only the captured part.');
  if (body.kind === 'missing') notes.push(`No body in the copy: ${body.why}.`);
}

// ---- bash quoting ----

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** The ANSI-C escapes shellQuote writes by name; every other character it escapes is `\xHH`. */
const ANSI_C_NAMED: Record<number, string> = { 0x5c: '\\\\', 0x27: "\\'", 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };
/** shellQuote's escape of each character U+0000–U+00FF written one byte per character… */
const ANSI_C_BYTE = Array.from({ length: 256 }, (_, c) => ANSI_C_NAMED[c] ?? `\\x${hex2(c)}`);
/** …and in UTF-8, where a C1 character (U+0080–U+009F) is its two bytes. */
const ANSI_C_UTF8 = ANSI_C_BYTE.map((escape, c) => (c >= 0x80 ? `\\xc2${escape}` : escape));

/**
 * A string as one bash word that expands to exactly its bytes: UTF-8, or with `latin1` (header
 * values are ByteStrings, Fetch spec: one byte per character ≤ U+00FF) one byte per character
 * when every character fits. Plain `'…'` when it holds no control character, `!` or `'` (nor,
 * for latin1, a character above U+007F); else ANSI-C `$'…'` with `\\`, `\'` and `\xHH` escapes
 * (C0, DEL and C1 characters as their bytes, so the result does not depend on the locale).
 * A NUL cannot be in an argument: callers send such data through stdin (`printfBytes`).
 */
export function shellQuote(value: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  // eslint-disable-next-line no-control-regex
  const bytewise = encoding === 'latin1' && /^[\x00-\xff]*$/.test(value);
  // eslint-disable-next-line no-control-regex
  if (!(bytewise ? /[\x00-\x1f\x7f-\xff!']/ : /[\x00-\x1f\x7f-\x9f!']/).test(value)) return `'${value}'`;
  // Runs that need no escape are copied whole, the pieces joined once (a string built a piece per
  // character took 10 s on 50 MB, a replace() with a function ran out of memory).
  const parts = ["$'"];
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c !== 0x21 && c !== 0x27 && c !== 0x5c && (c < 0x7f || c > (bytewise ? 0xff : 0x9f))) continue;
    if (from < i) parts.push(value.slice(from, i));
    parts.push(bytewise ? ANSI_C_BYTE[c] : ANSI_C_UTF8[c]);
    from = i + 1;
  }
  parts.push(value.slice(from), "'");
  return parts.join('');
}

/** How printfBytes spells a byte: `%` and `\` doubled, `'` as `'\''`, printable ASCII as is, else `\ooo`. */
function printfSpelling(b: number): string {
  if (b === 0x25) return '%%';
  if (b === 0x5c) return '\\\\';
  if (b === 0x27) return "'\\''";
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return `\\${b.toString(8).padStart(3, '0')}`;
}
/** Every byte's spelling as ASCII, 4 slots a byte (the longest: `\377`, `'\''`), and its length. */
const PRINTF_TABLE = new Uint8Array(256 * 4);
const PRINTF_LENGTH = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const spelling = printfSpelling(b);
  PRINTF_LENGTH[b] = spelling.length;
  for (let j = 0; j < spelling.length; j++) PRINTF_TABLE[b * 4 + j] = spelling.charCodeAt(j);
}

/**
 * Bytes as a POSIX `printf` format in single quotes that writes exactly them (printfSpelling),
 * after `--`: bash's printf reads a format that begins with `-` (a multipart body's boundary) as
 * options, refuses them and writes nothing, and curl then sends an empty body.
 * Written into one byte buffer and decoded once: 32 MiB take a fraction of a second (a string
 * built a piece per byte took 8 s, the panel frozen meanwhile).
 */
export function printfBytes(bytes: Uint8Array): string {
  let length = 0;
  for (let i = 0; i < bytes.length; i++) length += PRINTF_LENGTH[bytes[i]];
  const out = new Uint8Array(length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const at = bytes[i] * 4;
    const end = at + PRINTF_LENGTH[bytes[i]];
    for (let j = at; j < end; j++) out[n++] = PRINTF_TABLE[j];
  }
  return `printf -- '${new TextDecoder().decode(out)}'`;
}

/** A MIME type's essence, `type/subtype` of RFC 9110 tokens (no parameters). */
const MIME_ESSENCE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A FormData file part as curl's `-F name=@./file;type=…`, or undefined when its name holds `=`.
 * curl reads that word itself (tool_formparse): the name ends at the first `=`, the path after
 * `@` at `;` or `,` (`@a,b` sends both files), and after `;` come parameters, among them
 * `headers=@file` (a local file's lines as the part's headers). So every piece the page chose is
 * kept from naming a file: the path is `./` and the file name with anything but `A-Z a-z 0-9 . _ -`
 * (and leading dots) as `_`, in the current directory; the type only when it is a bare
 * `type/subtype`; a name with `=` cannot be written at all.
 */
function curlFilePart(f: FormField): { arg: string; file: string } | undefined {
  if (f.name.includes('=')) return undefined;
  const file = (f.fileName || 'file').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  const type = f.type && MIME_ESSENCE.test(f.type) ? `;type=${f.type}` : '';
  return { arg: `${f.name}=@./${file}${type}`, file };
}

/**
 * The longest body, in bytes, written as an argument: Linux's exec refuses one argument over
 * 128 KiB (MAX_ARG_STRLEN, 32 pages) and all of them over 2 MiB by default (ARG_MAX with an 8 MiB
 * stack), with "Argument list too long"; a longer body goes through stdin.
 */
const ARG_LIMIT = 64 * 1024;

/** Copy as cURL (bash): the request as it went on the wire, headers and body byte for byte. */
export function toCurl(entry: Entry): CopyResult {
  const notes: string[] = [];
  // A word that begins with `-` is an option to curl: a URL such as `-K-` (read a config from
  // stdin, where the body is piped) goes as the value of `--url`, which takes the next word as is.
  const words: string[] = ['curl', ...(entry.url.startsWith('-') ? ['--url'] : []), shellQuote(entry.url)];
  if (/[[\]{}]/.test(entry.url)) words.push('--globoff');
  // Only HTTP: a URL of another scheme (an imported HAR's file:///etc/passwd, gopher://, dict://)
  // would have curl read a local file or talk to a local service.
  if (!/^https?:/i.test(entry.url)) {
    words.push("--proto '=http,https'");
    notes.push('The URL is not http(s): curl is told to refuse it (--proto).');
  }
  const body = requestBody(entry.request.body);
  bodyNotes(body, notes);
  // The method goes here, once the body's words tell what curl infers (see below).
  const methodAt = words.length;
  const dropped = new Set<string>();
  let compressed = false;
  for (const [name, value] of sentHeaders(entry)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(':') || TRANSPORT_HEADERS.has(lower)) {
      dropped.add(lower);
      continue;
    }
    if (lower === 'accept-encoding') {
      compressed = true;
      continue;
    }
    // curl -F writes its own multipart boundary.
    if (body.kind === 'form' && lower === 'content-type') continue;
    // curl takes `-H 'Name:'` (and `Name: ` with only blanks) as "remove Name"; `Name;` sends it empty.
    words.push('-H', shellQuote(/^[ \t]*$/.test(value) ? `${name};` : `${name}: ${value}`, 'latin1'));
  }
  // curl gives `--data` a Content-Type (application/x-www-form-urlencoded) when none is given;
  // `-H 'Content-Type:'` keeps it from sending one the browser did not. The wire's headers say
  // what went; the page's lack the one the browser adds for the kind of body it passed.
  const wireHeaders = entry.wire?.requestHeaders;
  if ((body.kind === 'text' || body.kind === 'bytes') && !hasHeader(sentHeaders(entry), 'content-type')) {
    const added = wireHeaders ? null : browserContentType(entry.request.body);
    if (added !== undefined) words.push('-H', shellQuote(added === null ? 'Content-Type:' : `Content-Type: ${added}`, 'latin1'));
  }
  if (dropped.size) notes.push(`Left out (curl sets them itself): ${[...dropped].join(', ')}.`);
  const dataAt = words.length;
  let stdin: string | undefined;
  // A NUL ends a `$'…'` word where it stands (bash drops the rest), and a long text is refused by
  // exec (ARG_LIMIT): such text goes through stdin (printf is a bash builtin: no exec, no limit).
  const hasNul = body.kind === 'text' && body.text.includes('\0');
  const textBytes = body.kind === 'text' && (hasNul || body.text.length * 3 > ARG_LIMIT) ? encodeUtf8(body.text) : undefined;
  const long = textBytes !== undefined && textBytes.length > ARG_LIMIT;
  if (body.kind === 'text' && !hasNul && !long) words.push('--data-raw', shellQuote(body.text));
  else if (body.kind === 'text' || body.kind === 'bytes') {
    stdin = printfBytes(body.kind === 'bytes' ? body.bytes : textBytes!);
    words.push('--data-binary', '@-');
    notes.push(
      long
        ? `The body is longer than an argument can be (${ARG_LIMIT / 1024} KiB here; Linux refuses over 128 KiB): it is piped in with printf.`
        : 'The body holds bytes that cannot travel in an argument: it is piped in with printf.',
    );
  } else if (body.kind === 'form') {
    for (const f of body.fields) {
      if (f.value !== undefined && f.fileName === undefined) {
        // `--form-string name=value`: the name ends at the first `=`, a NUL ends the word, and exec
        // refuses a long one (ARG_LIMIT); such a field cannot be written.
        const why = f.name.includes('=')
          ? 'a name with "="'
          : f.value.includes('\0')
            ? 'a NUL in its value'
            : f.value.length * 3 > ARG_LIMIT && encodeUtf8(f.value).length > ARG_LIMIT
              ? 'a value this long'
              : undefined;
        if (why) notes.push(`Field "${f.name}" left out: curl --form-string cannot carry ${why}.`);
        else words.push('--form-string', shellQuote(`${f.name}=${f.value}`));
      } else {
        const part = curlFilePart(f);
        if (!part) {
          notes.push(`File part "${f.name}" left out: a name with "=" cannot be named in curl -F (the name ends at the first "=").`);
          continue;
        }
        words.push('-F', shellQuote(part.arg));
        notes.push(`File part "${f.name}" (${f.fileName ?? 'no name'}, ${f.size ?? '?'} bytes): its contents were not captured; put the file at ./${part.file} before running.`);
      }
    }
  }
  // What curl infers: POST when it sends data (an empty FormData, or one whose every field was
  // left out, gives it none), else GET.
  const hasBody = words.length > dataAt;
  if (entry.method === 'HEAD' && !hasBody) words.splice(methodAt, 0, '--head');
  else if (entry.method !== (hasBody ? 'POST' : 'GET')) words.splice(methodAt, 0, '-X', shellQuote(entry.method));
  if (compressed) words.push('--compressed');
  const command = words.join(' ');
  const text = stdin ? `${stdin} | ${command}` : command;
  return { text: notes.length ? `${notes.map(comment).join('\n')}\n${text}` : text, notes };
}

/**
 * A note as a bash comment line. The notes quote what the page chose (a form field's name, a file
 * name, a header name), and a comment runs to the end of the line only for bash: pasted into a
 * terminal without bracketed paste, a CR is Enter to readline (and ESC, C-o… are its commands),
 * so every control character (C0, DEL, C1) and U+2028/U+2029 become a space.
 */
function comment(note: string): string {
  // eslint-disable-next-line no-control-regex
  return `# ${note.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, ' ')}`;
}

// ---- JavaScript ----

/** A JS string literal (JSON's, which is valid JS since ES2019; lone surrogates escaped). */
const js = (s: string) => JSON.stringify(s);

function jsBody(body: Body, indent: string): { prelude: string; expr?: string } {
  if (body.kind === 'text') return { prelude: '', expr: js(body.text) };
  if (body.kind === 'bytes') return { prelude: '', expr: `Uint8Array.from(atob(${js(toBase64(body.bytes))}), (c) => c.charCodeAt(0))` };
  if (body.kind === 'form') {
    const lines = ['const body = new FormData();'];
    for (const f of body.fields) {
      if (f.value !== undefined && f.fileName === undefined) lines.push(`body.append(${js(f.name)}, ${js(f.value)});`);
      else {
        lines.push(
          `body.append(${js(f.name)}, new Blob([/* contents not captured: ${f.size ?? '?'} bytes */], { type: ${js(f.type ?? '')} }), ${js(f.fileName ?? 'blob')});`,
        );
      }
    }
    return { prelude: lines.map((l) => `${indent}${l}`).join('\n') + '\n', expr: 'body' };
  }
  return { prelude: '' };
}

/**
 * The headers as an object literal, names lower-cased. A name given twice is one key with the
 * values joined by `, ` (what a Headers object makes of them: Fetch spec, "combine"; a second key
 * would replace the first). A header named `__proto__` cannot be a key (a literal's
 * `"__proto__": …` sets the prototype, and Node's fetch copies a record key by key, through
 * that same setter): the headers are then a list of `[name, value]` pairs.
 */
function headersObject(headers: Header[]): string {
  if (!headers.length) return '{}';
  const combined = new Map<string, string>();
  for (const [n, v] of headers) {
    const name = n.toLowerCase();
    const before = combined.get(name);
    combined.set(name, before === undefined ? v : `${before}, ${v}`);
  }
  if (combined.has('__proto__')) return `[\n${[...combined].map(([n, v]) => `    [${js(n)}, ${js(v)}]`).join(',\n')}\n  ]`;
  return `{\n${[...combined].map(([n, v]) => `    ${js(n)}: ${js(v)}`).join(',\n')}\n  }`;
}

function formNotes(body: Body, notes: string[]) {
  if (body.kind === 'form' && body.fields.some((f) => f.value === undefined || f.fileName !== undefined)) {
    notes.push('File parts are empty Blobs: their contents were not captured.');
  }
}

/**
 * Copy as fetch: what the page's own `fetch` would have to say for this request — the headers
 * the page set (forbidden header names left out: the browser sets them), `referrer`, `mode` and
 * `credentials` from the capture when known.
 */
export function toFetch(entry: Entry): CopyResult {
  const notes: string[] = [];
  const body = requestBody(entry.request.body);
  bodyNotes(body, notes);
  formNotes(body, notes);
  const skipped: string[] = [];
  const headers = entry.request.headers.filter(([n]) => {
    const lower = n.toLowerCase();
    if (lower.startsWith(':') || isForbidden(lower)) {
      skipped.push(lower);
      return false;
    }
    return !(body.kind === 'form' && lower === 'content-type');
  });
  if (skipped.length) notes.push(`Left out (a page cannot set them): ${[...new Set(skipped)].join(', ')}.`);
  const { prelude, expr } = jsBody(body, '');
  const init = [`  "headers": ${headersObject(headers)}`];
  const referrer = headerValue(sentHeaders(entry), 'referer');
  if (referrer) init.push(`  "referrer": ${js(referrer)}`);
  if (expr) init.push(`  "body": ${expr}`);
  init.push(`  "method": ${js(entry.method)}`);
  const meta = entry.request.meta;
  if (meta?.mode) init.push(`  "mode": ${js(meta.mode)}`);
  if (meta?.credentials) init.push(`  "credentials": ${js(meta.credentials)}`);
  else if (meta?.withCredentials) init.push(`  "credentials": "include"`);
  return { text: `${prelude}fetch(${js(entry.url)}, {\n${init.join(',\n')}\n});`, notes };
}

/** Copy as fetch (Node.js): the headers as sent on the wire (cookies included), minus pseudo, transport and hop-by-hop headers. */
export function toNodeFetch(entry: Entry): CopyResult {
  const notes: string[] = [];
  const body = requestBody(entry.request.body);
  bodyNotes(body, notes);
  formNotes(body, notes);
  const dropped = new Set<string>();
  const headers = sentHeaders(entry).filter(([n]) => {
    const lower = n.toLowerCase();
    if (lower.startsWith(':') || TRANSPORT_HEADERS.has(lower) || HOP_BY_HOP.has(lower)) {
      dropped.add(lower);
      return false;
    }
    return !(body.kind === 'form' && lower === 'content-type');
  });
  if (dropped.size) notes.push(`Left out (fetch sets them itself): ${[...dropped].join(', ')}.`);
  const { prelude, expr } = jsBody(body, '');
  const init = [`  "headers": ${headersObject(headers)}`];
  if (expr) init.push(`  "body": ${expr}`);
  init.push(`  "method": ${js(entry.method)}`);
  return { text: `${prelude}fetch(${js(entry.url)}, {\n${init.join(',\n')}\n});`, notes };
}

/**
 * Copy as HAR entry: the entry as the HAR export writes it (CORS report included, the preflight
 * found among `related`, `wireSince` as corsForEntry takes it), redacted as the export is: the
 * default rules, and `rules` (the extra names typed for the export) when given.
 */
export function toHarEntryText(entry: Entry, related: readonly Entry[] = [entry], wireSince?: number, rules: RedactionRules = {}): CopyResult {
  const byId = new Map<string, Entry>();
  for (const e of related) if (e.id === entry.preflightId || e.id === entry.preflightFor) byId.set(e.id, e);
  byId.set(entry.id, entry);
  const har = exportHar([entry], { version: NETLENS_VERSION, cors: (e) => corsReportOf(e, byId, wireSince), redact: rules });
  const harEntry: HarEntry | undefined = har.log.entries[0];
  const extra = [...(rules.headers ?? []), ...(rules.fields ?? [])].filter((n, i, all) => all.indexOf(n) === i);
  const said = extra.length ? `Secrets are redacted as in the HAR export; so are the extra names ${extra.join(', ')} wherever they occur.` : 'Secrets are redacted as in the HAR export.';
  return { text: JSON.stringify(harEntry, null, 2), notes: har.log._netlens?.redacted ? [said] : [] };
}

/** Copy response: the body as text; bytes that are not UTF-8 as base64 (said in a note). */
export function responseText(entry: Entry): CopyResult {
  const p = entry.response?.body;
  if (!p || p.encoding === 'none' || p.encoding === 'buffer') return { text: '', notes: ['The response body was not captured.'] };
  const notes = p.truncated ? ['The response body was cut at the capture cap: this is the captured part.'] : [];
  if (p.encoding === 'text') return { text: p.data, notes };
  const bytes = base64ToBytes(p.data);
  const text = bytes && utf8Text(bytes);
  if (text !== undefined && text !== null) return { text, notes };
  return { text: p.data, notes: [...notes, 'The response is binary: copied as base64.'] };
}

/**
 * `entry` copied as `format`. `related` (the session's entries) lets the HAR copy find the
 * preflight for its CORS report; `wireSince`: when the tab's wire view started (see
 * corsForEntry); `rules`: extra redaction names for the HAR entry (the export's).
 */
export function copyAs(entry: Entry, format: CopyFormat, related?: readonly Entry[], wireSince?: number, rules?: RedactionRules): CopyResult {
  switch (format) {
    case 'curl':
      return toCurl(entry);
    case 'fetch':
      return toFetch(entry);
    case 'node-fetch':
      return toNodeFetch(entry);
    case 'har':
      return toHarEntryText(entry, related, wireSince, rules);
    case 'response':
      return responseText(entry);
    case 'url':
      return { text: entry.url, notes: [] };
  }
}
