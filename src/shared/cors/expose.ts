// Which response headers page script can read.
// https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name, #concept-filtered-response-cors
import { getHeader, headerNames } from './headers';
import type { HeaderList } from './types';

export const ACEH = 'Access-Control-Expose-Headers';

export const SAFELISTED_RESPONSE_HEADERS = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
];

// https://fetch.spec.whatwg.org/#forbidden-response-header-name — filtered out of every response.
const NEVER_READABLE = ['set-cookie', 'set-cookie2'];

/** basic: same-origin; cors: cross-origin that passed CORS; opaque: no-cors cross-origin. */
export type ResponseTainting = 'basic' | 'cors' | 'opaque';

export interface ExposeInput {
  headers: HeaderList;
  /** Credentials mode "include": `*` in Access-Control-Expose-Headers is then a literal name. */
  credentialed: boolean;
  tainting?: ResponseTainting;
}

export interface ExposeResult {
  /** Lower-cased names, first-seen order. */
  readable: string[];
  hidden: string[];
  /** Parsed Access-Control-Expose-Headers, lower-cased. */
  exposeList: string[];
  /** `*` exposed every header. */
  wildcard: boolean;
}

function parseExposeList(value: string | null): string[] {
  if (value === null) return [];
  return value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
}

export function exposedHeaders(input: ExposeInput): ExposeResult {
  const tainting = input.tainting ?? 'cors';
  const names = headerNames(input.headers);
  const exposeList = parseExposeList(getHeader(input.headers, ACEH));
  const wildcard = tainting === 'cors' && !input.credentialed && exposeList.includes('*');
  const isReadable = (n: string): boolean => {
    if (NEVER_READABLE.includes(n) || tainting === 'opaque') return false;
    if (tainting === 'basic' || wildcard) return true;
    return SAFELISTED_RESPONSE_HEADERS.includes(n) || exposeList.includes(n);
  };
  return {
    readable: names.filter(isReadable),
    hidden: names.filter((n) => !isReadable(n)),
    exposeList,
    wildcard,
  };
}

/** Why getResponseHeader(name) / headers.get(name) gave the page null. */
export function explainHiddenRead(name: string, context?: ExposeInput): string {
  const lower = name.toLowerCase();
  if (NEVER_READABLE.includes(lower)) {
    return `${name} is never readable from script (a forbidden response header name); the browser stores the cookie itself.`;
  }
  const safelist = 'Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma';
  const advice = `it is not a CORS-safelisted response header (${safelist}) and is not listed in ${ACEH}`;
  if (!context) {
    return `On a cross-origin response ${name} is readable only if it is CORS-safelisted (${safelist}) ` +
      `or listed in ${ACEH}: add \`${ACEH}: ${lower}\` to the response.`;
  }
  const tainting = context.tainting ?? 'cors';
  if (tainting === 'opaque') {
    return `The response is opaque (mode 'no-cors'): no header, status or body is readable; use mode 'cors' and have the server allow it.`;
  }
  if (getHeader(context.headers, lower) === null) {
    return `The response has no ${name} header at all, so the page got null; the server did not send it.`;
  }
  const result = exposedHeaders(context);
  if (result.readable.includes(lower)) {
    return `${name} is readable on this response; a null read means it was made before the headers arrived or on another response.`;
  }
  const existing = getHeader(context.headers, ACEH);
  if (context.credentialed && result.exposeList.includes('*')) {
    return `${name} is hidden: the request is credentialed, so \`${ACEH}: *\` is a literal name, not a wildcard; ` +
      `change it to \`${ACEH}: ${[...result.exposeList.filter((n) => n !== '*'), lower].join(', ')}\`.`;
  }
  const fix = existing
    ? `change \`${ACEH}: ${existing}\` to \`${ACEH}: ${existing}, ${lower}\``
    : `add \`${ACEH}: ${lower}\` to the response`;
  return `${name} is hidden: ${advice}; ${fix}.`;
}
