/**
 * One entry point for a request/response body: pick the decoder from the Content-Type, and sniff
 * when the type is missing, generic (`application/octet-stream`, `text/plain`) or lies (JSON sent
 * as text/html; an HTML error page sent as application/json). Markup is only ever shown as text.
 *
 * Order when sniffing: empty → file signature (magic.ts) → binary bytes (WHATWG "binary data
 * byte") → JSON → multipart boundary line → event-stream → NDJSON → form-urlencoded → XML/HTML/plain text.
 * Bounds: text decoding stops at `maxTextBytes` (16 MiB); previews are `previewBytes` (256); each
 * decoder applies its own caps (see its file). Never throws; every result carries `raw`.
 */
import { encodeUtf8 } from '../bytes';
import { parseContentType, type ContentType } from './header-params';
import { hexPreview, type HexPreview } from './hex';
import { parseJson, sniffJson, stripXssiPrefix, type JsonResult } from './json';
import { parseJsonp, type JsonpResult } from './jsonp';
import { looksBinary, sniffMagic } from './magic';
import { isTextual, parseMultipart, sniffMultipartBoundary, type MultipartResult } from './multipart';
import { parseNdjson, sniffNdjson } from './ndjson';
import { parseSse } from './sse';
import { decodeText, TEXT_MAX_BYTES } from './text';
import { parseUrlencoded, sniffUrlencoded, type UrlencodedResult } from './urlencoded';
import { imageSize } from './image-size';

export interface BodyInput {
  bytes?: Uint8Array;
  text?: string;
  contentType?: string;
}

export interface BodyOptions {
  maxTextBytes?: number;
  previewBytes?: number;
}

export type TextSyntax = 'plain' | 'html' | 'xml' | 'svg' | 'javascript' | 'css' | 'csv' | 'markdown' | 'yaml' | 'graphql';

interface BodyBase {
  /** Declared media type (lower case, no parameters), when a valid one was given. */
  declared?: string;
  /** True when the format came from looking at the body rather than from the declared type. */
  sniffed: boolean;
  /** Why the declared type was not followed, e.g. `declared application/json, but the body is HTML`. */
  note?: string;
  /** Bytes (when given bytes) or UTF-8 bytes of the given text. */
  size: number;
  raw: Uint8Array | string;
}

export type DecodedBody = BodyBase &
  (
    | { format: 'empty' }
    | { format: 'json'; result: JsonResult; xssiPrefix?: string }
    | { format: 'urlencoded'; result: UrlencodedResult }
    | { format: 'multipart'; result: MultipartResult }
    | { format: 'event-stream'; result: ReturnType<typeof parseSse> }
    | { format: 'ndjson'; result: ReturnType<typeof parseNdjson> }
    | { format: 'jsonp'; result: Extract<JsonpResult, { ok: true }> }
    | { format: 'text'; syntax: TextSyntax; text: string; charset: string; replacements: number; truncated: boolean }
    | { format: 'image'; mime: string; label?: string; width?: number; height?: number; preview: HexPreview }
    | { format: 'binary'; mime?: string; label?: string; preview: HexPreview }
  );

type Format = DecodedBody['format'];

const JSON_TYPES = /^(?:application\/(?:json|x-json|jsonrequest|csp-report|reports\+json)|text\/(?:json|x-json))$/;
const NDJSON_TYPES = /^application\/(?:x-)?(?:ndjson|jsonl|jsonlines|json-lines|x-jsonl)$/;
const JS_TYPES = /^(?:text|application)\/(?:javascript|x-javascript|ecmascript|jscript|x-ecmascript)$/;

export function decodeBody(input: BodyInput, options: BodyOptions = {}): DecodedBody {
  try {
    return new BodyDecoder(input, options).decode();
  } catch (e) {
    const raw = input.bytes ?? input.text ?? '';
    const preview = hexPreview(typeof raw === 'string' ? encodeUtf8(raw.slice(0, 256)) : raw, options.previewBytes);
    return { format: 'binary', sniffed: true, note: `could not decode: ${String(e)}`, size: raw.length, raw, preview };
  }
}

class BodyDecoder {
  private readonly ct: ContentType | undefined;
  private readonly raw: Uint8Array | string;
  private bytesCache: Uint8Array | undefined;
  private textCache: { text: string; charset: string; replacements: number; truncated: boolean } | undefined;
  private jsonCache: { result: JsonResult; prefix?: string } | undefined;
  private readonly base: BodyBase;

  constructor(
    private readonly input: BodyInput,
    private readonly options: BodyOptions,
  ) {
    this.ct = parseContentType(input.contentType);
    this.raw = input.bytes ?? input.text ?? new Uint8Array(0);
    this.bytesCache = input.bytes;
    this.base = { sniffed: false, size: input.bytes !== undefined ? input.bytes.length : utf8Length(input.text ?? ''), raw: this.raw };
    if (this.ct !== undefined) this.base.declared = this.ct.mime;
  }

  decode(): DecodedBody {
    if (this.base.size === 0) return { ...this.base, format: 'empty' };
    const declaredKind = this.formatFromType();
    if (declaredKind !== undefined) {
      const result = this.as(declaredKind);
      if (result !== undefined && isGood(result)) return result;
      // The declared decoder failed: does the body say what it is?
      const sniffedKind = this.sniff(true);
      const other = sniffedKind !== declaredKind ? this.as(sniffedKind) : undefined;
      if (other !== undefined && isGood(other) && (other.format !== 'text' || other.syntax !== 'plain' || result === undefined)) {
        return this.noted(other);
      }
      if (result !== undefined) return result;
    }
    const generic = this.genericFormat();
    const result = this.as(this.sniff(generic !== 'text')) ?? this.asText();
    result.sniffed = true;
    return generic === undefined ? result : this.noted(result, generic);
  }

  private noted(body: DecodedBody, expected?: Format): DecodedBody {
    body.sniffed = true;
    if (this.ct !== undefined && body.format !== expected) body.note = `declared ${this.ct.mime}, but the body is ${describe(body)}`;
    return body;
  }

  /** For types used for anything (text/plain, text/html, octet-stream): what they claim; undefined without a type. */
  private genericFormat(): Format | undefined {
    if (this.ct === undefined) return undefined;
    return this.ct.type === 'text' ? 'text' : 'binary';
  }

  /** Format from the declared type; undefined when the type says nothing useful. */
  private formatFromType(): Format | undefined {
    const ct = this.ct;
    if (ct === undefined) return undefined;
    const { mime, type, suffix } = ct;
    if (JSON_TYPES.test(mime) || (suffix === 'json' && !NDJSON_TYPES.test(mime))) return 'json';
    if (NDJSON_TYPES.test(mime)) return 'ndjson';
    if (mime === 'application/x-www-form-urlencoded') return 'urlencoded';
    if (type === 'multipart') return 'multipart';
    if (mime === 'text/event-stream') return 'event-stream';
    if (JS_TYPES.test(mime)) return 'jsonp';
    if (mime === 'image/svg+xml') return 'text';
    if (type === 'image') return 'image';
    if (isTextual(mime, suffix) && mime !== 'text/plain' && mime !== 'text/html') return 'text';
    // text/plain, text/html, octet-stream, audio/*, application/vnd.*…: often used for anything.
    return undefined;
  }

  /**
   * Format from the bytes themselves. `anything` false (a declared text/* type): only JSON,
   * NDJSON and event streams are recognised in the text, not forms or multipart.
   */
  private sniff(anything: boolean): Format {
    const bytes = this.input.bytes;
    if (bytes !== undefined) {
      const magic = sniffMagic(bytes);
      if (magic !== undefined) return magic.mime.startsWith('image/') ? 'image' : 'binary';
      if (looksBinary(bytes)) return 'binary';
    }
    const text = this.text().text;
    if (sniffJson(text) && this.json().result.ok) return 'json';
    if (sniffEventStream(text)) return 'event-stream';
    if (sniffNdjson(text)) return 'ndjson';
    if (!anything) return 'text';
    if (sniffMultipartBoundary(this.bytes()) !== undefined) return 'multipart';
    if (sniffUrlencoded(text)) return 'urlencoded';
    return 'text';
  }

  private as(format: Format): DecodedBody | undefined {
    const base = { ...this.base };
    switch (format) {
      case 'empty':
        return { ...base, format };
      case 'json': {
        const { result, prefix } = this.json();
        return prefix !== undefined ? { ...base, format, result, xssiPrefix: prefix } : { ...base, format, result };
      }
      case 'urlencoded':
        return { ...base, format, result: parseUrlencoded(this.input.bytes ?? this.text().text) };
      case 'multipart':
        return { ...base, format, result: parseMultipart(this.bytes(), this.input.contentType) };
      case 'event-stream':
        return { ...base, format, result: parseSse(this.input.bytes ?? this.text().text) };
      case 'ndjson':
        return { ...base, format, result: parseNdjson(this.input.bytes ?? this.text().text) };
      case 'jsonp': {
        const text = this.text().text;
        const result = parseJsonp(text);
        if (result.ok && result.trailing === undefined && result.args.length > 0 && result.args.every((a) => a.json !== undefined)) {
          return { ...base, format, result };
        }
        return this.asText('javascript');
      }
      case 'text':
        return this.asText();
      case 'image': {
        const bytes = this.bytes();
        const magic = sniffMagic(bytes);
        const preview = hexPreview(bytes, this.options.previewBytes);
        if (magic === undefined || !magic.mime.startsWith('image/')) {
          if (this.input.bytes === undefined || !looksBinary(bytes)) return undefined;
          return { ...base, format, mime: this.ct?.mime ?? 'image/unknown', preview };
        }
        const body: DecodedBody = { ...base, format, mime: magic.mime, label: magic.label, preview };
        const size = imageSize(bytes, magic.mime);
        if (size !== undefined) Object.assign(body, size);
        if (this.ct?.type === 'image' && this.ct.mime !== magic.mime) body.note = `declared ${this.ct.mime}, but the body is ${magic.label}`;
        return body;
      }
      case 'binary': {
        const bytes = this.bytes();
        const magic = sniffMagic(bytes);
        const body: DecodedBody = { ...base, format, preview: hexPreview(bytes, this.options.previewBytes) };
        if (magic !== undefined) {
          body.mime = magic.mime;
          body.label = magic.label;
        } else if (this.ct !== undefined) {
          body.mime = this.ct.mime;
        }
        return body;
      }
    }
  }

  private asText(syntax?: TextSyntax): DecodedBody {
    const t = this.text();
    return { ...this.base, format: 'text', syntax: syntax ?? syntaxOf(this.ct?.mime, t.text), ...t };
  }

  /**
   * The body parsed as JSON (once: sniffing and decoding share it), after an anti-XSSI guard.
   * Bytes are read as UTF-8 whatever charset the type declares (RFC 8259 §8.1 and §11: JSON is
   * UTF-8 and a charset parameter has no effect; Fetch's json() decodes UTF-8 too); a BOM still wins.
   */
  private json(): { result: JsonResult; prefix?: string } {
    if (this.jsonCache !== undefined) return this.jsonCache;
    const { text: full, truncated } = this.jsonText();
    if (truncated) {
      this.jsonCache = { result: { ok: false, error: `could not decode: body is larger than ${this.maxText()} bytes`, offset: 0, raw: full } };
    } else {
      const { text, prefix } = stripXssiPrefix(full);
      this.jsonCache = prefix !== undefined ? { result: parseJson(text), prefix } : { result: parseJson(text) };
    }
    return this.jsonCache;
  }

  private jsonText(): { text: string; truncated: boolean } {
    const t = this.text();
    if (this.input.bytes === undefined || t.charset === 'utf-8') return t;
    return decodeText(this.input.bytes, 'utf-8', { maxBytes: this.maxText() });
  }

  private maxText(): number {
    return this.options.maxTextBytes ?? TEXT_MAX_BYTES;
  }

  private bytes(): Uint8Array {
    this.bytesCache ??= encodeUtf8(this.input.text ?? '');
    return this.bytesCache;
  }

  private text(): { text: string; charset: string; replacements: number; truncated: boolean } {
    if (this.textCache !== undefined) return this.textCache;
    if (this.input.bytes === undefined) {
      const full = this.input.text ?? '';
      const truncated = full.length > this.maxText();
      this.textCache = { text: truncated ? full.slice(0, this.maxText()) : full, charset: 'utf-16', replacements: 0, truncated };
    } else {
      const t = decodeText(this.input.bytes, this.ct?.params.charset, { maxBytes: this.maxText() });
      this.textCache = { text: t.text, charset: t.charset, replacements: t.replacements, truncated: t.truncated };
    }
    return this.textCache;
  }
}

/** A decoding that worked well enough to show instead of trying another format. */
function isGood(body: DecodedBody): boolean {
  switch (body.format) {
    case 'json':
    case 'urlencoded':
    case 'multipart':
    case 'ndjson':
      return body.result.ok;
    case 'event-stream':
      return body.result.records.some((r) => r.kind === 'event' || r.kind === 'comment' || r.kind === 'retry');
    default:
      return true;
  }
}

function describe(body: DecodedBody): string {
  switch (body.format) {
    case 'text':
      return body.syntax === 'plain' ? 'plain text' : body.syntax.toUpperCase();
    case 'image':
    case 'binary':
      return body.label ?? body.mime ?? 'binary data';
    case 'event-stream':
      return 'an event stream';
    default:
      return body.format.toUpperCase();
  }
}

/** A text/event-stream body: its first lines are `field: value` lines of the event-stream grammar. */
export function sniffEventStream(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\ufeff/, '');
  const lines = head.split(/\r\n|\r|\n/).slice(0, 16);
  if (head.length === text.length || lines.length > 1) lines.pop();
  let fields = 0;
  let blank = false;
  for (const line of lines) {
    if (line === '') {
      blank = true;
      continue;
    }
    if (/^(?:data|event|id|retry)(?::|$)/.test(line)) fields++;
    else if (!line.startsWith(':')) return false;
  }
  return fields > 0 && (blank || lines.length === 0);
}

function syntaxOf(mime: string | undefined, text: string): TextSyntax {
  if (mime !== undefined) {
    if (mime === 'image/svg+xml') return 'svg';
    if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
    if (mime.endsWith('/xml') || mime.endsWith('+xml')) return 'xml';
    if (JS_TYPES.test(mime)) return 'javascript';
    if (mime === 'text/css') return 'css';
    if (mime === 'text/csv') return 'csv';
    if (mime === 'text/markdown') return 'markdown';
    if (/(?:^|\/|-)yaml$/.test(mime)) return 'yaml';
    if (mime === 'application/graphql') return 'graphql';
  }
  const start = text.slice(0, 512).replace(/^[\ufeff\s]+/, '').toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || /^<(?:head|body|div|p|script|meta)\b/.test(start)) return 'html';
  if (start.startsWith('<svg')) return 'svg';
  if (start.startsWith('<?xml') || /^<[a-z_][\w.:-]*[\s>/]/.test(start)) return 'xml';
  return 'plain';
}

function utf8Length(text: string): number {
  let n = text.length;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < text.length && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      k++;
    } else n += 2;
  }
  return n;
}
