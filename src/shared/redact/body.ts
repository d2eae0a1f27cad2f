import { decodeQueryPart } from '../har/headers';
import { base64ToBytes, encodeUtf8, toBase64, utf8Text } from '../bytes';
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

/** A body, message or field in any format: its structure first (JSON, form, multipart, SSE), then shapes. */
export function scrubBody(ctx: Ctx, at: At, text: string, mimeType?: string): string {
  if (!text) return text;
  const mime = mimeOf(mimeType);
  let out = text;
  if (OPAQUE.test(mime)) return scrubText(ctx, at, out);
  if (mime.startsWith('multipart/')) out = scrubMultipart(ctx, at, out, mimeType ?? '');
  else if (mime === 'text/event-stream') out = scrubEventStream(ctx, at, out);
  else if (mime === 'application/x-www-form-urlencoded' || (!mime.includes('json') && text.length < 1_000_000 && FORM_LIKE.test(text))) {
    out = scrubForm(ctx, at, out);
  } else if (mime.includes('json') || looksLikeJson(out)) {
    // Every string of the JSON is scanned by shape as it goes; keys and numbers hold no tokens.
    return redactJsonText(ctx, at, out);
  }
  return scrubText(ctx, at, out);
}

/** Base64 bytes: redacted as text when they are UTF-8, left alone when binary. */
export function scrubEncoded(ctx: Ctx, at: At, base64: string, mimeType?: string): string {
  const bytes = base64ToBytes(base64);
  const text = bytes && utf8Text(bytes);
  // eslint-disable-next-line no-control-regex
  if (text === undefined || /[\x00-\x08\x0e-\x1f]/.test(text)) return base64;
  const next = scrubBody(ctx, at, text, mimeType);
  return next === text ? base64 : toBase64(encodeUtf8(next));
}

/** `a=1&password=2`: credential-named values go, by name. */
function scrubForm(ctx: Ctx, at: At, text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) return pair;
      const name = decodeQueryPart(pair.slice(0, eq));
      const raw = pair.slice(eq + 1);
      return ctx.m.query(name) ? `${pair.slice(0, eq)}=${maskEncoded(ctx, at, name, raw, decodeQueryPart(raw))}` : pair;
    })
    .join('&');
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
    const next = !isFile && ctx.m.field(name) ? mask(ctx, partAt, name, content) : scrubBody(ctx, partAt, content, type);
    pieces[k] = head + sep + next + trail;
  }
  return pieces.join(delimiter);
}
