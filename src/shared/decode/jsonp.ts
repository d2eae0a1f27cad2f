/**
 * JSONP: find the callback call in a script and read its arguments as data. Never evaluates code.
 *
 * Understood shapes (comments and whitespace anywhere between tokens):
 *   cb({...});                       /**\/ cb({...})           window.cb(...)  self["cb"](...)
 *   CallbackRegistry.cb123456(...)   typeof cb === 'function' && cb(...)    cb && cb(...)
 *   if (typeof cb == "function") { cb(...) }                    try { cb(...) } catch (e) {}
 * With `expectedCallback`, that name (dotted, `window.`-prefixed or not) is looked for first.
 * Arguments are split at top-level commas (strings, comments and brackets tracked with a counter,
 * so 100k-deep brackets cost no stack) and each is parsed with `parseJson`; an argument that is not
 * JSON keeps its raw text and the parse error.
 * Bounds: at most `JSONP_MAX_ARGS` (64) arguments; JSON depth/node caps from json.ts.
 */
import { parseJson, type JsonNode } from './json';

export const JSONP_MAX_ARGS = 64;

export interface JsonpArg {
  raw: string;
  json?: JsonNode;
  error?: string;
}

export type JsonpResult =
  | {
      ok: true;
      /** Normalised name: `window.`/`self.`/`globalThis.` dropped, `a["b"]` as `a.b`. */
      callback: string;
      /** The callee as written. */
      callee: string;
      args: JsonpArg[];
      /** Non-trivial script text after the call, if any. */
      trailing?: string;
      raw: string;
    }
  | { ok: false; error: string; callback?: string; raw: string };

const ID = '[A-Za-z_$\\u0080-\\uffff][\\w$\\u0080-\\uffff]*';
const BRACKET = `\\[\\s*(?:"[^"\\\\\\n]*"|'[^'\\\\\\n]*')\\s*\\]`;
const PATH = new RegExp(`${ID}(?:\\s*\\.\\s*${ID}|\\s*${BRACKET})*`, 'y');
const GLOBAL_PREFIX = /^(?:window|self|globalThis|this)\./;
const KEYWORDS = /^(?:typeof|if|while|for|switch|function|return|void|new|try|catch|delete|in|instanceof|do|else|await|yield)$/;

export function parseJsonp(raw: string, expectedCallback?: string): JsonpResult {
  try {
    return parse(raw, expectedCallback);
  } catch (e) {
    return { ok: false, error: `could not decode: ${String(e)}`, raw };
  }
}

function parse(raw: string, expected: string | undefined): JsonpResult {
  const want = expected !== undefined ? normalizeName(expected) : undefined;
  const call = (want !== undefined ? findCall(raw, want) : undefined) ?? findCall(raw, undefined);
  if (call === undefined) {
    return { ok: false, error: want !== undefined ? `could not decode: no call of "${want}" found` : 'could not decode: no callback call found', raw };
  }
  if (want !== undefined && call.name !== want) {
    return { ok: false, error: `could not decode: no call of "${want}" found (the script calls "${call.name}")`, callback: call.name, raw };
  }
  const split = splitArgs(raw, call.open);
  if (typeof split === 'string') return { ok: false, error: `could not decode: ${split}`, callback: call.name, raw };
  const args = split.args.map((text): JsonpArg => {
    const parsed = parseJson(text);
    return parsed.ok ? { raw: text, json: parsed.value } : { raw: text, error: parsed.error };
  });
  const result: JsonpResult = { ok: true, callback: call.name, callee: call.callee, args, raw };
  const trailing = stripTrivia(raw.slice(split.end)).replace(/^[;\s}]*(?:catch\s*\(\s*\w*\s*\)\s*\{[^}]*\})?[;\s}]*/, '');
  if (trailing !== '') result.trailing = trailing;
  return result;
}

interface Call {
  name: string;
  callee: string;
  /** Index of the `(`. */
  open: number;
}

/**
 * The first call in the script (of `want`, when given), skipping strings, comments and keywords,
 * so wrappers like `typeof cb === 'function' &&`, `if (…) {`, `try {` need no special grammar.
 */
function findCall(raw: string, want: string | undefined): Call | undefined {
  const n = raw.length;
  for (let i = 0; i < n; ) {
    const c = raw[i];
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(raw, i);
      if (end === -1) return undefined;
      i = end + 1;
    } else if (c === '/' && (raw[i + 1] === '/' || raw[i + 1] === '*')) {
      i = skipTrivia(raw, i);
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(c) && (i === 0 || !/[\w$.\u0080-\uffff]/.test(raw[i - 1]))) {
      const call = callAt(raw, i);
      if (call !== undefined && (want === undefined || call.name === want)) return call;
      PATH.lastIndex = i;
      i += PATH.exec(raw)?.[0].length ?? 1;
    } else {
      i++;
    }
  }
  return undefined;
}

function callAt(raw: string, i: number): Call | undefined {
  PATH.lastIndex = i;
  const path = PATH.exec(raw);
  if (path === null) return undefined;
  const open = skipTrivia(raw, i + path[0].length);
  if (raw[open] !== '(') return undefined;
  const callee = path[0];
  if (KEYWORDS.test(callee)) return undefined;
  return { name: normalizeName(callee), callee, open };
}

export function normalizeName(path: string): string {
  let name = path
    .replace(/\s+/g, '')
    .replace(/\[(["'])(.*?)\1\]/g, '.$2')
    .replace(/^\./, '');
  while (GLOBAL_PREFIX.test(name)) name = name.replace(GLOBAL_PREFIX, '');
  return name;
}

/** Arguments of the call whose `(` is at `open`: raw texts, and the index after `)`. */
function splitArgs(raw: string, open: number): { args: string[]; end: number } | string {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  const n = raw.length;
  for (let i = open + 1; i < n; i++) {
    const c = raw[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(raw, i);
      if (i === -1) return 'unterminated string in the arguments';
      continue;
    }
    if (c === '/' && (raw[i + 1] === '/' || raw[i + 1] === '*')) {
      i = skipTrivia(raw, i) - 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) {
        const last = raw.slice(start, i).trim();
        if (last !== '' || args.length > 0) args.push(last);
        return { args, end: i + 1 };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      if (args.length >= JSONP_MAX_ARGS) return `more than ${JSONP_MAX_ARGS} arguments`;
      args.push(raw.slice(start, i).trim());
      start = i + 1;
    }
    if (depth < 0) return 'unbalanced brackets in the arguments';
  }
  return 'the call is not closed (missing ")")';
}

function skipString(raw: string, i: number): number {
  const quote = raw[i];
  for (let j = i + 1; j < raw.length; j++) {
    const c = raw[j];
    if (c === '\\') j++;
    else if (c === quote) return j;
    else if (c === '\n' && quote !== '`') return -1;
  }
  return -1;
}

/** Index after whitespace and comments from i. */
function skipTrivia(raw: string, i: number): number {
  const n = raw.length;
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff || c === 0xa0) i++;
    else if (c === 0x2f && raw[i + 1] === '*') {
      const end = raw.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === 0x2f && raw[i + 1] === '/') {
      const end = raw.indexOf('\n', i + 2);
      i = end === -1 ? n : end + 1;
    } else break;
  }
  return i;
}

function stripTrivia(s: string): string {
  return s.slice(skipTrivia(s, 0)).trimEnd();
}
