import type { HeaderList } from './types';

// https://fetch.spec.whatwg.org/#http-whitespace (tab, LF, CR, space)
const HTTP_WS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

export function trimHttpWhitespace(value: string): string {
  return value.replace(HTTP_WS, '');
}

/** The value a header list "gets" for `name`: every value, trimmed, joined by ", "; null if absent. */
export function getHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === lower) values.push(trimHttpWhitespace(v));
  return values.length === 0 ? null : values.join(', ');
}

export function countHeader(headers: HeaderList, name: string): number {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).length;
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
