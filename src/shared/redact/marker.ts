/**
 * A redacted value becomes `[redacted:LO-HI]`: the original was LO ≤ length < HI characters, with
 * LO and HI powers of two (`[redacted:32-64]` for a 40-character token). The length class tells a
 * reader roughly what was there (a PIN, a session id, a JWT) without the value. Inside URLs the
 * same marker is percent-encoded (`%5Bredacted%3A32-64%5D`), so a URL stays a URL.
 */
export type RedactionWhere = 'url' | 'header' | 'cookie' | 'query' | 'body' | 'param' | 'message' | 'meta' | 'page' | 'other';

export interface RedactionFinding {
  /** The entry's id (`_netlens.id`), or its index in the HAR when it has none. */
  entryId?: string;
  where: RedactionWhere;
  /** Header, cookie, parameter or field name, or what was recognised: jwt, bearer, basic, userinfo, token, pattern, known secret (a value masked elsewhere). */
  name: string;
  /** Where in the HAR entry, e.g. `request.headers[3]`, `response.content.text`. */
  path: string;
  /** A short masked sample: first characters and the length, never the whole value. */
  sample: string;
}

const MARKER = /^\[redacted:\d+-\d+\]$/;

export function lengthClass(length: number): string {
  let lo = 1;
  while (lo * 2 <= length) lo *= 2;
  return `${lo}-${lo * 2}`;
}

export function marker(value: string): string {
  return `[redacted:${lengthClass(value.length)}]`;
}

export function isMarker(value: string): boolean {
  return MARKER.test(value);
}

export function urlMarker(value: string): string {
  return encodeURIComponent(marker(value));
}

export function sample(value: string): string {
  const head = value.length >= 16 ? value.slice(0, 4) : '';
  return `${head}… (${value.length} chars)`;
}
