/**
 * JSON text → a tree that keeps what `JSON.parse` loses: key order with duplicate keys, and the
 * exact source text of numbers a double cannot hold (`9007199254740993`, `1e400`, `0.1000000000000000055`).
 * Grammar: RFC 8259 (no comments, no trailing commas, no NaN); one leading U+FEFF is tolerated.
 *
 * Bounds: nesting depth ≤ `maxDepth` (default 512), values ≤ `maxNodes` (default 500 000).
 * The scan is iterative (explicit stack), so 100k-deep brackets fail fast with an error instead of
 * a stack overflow, and time is linear in the input. Never throws.
 */

export type JsonNode =
  | { type: 'null' }
  | { type: 'boolean'; value: boolean }
  /** `source` is present only when `value` is not exactly the number written in the text. */
  | { type: 'number'; value: number; source?: string }
  | { type: 'string'; value: string }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'object'; entries: JsonEntry[] };

export interface JsonEntry {
  key: string;
  value: JsonNode;
}

export type JsonResult =
  | { ok: true; value: JsonNode; nodes: number; raw: string }
  | { ok: false; error: string; offset: number; raw: string };

export interface JsonOptions {
  maxDepth?: number;
  maxNodes?: number;
}

export const JSON_MAX_DEPTH = 512;
export const JSON_MAX_NODES = 500_000;

type Container = Extract<JsonNode, { type: 'array' } | { type: 'object' }>;

const NULL: JsonNode = Object.freeze({ type: 'null' });
const TRUE: JsonNode = Object.freeze({ type: 'boolean', value: true });
const FALSE: JsonNode = Object.freeze({ type: 'boolean', value: false });

class JsonSyntaxError {
  constructor(
    readonly why: string,
    readonly offset: number,
  ) {}
}

export function parseJson(raw: string, options: JsonOptions = {}): JsonResult {
  const maxDepth = options.maxDepth ?? JSON_MAX_DEPTH;
  const maxNodes = options.maxNodes ?? JSON_MAX_NODES;
  try {
    const { value, nodes } = parseTree(raw, maxDepth, maxNodes);
    return { ok: true, value, nodes, raw };
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return { ok: false, error: `could not decode: ${e.why}${where(raw, e.offset)}`, offset: e.offset, raw };
    }
    return { ok: false, error: `could not decode: ${String(e)}`, offset: 0, raw };
  }
}

function parseTree(s: string, maxDepth: number, maxNodes: number): { value: JsonNode; nodes: number } {
  const n = s.length;
  const stack: Container[] = [];
  const keys: string[] = [];
  let nodes = 0;
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;

  for (;;) {
    // Parse one value starting at i (containers push a frame and loop back here).
    i = skipWs(s, i);
    if (++nodes > maxNodes) throw new JsonSyntaxError(`more than ${maxNodes} values`, i);
    const c = s.charCodeAt(i);
    let value: JsonNode;
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= maxDepth) throw new JsonSyntaxError(`nesting deeper than ${maxDepth} levels`, i);
      const node: Container = c === 0x7b ? { type: 'object', entries: [] } : { type: 'array', items: [] };
      i = skipWs(s, i + 1);
      if (s.charCodeAt(i) === (c === 0x7b ? 0x7d : 0x5d)) {
        value = node;
        i++;
      } else {
        stack.push(node);
        if (c === 0x7b) i = readKey(s, i, keys);
        continue;
      }
    } else if (c === 0x22) {
      value = { type: 'string', value: readString(s, i) };
      i = stringEnd;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      value = readNumber(s, i);
      i = numberEnd;
    } else if (c === 0x74 && s.startsWith('true', i)) {
      value = TRUE;
      i += 4;
    } else if (c === 0x66 && s.startsWith('false', i)) {
      value = FALSE;
      i += 5;
    } else if (c === 0x6e && s.startsWith('null', i)) {
      value = NULL;
      i += 4;
    } else {
      throw unexpected(s, i);
    }

    // Attach the finished value; close as many containers as the text closes.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        i = skipWs(s, i);
        if (i < n) throw new JsonSyntaxError('unexpected data after the JSON value', i);
        return { value, nodes };
      }
      if (top.type === 'array') top.items.push(value);
      else top.entries.push({ key: keys.pop() as string, value });
      i = skipWs(s, i);
      const d = s.charCodeAt(i);
      if (d === 0x2c) {
        i++;
        if (top.type === 'object') i = readKey(s, skipWs(s, i), keys);
        break;
      }
      if (d === (top.type === 'array' ? 0x5d : 0x7d)) {
        i++;
        stack.pop();
        value = top;
        continue;
      }
      throw unexpected(s, i);
    }
  }
}

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Reads `"key" :` and returns the index after the colon. */
function readKey(s: string, i: number, keys: string[]): number {
  if (s.charCodeAt(i) !== 0x22) throw unexpected(s, i, 'a "quoted" key');
  keys.push(readString(s, i));
  i = skipWs(s, stringEnd);
  if (s.charCodeAt(i) !== 0x3a) throw unexpected(s, i, '":"');
  return i + 1;
}

let stringEnd = 0;

/** Reads the string whose opening quote is at i; sets `stringEnd` to the index after the closing quote. */
function readString(s: string, i: number): string {
  const start = i + 1;
  let j = start;
  for (;;) {
    const c = s.charCodeAt(j);
    if (c === 0x22) {
      stringEnd = j + 1;
      return s.slice(start, j);
    }
    if (c === 0x5c) break;
    if (!(c >= 0x20)) throw badStringChar(s, j);
    j++;
  }
  const parts: string[] = [s.slice(start, j)];
  let runStart = j;
  for (;;) {
    const c = s.charCodeAt(j);
    if (c === 0x22) {
      parts.push(s.slice(runStart, j));
      stringEnd = j + 1;
      return parts.join('');
    }
    if (c === 0x5c) {
      parts.push(s.slice(runStart, j));
      const e = s.charCodeAt(j + 1);
      switch (e) {
        case 0x22: parts.push('"'); break;
        case 0x5c: parts.push('\\'); break;
        case 0x2f: parts.push('/'); break;
        case 0x62: parts.push('\b'); break;
        case 0x66: parts.push('\f'); break;
        case 0x6e: parts.push('\n'); break;
        case 0x72: parts.push('\r'); break;
        case 0x74: parts.push('\t'); break;
        case 0x75: {
          const hex = s.slice(j + 2, j + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('bad \\u escape in string', j);
          parts.push(String.fromCharCode(parseInt(hex, 16)));
          j += 4;
          break;
        }
        default:
          throw new JsonSyntaxError('bad escape in string', j);
      }
      j += 2;
      runStart = j;
      continue;
    }
    if (!(c >= 0x20)) throw badStringChar(s, j);
    j++;
  }
}

function badStringChar(s: string, j: number): JsonSyntaxError {
  return j >= s.length
    ? new JsonSyntaxError('unterminated string', j)
    : new JsonSyntaxError('control character in string', j);
}

let numberEnd = 0;

function readNumber(s: string, i: number): JsonNode {
  const start = i;
  let simple = true;
  if (s.charCodeAt(i) === 0x2d) i++;
  const first = s.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) i = digits(s, i);
  else throw unexpected(s, i, 'a digit');
  if (s.charCodeAt(i) === 0x2e) {
    const j = digits(s, i + 1);
    if (j === i + 1) throw unexpected(s, j, 'a digit');
    i = j;
  }
  const e = s.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    simple = false;
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const j = digits(s, i);
    if (j === i) throw unexpected(s, j, 'a digit');
    i = j;
  }
  numberEnd = i;
  const source = s.slice(start, i);
  const value = Number(source);
  // ≤ 15 significant digits and no exponent always round-trip through a double.
  if (simple && i - start <= 15) return { type: 'number', value };
  return isExactNumber(source, value) ? { type: 'number', value } : { type: 'number', value, source };
}

function digits(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) i++;
    else return i;
  }
}

/** True when `value` printed back is the same decimal number as `source` (ignoring notation). */
export function isExactNumber(source: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  return canonicalDecimal(source) === canonicalDecimal(String(value));
}

/** `-12.50e3` → `-125e4`-style canonical form: sign, significant digits, exponent. */
function canonicalDecimal(s: string): string {
  let i = 0;
  let sign = '';
  if (s[0] === '-') {
    sign = '-';
    i = 1;
  }
  let mantissa = '';
  let point = -1;
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === 'e' || ch === 'E') break;
    if (ch === '.') point = mantissa.length;
    else mantissa += ch;
  }
  const exp = i < s.length ? parseInt(s.slice(i + 1), 10) : 0;
  if (point < 0) point = mantissa.length;
  let lead = 0;
  while (lead < mantissa.length && mantissa[lead] === '0') lead++;
  if (lead === mantissa.length) return '0';
  let end = mantissa.length;
  while (mantissa[end - 1] === '0') end--;
  return `${sign}${mantissa.slice(lead, end)}e${point - lead + exp}`;
}

function unexpected(s: string, i: number, expected?: string): JsonSyntaxError {
  const got = i >= s.length ? 'end of input' : JSON.stringify(s.slice(i, i + 1));
  return new JsonSyntaxError(`unexpected ${got}${expected ? `, expected ${expected}` : ''}`, i);
}

function where(s: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = s.indexOf('\n'); k !== -1 && k < offset; k = s.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return ` at line ${line}, column ${offset - lineStart + 1}`;
}

const XSSI_PREFIXES = [")]}'", 'while(1);', 'while (1);', 'for(;;);', 'for (;;);'];

/**
 * Anti-XSSI guards servers put before JSON (`)]}'` + newline, `while(1);`, `for(;;);`).
 * Returns the JSON text after the guard and the guard itself, or `prefix: undefined`.
 */
export function stripXssiPrefix(text: string): { text: string; prefix?: string } {
  for (const p of XSSI_PREFIXES) {
    if (text.startsWith(p)) {
      let end = p.length;
      if (p === ")]}'" && text[end] === ',') end++;
      return { text: text.slice(end), prefix: text.slice(0, end) };
    }
  }
  return { text };
}

/**
 * Cheap guess whether text is a JSON object or array (first and last non-space characters),
 * after an optional BOM and anti-XSSI guard. Confirm with `parseJson`.
 */
export function sniffJson(text: string): boolean {
  const t = stripXssiPrefix(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).text;
  const first = skipWs(t, 0);
  let last = t.length - 1;
  while (last > first && isWs(t.charCodeAt(last))) last--;
  const a = t.charCodeAt(first);
  const b = t.charCodeAt(last);
  return last > first && ((a === 0x7b && b === 0x7d) || (a === 0x5b && b === 0x5d));
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
