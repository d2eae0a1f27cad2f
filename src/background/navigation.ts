/**
 * Top-level navigations, for the tab's log: each committed top-level document starts a new page
 * (its records carry its `doc`; a HAR export makes one page per document). Without "preserve
 * log" a new page clears the tab's log, as DevTools' Network panel does.
 *
 * A navigation is `webNavigation.onCommitted` in frame 0: it fires once per new document, before
 * any request of it, for a link, a reload, a history traversal and a back/forward-cache restore
 * alike, and not for a same-document navigation (pushState, a fragment). A document restored
 * from the back/forward cache keeps its `doc`: its relay re-sends only batches never acknowledged
 * (the store knows every batch it has seen, across a clear), so nothing comes twice.
 */
export interface TopLevelCommit {
  tabId: number;
  url: string;
  /** Epoch ms. */
  timeStamp: number;
  /** Chrome's transitionQualifiers, e.g. `forward_back` for a history traversal. */
  qualifiers: string[];
}

export function observeNavigation(onCommit: (commit: TopLevelCommit) => void): void {
  chrome.webNavigation?.onCommitted.addListener((d) => {
    if (d.frameId !== 0 || d.tabId < 0) return;
    onCommit({ tabId: d.tabId, url: d.url, timeStamp: d.timeStamp, qualifiers: d.transitionQualifiers ?? [] });
  });
}
