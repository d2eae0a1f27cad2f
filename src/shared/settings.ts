/**
 * The user's capture settings, in one place: their storage key, defaults, bounds and the reader
 * every side uses (relay, panel, page script). Stored in extension local storage; a stored value
 * that is missing or out of bounds reads as the default.
 */
import { DEFAULT_WIRE_MODE, WIRE_MODES, type WireMode } from './wire-scope';

export const SETTINGS_KEY = 'netlens.settings';

/** Bytes. */
export const DEFAULT_BODY_CAP = 1024 * 1024;
/** Bytes: the largest body cap a user can choose (32 MiB). */
export const MAX_BODY_CAP = 32 * 1024 * 1024;

/** Bytes: what one tab's records may take in storage before the oldest bodies, then entries, go (64 MiB). */
export const DEFAULT_TAB_BUDGET = 64 * 1024 * 1024;
/** Bytes: the bounds of the per-tab budget a user can choose (1 MiB … 4 GiB). */
export const MIN_TAB_BUDGET = 1024 * 1024;
export const MAX_TAB_BUDGET = 4 * 1024 * 1024 * 1024;

export interface Settings {
  /** Per-body capture cap in bytes, 0 … MAX_BODY_CAP (default 1 MiB). */
  bodyCap: number;
  /** Per-tab storage budget in bytes, MIN_TAB_BUDGET … MAX_TAB_BUDGET (default 64 MiB); see src/shared/store-budget.ts. */
  tabBudget: number;
  /** Keep earlier pages' records when a tab navigates (DevTools' "Preserve log"); default off: a navigation clears the tab's log. */
  preserveLog: boolean;
  /** Which tabs' requests the wire view (webRequest) sees: `panel` (default) or `always`; see src/shared/wire-scope.ts. */
  wire: WireMode;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = { bodyCap: DEFAULT_BODY_CAP, tabBudget: DEFAULT_TAB_BUDGET, preserveLog: false, wire: DEFAULT_WIRE_MODE };

/** Whether `bytes` is a body cap a user may set: an integer in 0 … MAX_BODY_CAP. */
export function validBodyCap(bytes: unknown): bytes is number {
  return typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= 0 && bytes <= MAX_BODY_CAP;
}

/** Whether `bytes` is a per-tab budget a user may set: an integer in MIN_TAB_BUDGET … MAX_TAB_BUDGET. */
export function validTabBudget(bytes: unknown): bytes is number {
  return typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= MIN_TAB_BUDGET && bytes <= MAX_TAB_BUDGET;
}

/** Settings from whatever storage holds under SETTINGS_KEY (untrusted shape); never throws. */
export function readSettings(stored: unknown): Settings {
  const raw = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  return {
    bodyCap: validBodyCap(raw.bodyCap) ? raw.bodyCap : DEFAULT_SETTINGS.bodyCap,
    tabBudget: validTabBudget(raw.tabBudget) ? raw.tabBudget : DEFAULT_SETTINGS.tabBudget,
    preserveLog: typeof raw.preserveLog === 'boolean' ? raw.preserveLog : DEFAULT_SETTINGS.preserveLog,
    wire: (WIRE_MODES as readonly unknown[]).includes(raw.wire) ? (raw.wire as WireMode) : DEFAULT_SETTINGS.wire,
  };
}
