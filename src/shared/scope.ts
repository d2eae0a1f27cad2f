/**
 * Recording scope (issue #15): which sites netlens records. Pure logic; the background applies it
 * (src/background/scope.ts) and the toolbar popup (src/popup/) edits it.
 *
 * A site is an origin (scheme, host and port: `https://example.com`, `http://127.0.0.1:8080`), as
 * the page's `location.origin` says. Its mode:
 * - `on` (the default for every site): recorded in every tab, from the document's first script.
 * - `off`: no page script in its documents (frames included; about:blank and srcdoc frames it
 *   creates too), and its requests are not recorded: it pays nothing but one early return per
 *   request in the webRequest listeners (see src/background/web-request.ts).
 * - `devtools`: like `off`, except while a netlens panel (in DevTools, or as a tab) is open on a
 *   tab showing the site: its documents then get the page script from their next load, and only
 *   the tabs with a panel open keep records. The page patches must be in place before the page's
 *   first script, so opening DevTools on a loaded page records from its next reload, not before.
 */

export const SITE_MODES = ['on', 'off', 'devtools'] as const;
export type SiteMode = (typeof SITE_MODES)[number];

/** Where the modes of the sites that are not `on` are kept (chrome.storage.local). */
export const SCOPE_KEY = 'netlens.scope';

/** Sites whose mode is not `on`, by origin. */
export type Scope = Record<string, Exclude<SiteMode, 'on'>>;

/** At most this many sites keep a mode: each one is a pattern in every content-script match. */
export const MAX_SCOPED_SITES = 1_000;

/**
 * The site of a document or request URL: its origin for http(s), `undefined` for anything else
 * (chrome:, file:, data:, about: without a creator…), which has no per-site mode and is `on`.
 */
export function siteOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** A stored scope, read defensively: unknown origins and modes are left out. */
export function readScope(stored: unknown): Scope {
  const scope: Scope = {};
  if (!stored || typeof stored !== 'object') return scope;
  let n = 0;
  for (const [origin, mode] of Object.entries(stored as Record<string, unknown>)) {
    if (n >= MAX_SCOPED_SITES) break;
    if ((mode === 'off' || mode === 'devtools') && siteOf(origin) === origin) {
      scope[origin] = mode;
      n++;
    }
  }
  return scope;
}

export function modeOf(scope: Scope, site: string | undefined): SiteMode {
  return (site !== undefined && Object.hasOwn(scope, site) && scope[site]) || 'on';
}

/** The scope with `site` set to `mode` (`on` removes it). */
export function withMode(scope: Scope, site: string, mode: SiteMode): Scope {
  const next = { ...scope };
  delete next[site];
  if (mode !== 'on') next[site] = mode;
  return next;
}

/**
 * The content-script match pattern of exactly one origin (Chrome match patterns take a port):
 * `http://127.0.0.1:8080` → `http://127.0.0.1:8080/*`.
 */
export function patternOf(site: string): string {
  return `${site}/*`;
}

/**
 * The content scripts' `excludeMatches`: every `off` site, and every `devtools` site that no open
 * panel looks at (`watched`: the sites of the tabs with a panel open). Sorted, so an unchanged
 * scope gives an equal list.
 */
export function excludedPatterns(scope: Scope, watched: ReadonlySet<string>): string[] {
  return Object.keys(scope)
    .filter((site) => scope[site] === 'off' || !watched.has(site))
    .sort()
    .map(patternOf);
}

/**
 * Whether records of `site` in a tab are kept: always for `on`, never for `off`, and for
 * `devtools` only in a tab with a panel open (`panelOpen`).
 */
export function recordsKept(scope: Scope, site: string | undefined, panelOpen: boolean): boolean {
  const mode = modeOf(scope, site);
  return mode === 'on' || (mode === 'devtools' && panelOpen);
}

// ---- popup ⇄ background (runtime.sendMessage) ----

/** What the popup shows for one tab. */
export interface ScopeState {
  tabId: number;
  /** The tab's site; undefined for a page with no per-site mode (chrome:, file:…). */
  site?: string;
  mode: SiteMode;
  /** A netlens panel is open on this tab. */
  panelOpen: boolean;
  /** The page script is in this tab's top document now (it may differ from `mode` until a reload). */
  injected: boolean;
  /** This tab's records: from the page script, and wire rows from webRequest. */
  counts: { page: number; wire: number };
  /** The wire view records this tab's requests now (src/shared/wire-scope.ts; false when the site's records are not kept). */
  wire: boolean;
}
export type PopupToBackground = { type: 'scope:get'; tabId: number } | { type: 'scope:set'; tabId: number; site: string; mode: SiteMode };
