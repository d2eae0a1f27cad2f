import browser from 'webextension-polyfill';
import type { BackgroundToPanel, PanelToBackground, PortToPanel } from '../shared/protocol';
import { PANEL_PORT, PROTOCOL_VERSION } from '../shared/protocol';
import { createLiveDecoder } from '../shared/live-codec';

/**
 * The panel's link to the background: a runtime port that reconnects by itself after the
 * service worker was stopped, resuming after the last record it has.
 */
export function connect(tabId: number, lastSeq: () => number, onMessage: (msg: BackgroundToPanel) => void) {
  let port: browser.Runtime.Port | undefined;
  let closed = false;
  /** The link `dead` is gone (disconnected, or out of step): a new one after `ms`, unless a newer one is up already. */
  const reopen = (dead: browser.Runtime.Port, ms: number) => {
    if (port !== dead) return;
    port = undefined;
    setTimeout(open, ms);
  };
  const open = () => {
    if (closed) return;
    const mine = browser.runtime.connect({ name: PANEL_PORT });
    port = mine;
    // Live rows come packed against what this port carried since its last snapshot (src/shared/live-codec.ts).
    const unpacker = createLiveDecoder();
    mine.onMessage.addListener((msg: unknown) => {
      if (port !== mine) return;
      const m = msg as PortToPanel;
      if (m?.type === 'snapshot') unpacker.reset();
      if (m?.type !== 'rows') return onMessage(m);
      let rows;
      try {
        rows = unpacker.decode(m.tabId, m.rows);
      } catch {
        // Out of step with the background (it should never be): a new port, resumed after the last record.
        mine.disconnect();
        reopen(mine, 0);
        return;
      }
      onMessage({ type: 'rows', tabId: m.tabId, rows });
    });
    mine.onDisconnect.addListener(() => reopen(mine, 100));
    send({ type: 'subscribe', v: PROTOCOL_VERSION, tabId, afterSeq: lastSeq() });
  };
  const send = (msg: PanelToBackground) => port?.postMessage(msg);
  open();
  return {
    send,
    close() {
      closed = true;
      port?.disconnect();
    },
  };
}

/** Reloads the inspected page: through DevTools when the panel is in it, else the tab `tabId` (a panel opened as a page). */
export function reloadInspected(tabId: number): void {
  const devtools = (globalThis as { chrome?: typeof chrome }).chrome?.devtools?.inspectedWindow;
  if (devtools) devtools.reload({});
  else void chrome.tabs.reload(tabId).catch(() => {});
}

/** The inspected tab: from DevTools, or `?tabId=` when the panel is opened as a plain page. */
export function inspectedTabId(): number | undefined {
  const fromDevtools = (globalThis as { chrome?: typeof chrome }).chrome?.devtools?.inspectedWindow?.tabId;
  if (typeof fromDevtools === 'number') return fromDevtools;
  const param = new URLSearchParams(location.search).get('tabId');
  return param ? Number(param) : undefined;
}
