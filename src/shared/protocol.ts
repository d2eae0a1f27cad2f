/**
 * Every message between page, relay, background and panel, in one place.
 *
 * Changelog (append only; bump PROTOCOL_VERSION on any change a peer must know about):
 *   1 — page events (start/step/response/body/message/end/jsonp/capture-error), wire events from
 *       webRequest, relay batches with acks, panel subscribe/snapshot/records/clear.
 *   1 — (compatible) snapshot carries `boot`: the id of the service worker's current run.
 *   1 — (compatible) snapshots come in pages (`more` on snapshot/records).
 *   1 — (compatible) relay → page: `{ type: 'config', bodyCap }` on the private port; settings
 *       live in extension storage (src/shared/settings.ts).
 *   2 — page events are validated once, in the background, against src/shared/page-events.ts
 *       (relay batches carry them unvalidated); panel gets `health` (drops by reason) in the
 *       snapshot and a `health` message when it changes.
 *   2 — (compatible) capture-error `where: 'page:dropped'` (PAGE_DROPPED_WHERE): page events the
 *       page script could not hand over, the count first in the message.
 *   2 — (compatible) that capture-error carries the count as `count`; readers fall back to the
 *       message's leading number for records without it.
 *   2 — (compatible) a `jsonp` event carries `args` (how many arguments the callback received;
 *       `payload` is their list when more than one) and is sent with `called: false` for a script
 *       that failed to load; a Payload may carry `reserialized` (json/document/text: the page's
 *       view written again, not the bytes sent).
 *   2 — (compatible) records live in IndexedDB under a per-tab byte budget: `health` carries
 *       `drops` (bodies / entries / messages dropped, with bytes), `stored` and `budget`; `slim`
 *       is gone (no more 4 KiB payload cut); `dropped` counts records dropped to the budget. A
 *       tab's log is cleared (`cleared`) by a top-level navigation unless "preserve log" is on.
 *   2 — (compatible) deep capture (opt-in, Chrome): `deep` records (src/shared/deep/events.ts)
 *       beside page and wire records; panel → background `{ type: 'deep', tabId, on }`,
 *       background → panel `deep` with the tab's DeepState (on subscribe and when it changes).
 *   2 — (compatible) live records reach the panel as `rows` (LiveRow: records, and runs of
 *       messages as the record store keeps them) instead of `records`; snapshots (and their
 *       `records` pages) are unchanged.
 *   2 — (compatible between a worker and a panel of one build) live `rows` travel packed
 *       (PortToPanel, src/shared/live-codec.ts); the panel's connection unpacks them.
 *   2 — (compatible) subscribe may ask `packed: true`: the snapshot and its `records` pages then
 *       travel packed too, the codec's memory running on from them into the live rows (the
 *       panel asks; a subscriber without it, as the CLI and the tests, gets them as before).
 *   2 — (compatible) live `rows` go to subscribers as records are added, before they are written
 *       (the store writes once a second); `written` tells them the tab's last seq on disk after
 *       each write, and the snapshot carries it too (`written`); subscribe may carry `boot` and
 *       `written`, the worker run the subscriber's records came from and what it was told is on
 *       disk: one resuming past that with another run is sent `cleared`, then a snapshot from
 *       the start.
 */
export const PROTOCOL_VERSION = 2;

// Page events are declared (schema and type at once) in ./page-events.
import type { Header, MessageRun, PageEvent, RawResponse, StepRun } from './page-events';
import type { BudgetDrops } from './store-budget';
import type { DeepEvent } from './deep/events';
import type { StoredRun } from './stored-runs';
import type { WireState } from './wire-scope';
import type { PackedRecord, PackedRow } from './live-codec';
export type { DeepEvent } from './deep/events';
export type { StoredRun } from './stored-runs';
export type { Close, FormField, Header, MessageRun, PageEvent, PageEventType, PageKind, Payload, RawResponse, StartMeta, StepDetail, StepRun } from './page-events';
export { PAGE_EVENT_TYPES } from './page-events';

/**
 * `where` of the capture-error the page script sends when it could not hand over events (its
 * queue was full, or posting failed): `count` is how many, the message says why ("<n> page
 * events dropped: <why>"; older records have only the message).
 */
export const PAGE_DROPPED_WHERE = 'page:dropped';

/**
 * The webRequest resource types the wire view records (its listeners' filter, and what the view
 * from DevTools' log keeps): JavaScript's requests and what may stand for them. Documents, styles,
 * images, fonts and media are page loads, not the page's own traffic.
 */
export const WIRE_RESOURCE_TYPES = ['xmlhttprequest', 'websocket', 'ping', 'script', 'other'] as const;

/** What webRequest (with extraHeaders) saw on the wire. */
export interface WireEvent {
  type: 'wire';
  phase: 'send' | 'headers' | 'redirect' | 'completed' | 'error';
  requestId: string;
  t: number;
  method: string;
  url: string;
  resourceType: string;
  frameId: number;
  requestHeaders?: Header[];
  responseHeaders?: Header[];
  statusCode?: number;
  statusLine?: string;
  fromCache?: boolean;
  ip?: string;
  error?: string;
  redirectUrl?: string;
  initiator?: string;
}

/** One stored record: an event with where it came from. */
export interface TabRecord {
  /** Monotonic per tab; lets a panel resume without duplicates. */
  seq: number;
  tabId: number;
  frameId: number;
  /** Per-document id chosen by the page script; wire records have none. */
  doc?: string;
  frameUrl?: string;
  /**
   * The document's origin when its URL does not say it (`originOf(frameUrl)` would be another):
   * a srcdoc or about:blank frame has its creator's, a sandboxed one "null". From Chromium's
   * MessageSender.origin of the relay's port, never from the page.
   */
  frameOrigin?: string;
  ev: PageEvent | WireEvent | DeepEvent;
}

/**
 * What a panel hears live of a tab's records as they are added: the records, in seq order, where a run of
 * a channel's small messages in a row is its StoredRun (src/shared/stored-runs.ts: columns, one
 * object for up to STORED_RUN_MAX messages, as the record store keeps it; unpackRun gives its
 * records). A feed's messages so cost the worker, the port and the panel no object each.
 */
export type LiveRow = TabRecord | StoredRun;

/**
 * Deep capture's state for a tab: `off`; `on` (chrome.debugger attached, Network enabled);
 * `failed` with Chromium's reason (another debugger holds the tab, a chrome:// page…); `detached`
 * with why Chromium ended it (`canceled_by_user`: the infobar was closed; `target_closed`).
 */
export interface DeepState {
  state: 'off' | 'on' | 'failed' | 'detached';
  reason?: string;
}

// ---- page ⇄ relay (private MessagePort, never seen by the page's message listeners) ----

/** Marks the handshake's data (with `v` and `doc`). */
export const HANDSHAKE_KEY = '__netlens_handshake__';
declare const __NETLENS_HANDSHAKE_EVENT__: string | undefined;
/**
 * The type of the event that carries the page script's MessagePort to the relay: a random name
 * fixed at build time (vite.config.ts), never `message`. A page cannot listen for an event whose
 * type it does not know, so it cannot take the port (a capture `message` listener the parent put on
 * a new iframe's window before its document was replaced sees nothing), nor forge the handshake
 * with a port of its own. The page script offers the port with a synchronous MessageEvent of this
 * type on window; the relay takes it and cancels the event. A relay that starts after the page
 * script dispatches a plain Event of this type: the page script offers again.
 */
export const HANDSHAKE_EVENT = typeof __NETLENS_HANDSHAKE_EVENT__ === 'string' ? __NETLENS_HANDSHAKE_EVENT__ : 'netlens-handshake';
export interface Handshake {
  [HANDSHAKE_KEY]: true;
  v: number;
  doc: string;
}
export interface PageConfigMessage {
  type: 'config';
  bodyCap: number;
}
/**
 * Whether a netlens panel or `netlens capture` listens to the tab (the worker's scope.panelOpen),
 * from the worker to each of the tab's relays (when one connects, and when it changes) and on to
 * its page script: watched, the page script sends its events within 25 ms (100 while the page
 * floods), else it lets them wait for company longer (src/content/page/channel.ts,
 * WATCHED_FLUSH_MS, WATCHED_FLOOD_FLUSH_MS and FLUSH_MS).
 */
export interface PagePace {
  type: 'pace';
  watched: boolean;
}

/**
 * What the page script queues and hands over: events, runs of WebSocket text messages and of
 * steps, XHR responses with raw headers (expanded in the background, see expandPageEvent).
 */
export type PageItem = PageEvent | MessageRun | StepRun | RawResponse;

/**
 * A batch of the page script's, over its port or (PAGE_BATCH_EVENT) handed to the relay at once.
 * `n` numbers the batches of a document from 1, each once it was handed over: the relay takes them
 * in that order whichever way each came.
 */
export interface PageBatch {
  v: number;
  n?: number;
  events: PageItem[];
}
/**
 * A batch handed over synchronously: a CustomEvent of this type (detail: PageBatch) dispatched on
 * the page script's own end of the private channel (port1, which the handshake gives the relay as
 * the MessageEvent's `source`; no page code holds it). The relay's listener runs in the same task,
 * reads a structured clone of the batch and cancels the event when it took it; else the batch goes
 * over the port. A page busy in one long task (a burst of server-sent events is dispatched in one)
 * runs no port message until it ends, so batches would wait for it; handed over at once, they reach
 * the extension while the page still dispatches. Batches with ArrayBuffers to transfer always go over
 * the port (an event's clone would copy them).
 */
export const PAGE_BATCH_EVENT = 'netlens-batch';

// ---- relay ⇄ background (runtime port "netlens-relay") ----

export const RELAY_PORT = 'netlens-relay';
export interface RelayBatch {
  type: 'batch';
  v: number;
  doc: string;
  /** Per-relay batch number; the background acks it, the relay re-sends what was not acked. */
  seq: number;
  frameUrl: string;
  /** Page events as the page posted them (buffers made base64): untrusted until the background validates them. */
  events: unknown[];
}
/** The batches (seq) the worker has written, acknowledged together (at most one message per ACK_MS, src/background/index.ts). */
export type BackgroundToRelay = { type: 'ack'; seqs: number[] } | PagePace;

/** A tab's losses and the store's state, as the panel's status bar shows them. */
export interface StoreHealth {
  /** Records dropped to keep the tab within its budget (all records of the entries in `drops`). */
  dropped: number;
  /** Page events that failed the schema (malformed or forged), never stored. */
  rejected: number;
  /** Writes that failed (retried: nothing is acknowledged before it is written); the last one's message. */
  writeFailures: number;
  lastWriteError?: string;
  /** What the per-tab budget took, by reason (src/shared/store-budget.ts). */
  drops?: BudgetDrops;
  /** Bytes the tab's records take in storage now, and its budget (bytes), as recordCost counts them. */
  stored?: number;
  budget?: number;
}

// ---- DevTools page → background (runtime port "netlens-devtools-wire") ----

/**
 * The wire view from DevTools' own network log, for a netlens without the `webRequest` permission
 * (src/shared/har/devtools-wire.ts): the DevTools page of a tab connects while DevTools is open
 * on it (which counts as a panel watching the tab) and sends each finished request's HAR entry.
 */
export const DEVTOOLS_WIRE_PORT = 'netlens-devtools-wire';
/** `entries`: HAR 1.2 entries as chrome.devtools.network gives them, without bodies: untrusted until read. */
export interface DevtoolsWireBatch {
  type: 'har';
  tabId: number;
  entries: unknown[];
}
/** Entries in one DevtoolsWireBatch, at most (more wait for the next). */
export const DEVTOOLS_WIRE_BATCH_MAX = 500;

// ---- panel ⇄ background (runtime port "netlens-panel") ----

export const PANEL_PORT = 'netlens-panel';
export type PanelToBackground =
  /**
   * `afterSeq`: resume after this seq (0: from the start); `packed`: the snapshot's records come
   * packed as live rows do (PortToPanel); `boot`: the worker run (a snapshot's `boot`) the
   * records up to afterSeq came from, and `written` the last seq that run said was on disk (a
   * snapshot's or `written` message's), so that a restarted worker can tell a panel that heard
   * records it may have lost to start over.
   */
  | { type: 'subscribe'; v: number; tabId: number; afterSeq?: number; packed?: boolean; boot?: string; written?: number }
  | { type: 'clear'; tabId: number }
  /** Turn deep capture on or off for a tab (answered with `deep`). */
  | { type: 'deep'; tabId: number; on: boolean };
export type BackgroundToPanel =
  /** A snapshot comes in pages: `more` says further `records` pages of it follow. */
  | { type: 'snapshot'; tabId: number; records: TabRecord[]; dropped: number; boot?: string; written?: number; more?: boolean; health?: StoreHealth }
  /** What the tab lost and why, sent when it changes. */
  | { type: 'health'; tabId: number; health: StoreHealth }
  | { type: 'records'; tabId: number; records: TabRecord[]; more?: boolean }
  /** Records added since the last message (live, after the snapshot), runs among them: see LiveRow. On the port: PortToPanel. */
  | { type: 'rows'; tabId: number; rows: LiveRow[] }
  /** The tab's last seq on disk, after each write of its records (see subscribe's `written`). */
  | { type: 'written'; tabId: number; seq: number }
  | { type: 'cleared'; tabId: number }
  | { type: 'deep'; tabId: number; deep: DeepState }
  /** Which of the tab's requests the wire view sees (src/shared/wire-scope.ts): after each subscribe, and when the setting changes. */
  | { type: 'wire'; tabId: number; wire: WireState };

/**
 * What the panel's port carries: BackgroundToPanel, with live rows packed (src/shared/live-codec.ts:
 * each record less what the records before it on the port said), and the snapshot's records too
 * when the subscribe asked (`packed`), unpacked by the panel's connection before anything else
 * reads them.
 */
export type PortToPanel =
  | Exclude<BackgroundToPanel, { type: 'rows' | 'snapshot' | 'records' }>
  | { type: 'rows'; tabId: number; rows: PackedRow[] }
  /** Packed when the subscribe asked (`packed`), else TabRecords as they are. */
  | (Omit<Extract<BackgroundToPanel, { type: 'snapshot' }>, 'records'> & { records: PackedRecord[] | TabRecord[] })
  | (Omit<Extract<BackgroundToPanel, { type: 'records' }>, 'records'> & { records: PackedRecord[] | TabRecord[] });
