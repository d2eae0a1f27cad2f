import type { Header as HarHeader, QueryString } from 'har-format';
import { headerValues } from '../headers';
import type { Header } from '../protocol';
import { harText, obj } from './read';
import type { HarCookie } from './types';

export function toHarHeaders(headers: Header[]): HarHeader[] {
  return headers.map(([name, value]) => ({ name, value }));
}

/**
 * HAR headers `[{ name, value }]` → `[name, value]` pairs. A name or value that is a number or
 * boolean is read as its text; a header whose name or value is anything else (null, missing, an
 * object, an array), or an item that is no object, is left out and counted in one warning for the
 * list (`where`, e.g. `request.headers`): its text was never on the wire, and "[object Object]" or
 * JSON text in its place would be shown, and exported again, as what went out. A list that is no
 * array reads as none, as any field of the wrong type.
 */
export function fromHarHeaders(headers: unknown, where: string, warn: (message: string) => void): Header[] {
  if (!Array.isArray(headers)) return [];
  const out: Header[] = [];
  let left = 0;
  for (const raw of headers) {
    const h = obj(raw);
    const name = harText(h?.name);
    const value = harText(h?.value);
    if (name === undefined || value === undefined) left++;
    else out.push([name, value]);
  }
  if (left) warn(`${where}: ${left} header(s) left out (name or value not text)`);
  return out;
}

export function sameHeaders(a: Header[], b: Header[]): boolean {
  return a.length === b.length && a.every(([n, v], k) => n === b[k][0] && v === b[k][1]);
}

/** sameHeaders of two lists as a HAR writes them (`[{ name, value }]`). */
export function sameHarHeaders(a: readonly HarHeader[], b: readonly HarHeader[]): boolean {
  return a.length === b.length && a.every((h, k) => h.name === b[k].name && h.value === b[k].value);
}

/** `a=1; b=2` → cookies. */
export function requestCookies(headers: Header[]): HarCookie[] {
  const out: HarCookie[] = [];
  for (const value of headerValues(headers, 'cookie')) {
    for (const piece of value.split(';')) {
      const eq = piece.indexOf('=');
      if (eq <= 0) continue;
      out.push({ name: piece.slice(0, eq).trim(), value: piece.slice(eq + 1).trim() });
    }
  }
  return out;
}

/** Set-Cookie headers (one per header, or several joined by newlines as webRequest may) → cookies. */
export function responseCookies(headers: Header[]): HarCookie[] {
  const out: HarCookie[] = [];
  for (const value of headerValues(headers, 'set-cookie')) {
    for (const line of value.split('\n')) {
      const cookie = parseSetCookie(line);
      if (cookie) out.push(cookie);
    }
  }
  return out;
}

function parseSetCookie(line: string): HarCookie | undefined {
  const [first, ...attrs] = line.split(';');
  const eq = first.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: HarCookie = { name: first.slice(0, eq).trim(), value: first.slice(eq + 1).trim() };
  for (const attr of attrs) {
    const at = attr.indexOf('=');
    const key = (at >= 0 ? attr.slice(0, at) : attr).trim().toLowerCase();
    const val = at >= 0 ? attr.slice(at + 1).trim() : '';
    if (key === 'path') cookie.path = val;
    else if (key === 'domain') cookie.domain = val;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'samesite') cookie.sameSite = val;
    else if (key === 'expires') {
      const ms = Date.parse(val);
      if (Number.isFinite(ms)) cookie.expires = new Date(ms).toISOString();
    }
  }
  return cookie;
}

/** The query of a URL as decoded name/value pairs (`+` is a space, bad escapes stay as they are). */
export function queryString(url: string): QueryString[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const out: QueryString[] = [];
  for (const piece of query.split('&')) {
    if (!piece) continue;
    const eq = piece.indexOf('=');
    out.push({ name: decodeQueryPart(eq < 0 ? piece : piece.slice(0, eq)), value: decodeQueryPart(eq < 0 ? '' : piece.slice(eq + 1)) });
  }
  return out;
}

export function decodeQueryPart(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** "HTTP/1.1 404 Not Found" → "HTTP/1.1"; "404 Not Found" → "". */
export function httpVersionOf(statusLine: string | undefined): string {
  const m = statusLine ? /^(HTTP\/[\d.]+)\s/i.exec(statusLine) : null;
  return m ? m[1] : '';
}

export function statusTextOf(statusLine: string | undefined): string {
  const m = statusLine ? /^\S+\s+\d{3}\s*(.*)$/.exec(statusLine) : null;
  return m ? m[1] : '';
}
