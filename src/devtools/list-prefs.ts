import { HIDEABLE, type ColumnId } from '../shared/list-columns';

const HIDDEN_KEY = 'netlens.list.hidden';

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
