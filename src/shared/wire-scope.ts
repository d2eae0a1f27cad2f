/**
 * Which tabs' requests go through netlens's webRequest listeners (the wire view: preflights,
 * the headers the browser adds, Set-Cookie, requests JavaScript never saw). Pure logic; the
 * service worker applies it (src/background/wire-switch.ts). Only the copy of netlens that holds
 * `webRequest` (netlens capture, the demo, the tests: src/cli/chromium.ts withWebRequest) has
 * listeners; netlens as released takes its wire view from DevTools while DevTools is open on a tab
 * (src/shared/har/devtools-wire.ts), and the same switch follows those tabs in `panel` mode.
 *
 * Why it is scoped at all: while any listener asks for `extraHeaders`, Chromium sends every
 * request of every tab through the browser process twice more (network.mojom.TrustedHeaderClient),
 * and each event is a dispatch to the worker: measured, about 690 of the 800 ms netlens added to
 * the browser's main thread per 600 XHR GETs, which on a machine of few cores slows the page too.
 * Chrome's own Network panel pays its cost only while DevTools is open; so does the wire view by
 * default. The page script still records every page from its first script: only the wire view
 * waits for a panel.
 *
 * Modes (Settings.wire):
 * - `panel` (the default): listeners only for the tabs with a netlens panel open (in DevTools or
 *   as a tab), registered with that tab in their filter, from the moment the panel connects.
 * - `always`: listeners for every tab from the worker's start (netlens capture and the tests use
 *   it: a headless recording has no panel).
 */

export const WIRE_MODES = ['panel', 'always'] as const;
export type WireMode = (typeof WIRE_MODES)[number];
export const DEFAULT_WIRE_MODE: WireMode = 'panel';

/** One registration of the listeners: every tab (`'all'`) or one tab id. */
export type WireKey = 'all' | number;

/**
 * The registrations `mode` asks for, given the tabs with a panel open: `['all']` for `always`,
 * the panel tabs (ascending, ids < 0 left out) for `panel`.
 */
export function wireKeys(mode: WireMode, panelTabs: Iterable<number>): WireKey[] {
  if (mode === 'always') return ['all'];
  return [...new Set(panelTabs)].filter((id) => Number.isInteger(id) && id >= 0).sort((a, b) => a - b);
}

/**
 * What to add and remove to go from the registrations `current` to `desired`. Additions come
 * first in the caller's order of work: a tab switched from `'all'` to its own listeners is never
 * without one in between.
 */
export function planWire(current: Iterable<WireKey>, desired: Iterable<WireKey>): { add: WireKey[]; remove: WireKey[] } {
  const have = new Set(current);
  const want = new Set(desired);
  return { add: [...want].filter((k) => !have.has(k)), remove: [...have].filter((k) => !want.has(k)) };
}

/**
 * Whether a wire event of `tabId` is kept: always in `always` mode, in `panel` mode only for a tab
 * with a panel open; with the mode not read yet (`undefined`: the first moments of a worker's
 * run, when the listeners of its last run's mode may still be registered), kept.
 */
export function wireKept(mode: WireMode | undefined, panelOpen: boolean): boolean {
  return mode === undefined || mode === 'always' || panelOpen;
}

/** What the panel is told of its tab's wire view. */
export interface WireState {
  mode: WireMode;
  /** Epoch ms from which this tab's requests are seen on the wire; undefined: all along (`always` mode since the browser session began). */
  since?: number;
  /**
   * `devtools`: netlens holds no `webRequest` permission (as released), so the wire view comes
   * from DevTools' network log, only while DevTools is open on the tab (src/shared/har/devtools-wire.ts);
   * `open` says whether it is now (`since`: when it opened). Absent: from webRequest, as `mode` says.
   */
  source?: 'devtools';
  open?: boolean;
}
