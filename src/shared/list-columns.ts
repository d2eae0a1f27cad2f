import type { SortColumn } from './panel-views/entry-sort';

/**
 * The entry list's columns and how they give way in a narrow panel (DevTools docked at the side
 * is about 550 px wide, less with the detail open): each has a width it needs, px, and a
 * priority; the lowest-priority columns hide first, and Name and Status always stay (the list
 * scrolls sideways when even they do not fit). Pure.
 */
export interface ListColumn {
  id: SortColumn;
  label: string;
  /** px; Name takes what is left, at least this. */
  width: number;
  /** Lower stays longer; 0 never hides for width (it may still scroll). */
  priority: number;
}

export const LIST_COLUMNS: readonly ListColumn[] = [
  { id: 'name', label: 'Name', width: 160, priority: 0 },
  { id: 'method', label: 'Method', width: 64, priority: 3 },
  { id: 'status', label: 'Status', width: 96, priority: 0 },
  { id: 'kind', label: 'Kind', width: 92, priority: 2 },
  { id: 'initiator', label: 'Initiator', width: 120, priority: 6 },
  { id: 'size', label: 'Size', width: 110, priority: 5 },
  { id: 'time', label: 'Time', width: 70, priority: 1 },
  { id: 'waterfall', label: 'Waterfall', width: 160, priority: 4 },
];

export type ColumnId = SortColumn;

/** Columns the user may hide (Name stays). */
export const HIDEABLE: readonly ColumnId[] = LIST_COLUMNS.filter((c) => c.id !== 'name').map((c) => c.id);

/**
 * The columns to draw at `width` px, in list order: those not `hidden`, less the lowest-priority
 * ones while they do not fit. `minWidth` is what the drawn ones need (the list scrolls sideways
 * below it).
 */
export function fitColumns(hidden: ReadonlySet<ColumnId>, width: number): { columns: ListColumn[]; minWidth: number } {
  const columns = LIST_COLUMNS.filter((c) => c.id === 'name' || !hidden.has(c.id));
  const need = () => columns.reduce((n, c) => n + c.width, 0);
  const byPriority = [...columns].filter((c) => c.priority > 0).sort((a, b) => b.priority - a.priority);
  for (const c of byPriority) {
    if (need() <= width) break;
    columns.splice(columns.indexOf(c), 1);
  }
  return { columns, minWidth: need() };
}
