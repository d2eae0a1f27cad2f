import type { Entry } from '../model';

/** What the entry list is filtered by. */
export interface EntryFilter {
  /** Case-insensitive substring of the URL, or an exact kind. Empty: no text filter. */
  text: string;
  /** Only entries whose CORS verdict is "blocked". */
  corsOnly: boolean;
}

export const NO_FILTER: EntryFilter = { text: '', corsOnly: false };

/** The filter as a one-line predicate; `blocked` tells whether an entry's CORS verdict is "blocked". */
export function entryPredicate(filter: EntryFilter, blocked: (e: Entry) => boolean): (e: Entry) => boolean {
  const needle = filter.text.toLowerCase();
  if (!needle && !filter.corsOnly) return () => true;
  // A case-insensitive literal search: no lower-cased copy of every URL per keystroke.
  const inUrl = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  return (e) => (!filter.corsOnly || blocked(e)) && (!needle || e.kind === needle || inUrl.test(e.url));
}

/**
 * True when every entry `next` lets through is also let through by `prev`, so only the entries
 * shown now need refiltering. Not when `next` is a kind's name: it lets that whole kind through.
 */
export function narrows(prev: EntryFilter, next: EntryFilter): boolean {
  const text = next.text.toLowerCase();
  return (next.corsOnly || !prev.corsOnly) && text.includes(prev.text.toLowerCase()) && !KINDS.has(text);
}

const KINDS = new Set(['xhr', 'fetch', 'beacon', 'websocket', 'eventsource', 'jsonp', 'script', 'preflight', 'other']);
