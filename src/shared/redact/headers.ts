import { base64ToBytes, encodeUtf8, toBase64, utf8Text } from '../bytes';
import type { At, Ctx } from './context';
import { mask, maskAfterScheme } from './context';
import { scrubUrl } from './body';
import { redactJsonText } from './json';
import { scrubText } from './text';

interface NameValue {
  name: string;
  value: string;
}

/**
 * `text` as its leading white space, the rest, and its trailing white space (String.prototype.trim's
 * white space, as `\s`'s). Not a regular expression: `^(\s*)([\s\S]*?)(\s*)$` takes time in the
 * square of a long run of inner spaces (a server's header of 256 KiB took seconds).
 */
function splitSpaces(text: string): [lead: string, core: string, trail: string] {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return end <= start ? [text, '', ''] : [text.slice(0, start), text.slice(start, end), text.slice(end)];
}

/**
 * One cookie, `name=value` or a bare `value` (a cookie with an empty name, as Chromium sends and
 * servers may set it): the value masked, without the spaces around it (as the HAR cookie lists
 * have it).
 */
function maskCookie(ctx: Ctx, at: At, header: string, piece: string): string {
  const eq = piece.indexOf('=');
  const name = eq < 0 ? '' : piece.slice(0, eq);
  const rest = eq < 0 ? piece : piece.slice(eq + 1);
  const [lead, value, trail] = splitSpaces(rest);
  const label = name.trim() ? `${header}: ${name.trim()}` : header;
  return `${eq < 0 ? '' : `${name}=`}${lead}${mask(ctx, at, label, value)}${trail}`;
}

/** Kubernetes' bearer token sub-protocol: the prefix, then the token in base64url. */
const K8S_BEARER = /^(base64url\.bearer\.authorization\.k8s\.io\.)(.+)$/i;
/** AWS AppSync's real-time sub-protocol: `header-` and the base64url of a JSON object of headers. */
const APPSYNC_HEADER = /^(header-)([A-Za-z0-9+/_-]+={0,2})$/;

/**
 * A WebSocket's sub-protocols (RFC 6455 §4.1: `Sec-WebSocket-Protocol`, the page's requested list,
 * the one the server chose) where some carry a credential: Kubernetes'
 * `base64url.bearer.authorization.k8s.io.<token>` keeps its prefix and loses the token; AWS
 * AppSync's `header-<base64url JSON>` is decoded, its JSON redacted (its `Authorization`,
 * `x-api-key`, `x-amz-security-token`) and encoded again in the same alphabet; the protocol after a
 * credential-named one (`['access_token', '<token>']`, a common way to send a token from a browser,
 * which cannot set headers on a WebSocket) goes whole. Every one is also scanned by shape.
 */
export function scrubSubprotocols(ctx: Ctx, at: At, list: readonly string[]): string[] {
  return list.map((raw, k) => {
    const [lead, protocol, trail] = splitSpaces(raw);
    const k8s = K8S_BEARER.exec(protocol);
    if (k8s) return `${lead}${k8s[1]}${mask(ctx, at, 'k8s bearer token', k8s[2])}${trail}`;
    if (k > 0 && ctx.m.field(list[k - 1].trim()) && !K8S_BEARER.test(list[k - 1].trim())) return `${lead}${mask(ctx, at, list[k - 1].trim(), protocol)}${trail}`;
    const appsync = APPSYNC_HEADER.exec(protocol);
    const json = appsync && base64ToBytes(appsync[2]);
    const text = json && utf8Text(json);
    if (appsync && text?.trimStart().startsWith('{')) {
      const next = redactJsonText(ctx, at, text);
      if (next === text) return raw;
      const b64 = toBase64(encodeUtf8(next));
      const encoded = /[+/=]/.test(appsync[2]) ? b64 : b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
      return `${lead}${appsync[1]}${encoded}${trail}`;
    }
    return scrubText(ctx, at, raw);
  });
}

/** Headers whose value is a URL: scanned as one (its query and fragment pairs masked whole). */
const URL_HEADERS = /^(?:location|content-location|referer)$/i;

/** `Authorization: Bearer x` keeps its scheme; cookies keep their names and attributes. */
export function redactHeaderValue(ctx: Ctx, at: At, name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'sec-websocket-protocol') return scrubSubprotocols(ctx, at, value.split(',')).join(',');
  if (!ctx.m.header(name)) return URL_HEADERS.test(name) ? scrubUrl(ctx, at, value) : scrubText(ctx, at, value);
  if (lower === 'cookie' || lower === 'cookie2') {
    return value
      .split(';')
      .map((piece) => maskCookie(ctx, at, name, piece))
      .join(';');
  }
  if (lower === 'set-cookie' || lower === 'set-cookie2') {
    // One cookie per line; its attributes (after the first `;`) stay.
    return value
      .split('\n')
      .map((line) => {
        const semi = line.indexOf(';');
        return semi < 0 ? maskCookie(ctx, at, name, line) : maskCookie(ctx, at, name, line.slice(0, semi)) + line.slice(semi);
      })
      .join('\n');
  }
  return /authorization/i.test(lower) ? maskAfterScheme(ctx, at, name, value) : mask(ctx, at, name, value);
}

export function redactHeaderList(ctx: Ctx, path: string, list: unknown): void {
  if (!Array.isArray(list)) return;
  list.forEach((h: NameValue, k) => {
    if (h && typeof h.name === 'string' && typeof h.value === 'string') {
      h.value = redactHeaderValue(ctx, { where: 'header', path: `${path}[${k}]` }, h.name, h.value);
    }
  });
}

export function redactCookieList(ctx: Ctx, path: string, list: unknown): void {
  if (!Array.isArray(list)) return;
  list.forEach((c: NameValue, k) => {
    if (c && typeof c.value === 'string') c.value = mask(ctx, { where: 'cookie', path: `${path}[${k}]` }, String(c.name), c.value);
  });
}
