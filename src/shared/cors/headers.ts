import { headerValues, type HeaderList } from '../headers';

// https://fetch.spec.whatwg.org/#http-whitespace (tab, LF, CR, space)
const HTTP_WS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

export function trimHttpWhitespace(value: string): string {
  return value.replace(HTTP_WS, '');
}

/**
 * Fetch's "get" (https://fetch.spec.whatwg.org/#concept-header-list-get): every value, trimmed of
 * HTTP whitespace (header lists hold normalized values), joined by ", "; null if absent.
 */
export function getHeader(headers: HeaderList, name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 0 ? null : values.map(trimHttpWhitespace).join(', ');
}

/** Fetch's "combine": one entry per lower-cased name, in first-seen order, values joined by ", ". */
export function combineHeaders(headers: HeaderList): Array<[name: string, value: string]> {
  const out = new Map<string, string[]>();
  for (const [n, v] of headers) {
    const lower = n.toLowerCase();
    const list = out.get(lower);
    if (list) list.push(trimHttpWhitespace(v));
    else out.set(lower, [trimHttpWhitespace(v)]);
  }
  return [...out].map(([n, vs]) => [n, vs.join(', ')]);
}

/** Distinct lower-cased names, in first-seen order. */
export function headerNames(headers: HeaderList): string[] {
  return [...new Set(headers.map(([n]) => n.toLowerCase()))];
}

// https://httpwg.org/specs/rfc9110.html#tokens
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** `0x22 '"'` for printable bytes, `0x0A` otherwise. */
export function describeByte(code: number): string {
  const hex = `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return code >= 0x20 && code < 0x7f ? `${hex} '${String.fromCharCode(code)}'` : hex;
}
