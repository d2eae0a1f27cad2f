// https://fetch.spec.whatwg.org/#cors-safelisted-request-header, plus the names Chromium adds
// (Intervention and the legacy client hints; Sec-CH-* are forbidden to scripts anyway).
import { describeByte, isToken, trimHttpWhitespace } from './headers';

/** Why a request header is not CORS-safelisted. */
export type UnsafeWhy =
  | { rule: 'name' }
  | { rule: 'too-long'; bytes: number }
  | { rule: 'unsafe-byte'; byte: string }
  | { rule: 'disallowed-byte'; byte: string }
  | { rule: 'content-type-essence'; essence: string }
  | { rule: 'content-type-unparsable' }
  | { rule: 'range'; problem: string }
  | { rule: 'client-hint'; expected: string }
  | { rule: 'total-too-long'; total: number };

export const MAX_VALUE_BYTES = 128;
export const MAX_TOTAL_BYTES = 1024;

const SAFE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

// https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
function firstUnsafeByte(value: string): number | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || '"():<>?@[\\]{}'.includes(value[i]!)) return c;
  }
  return null;
}

const LANGUAGE_BYTE = /[0-9A-Za-z *,\-.;=]/;

function firstNonLanguageByte(value: string): number | null {
  for (let i = 0; i < value.length; i++) if (!LANGUAGE_BYTE.test(value[i]!)) return value.charCodeAt(i);
  return null;
}

/** https://mimesniff.spec.whatwg.org/#parse-a-mime-type, essence only; null on failure. */
export function mimeEssence(value: string): string | null {
  const v = trimHttpWhitespace(value);
  const slash = v.indexOf('/');
  if (slash <= 0) return null;
  const type = v.slice(0, slash);
  const rest = v.slice(slash + 1);
  const semi = rest.indexOf(';');
  const subtype = (semi < 0 ? rest : rest.slice(0, semi)).replace(/[\t\n\r ]+$/, '');
  if (!isToken(type) || !isToken(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}

/** https://fetch.spec.whatwg.org/#simple-range-header-value — null when simple, else the problem. */
export function rangeProblem(value: string): string | null {
  if (value.includes(',')) return 'it has more than one range';
  if (/[\t ]/.test(value)) return 'it contains whitespace';
  const m = /^bytes=(\d*)-(\d*)$/i.exec(value);
  if (!m) return 'it is not of the form bytes=start-[end]';
  const [, start, end] = m;
  if (start === '') return end === '' ? 'it has no start and no end' : 'it is a suffix range';
  if (end !== '' && BigInt(start!) > BigInt(end!)) return 'its start is after its end';
  return null;
}

const CLIENT_HINTS: Record<string, { valid: (v: string) => boolean; expected: string }> = {
  dpr: { valid: (v) => /^\d+(\.\d+)?$/.test(v), expected: 'a number like 2 or 1.5' },
  'device-memory': { valid: (v) => /^\d+(\.\d+)?$/.test(v), expected: 'a number like 8 or 0.5' },
  downlink: { valid: (v) => /^\d+(\.\d+)?$/.test(v), expected: 'a number like 10 or 1.5' },
  width: { valid: (v) => /^\d+$/.test(v), expected: 'whole digits like 640' },
  'viewport-width': { valid: (v) => /^\d+$/.test(v), expected: 'whole digits like 1280' },
  rtt: { valid: (v) => /^\d+$/.test(v), expected: 'whole digits like 50' },
  ect: { valid: (v) => ['slow-2g', '2g', '3g', '4g'].includes(v), expected: 'one of slow-2g, 2g, 3g, 4g' },
  'save-data': { valid: (v) => v.toLowerCase() === 'on', expected: 'on' },
  intervention: { valid: () => true, expected: 'any value' },
};

/** null when (name, value) is CORS-safelisted on its own (the 1024-byte total is checked by the caller). */
export function unsafeWhy(name: string, value: string): UnsafeWhy | null {
  const lower = name.toLowerCase();
  const hint = CLIENT_HINTS[lower];
  const known = hint || ['accept', 'accept-language', 'content-language', 'content-type', 'range'].includes(lower);
  if (!known) return { rule: 'name' };
  if (value.length > MAX_VALUE_BYTES) return { rule: 'too-long', bytes: value.length };
  if (hint) return hint.valid(value) ? null : { rule: 'client-hint', expected: hint.expected };
  switch (lower) {
    case 'accept': {
      const b = firstUnsafeByte(value);
      return b === null ? null : { rule: 'unsafe-byte', byte: describeByte(b) };
    }
    case 'accept-language':
    case 'content-language': {
      const b = firstNonLanguageByte(value);
      return b === null ? null : { rule: 'disallowed-byte', byte: describeByte(b) };
    }
    case 'content-type': {
      const b = firstUnsafeByte(value);
      if (b !== null) return { rule: 'unsafe-byte', byte: describeByte(b) };
      const essence = mimeEssence(value);
      if (essence === null) return { rule: 'content-type-unparsable' };
      return SAFE_CONTENT_TYPES.includes(essence) ? null : { rule: 'content-type-essence', essence };
    }
    default: {
      const problem = rangeProblem(value);
      return problem === null ? null : { rule: 'range', problem };
    }
  }
}

/** Plain English for one unsafe header. */
export function describeUnsafe(name: string, value: string, why: UnsafeWhy): string {
  switch (why.rule) {
    case 'name':
      return `header ${name} is not a CORS-safelisted header name`;
    case 'too-long':
      return `header ${name}: value is ${why.bytes} bytes, over the ${MAX_VALUE_BYTES}-byte limit for safelisted values`;
    case 'unsafe-byte':
      return `header ${name}: value has the unsafe byte ${why.byte}`;
    case 'disallowed-byte':
      return `header ${name}: value has the byte ${why.byte}; only 0-9 A-Z a-z space * , - . ; = are allowed`;
    case 'content-type-essence':
      return `header ${name}: ${why.essence} is not application/x-www-form-urlencoded, multipart/form-data or text/plain`;
    case 'content-type-unparsable':
      return `header ${name}: value \`${value}\` does not parse as a MIME type`;
    case 'range':
      return `header ${name}: \`${value}\` is not a single byte range with a start (${why.problem})`;
    case 'client-hint':
      return `header ${name}: \`${value}\` is not a valid value for this client hint (expected ${why.expected})`;
    case 'total-too-long':
      return `header ${name}: safelisted header values total ${why.total} bytes, over ${MAX_TOTAL_BYTES}, so all of them count as unsafe`;
  }
}
