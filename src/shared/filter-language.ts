import { entryHost, entryScheme, entrySize, mimeType, statusCode } from './entry-columns';
import type { HeaderList } from './headers';
import { EntryKindSchema, MAX_MESSAGES_PER_ENTRY, type Entry, type EntryKind, type Message } from './model';
import { LIMITS, type Payload } from './page-events';

/**
 * The entry list's filter language: the keys a Chrome DevTools Network-panel user already types,
 * plus two of ours. A query is terms separated by white space, all of which must hold (AND):
 *
 * - a plain word (or "quoted words"): a case-insensitive substring of the URL;
 * - `/regex/`: a case-insensitive regular expression tested against the URL (its first 16 KiB,
 *   the page side's URL limit: a regex's cost is bounded by what it runs over);
 * - `key:value` with the keys of devtools-frontend's NetworkLogView filter, matched as it does:
 *   `method:` (case-insensitive here: Fetch upper-cases the standard methods), `status-code:`
 *   (the number as text; 0 for none: failed, blocked, still waiting), `domain:` (the host, `*` matches any run of characters, anchored),
 *   `scheme:`, `mime-type:` (the response's type essence), `larger-than:` (bytes, ≥; `k` is 1000
 *   and `M` is 1000·1000, as DevTools' createSizeFilter), `has-response-header:`,
 *   `has-request-header:`, `is:running`, `is:from-cache`, and ours `is:cors-error`, `kind:`
 *   (an entry kind), `body:` (text inside the request/response bodies, the JSONP payload and the
 *   messages, bounded: see BODY_SEARCH_CHARS) and `header:name=value` (a request or response
 *   header, page side or wire, whose value contains `value`; `header:name` alone: has it);
 * - any term prefixed with `-` is negated.
 *
 * A term that cannot be read as written (an unknown key, a bad value, an invalid regex) is
 * matched as plain text, as DevTools does, and reported in `problems` so the panel shows it:
 * never silently ignored, never a crash. A key with no value yet (`method:` while typing)
 * constrains nothing.
 */

export const FILTER_KEYS = [
  'method',
  'status-code',
  'domain',
  'scheme',
  'mime-type',
  'larger-than',
  'has-response-header',
  'has-request-header',
  'is',
  'kind',
  'body',
  'header',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The values `is:` takes. */
export const IS_VALUES = ['running', 'from-cache', 'cors-error'] as const;
export const ENTRY_KINDS: readonly EntryKind[] = EntryKindSchema.options;

/** Per text payload, per message: `body:` searches at most this many characters (1 Mi). */
export const BODY_SEARCH_CHARS = 1 << 20;
/** Per entry, `body:` searches at most this many messages (the first ones). */
export const BODY_SEARCH_MESSAGES = MAX_MESSAGES_PER_ENTRY;

interface TermBase {
  negated: boolean;
  /** Where the term is in the query: [start, end) in UTF-16 units, the `-` included. */
  start: number;
  end: number;
}
export type FilterTerm = TermBase &
  ({ type: 'text'; value: string } | { type: 'regex'; source: string; regex: RegExp } | { type: 'key'; key: FilterKey; value: string });

export interface FilterProblem {
  start: number;
  end: number;
  /** What is wrong, for a person: "unknown key "foo:" (matched as text)". */
  message: string;
}

export interface ParsedFilter {
  terms: FilterTerm[];
  problems: FilterProblem[];
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const KEY = /^([a-z][a-z-]*):/i;
const SIZE = /^(\d+(?:\.\d+)?)([km]?)$/i;

/** Parses a query (see the module comment). Never throws; problems are listed, not raised. */
export function parseFilter(query: string): ParsedFilter {
  const terms: FilterTerm[] = [];
  const problems: FilterProblem[] = [];
  let i = 0;
  const n = query.length;
  /** Reads a value from `at`: "quoted" (to the closing quote or the end) or to the next space. */
  const readValue = (at: number): { value: string; end: number } => {
    if (query[at] === '"') {
      const close = query.indexOf('"', at + 1);
      const end = close < 0 ? n : close + 1;
      return { value: query.slice(at + 1, close < 0 ? n : close), end };
    }
    let end = at;
    while (end < n && !isSpace(query[end])) end++;
    return { value: query.slice(at, end), end };
  };
  while (i < n) {
    if (isSpace(query[i])) {
      i++;
      continue;
    }
    const start = i;
    const negated = query[i] === '-' && i + 1 < n && !isSpace(query[i + 1]);
    const body = negated ? i + 1 : i;
    const asText = (message?: string) => {
      const { value, end } = readValue(body);
      if (message) problems.push({ start, end, message });
      if (value) terms.push({ type: 'text', negated, value, start, end });
      i = end;
    };
    if (query[body] === '/') {
      // A regex runs to a "/" that ends the token (so it may hold spaces and slashes).
      let close = -1;
      for (let j = body + 1; j < n; j++) {
        if (query[j] === '\\') j++;
        else if (query[j] === '/' && (j + 1 === n || isSpace(query[j + 1]))) {
          close = j;
          break;
        }
      }
      if (close > body + 1) {
        const source = query.slice(body + 1, close);
        try {
          terms.push({ type: 'regex', negated, source, regex: new RegExp(source, 'i'), start, end: close + 1 });
          i = close + 1;
        } catch (error) {
          asText(`invalid regular expression /${source}/: ${error instanceof Error ? error.message : String(error)} (matched as text)`);
        }
        continue;
      }
      // "/api" while typing: a path, as text.
      asText();
      continue;
    }
    const key = KEY.exec(query.slice(body, body + 40));
    if (!key) {
      asText();
      continue;
    }
    const name = key[1].toLowerCase();
    const valueAt = body + key[0].length;
    if (!(FILTER_KEYS as readonly string[]).includes(name)) {
      // "http://…" or "localhost:8080" are text, and so is a URL's scheme being typed ("http:",
      // "https:/", "data:text/…"); anything else names a key we do not have.
      const looksLikeUrl = query.startsWith('//', valueAt) || /^\d/.test(query[valueAt] ?? '') || /^(?:https?|wss?|file|data|blob)$/i.test(key[1]);
      asText(looksLikeUrl ? undefined : `unknown key "${key[1]}:" (matched as text)`);
      continue;
    }
    const { value, end } = readValue(valueAt);
    const problem = value ? valueProblem(name as FilterKey, value) : undefined;
    if (problem) {
      asText(`${problem} (matched as text)`);
      continue;
    }
    terms.push({ type: 'key', negated, key: name as FilterKey, value, start, end });
    i = end;
  }
  return { terms, problems };
}

function valueProblem(key: FilterKey, value: string): string | undefined {
  if (key === 'larger-than' && !SIZE.test(value)) return `larger-than: takes a size in bytes such as 100, 10k or 1M, not "${value}"`;
  if (key === 'is' && !(IS_VALUES as readonly string[]).includes(value.toLowerCase())) return `is: takes ${IS_VALUES.join(', ')}, not "${value}"`;
  if (key === 'kind' && !(ENTRY_KINDS as readonly string[]).includes(value.toLowerCase())) return `kind: takes ${ENTRY_KINDS.join(', ')}, not "${value}"`;
  return undefined;
}

/** `larger-than:` value in bytes (DevTools: k = 1000, M = 1000·1000, case-insensitive). */
export function parseSize(value: string): number | undefined {
  const m = SIZE.exec(value);
  if (!m) return undefined;
  const unit = m[2].toLowerCase();
  return Number(m[1]) * (unit === 'k' ? 1000 : unit === 'm' ? 1000 * 1000 : 1);
}

/** What matching needs beyond the entry: its CORS verdict, computed (and memoized) by the caller. */
export interface MatchContext {
  blocked(e: Entry): boolean;
  /** The entry's entrySize, when the caller keeps it (default: computed). */
  size?(e: Entry): number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const literal = (s: string) => new RegExp(escapeRegExp(s), 'i');
const urlHead = (url: string) => (url.length > LIMITS.url ? url.slice(0, LIMITS.url) : url);

const hasName = (headers: HeaderList | undefined, lower: string) => headers?.some(([name]) => name.toLowerCase() === lower) ?? false;
const payloadHas = (p: Payload | undefined, needle: RegExp) =>
  p !== undefined && p.encoding === 'text' && needle.test(p.data.length > BODY_SEARCH_CHARS ? p.data.slice(0, BODY_SEARCH_CHARS) : p.data);

/** Cost order: cheap field tests first, then the URL, then headers, CORS verdicts and bodies. */
const COST: Record<Exclude<FilterTerm['type'], 'key'> | FilterKey, number> = {
  method: 0,
  'status-code': 0,
  kind: 0,
  is: 3,
  scheme: 1,
  domain: 1,
  text: 1,
  regex: 2,
  'mime-type': 2,
  'larger-than': 2,
  'has-response-header': 2,
  'has-request-header': 2,
  header: 2,
  body: 4,
};

function termPredicate(term: FilterTerm, ctx: MatchContext): ((e: Entry) => boolean) | undefined {
  if (term.type === 'text') {
    const re = literal(term.value);
    return (e) => re.test(e.url);
  }
  if (term.type === 'regex') {
    const re = term.regex;
    return (e) => re.test(urlHead(e.url));
  }
  const value = term.value;
  if (!value) return undefined;
  const lower = value.toLowerCase();
  switch (term.key) {
    case 'method':
      return (e) => e.method.toUpperCase() === value.toUpperCase();
    case 'status-code':
      // As DevTools: a request with no status (failed, blocked, still waiting) has status code 0.
      return (e) => String(statusCode(e) ?? 0) === value;
    case 'domain': {
      const re = new RegExp(`^${value.split('*').map(escapeRegExp).join('.*')}$`, 'i');
      return (e) => re.test(entryHost(e));
    }
    case 'scheme':
      return (e) => entryScheme(e) === lower;
    case 'mime-type':
      return (e) => mimeType(e) === lower;
    case 'larger-than': {
      const min = parseSize(value)!;
      const size = ctx.size ?? entrySize;
      return (e) => size(e) >= min;
    }
    case 'has-response-header':
      return (e) => hasName(e.response?.headers, lower) || hasName(e.wire?.responseHeaders, lower);
    case 'has-request-header':
      return (e) => hasName(e.request.headers, lower) || hasName(e.wire?.requestHeaders, lower);
    case 'is':
      if (lower === 'running') return (e) => e.endTime === undefined;
      if (lower === 'from-cache') return (e) => e.wire?.fromCache === true;
      return (e) => ctx.blocked(e);
    case 'kind':
      return (e) => e.kind === lower;
    case 'header': {
      const eq = value.indexOf('=');
      const name = (eq < 0 ? value : value.slice(0, eq)).toLowerCase();
      const needle = eq < 0 ? undefined : literal(value.slice(eq + 1));
      const fits = (headers: HeaderList | undefined) => headers?.some(([n, v]) => n.toLowerCase() === name && (!needle || needle.test(v))) ?? false;
      return (e) => fits(e.request.headers) || fits(e.response?.headers) || fits(e.wire?.requestHeaders) || fits(e.wire?.responseHeaders);
    }
    case 'body': {
      const needle = literal(value);
      return (e) => {
        if (payloadHas(e.request.body, needle) || payloadHas(e.response?.body, needle) || payloadHas(e.jsonp?.payload, needle)) return true;
        const last = Math.min(e.messages.length, BODY_SEARCH_MESSAGES);
        for (let i = 0; i < last; i++) if (payloadHas(e.messages[i].data, needle)) return true;
        return false;
      };
    }
  }
}

/** The query as one predicate over entries (every term must hold); an empty query lets all through. */
export function compileFilter(parsed: ParsedFilter, ctx: MatchContext): (e: Entry) => boolean {
  const tests: ((e: Entry) => boolean)[] = [];
  const ordered = [...parsed.terms].sort((a, b) => COST[a.type === 'key' ? a.key : a.type] - COST[b.type === 'key' ? b.key : b.type]);
  for (const term of ordered) {
    const test = termPredicate(term, ctx);
    if (!test) continue;
    tests.push(term.negated ? (e) => !test(e) : test);
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0];
  return (e) => {
    for (const test of tests) if (!test(e)) return false;
    return true;
  };
}

/**
 * The query's `body:` terms as a predicate over one message's payload (the same search as for
 * an entry's messages: case-insensitive text, at most BODY_SEARCH_CHARS of it; `-body:` excludes),
 * for lists that show messages themselves (messages inline). Undefined when the query has no
 * `body:` term: every message of a shown entry shows.
 */
export function compileMessageFilter(parsed: ParsedFilter): ((m: Message) => boolean) | undefined {
  const tests: ((m: Message) => boolean)[] = [];
  for (const term of parsed.terms) {
    if (term.type !== 'key' || term.key !== 'body' || !term.value) continue;
    const needle = literal(term.value);
    tests.push(term.negated ? (m) => !payloadHas(m.data, needle) : (m) => payloadHas(m.data, needle));
  }
  if (!tests.length) return undefined;
  return (m) => tests.every((test) => test(m));
}

/** One term's identity: equal strings, equal meaning. */
const termKey = (t: FilterTerm) => `${t.negated ? '-' : ''}${t.type === 'key' ? `${t.key}:${t.value.toLowerCase()}` : t.type === 'regex' ? `/${t.source}/` : `"${t.value.toLowerCase()}`}`;

/**
 * True when `next` provably lets through no entry that `prev` does not: every term of `prev` is
 * implied by a term of `next` — the same term, or a plain word it extends ("ap" → "api"). Then
 * only the entries shown need refiltering. False whenever unsure (a refilter of everything).
 */
export function narrowsFilter(prev: ParsedFilter, next: ParsedFilter): boolean {
  const nextKeys = new Set(next.terms.map(termKey));
  return prev.terms.every((p) => {
    if (p.type === 'key' && !p.value) return true;
    if (nextKeys.has(termKey(p))) return true;
    if (p.type !== 'text' || p.negated) return false;
    const word = p.value.toLowerCase();
    return next.terms.some((t) => t.type === 'text' && !t.negated && t.value.toLowerCase().includes(word));
  });
}
