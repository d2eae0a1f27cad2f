/**
 * Answers the toolbar popup (src/popup/): a tab's site, its recording mode and counts, and
 * changes of a site's mode. Messages come over runtime.sendMessage from extension pages only.
 */
import browser from 'webextension-polyfill';
import { SITE_MODES, modeOf, recordsKept, siteOf, type PopupToBackground, type ScopeState, type SiteMode } from '../shared/scope';
import type { ScopeKeeper } from './scope';

export interface PopupFacts {
  counts(tabId: number): ScopeState['counts'];
  injected(tabId: number): boolean;
  /** Whether the wire view records the tab now. */
  wire(tabId: number): boolean;
  ready: Promise<unknown>;
}

export function servePopup(scope: ScopeKeeper, facts: PopupFacts): void {
  const state = async (tabId: number): Promise<ScopeState> => {
    await Promise.all([scope.ready, facts.ready]);
    const tab = await browser.tabs.get(tabId);
    const site = siteOf(tab.url);
    return { tabId, site, mode: modeOf(scope.scope(), site), panelOpen: scope.panelOpen(tabId), injected: facts.injected(tabId), counts: facts.counts(tabId), wire: facts.wire(tabId) && recordsKept(scope.scope(), site, scope.panelOpen(tabId)) };
  };
  browser.runtime.onMessage.addListener((msg: unknown, sender: browser.Runtime.MessageSender) => {
    // Only our own pages (the popup, or popup.html opened as a tab): a content script, or a page
    // through it, never reads or changes the scope.
    if (sender.id !== browser.runtime.id || !sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
    const m = msg as PopupToBackground;
    if (m?.type === 'scope:get' && typeof m.tabId === 'number') return state(m.tabId);
    if (m?.type === 'scope:set' && typeof m.tabId === 'number' && typeof m.site === 'string' && SITE_MODES.includes(m.mode as SiteMode) && siteOf(m.site) === m.site) {
      return scope.set(m.site, m.mode).then(() => state(m.tabId));
    }
    return undefined;
  });
}
