/**
 * `Content-Type` (RFC 9110 §8.3.1) and `Content-Disposition` (RFC 6266) values: the main value,
 * then `; name=value` parameters, values as tokens or quoted-strings (`\x` quoted-pairs
 * unescaped). `filename*=` is an RFC 8187 (ex-5987) ext-value `charset'lang'%XX…` and wins over
 * `filename`. Lenient: never throws; a broken parameter is skipped. At most 64 parameters.
 */

const MAX_PARAMS = 64;

export interface ContentType {
  /** `type/subtype`, lower case, without parameters (`application/json`). */
  mime: string;
  type: string;
  subtype: string;
  /** Structured-syntax suffix (`json` for `application/problem+json`). */
  suffix?: string;
  /** Parameter names in lower case; the first of a repeated name wins. */
  params: Record<string, string>;
}

export function parseContentType(value: string | undefined): ContentType | undefined {
  if (value === undefined) return undefined;
  const semi = value.indexOf(';');
  const mime = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  const slash = mime.indexOf('/');
  if (slash <= 0 || slash === mime.length - 1 || /[\s"]/.test(mime)) return undefined;
  const subtype = mime.slice(slash + 1);
  const result: ContentType = {
    mime,
    type: mime.slice(0, slash),
    subtype,
    params: semi === -1 ? {} : parseParams(value, semi),
  };
  const plus = subtype.lastIndexOf('+');
  if (plus !== -1 && plus < subtype.length - 1) result.suffix = subtype.slice(plus + 1);
  return result;
}

export interface ContentDisposition {
  /** `form-data`, `attachment`, `inline`… in lower case. */
  type: string;
  name?: string;
  /** From `filename*` when it decodes, else from `filename`. */
  filename?: string;
  params: Record<string, string>;
}

export function parseContentDisposition(value: string | undefined): ContentDisposition | undefined {
  if (value === undefined) return undefined;
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = semi === -1 ? {} : parseParams(value, semi);
  const result: ContentDisposition = { type, params };
  if (params.name !== undefined) result.name = params.name;
  const extended = params['filename*'] !== undefined ? decodeExtValue(params['filename*']) : undefined;
  const filename = extended ?? params.filename;
  if (filename !== undefined) result.filename = filename;
  return result;
}

/**
 * Parameters after index `at` (a `;`). Keys lower case; first occurrence wins. Time is linear in
 * `s`: the next `=`, `;` and `\\` are each searched once per occurrence, not once per parameter.
 */
export function parseParams(s: string, at: number): Record<string, string> {
  const params: Record<string, string> = {};
  let count = 0;
  let i = at;
  const n = s.length;
  let eq = -2;
  let nextSemi = -2;
  let slash = -2;
  while (i < n && count < MAX_PARAMS) {
    while (i < n && (s[i] === ';' || s[i] === ' ' || s[i] === '\t')) i++;
    if (eq !== -1 && eq < i) eq = s.indexOf('=', i);
    if (nextSemi !== -1 && nextSemi < i) nextSemi = s.indexOf(';', i);
    if (eq === -1 || (nextSemi !== -1 && nextSemi < eq)) {
      // A parameter without `=`: skip it.
      i = nextSemi === -1 ? n : nextSemi;
      continue;
    }
    const name = s.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    let val: string;
    if (s[i] === '"') {
      const close = s.indexOf('"', i + 1);
      if (slash !== -1 && slash <= i) slash = s.indexOf('\\', i + 1);
      if (close !== -1 && (slash === -1 || slash > close)) {
        val = s.slice(i + 1, close);
        i = close + 1;
      } else {
        let j = i + 1;
        val = '';
        for (; j < n && s[j] !== '"'; j++) {
          if (s[j] === '\\' && j + 1 < n) j++;
          val += s[j];
        }
        i = j + 1;
      }
      const after = s.indexOf(';', i);
      i = after === -1 ? n : after;
    } else {
      const end = s.indexOf(';', i);
      val = s.slice(i, end === -1 ? n : end).trim();
      i = end === -1 ? n : end;
    }
    if (name !== '' && !Object.hasOwn(params, name)) {
      if (name === '__proto__') Object.defineProperty(params, name, { value: val, enumerable: true, writable: true, configurable: true });
      else params[name] = val;
      count++;
    }
  }
  return params;
}

/**
 * RFC 8187 ext-value: `UTF-8''%E2%82%AC%20rates.txt` → `€ rates.txt`.
 * Returns undefined when malformed or the charset is unknown.
 */
export function decodeExtValue(value: string): string | undefined {
  const m = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'([A-Za-z0-9-]*)'(.*)$/s.exec(value.trim());
  if (m === null) return undefined;
  const [, charset, , encoded] = m;
  if (!/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-Fa-f]{2})*$/.test(encoded)) return undefined;
  const bytes: number[] = [];
  for (let k = 0; k < encoded.length; k++) {
    if (encoded[k] === '%') {
      bytes.push(parseInt(encoded.slice(k + 1, k + 3), 16));
      k += 2;
    } else {
      bytes.push(encoded.charCodeAt(k));
    }
  }
  try {
    return new TextDecoder(charset.toLowerCase(), { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}
