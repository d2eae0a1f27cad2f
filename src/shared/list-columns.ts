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

/** Widths the user gave columns by dragging their borders, px (Name's is the least it gets). */
export type ColumnWidths = Partial<Record<ColumnId, number>>;

/** A column is never dragged narrower than this, nor wider than COLUMN_MAX_WIDTH, px. */
export const COLUMN_MIN_WIDTH = 30;
export const COLUMN_MAX_WIDTH = 2000;

/**
 * A drag of the border between two drawn columns by `dx` px (positive: to the right), as
 * DevTools' grids do: the column on the left widens and the one on the right narrows by as much,
 * so the border follows the pointer; Name (which takes the space left) only gives or takes what
 * the right one does. Both stay within COLUMN_MIN_WIDTH..COLUMN_MAX_WIDTH (the move is clamped).
 * `start` holds the two columns' widths when the drag began. Returns the new widths of both.
 */
export function dragBorder(left: ColumnId, right: ColumnId, start: { left: number; right: number }, dx: number): ColumnWidths {
  let d = Math.min(dx, start.right - COLUMN_MIN_WIDTH, COLUMN_MAX_WIDTH - start.left);
  d = Math.max(d, COLUMN_MIN_WIDTH - start.left, start.right - COLUMN_MAX_WIDTH);
  const out: ColumnWidths = { [right]: Math.round(start.right - d) };
  if (left !== 'name') out[left] = Math.round(start.left + d);
  return out;
}

/**
 * The columns to draw at `width` px, in list order: those not `hidden`, less the lowest-priority
 * ones while they do not fit, each as wide as the user made it (`widths`) or its default.
 * `minWidth` is what the drawn ones need (the list scrolls sideways below it).
 */
export function fitColumns(hidden: ReadonlySet<ColumnId>, width: number, widths: ColumnWidths = {}): { columns: ListColumn[]; minWidth: number } {
  const columns = LIST_COLUMNS.filter((c) => c.id === 'name' || !hidden.has(c.id)).map((c) => (widths[c.id] === undefined ? c : { ...c, width: widths[c.id]! }));
  const need = () => columns.reduce((n, c) => n + c.width, 0);
  const byPriority = [...columns].filter((c) => c.priority > 0).sort((a, b) => b.priority - a.priority);
  for (const c of byPriority) {
    if (need() <= width) break;
    columns.splice(columns.indexOf(c), 1);
  }
  return { columns, minWidth: need() };
}
