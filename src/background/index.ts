/**
 * The service worker: receives page records from relays and wire records from webRequest, keeps
 * them per tab (surviving a worker stop), and serves panels. It may be stopped at any time;
 * listeners are registered synchronously at the top level so an event wakes it.
 */
import browser from 'webextension-polyfill';
import type { BackgroundToPanel, PanelToBackground, RelayBatch, TabRecord } from '../shared/protocol';
import { PANEL_PORT, PROTOCOL_VERSION, RELAY_PORT } from '../shared/protocol';
import { expandPageEvent, validDoc } from '../shared/page-events';
import { createRecordStore } from './record-store';
import { createBatcher } from '../shared/batcher';
import { observeWebRequest } from './web-request';
import { observeNavigation } from './navigation';
import { browserSession, watchSettings } from './settings-watch';

const settings = watchSettings((now, before) => {
  if (now.tabBudget < before.tabBudget) void ready.then(() => store.checkBudgets());
});
const store = createRecordStore({ budget: () => settings.current().tabBudget, startClean: browserSession.isNew, cleaned: browserSession.mark });
/** This run of the worker: a new id after every stop and restart. */
const boot = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const ready = Promise.all([settings.loaded, store.load()])
  .then(forgetClosedTabs)
  .catch(() => {});

/** Tabs closed while no worker ran (onRemoved did not reach a store) are freed at wake-up. */
async function forgetClosedTabs() {
  const open = new Set((await browser.tabs.query({})).map((t) => t.id));
  await Promise.all(store.tabIds().filter((id) => !open.has(id)).map((id) => store.remove(id)));
}

// A top-level navigation starts a new page: without "preserve log" the tab's log is cleared.
observeNavigation(({ tabId }) => {
  void ready.then(() => {
    if (!settings.current().preserveLog) void store.clear(tabId);
  });
});

observeWebRequest((tabId, ev) => {
  void ready.then(() => store.add(tabId, [{ tabId, frameId: ev.frameId, ev }]));
}, browser.runtime.getURL(''));

browser.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT) serveRelay(port);
  else if (port.name === PANEL_PORT) servePanel(port);
});

function serveRelay(port: browser.Runtime.Port) {
  const tabId = port.sender?.tab?.id;
  const frameId = port.sender?.frameId ?? 0;
  if (tabId === undefined) return;
  port.onMessage.addListener(async (msg: unknown) => {
    await ready;
    const batch = msg as RelayBatch;
    if (batch?.type !== 'batch' || batch.v !== PROTOCOL_VERSION || !Array.isArray(batch.events)) return;
    if (typeof batch.seq !== 'number' || !validDoc(batch.doc)) return;
    if (store.firstSight(tabId, batch.doc, batch.seq)) {
      const records: Omit<TabRecord, 'seq'>[] = [];
      const frameUrl = typeof batch.frameUrl === 'string' ? batch.frameUrl.slice(0, 16 * 1024) : '';
      let rejected = 0;
      for (const raw of batch.events) {
        // The one check of everything a page sends (the relay only forwards it).
        const events = expandPageEvent(raw);
        if (events) for (const ev of events) records.push({ tabId, frameId, doc: batch.doc, frameUrl, ev });
        else rejected++;
      }
      store.reject(tabId, rejected);
      store.add(tabId, records);
    }
    // Ack only what is safely written: a worker stopped before the write loses nothing, since
    // the relay re-sends every batch it has no ack for.
    await store.persisted();
    try {
      port.postMessage({ type: 'ack', seq: batch.seq });
    } catch {
      // The frame went away.
    }
  });
}

function servePanel(port: browser.Runtime.Port) {
  let tabId: number | undefined;
  /** Bumped per subscribe: a snapshot still being read for an earlier one stops. */
  let subscription = 0;
  /** Records written while a snapshot is read: sent after it, past its last seq. */
  let held: TabRecord[] | undefined;
  const post = (msg: BackgroundToPanel) => {
    try {
      port.postMessage(msg);
    } catch {
      // Too large or a dead port: drop the link; the panel reconnects and resumes.
      stop();
      port.disconnect();
    }
  };
  // One message per few ms, not one per webRequest event: each message costs the panel a redraw.
  const live = createBatcher<TabRecord>((records) => tabId !== undefined && post({ type: 'records', tabId, records }), { delayMs: PANEL_BATCH_MS, maxItems: PAGE_RECORDS });
  let health = '';
  /** Told only when it changed (a few numbers, compared as one string). */
  const tellHealth = (tab: number) => {
    const now = store.health(tab);
    const seen = JSON.stringify(now);
    if (seen === health) return;
    health = seen;
    post({ type: 'health', tabId: tab, health: now });
  };
  const stopAdds = store.onAdd((tab, records) => {
    if (tab !== tabId) return;
    if (held) held.push(...records);
    else live.add(records);
    tellHealth(tab);
  });
  const stopChanges = store.onChange((tab, what) => {
    if (tab !== tabId) return;
    if (what === 'cleared') {
      live.cancel();
      if (held) held = [];
      post({ type: 'cleared', tabId: tab });
    }
    tellHealth(tab);
  });
  const stop = () => {
    stopAdds();
    stopChanges();
    live.cancel();
    subscription++;
  };
  port.onDisconnect.addListener(() => stop());
  port.onMessage.addListener(async (msg: unknown) => {
    await ready;
    const m = msg as PanelToBackground;
    if (m?.type === 'subscribe' && typeof m.tabId === 'number') {
      // The snapshot carries everything so far; what was waiting would only repeat it.
      live.cancel();
      tabId = m.tabId;
      const mine = ++subscription;
      held = [];
      await sendSnapshot(m.tabId, typeof m.afterSeq === 'number' ? m.afterSeq : 0, () => mine !== subscription);
      if (mine !== subscription) return;
      const after = held;
      held = undefined;
      live.add(after);
    } else if (m?.type === 'clear' && typeof m.tabId === 'number') {
      await store.clear(m.tabId);
    }
  });

  /**
   * Everything on disk after `afterSeq`, read page by page (one extension message must stay well
   * under Chromium's 64 MiB limit): the first page is the snapshot, `more` says further pages follow.
   */
  async function sendSnapshot(tab: number, afterSeq: number, cancelled: () => boolean) {
    const now = store.health(tab);
    health = JSON.stringify(now);
    let waiting: TabRecord[] | undefined;
    let first = true;
    const send = (records: TabRecord[], more: boolean) => {
      if (first) post({ type: 'snapshot', tabId: tab, records, dropped: now.dropped, health: now, boot, more });
      else post({ type: 'records', tabId: tab, records, more });
      first = false;
    };
    for await (const page of store.pages(tab, afterSeq, store.writtenSeq(tab), PAGE_RECORDS, PAGE_BYTES)) {
      if (cancelled()) return;
      if (waiting) send(waiting, true);
      waiting = page;
    }
    if (cancelled()) return;
    send(waiting ?? [], false);
  }
}

const PAGE_RECORDS = 1_000;
const PANEL_BATCH_MS = 16;
const PAGE_BYTES = 4 * 1024 * 1024;

// A closed tab's records are freed.
browser.tabs.onRemoved.addListener((tabId) => {
  void ready.then(() => store.remove(tabId));
});

/** For the CLI and tests, evaluated in this worker through the DevTools protocol. */
Object.assign(globalThis, {
  netlens: {
    ready: () => ready,
    records: (tabId: number) => store.records(tabId),
    tabIds: () => store.tabIds(),
    flush: () => store.flush(),
    /** Bytes and rows a tab holds, and what its budget took. */
    held: (tabId: number) => ({ ...store.held(tabId), health: store.health(tabId) }),
    /** The last seq of a tab that is written. */
    writtenSeq: (tabId: number) => store.writtenSeq(tabId),
  },
});
