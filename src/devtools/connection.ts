import browser from 'webextension-polyfill';
import type { BackgroundToPanel, PanelToBackground, PortToPanel } from '../shared/protocol';
import { PANEL_PORT, PROTOCOL_VERSION } from '../shared/protocol';
import { createLiveDecoder, type PackedRecord } from '../shared/live-codec';

/** What the panel is told: all the background says but `written`, which only its link needs (see connect). */
export type PanelMessage = Exclude<BackgroundToPanel, { type: 'written' }>;

/**
 * The panel's link to the background: a runtime port that reconnects by itself after the
 * service worker was stopped, resuming after the last record it has (or told to start over, with
 * `cleared`, when that worker had not written it yet).
 */
export function connect(tabId: number, lastSeq: () => number, onMessage: (msg: PanelMessage) => void) {
  let port: browser.Runtime.Port | undefined;
  let closed = false;
  /**
   * The worker run the records so far came from (the last snapshot's `boot`), and the last seq it
   * said was on disk (the snapshot's, then each `written`): told when resuming.
   */
  let boot: string | undefined;
  let written: number | undefined;
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
    // The snapshot and the live rows come packed, each record against what this port carried
    // since the snapshot began (src/shared/live-codec.ts): unpacked here, in the order they came.
    const unpacker = createLiveDecoder();
    const unpack = (m: PortToPanel): BackgroundToPanel => {
      if (m.type === 'snapshot') {
        unpacker.reset();
        boot = m.boot;
        written = m.written;
      }
      if (m.type === 'rows') return { ...m, rows: unpacker.decode(m.tabId, m.rows) };
      if (m.type === 'snapshot' || m.type === 'records') return { ...m, records: unpacker.decodeRecords(m.tabId, m.records as PackedRecord[]) };
      return m;
    };
    mine.onMessage.addListener((msg: unknown) => {
      if (port !== mine || !msg || typeof msg !== 'object') return;
      let m: BackgroundToPanel;
      try {
        m = unpack(msg as PortToPanel);
      } catch {
        // Out of step with the background (it should never be): a new port, resumed after the last record.
        mine.disconnect();
        reopen(mine, 0);
        return;
      }
      if (m.type === 'written') written = Math.max(written ?? 0, m.seq);
      else onMessage(m);
    });
    mine.onDisconnect.addListener(() => reopen(mine, 100));
    send({ type: 'subscribe', v: PROTOCOL_VERSION, tabId, afterSeq: lastSeq(), packed: true, boot, written });
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
