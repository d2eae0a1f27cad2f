import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'puppeteer-core';
import type { Entry } from '../shared/model';
import type { TabRecord } from '../shared/protocol';
import type { BudgetDrops } from '../shared/store-budget';
import { createTimeline } from '../shared/timeline';
import type { Session } from './chromium';
import { watchScriptBodies } from './script-bodies';

export interface CaptureOptions {
  /** Record for this long after load instead of waiting for the network to go quiet. */
  duration?: number;
  /** Quiet means: no new record for this long. */
  quietMs?: number;
  maxWaitMs?: number;
  /** Deep capture (chrome.debugger) on the tab before the page opens. */
  deep?: boolean;
  /**
   * Ends the capture early when aborted (the CLI's Ctrl-C): stops waiting for the load, the quiet
   * network or `duration`, and returns what was recorded until then.
   */
  signal?: AbortSignal;
}

/** What a capture ended with besides its records, for the person reading the summary. */
export interface CaptureNotes {
  /** The tab's renderer crashed (or was killed, e.g. out of memory): nothing after it is recorded. */
  crashed: boolean;
  /** What the per-tab storage budget took (src/shared/store-budget.ts); absent when nothing went. */
  drops?: BudgetDrops;
}

/** Deep capture was asked for but Chrome would not attach its debugger (`message`: Chrome's reason). */
export class DeepCaptureError extends Error {}

/**
 * Opens `url` in a new tab of the session and records until the network is quiet. With `deep`,
 * deep capture is turned on first; when Chrome refuses it, throws DeepCaptureError before the
 * page is opened. Throws `could not open …` when no document of `url` ever came (a network error,
 * or no response in 30 s or before `signal` ended the capture).
 */
export async function captureUrl(session: Session, url: string, opts: CaptureOptions = {}): Promise<{ page: Page; tabId: number; records: TabRecord[]; entries: Entry[]; notes: CaptureNotes }> {
  // The tab's id is known before the page runs: a page that rewrites its title cannot hide it.
  const { page, tabId } = await session.openTab();
  // Watched as by an open panel, until the last snapshot is read: the page's events then reach
  // the store within 25 ms, not 250 (a capture that ends by --duration or a signal keeps its last
  // moments).
  const watch = await session.watch(tabId);
  try {
    return await capture(session, page, tabId, url, opts, watch.heard);
  } finally {
    await watch.stop();
  }
}

async function capture(session: Session, page: Page, tabId: number, url: string, opts: CaptureOptions, heard: () => Promise<number>) {
  if (opts.deep) {
    const state = await session.deep(tabId, true);
    if (state.state !== 'on') throw new DeepCaptureError(state.reason ?? state.state);
  }
  const scripts = watchScriptBodies(page);
  // A crashed tab records nothing more: the capture ends there (puppeteer's "Page crashed!").
  const crash = new AbortController();
  page.once('error', () => crash.abort());
  const stop = opts.signal ? AbortSignal.any([opts.signal, crash.signal]) : crash.signal;
  const loading = page.goto(url, { waitUntil: 'load', timeout: 30_000 }).then(
    () => undefined,
    (error: Error) => error,
  );
  const loadError = await Promise.race([loading, aborted(stop)]);
  // The main frame is still the tab's about:blank: no document of `url` ever came.
  const committed = page.mainFrame().url() !== 'about:blank' || url === 'about:blank';
  if (loadError && loadError.name !== 'TimeoutError') throw new Error(`could not open ${url}: ${loadError.message}`);
  if (!committed && !crash.signal.aborted) throw new Error(`could not open ${url}: no response ${loadError ? 'in 30 s' : 'before the capture was interrupted'}`);
  // Opened but never finished loading: capture what it did anyway.
  if (loadError) console.error(`netlens: warning: ${url} did not finish loading in 30 s; capturing what it did so far`);
  /** The network went quiet: what the page recorded has arrived. */
  let wentQuiet = false;
  if (opts.duration !== undefined) {
    await wait(opts.duration, stop);
  } else {
    const quiet = opts.quietMs ?? 1_500;
    const deadline = Date.now() + (opts.maxWaitMs ?? 30_000);
    let count = -1;
    let stableSince = Date.now();
    while (Date.now() < deadline && !stop.aborted) {
      // What the watch heard, not a snapshot each time (that reads the whole record again).
      const n = await heard();
      if (n !== count) {
        count = n;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= quiet) {
        wentQuiet = true;
        break;
      }
      await wait(200, stop);
    }
  }
  // Ended by --duration, a signal or the 30 s limit, maybe right after the page's last request:
  // its events may still be on their way.
  if (!wentQuiet && !crash.signal.aborted) await settle(heard);
  const { records, health } = await session.snapshot(tabId);
  const timeline = createTimeline();
  for (const r of records) timeline.apply(r);
  const entries = timeline.entries();
  await scripts.attach(entries);
  const notes: CaptureNotes = { crashed: crash.signal.aborted };
  const drops = health?.drops;
  if (drops && (drops.bodies || drops.entries || drops.messages)) notes.drops = drops;
  return { page, tabId, records, entries, notes };
}

/**
 * Quiet this long (ms) before the snapshot, at most SETTLE_MAX_MS: the page hands its events over
 * every 25 ms while watched (src/content/page/channel.ts WATCHED_FLUSH_MS; 100 while it floods),
 * then the relay and the worker take them; this leaves room for a busy machine. Without it, `--duration 0`
 * took the snapshot with the page's last batch still on its way: 1 capture in 6 of basic.html
 * had its fetch and XHR as the wire saw them only, and every one of cli-at-load.html (a page busy
 * right after load).
 */
const SETTLE_MS = 250;
const SETTLE_MAX_MS = 2_000;

/** Resolves once what the watch heard (`heard`: records so far) stayed the same for SETTLE_MS, or after SETTLE_MAX_MS. */
async function settle(heard: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let count = await heard();
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const n = await heard();
    if (n !== count) {
      count = n;
      since = Date.now();
    } else if (Date.now() - since >= SETTLE_MS) return;
  }
}

/** Resolves once `signal` is aborted (at once when it is already); never rejects. */
function aborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}

/** Waits `ms` milliseconds, or less when `signal` is aborted meanwhile; never rejects. */
const wait = (ms: number, signal: AbortSignal): Promise<unknown> => delay(ms, undefined, { signal }).catch(() => undefined);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
