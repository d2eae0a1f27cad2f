/**
 * Applies the recording scope (src/shared/scope.ts) in the service worker: registers the two
 * content scripts with the sites that are off left out, knows which tabs have a panel open, and
 * tells the webRequest listeners and the relay handler whether a tab's records are kept.
 *
 * The content scripts are registered with chrome.scripting (not in the manifest, whose scripts
 * cannot leave a site out at run time) with what the manifest said: every frame, document_start,
 * about:blank / srcdoc / blob frames by their creator's origin (matchOriginAsFallback), the relay
 * (ISOLATED) first. Registered scripts persist; every start of the worker checks them.
 */
import { SCOPE_KEY, excludedPatterns, readScope, recordsKept, siteOf, withMode, type Scope } from '../shared/scope';

/** The built content scripts (vite.config.ts builds them from manifest.json's content_scripts). */
const SCRIPTS = [
  { id: 'netlens-relay', js: ['src/content/relay.js'], world: 'ISOLATED' },
  { id: 'netlens-page', js: ['src/content/page/main.js'], world: 'MAIN' },
] as const;

export interface ScopeKeeper {
  /** Resolves once the stored scope is read and the content scripts are registered. */
  ready: Promise<void>;
  scope(): Scope;
  /** Whether a record of `site` (a document's or initiator's origin) in `tabId` is kept. */
  keeps(tabId: number, site: string | undefined): boolean;
  set(site: string, mode: 'on' | 'off' | 'devtools'): Promise<void>;
  panelOpened(tabId: number): void;
  panelClosed(tabId: number): void;
  panelOpen(tabId: number): boolean;
  /** The tabs with a panel open. */
  panelTabs(): Iterable<number>;
  /** The site a tab with a panel open shows (once read), else undefined. */
  tabSite(tabId: number): string | undefined;
  /** A tab's URL changed (a panel's tab may now show another site). */
  tabUpdated(tabId: number, url: string | undefined): void;
}

export function createScopeKeeper(): ScopeKeeper {
  let scope: Scope = {};
  /** Open panels per inspected tab (a tab may have DevTools and a panel tab at once). */
  const panels = new Map<number, number>();
  /** The site each tab with a panel shows. */
  const watchedTabs = new Map<number, string | undefined>();
  let applied = '';
  let chain = Promise.resolve();

  const watched = () => new Set([...watchedTabs.values()].filter((s): s is string => s !== undefined));

  /** Registers (or updates) both scripts when their exclusions changed; one call at a time. */
  const apply = () =>
    (chain = chain.then(async () => {
      const excludeMatches = excludedPatterns(scope, watched());
      const key = JSON.stringify(excludeMatches);
      if (key === applied) return;
      const scripts = SCRIPTS.map((s) => ({
        id: s.id,
        js: [...s.js],
        matches: ['<all_urls>'],
        excludeMatches,
        runAt: 'document_start' as const,
        allFrames: true,
        matchOriginAsFallback: true,
        world: s.world as chrome.scripting.ExecutionWorld,
        persistAcrossSessions: true,
      }));
      try {
        const registered = await chrome.scripting.getRegisteredContentScripts();
        // A worker that starts again finds its scripts as it left them: nothing to do.
        const same = (r: chrome.scripting.RegisteredContentScript | undefined, s: (typeof scripts)[number]) =>
          r !== undefined && JSON.stringify(r.js) === JSON.stringify(s.js) && JSON.stringify([...(r.excludeMatches ?? [])].sort()) === key && r.world === s.world && r.runAt === s.runAt && r.allFrames === true && r.matchOriginAsFallback === true;
        if (registered.length === scripts.length && scripts.every((s) => same(registered.find((r) => r.id === s.id), s))) {
          applied = key;
          return;
        }
        const have = new Set(registered.map((s) => s.id));
        const fresh = scripts.filter((s) => !have.has(s.id));
        const known = scripts.filter((s) => have.has(s.id));
        if (known.length) await chrome.scripting.updateContentScripts(known);
        if (fresh.length) await chrome.scripting.registerContentScripts(fresh);
        applied = key;
      } catch (error) {
        console.error('netlens: content scripts not registered', error);
      }
    }));

  const ready = chrome.storage.local
    .get(SCOPE_KEY)
    .then((got) => {
      scope = readScope(got[SCOPE_KEY]);
    })
    .catch(() => {})
    .then(apply);

  const watch = async (tabId: number) => {
    try {
      // Async: chrome.tabs.get throws synchronously on an id that cannot be a tab (-1).
      const tab = await chrome.tabs.get(tabId);
      if (!panels.has(tabId)) return;
      watchedTabs.set(tabId, siteOf(tab.url));
      await apply();
    } catch {
      // Not a tab (any more): nothing to watch.
    }
  };

  return {
    ready,
    scope: () => scope,
    keeps: (tabId, site) => recordsKept(scope, site, panels.has(tabId)),
    async set(site, mode) {
      await ready;
      scope = readScope(withMode(scope, site, mode));
      await chrome.storage.local.set({ [SCOPE_KEY]: scope });
      await apply();
    },
    panelOpened(tabId) {
      panels.set(tabId, (panels.get(tabId) ?? 0) + 1);
      void watch(tabId);
    },
    panelClosed(tabId) {
      const n = (panels.get(tabId) ?? 0) - 1;
      if (n > 0) return void panels.set(tabId, n);
      panels.delete(tabId);
      watchedTabs.delete(tabId);
      void apply();
    },
    panelOpen: (tabId) => panels.has(tabId),
    panelTabs: () => panels.keys(),
    tabSite: (tabId) => watchedTabs.get(tabId),
    tabUpdated(tabId, url) {
      if (!panels.has(tabId) || url === undefined) return;
      const site = siteOf(url);
      if (watchedTabs.get(tabId) === site) return;
      watchedTabs.set(tabId, site);
      void apply();
    },
  };
}
