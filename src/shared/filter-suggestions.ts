import { entryHost, entryScheme, mimeType, statusCode } from './entry-columns';
import { ENTRY_KINDS, FILTER_KEYS, IS_VALUES, type FilterKey } from './filter-language';
import type { Entry } from './model';

/**
 * Completions for the filter box (see filter-language.ts), as DevTools offers them: keys, and for
 * some keys the values seen in the current entries. Pure.
 */

/** Keys whose values are collected from the entries. */
export const SEEN_KEYS = ['method', 'domain', 'status-code', 'mime-type', 'kind', 'scheme'] as const;
export type SeenKey = (typeof SEEN_KEYS)[number];
/** Values seen per key; at most MAX_SEEN per key (a session with a million domains offers the first ones). */
export type SeenValues = Record<SeenKey, Set<string>>;
export const MAX_SEEN = 500;

export function emptySeenValues(): SeenValues {
  return { method: new Set(), domain: new Set(), 'status-code': new Set(), 'mime-type': new Set(), kind: new Set(), scheme: new Set() };
}

/** Adds what `e` shows for each seen key to `into`. */
export function addSeenValues(into: SeenValues, e: Entry): void {
  const add = (key: SeenKey, value: string | undefined) => {
    if (value && into[key].size < MAX_SEEN) into[key].add(value);
  };
  add('method', e.method.toUpperCase());
  add('domain', entryHost(e));
  const status = statusCode(e);
  add('status-code', status === undefined ? undefined : String(status));
  add('mime-type', mimeType(e));
  add('kind', e.kind);
  add('scheme', entryScheme(e));
}

/** Values offered for keys whatever the entries hold. */
const FIXED: Partial<Record<FilterKey, readonly string[]>> = {
  is: IS_VALUES,
  'larger-than': ['100', '10k', '1M'],
  kind: ENTRY_KINDS,
};

export interface Suggestions {
  /** The part of the query the chosen item replaces: [from, to). */
  from: number;
  to: number;
  /** Whole terms ("method:POST", "domain:"), without a leading "-" (kept as typed). */
  items: string[];
}

/**
 * Completions for the term the cursor is in (or just after): keys that start with what is typed,
 * or, after `key:`, that key's values starting with the typed value (case-insensitive), sorted.
 * At most `limit` items. No term at the cursor (a space before it): every key. `seen` is asked
 * for only after a key whose values are collected (gathering them may cost a pass over the entries).
 */
export function suggest(query: string, cursor: number, seen: () => SeenValues, limit = 20): Suggestions {
  let from = cursor;
  while (from > 0 && !/\s/.test(query[from - 1])) from--;
  let to = cursor;
  while (to < query.length && !/\s/.test(query[to])) to++;
  if (query[from] === '-') from++;
  const typed = query.slice(from, cursor);
  const colon = typed.indexOf(':');
  const lower = typed.toLowerCase();
  if (colon < 0) {
    if (typed.startsWith('/') || typed.startsWith('"')) return { from, to, items: [] };
    const items = FILTER_KEYS.filter((k) => k.startsWith(lower) && k !== lower).map((k) => `${k}:`);
    return { from, to, items: items.slice(0, limit) };
  }
  const key = lower.slice(0, colon) as FilterKey;
  if (!(FILTER_KEYS as readonly string[]).includes(key)) return { from, to, items: [] };
  const partial = lower.slice(colon + 1);
  const values = new Set<string>(FIXED[key] ?? []);
  if ((SEEN_KEYS as readonly string[]).includes(key)) for (const v of seen()[key as SeenKey]) values.add(v);
  const items = [...values]
    .filter((v) => v.toLowerCase().startsWith(partial) && v.toLowerCase() !== partial)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, limit)
    .map((v) => `${key}:${/\s/.test(v) ? `"${v}"` : v}`);
  return { from, to, items };
}

/** The query with suggestion `item` accepted: the term replaced, and the cursor after it (a space added after a complete value). */
export function acceptSuggestion(query: string, s: Suggestions, item: string): { query: string; cursor: number } {
  const tail = query.slice(s.to);
  const sep = item.endsWith(':') || tail.startsWith(' ') ? '' : ' ';
  const next = `${query.slice(0, s.from)}${item}${sep}${tail}`;
  return { query: next, cursor: s.from + item.length + sep.length };
}
