/**
 * The service worker: receives page records from relays and wire records (from DevTools' log via
 * a tab's DevTools page, or from webRequest in the copy `netlens capture` loads), keeps
 * them per tab (surviving a worker stop), and serves panels. It may be stopped at any time;
 * listeners are registered synchronously at the top level so an event wakes it.
 */
import browser from 'webextension-polyfill';
import type { BackgroundToRelay, LiveRow, PanelToBackground, PortToPanel, StoreHealth, TabRecord, WireEvent } from '../shared/protocol';
import type { WireState } from '../shared/wire-scope';
import { DEVTOOLS_WIRE_BATCH_MAX, DEVTOOLS_WIRE_PORT, PANEL_PORT, RELAY_PORT, type DevtoolsWireBatch } from '../shared/protocol';
import { createDevtoolsWire } from '../shared/har/devtools-wire';
import { checkMessageRun, expandPageEvent, isMessageRunItem } from '../shared/page-events';
import { isRun, messageRunRows, rowShare, runLast, type NewRow, type RecordPlace } from '../shared/stored-runs';
import { originOf } from '../shared/url';
import { resumePoint } from '../shared/resume';
import { createBatchTurns, readRelayBatch } from '../shared/relay-batch';
import { BLOB_BATCH_BYTES, blobBytesRead, createPartJoiner, hasBlobPayload, isPart, readBlobPayload, type PartBudget } from '../shared/payload-parts';
import { createWireHold } from '../shared/wire-hold';
import { createRecordStore } from './record-store';
import { createBatcher } from '../shared/batcher';
import { createLiveEncoder } from '../shared/live-codec';
import { observeWebRequest } from './web-request';
import { createDeepCapture } from './deep-capture';
import { createScopeKeeper } from './scope';
import { servePopup } from './popup';
import { siteOf } from '../shared/scope';
import { observeNavigation } from './navigation';
import { browserSession, watchSettings, wireAlwaysSince } from './settings-watch';
import { createWireSwitch } from './wire-switch';

const settings = watchSettings((now, before) => {
  if (now.tabBudget < before.tabBudget) void ready.then(() => store.checkBudgets());
  if (now.wire !== before.wire) {
    void wireAlwaysSince.set(now.wire === 'always' ? Date.now() : undefined);
    wire.update();
    for (const tell of wireWatchers) tell();
  }
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
  // The tab's wire records still held are the page's being left: kept with it, or cleared with
  // it, as if they had been written already.
  const held = wireHold.takeTab(tabId);
  void ready.then(() => {
    if (!settings.current().preserveLog) void store.clear(tabId);
    else for (const recs of held) addWire(tabId, recs);
  });
});
/** Which sites are recorded (src/shared/scope.ts); registers the content scripts. */
const scope = createScopeKeeper();
/** The relay ports of each tab's documents (a top document's: the page script is there now). */
const relays = new Map<number, Set<browser.Runtime.Port>>();
/** Tells a tab's relays, or one of them, whether a panel (or `netlens capture`) listens to the tab: see PagePace. */
function pace(tabId: number, ports: Iterable<browser.Runtime.Port> = relays.get(tabId) ?? []) {
  const message: BackgroundToRelay = { type: 'pace', watched: scope.panelOpen(tabId) };
  for (const port of ports) {
    try {
      port.postMessage(message);
    } catch {
      // The frame went away.
    }
  }
}
/**
 * A panel's port (or `netlens capture`'s) stopped watching tab `from` and/or began watching `to`:
 * the scope counts it (a site recorded only while DevTools is open), the wire view follows (its
 * default mode, src/shared/wire-scope.ts), and both tabs' relays are told their pace.
 */
function moveWatch(from: number | undefined, to: number | undefined) {
  if (from !== undefined) scope.panelClosed(from);
  if (to !== undefined) scope.panelOpened(to);
  wire.update();
  if (from !== undefined) pace(from);
  if (to !== undefined) pace(to);
}
/**
 * A relay's written batches are acknowledged together, one message per this many ms at most: each
 * message is a task and an extension-event dispatch on the page's main thread (the relay's), which
 * for a page streaming WebSocket messages (a batch per 25 ms) cost more than 5% of the page's CPU
 * time. An acknowledgement only lets the relay forget a batch (or send it again to a restarted
 * worker, which drops repeats: RecordStore.firstSight), so holding it briefly loses nothing.
 */
const ACK_MS = 250;
/**
 * ... unless the records not yet on disk hold this many characters or more (their bodies the
 * most): the relay keeps a copy of every batch until it is acknowledged, in the page's renderer
 * (the page's JS heap: issue #11 wants it within 5 MiB of native's after a workload). They are
 * then written at once and acknowledged as soon as they are on disk. 300 POSTs of 20 KB held
 * about 7 MiB in the relay a moment after the page's last one (PERSIST_DELAY_MS, then ACK_MS);
 * a transaction more per million characters is little next to the bodies it writes.
 */
const ACK_HELD_CHARS = 1_000_000;

/** A wire event's initiator as a site: the last one is kept (a page's requests share it; a URL parse each was a tenth of the worker's time). */
let lastInitiator: string | undefined;
let lastSite: string | undefined;
const initiatorSite = (initiator: string | undefined) => {
  if (initiator !== lastInitiator) {
    lastInitiator = initiator;
    lastSite = siteOf(initiator);
  }
  return lastSite;
};
/** How long a request's wire records may wait for the rest of them, ms. */
const WIRE_HOLD_MS = 100;
/** Adds a request's wire records once the scope is read (the listener's own check keeps all until then). */
const addWire = (tabId: number, recs: Omit<TabRecord, 'seq'>[]) => {
  const ev = recs[0].ev as WireEvent;
  // DevTools' log gives no initiator for a request with neither Origin nor Referer: the tab's site.
  void Promise.all([ready, scope.ready]).then(() => wire.keeps(tabId) && scope.keeps(tabId, initiatorSite(ev.initiator) ?? scope.tabSite(tabId)) && store.add(tabId, recs));
};
/** A request's wire records go to the store together: one row (src/shared/wire-hold.ts). */
const wireHold = createWireHold(addWire, WIRE_HOLD_MS);
/**
 * Whether this netlens holds `webRequest` (a copy `netlens capture`, the demo and the tests load:
 * src/cli/chromium.ts withWebRequest). As released it does not: the wire view then comes from
 * DevTools' log while DevTools is open on a tab (serveDevtoolsWire), whatever the Wire setting.
 */
const onWebRequest = typeof chrome.webRequest !== 'undefined';
/** Tabs with DevTools open on them (their DevTools pages connected), and how many such ports each. */
const devtoolsTabs = new Map<number, number>();
/** A wire event of `tabId`, from webRequest or from DevTools' log: held with the rest of its request's, then added. */
const takeWire = (tabId: number, ev: WireEvent) => wireHold.take(tabId, ev.requestId, { tabId, frameId: ev.frameId, ev }, ev.phase === 'completed' || ev.phase === 'error');
/** The wire view's listeners, for the tabs the setting asks for (src/shared/wire-scope.ts). */
const wire = createWireSwitch({
  observe: (tabId) =>
    observeWebRequest(
      takeWire,
      browser.runtime.getURL(''),
      (tab, initiator) => wire.keeps(tab) && scope.keeps(tab, initiatorSite(initiator)),
      tabId,
    ),
  mode: () => (onWebRequest ? settings.current().wire : 'panel'),
  panelTabs: () => (onWebRequest ? scope.panelTabs() : devtoolsTabs.keys()),
  panelOpen: (tabId) => (onWebRequest ? scope.panelOpen(tabId) : devtoolsTabs.has(tabId)),
});
/** What a panel of `tabId` is told of its wire view. */
const wireState = (tabId: number): WireState => (onWebRequest ? wire.state(tabId) : { ...wire.state(tabId), source: 'devtools', open: devtoolsTabs.has(tabId) });
void Promise.all([wireAlwaysSince.read(), settings.loaded]).then(([since]) => wire.start(since));
/** Panels told of a change of the wire mode (each panel port adds its own). */
const wireWatchers = new Set<() => void>();
servePopup(scope, {
  counts: (tabId) => {
    const { rows, wireRows } = store.held(tabId);
    return { page: rows - wireRows, wire: wireRows };
  },
  injected: (tabId) => [...(relays.get(tabId) ?? [])].some((port) => (port.sender?.frameId ?? 0) === 0),
  wire: (tabId) => wire.keeps(tabId),
  ready,
});
browser.tabs.onUpdated.addListener((tabId, change) => scope.tabUpdated(tabId, change.url));

const deep = createDeepCapture((tabId, evs) => {
  void ready.then(() => store.add(tabId, evs.map((ev) => ({ tabId, frameId: 0, ev }))));
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT) serveRelay(port);
  else if (port.name === PANEL_PORT) servePanel(port);
  else if (port.name === DEVTOOLS_WIRE_PORT) serveDevtoolsWire(port);
});

/**
 * The DevTools page of a tab, in a netlens without `webRequest` (src/devtools/devtools.ts): while
 * it is connected DevTools is open on the tab, which watches it as a panel does (its site
 * recorded "only while DevTools is open", the page's pace, the wire view from now on), and each
 * finished request's HAR entry becomes the wire events webRequest would have given
 * (src/shared/har/devtools-wire.ts). Only our own DevTools page may connect.
 */
function serveDevtoolsWire(port: browser.Runtime.Port) {
  if (port.sender?.tab || !port.sender?.url?.startsWith(browser.runtime.getURL('src/devtools/devtools.html'))) {
    port.disconnect();
    return;
  }
  const devtools = createDevtoolsWire();
  let watching: number | undefined;
  /** This port watches `to` instead of `watching`: the tab's DevTools count, the scope and pace (moveWatch), and its panels told. */
  const watch = (to: number | undefined) => {
    const from = watching;
    watching = to;
    if (from !== undefined) {
      const n = (devtoolsTabs.get(from) ?? 1) - 1;
      if (n > 0) devtoolsTabs.set(from, n);
      else devtoolsTabs.delete(from);
    }
    if (to !== undefined) devtoolsTabs.set(to, (devtoolsTabs.get(to) ?? 0) + 1);
    moveWatch(from, to);
    for (const tell of wireWatchers) tell();
  };
  port.onDisconnect.addListener(() => watch(undefined));
  port.onMessage.addListener((msg: unknown) => {
    const m = msg as Partial<DevtoolsWireBatch> | null;
    if (m?.type !== 'har' || !Number.isInteger(m.tabId) || m.tabId! < 0 || !Array.isArray(m.entries) || m.entries.length > DEVTOOLS_WIRE_BATCH_MAX) return;
    const tabId = m.tabId!;
    if (watching !== tabId) watch(tabId);
    for (const entry of m.entries) for (const ev of devtools.events(entry)) takeWire(tabId, ev);
  });
}

/**
 * Characters of records added and not written yet (record-store backlog) under which the worker
 * reads the next Blob: the database, not the page, sets the pace of Blob bodies, and what the
 * worker holds stays about this plus one batch's BLOB_BATCH_BYTES.
 */
const BLOB_BACKLOG_CHARS = 32 * 1024 * 1024;

function serveRelay(port: browser.Runtime.Port) {
  const tabId = port.sender?.tab?.id;
  const frameId = port.sender?.frameId ?? 0;
  if (tabId === undefined) return;
  // The document's site (an about:blank frame's is its creator's): a site switched off since the
  // document loaded has its batches acknowledged and left out.
  const senderOrigin = (port.sender as { origin?: string } | undefined)?.origin;
  const site = siteOf(senderOrigin ?? port.sender?.url);
  const ports = relays.get(tabId) ?? new Set();
  relays.set(tabId, ports.add(port));
  port.onDisconnect.addListener(() => {
    ports.delete(port);
    if (!ports.size && relays.get(tabId) === ports) relays.delete(tabId);
  });
  // Also when not watched: a relay that heard "watched" before this worker started again.
  pace(tabId, [port]);
  // A big payload comes in parts (src/shared/payload-parts.ts); the batches carrying the parts of
  // an event still to come are acknowledged with the batch that completes it, so a worker
  // stopped in between has them all sent again.
  const parts = createPartJoiner(partBudget);
  let withheld: number[] = [];
  // Acknowledgements go together, at most one message per ACK_MS (see ACK_MS).
  let acking: number[] = [];
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  const sendAcks = () => {
    ackTimer = undefined;
    const seqs = acking;
    acking = [];
    try {
      port.postMessage({ type: 'ack', seqs } satisfies BackgroundToRelay);
    } catch {
      // The frame went away.
    }
  };
  port.onDisconnect.addListener(() => {
    clearTimeout(ackTimer);
    ackTimer = undefined;
  });
  /**
   * Takes one batch: validated, its Blob payloads read (readBlobPayload: the page script hands
   * over a Blob's handle, never its bytes), its parts joined, its records stored. Resolves with
   * the sequence numbers to acknowledge once that is written (none while parts are held).
   */
  const take = async (msg: unknown): Promise<number[] | undefined> => {
    const read = readRelayBatch(msg);
    if ('problem' in read) {
      // Malformed or forged (the relay never sends it): counted with the tab's rejected events,
      // never acknowledged.
      store.reject(tabId, read.count);
      return undefined;
    }
    const { batch } = read;
    let taken = batch.events;
    if (scope.keeps(tabId, site) && taken.some(hasBlobPayload)) {
      // A page can hand over Blobs faster than they can be read and stored: a batch's are read
      // one after another, each once the records not yet written are under BLOB_BACKLOG_CHARS,
      // at most BLOB_BATCH_BYTES of them (the relay cuts its batches well before: BLOB_CUT_BYTES;
      // the rest of a forged batch is kept as not captured, as parts past their budget are). The
      // batch's records are then added at once (exactly once).
      const withBytes: unknown[] = [];
      let budget = BLOB_BATCH_BYTES;
      for (const ev of taken) {
        if (!hasBlobPayload(ev)) {
          withBytes.push(ev);
          continue;
        }
        // Written now (flush), not after the store's delay: a Blob's bytes wait on it.
        while (budget > 0 && store.backlog() > BLOB_BACKLOG_CHARS) await store.flush();
        const one = await readBlobPayload(ev, budget);
        budget -= blobBytesRead(one);
        withBytes.push(one);
      }
      taken = withBytes;
    }
    // Parts go to the joiner whether or not the batch is kept or was seen: after a restart the
    // relay sends again every batch of an event not acknowledged, parts included, and this port's
    // joiner needs them all (the worker that saw them first held them in memory only).
    // A batch of parts alone holds no record: it is not remembered as seen, or a big body's
    // hundreds of them would push the batches before it out of what firstSight remembers.
    const onlyParts = taken.length > 0 && taken.every(isPart);
    const keep = scope.keeps(tabId, site) && (onlyParts || store.firstSight(tabId, batch.doc, batch.seq));
    const rows: NewRow[] = [];
    const frameUrl = typeof batch.frameUrl === 'string' ? batch.frameUrl.slice(0, 16 * 1024) : '';
    const place: RecordPlace = { tabId, frameId, doc: batch.doc, frameUrl };
    // The document's origin, from Chromium, when the URL does not say it (srcdoc, about:blank).
    // A file: document's is "file://" to Chromium, "null" to its URL: opaque either way.
    if (senderOrigin !== undefined && senderOrigin !== 'file://' && senderOrigin !== originOf(frameUrl)) place.frameOrigin = senderOrigin;
    let rejected = 0;
    for (const raw of taken) {
      const { event, lost } = parts.take(raw);
      rejected += lost;
      if (event === undefined || !keep) continue;
      // The one check of everything a page sends (the relay only forwards it). A run of
      // messages, checked whole, goes to the store as runs (no object per message).
      if (isMessageRunItem(event)) {
        const run = checkMessageRun(event);
        if (run) for (const row of messageRunRows(run, place)) rows.push(row);
        else rejected++;
        continue;
      }
      const events = expandPageEvent(event);
      if (events) for (const ev of events) rows.push({ ...place, ev });
      else rejected++;
    }
    if (keep) {
      store.reject(tabId, rejected);
      store.add(tabId, rows);
    }
    if (parts.holding()) {
      withheld.push(batch.seq);
      return undefined;
    }
    const acks = [...withheld, batch.seq];
    withheld = [];
    return acks;
  };
  // Ack only what is safely written: a worker stopped before the write loses nothing, since
  // the relay re-sends every batch it has no ack for.
  const acknowledge = async (acks: number[] | undefined) => {
    if (!acks) return;
    const heavy = store.backlog() >= ACK_HELD_CHARS;
    await (heavy ? store.flush() : store.persisted());
    acking.push(...acks);
    if (heavy) {
      clearTimeout(ackTimer);
      sendAcks();
    } else ackTimer ??= setTimeout(sendAcks, ACK_MS);
  };
  // One batch at a time, in the order they came: a batch waiting for a Blob's bytes holds back
  // those after it (records keep the page's order).
  const turns = createBatchTurns(Promise.all([ready, scope.ready]));
  port.onMessage.addListener((msg: unknown) => {
    turns(() => take(msg)).then(acknowledge, () => undefined);
  });
}

function servePanel(port: browser.Runtime.Port) {
  let tabId: number | undefined;
  /** Bumped per subscribe: a snapshot still being read for an earlier one stops. */
  let subscription = 0;
  /** Records added while a snapshot is read: sent after it, past its last seq. */
  let held: LiveRow[] | undefined;
  const post = (msg: PortToPanel) => {
    try {
      port.postMessage(msg);
    } catch {
      // Too large or a dead port: drop the link; the panel reconnects and resumes.
      stop();
      port.disconnect();
    }
  };
  // One message per task that heard of added rows (PANEL_BATCH_MS), not one per record or
  // webRequest event: each message costs the panel a redraw. At most LIVE_RECORDS records and
  // about PAGE_BYTES a message (liveWeight: a run weighs its messages).
  // Packed as they are posted (src/shared/live-codec.ts), so rows dropped before (a new
  // subscribe cancels what waits) never enter what the panel is told it remembers.
  const packer = createLiveEncoder();
  const live = createBatcher<LiveRow>((rows) => tabId !== undefined && post({ type: 'rows', tabId, rows: packer.encode(rows) }), { delayMs: PANEL_BATCH_MS, maxItems: 1, weigh: liveWeight });
  let health = '';
  let stored: number | undefined;
  let healthTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Told when it changed (a few numbers, compared as one string); when only the bytes held
   * changed (every write changes them), at most every HEALTH_STORED_MS: each message costs the
   * panel a frame, and a busy page's records are written many times a second.
   */
  const tellHealth = (tab: number) => {
    const now = store.health(tab);
    if (JSON.stringify({ ...now, stored: undefined }) !== health) sendHealth(tab, now);
    else if (now.stored !== stored && healthTimer === undefined) {
      healthTimer = setTimeout(() => {
        healthTimer = undefined;
        if (tabId === tab) sendHealth(tab, store.health(tab));
      }, HEALTH_STORED_MS);
    }
  };
  const sendHealth = (tab: number, now: StoreHealth) => {
    clearTimeout(healthTimer);
    healthTimer = undefined;
    health = JSON.stringify({ ...now, stored: undefined });
    stored = now.stored;
    post({ type: 'health', tabId: tab, health: now });
  };
  const stopAdds = store.onAdd((tab, rows) => {
    if (tab !== tabId) return;
    if (held) for (const r of rows) held.push(r);
    else live.add(rows);
    tellHealth(tab);
  });
  /** Clears of the subscribed tab so far: a snapshot read across one sends nothing read before it. */
  let clears = 0;
  const stopChanges = store.onChange((tab, what) => {
    if (tab !== tabId) return;
    if (what === 'cleared') {
      clears++;
      live.cancel();
      if (held) held = [];
      post({ type: 'cleared', tabId: tab });
    }
    tellHealth(tab);
  });
  // What is on disk now: a panel resuming with another run of the worker past it may have heard
  // records that run lost (see subscribe).
  const stopWritten = store.onWritten((tab, seq) => tab === tabId && post({ type: 'written', tabId: tab, seq }));
  let watching: number | undefined;
  const stop = () => {
    clearTimeout(healthTimer);
    healthTimer = undefined;
    stopAdds();
    stopChanges();
    stopWritten();
    stopDeep();
    wireWatchers.delete(tellWire);
    live.cancel();
    subscription++;
    if (watching !== undefined) moveWatch(watching, undefined);
    watching = undefined;
  };
  const tellWire = () => tabId !== undefined && post({ type: 'wire', tabId, wire: wireState(tabId) });
  wireWatchers.add(tellWire);
  const stopDeep = deep.onState((tab, state) => tab === tabId && post({ type: 'deep', tabId: tab, deep: state }));
  port.onDisconnect.addListener(() => stop());
  port.onMessage.addListener(async (msg: unknown) => {
    await ready;
    const m = msg as PanelToBackground;
    if (m?.type === 'subscribe' && typeof m.tabId === 'number') {
      // The snapshot carries everything so far; what was waiting would only repeat it.
      live.cancel();
      tabId = m.tabId;
      // An open panel is what a site recorded "only while DevTools is open" waits for.
      // ... and what the wire view of a tab waits for in the default mode (src/shared/wire-scope.ts).
      if (watching !== tabId) {
        moveWatch(watching, tabId);
        watching = tabId;
      }
      const mine = ++subscription;
      held = [];
      // What waits to be written (up to the store's delay) is written first: the snapshot holds
      // everything so far (a one-off reader, as `netlens capture` is, takes the snapshot alone).
      // Added meanwhile, it goes to `held`, and after the snapshot what is past its seqs. A write
      // that fails (the store tries again later) still leaves what is on disk to send.
      await store.flush().catch(() => {});
      if (mine !== subscription) return;
      // A panel resuming, with another run of this worker, past what its run said was on disk
      // may hold records that no run has: it starts over, from what is on disk (resumePoint).
      const { afterSeq, startOver } = resumePoint(m, boot);
      if (startOver) post({ type: 'cleared', tabId: m.tabId });
      const upTo = store.writtenSeq(m.tabId);
      await sendSnapshot(m.tabId, afterSeq, upTo, m.packed === true, () => mine !== subscription);
      if (mine !== subscription) return;
      const after = held.filter((r) => (isRun(r) ? runLast(r) : r.seq) > upTo);
      held = undefined;
      live.add(after);
      post({ type: 'deep', tabId: m.tabId, deep: deep.state(m.tabId) });
      tellWire();
    } else if (m?.type === 'clear' && typeof m.tabId === 'number') {
      await store.clear(m.tabId);
    } else if (m?.type === 'deep' && typeof m.tabId === 'number' && typeof m.on === 'boolean') {
      const state = await deep.set(m.tabId, m.on);
      // Subscribed ports of that tab hear it through onState; the asker always does.
      if (tabId !== m.tabId) post({ type: 'deep', tabId: m.tabId, deep: state });
    }
  });

  /**
   * Everything on disk after `afterSeq` up to `upTo`, read page by page (one extension message must stay well
   * under Chromium's 64 MiB limit): the first page is the snapshot, `more` says further pages
   * follow. `packed`: the records go packed (the panel asks: about half the bytes to clone, and
   * half the objects for it to make and keep), else as they are (the CLI, the tests).
   */
  async function sendSnapshot(tab: number, afterSeq: number, upTo: number, packed: boolean, cancelled: () => boolean) {
    const now = store.health(tab);
    health = JSON.stringify(now);
    let waiting: TabRecord[] | undefined;
    let first = true;
    // Cleared while read (the panel was told `cleared`): nothing read before goes after it.
    const clearsBefore = clears;
    const clearedMeanwhile = () => clears !== clearsBefore;
    const send = (page: TabRecord[], more: boolean) => {
      // The panel starts its unpacking afresh at a snapshot, and so does the packing.
      if (first) packer.reset();
      const records = packed ? packer.encodeRecords(page) : page;
      if (first) post({ type: 'snapshot', tabId: tab, records, dropped: now.dropped, health: now, boot, written: upTo, more });
      else post({ type: 'records', tabId: tab, records, more });
      first = false;
    };
    for await (const page of store.pages(tab, afterSeq, upTo, PAGE_RECORDS, PAGE_BYTES)) {
      if (cancelled()) return;
      if (clearedMeanwhile()) break;
      if (waiting) send(waiting, true);
      waiting = page;
    }
    if (cancelled()) return;
    send(clearedMeanwhile() ? [] : (waiting ?? []), false);
  }
}

/** Parts of big payloads held, all relay ports together: the largest body cap's text (two bytes a character), twice. */
const partBudget: PartBudget = { maxBytes: 4 * 32 * 1024 * 1024, held: 0 };
const PAGE_RECORDS = 1_000;
/**
 * Rows added go to the panel at the end of the task in which the store told of them (0: a timer
 * of no delay): one message per relay batch (a watched page sends one per 25 ms at most), per
 * message of DevTools' log, and per request's wire records from webRequest (`netlens capture`'s
 * copy) or batch of deep-capture events.
 */
const PANEL_BATCH_MS = 0;
/** Records a live message carries at most (a run of messages counts each). */
const LIVE_RECORDS = 5_000;
/** A live row's share of one message: a message stays within both LIVE_RECORDS and PAGE_BYTES (a record over PAGE_BYTES goes alone, as in a snapshot). */
const liveWeight = (row: LiveRow) => rowShare(row, LIVE_RECORDS, PAGE_BYTES);
/** A panel hears of a change of the bytes held alone at most this often (see tellHealth). */
const HEALTH_STORED_MS = 1_000;
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
