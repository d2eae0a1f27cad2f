import { COLUMN_MAX_WIDTH, COLUMN_MIN_WIDTH, HIDEABLE, LIST_COLUMNS, type ColumnId, type ColumnWidths } from '../shared/list-columns';

const HIDDEN_KEY = 'netlens.list.hidden';
const WIDTHS_KEY = 'netlens.list.widths';

/** The hidden columns, remembered in the panel's localStorage (per user profile). */
export function loadHidden(): Set<ColumnId> {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? '[]');
    return new Set(Array.isArray(raw) ? (raw.filter((c) => (HIDEABLE as readonly unknown[]).includes(c)) as ColumnId[]) : []);
  } catch {
    return new Set();
  }
}
export function saveHidden(hidden: ReadonlySet<ColumnId>) {
  try {
    localStorage.setItem(HIDDEN_KEY, JSON.stringify([...hidden]));
  } catch {
    // Storage unavailable: remembered for this session only.
  }
}

/** The column widths the user dragged, px, remembered as the hidden columns are; anything odd in storage is left out. */
export function loadWidths(): ColumnWidths {
  const out: ColumnWidths = {};
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(WIDTHS_KEY) ?? '{}');
    if (!raw || typeof raw !== 'object') return out;
    for (const { id } of LIST_COLUMNS) {
      const w: unknown = (raw as Record<string, unknown>)[id];
      if (typeof w === 'number' && Number.isFinite(w) && w >= COLUMN_MIN_WIDTH && w <= COLUMN_MAX_WIDTH) out[id] = Math.round(w);
    }
  } catch {
    // Unreadable: the defaults.
  }
  return out;
}
export function saveWidths(widths: ColumnWidths) {
  try {
    localStorage.setItem(WIDTHS_KEY, JSON.stringify(widths));
  } catch {
    // Storage unavailable: remembered for this session only.
  }
}
