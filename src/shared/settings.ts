/**
 * The user's capture settings, in one place: their storage key, defaults, bounds and the reader
 * every side uses (relay, panel, page script). Stored in extension local storage; a stored value
 * that is missing or out of bounds reads as the default.
 */
export const SETTINGS_KEY = 'netlens.settings';

/** Bytes. */
export const DEFAULT_BODY_CAP = 1024 * 1024;
/** Bytes: the largest body cap a user can choose (32 MiB). */
export const MAX_BODY_CAP = 32 * 1024 * 1024;

export interface Settings {
  /** Per-body capture cap in bytes, 0 … MAX_BODY_CAP (default 1 MiB). */
  bodyCap: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = { bodyCap: DEFAULT_BODY_CAP };

/** Whether `bytes` is a body cap a user may set: an integer in 0 … MAX_BODY_CAP. */
export function validBodyCap(bytes: unknown): bytes is number {
  return typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= 0 && bytes <= MAX_BODY_CAP;
}

/** Settings from whatever storage holds under SETTINGS_KEY (untrusted shape); never throws. */
export function readSettings(stored: unknown): Settings {
  const raw = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  return { bodyCap: validBodyCap(raw.bodyCap) ? raw.bodyCap : DEFAULT_SETTINGS.bodyCap };
}
