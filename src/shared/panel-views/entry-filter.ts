import { compileFilter, narrowsFilter, parseFilter } from '../filter-language';
import { chipPredicate, chipsNarrow, type KindChip } from '../kind-chips';
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

/**
 * Whether a filter asks for preflights themselves (the Preflight chip, or a `kind:preflight`
 * term): then they are rows of their own. Otherwise a preflight paired with a request that is
 * there sits under that request (expandable in the list), not as a row.
 */
export function showsPreflights(filter: EntryFilter): boolean {
  return filter.chips.includes('preflight') || parseFilter(filter.text).terms.some((t) => t.type === 'key' && t.key === 'kind' && !t.negated && t.value.toLowerCase() === 'preflight');
}

/** A preflight paired with a request that `lookup` finds. */
export const nestedPreflight = (e: Entry, lookup: (id: string) => Entry | undefined) => e.kind === 'preflight' && e.preflightFor !== undefined && lookup(e.preflightFor) !== undefined;

/**
 * The filter as one predicate; `blocked` tells whether an entry's CORS verdict is "blocked",
 * `lookup` finds an entry by id (for preflights under their request, see showsPreflights),
 * `size` gives its entrySize when the caller keeps them.
 */
export function entryPredicate(filter: EntryFilter, blocked: (e: Entry) => boolean, lookup: (id: string) => Entry | undefined, size?: (e: Entry) => number): (e: Entry) => boolean {
  const ctx = { blocked, size };
  const query = compileFilter(parseFilter(filter.text), ctx);
  const chips = chipPredicate(filter.chips, ctx);
  const nest = !showsPreflights(filter);
  return (e) => !(nest && nestedPreflight(e, lookup)) && chips(e) && query(e);
}

/** True when every entry `next` lets through is also let through by `prev`, so only the entries shown now need refiltering. */
export function narrows(prev: EntryFilter, next: EntryFilter): boolean {
  // Preflights out of their requests' rows: more rows, whatever the terms.
  if (showsPreflights(next) && !showsPreflights(prev)) return false;
  return chipsNarrow(prev.chips, next.chips) && narrowsFilter(parseFilter(prev.text), parseFilter(next.text));
}
