import { chipPredicate, chipsNarrow, compileFilter, narrowsFilter, parseFilter, type KindChip } from '../filter-language';
import type { Entry } from '../model';

/** What the entry list is filtered by. */
export interface EntryFilter {
  /** A query in the filter language (src/shared/filter-language.ts). Empty: no text filter. */
  text: string;
  /** Kind chips (OR among themselves, AND with the text); empty: All. */
  chips: readonly KindChip[];
}

export const NO_FILTER: EntryFilter = { text: '', chips: [] };

export const sameFilter = (a: EntryFilter, b: EntryFilter) => a.text === b.text && a.chips.length === b.chips.length && a.chips.every((c) => b.chips.includes(c));

/** The filter as one predicate; `blocked` tells whether an entry's CORS verdict is "blocked". */
export function entryPredicate(filter: EntryFilter, blocked: (e: Entry) => boolean): (e: Entry) => boolean {
  const ctx = { blocked };
  const query = compileFilter(parseFilter(filter.text), ctx);
  if (!filter.chips.length) return query;
  const chips = chipPredicate(filter.chips, ctx);
  return (e) => chips(e) && query(e);
}

/** True when every entry `next` lets through is also let through by `prev`, so only the entries shown now need refiltering. */
export function narrows(prev: EntryFilter, next: EntryFilter): boolean {
  return chipsNarrow(prev.chips, next.chips) && narrowsFilter(parseFilter(prev.text), parseFilter(next.text));
}
