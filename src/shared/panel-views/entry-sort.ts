import { durationMs, entryName, entrySize, initiatorFrame, statusCode } from '../entry-columns';
import type { Entry } from '../model';

/** The list's sortable columns (Chrome's Network panel sorts by any of its columns). */
export const SORT_COLUMNS = ['name', 'method', 'status', 'kind', 'initiator', 'size', 'time', 'waterfall'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** A sort of the list by one column; ties keep display order. Undefined: display order. */
export interface EntrySort {
  column: SortColumn;
  descending: boolean;
}

export type SortKey = number | string;

/**
 * The value an entry sorts by in `column`: the cell's value (Name: path and query, lower case;
 * Status: the HTTP status, -1 for none; Size: see entrySize; Time: ms, Infinity while running;
 * Waterfall: the start time).
 */
export function sortKey(column: SortColumn, e: Entry): SortKey {
  switch (column) {
    case 'name':
      return entryName(e).path.toLowerCase();
    case 'method':
      return e.method.toUpperCase();
    case 'status':
      return statusCode(e) ?? -1;
    case 'kind':
      return e.kind;
    case 'initiator':
      return initiatorFrame(e)?.label.toLowerCase() ?? '';
    case 'size':
      return entrySize(e);
    case 'time':
      return durationMs(e) ?? Infinity;
    case 'waterfall':
      return e.startTime;
  }
}

export const compareKeys = (a: SortKey, b: SortKey): number => (a < b ? -1 : a > b ? 1 : 0);
