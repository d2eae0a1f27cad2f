import type { Page } from 'puppeteer-core';
import type { Entry } from '../shared/model';
import type { TabRecord } from '../shared/protocol';
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
}

/** Deep capture was asked for but Chrome would not attach its debugger (`message`: Chrome's reason). */
export class DeepCaptureError extends Error {}

/**
 * Opens `url` in a new tab of the session and records until the network is quiet. With `deep`,
 * deep capture is turned on first; when Chrome refuses it, throws DeepCaptureError before the
 * page is opened.
 */
export async function captureUrl(session: Session, url: string, opts: CaptureOptions = {}): Promise<{ page: Page; tabId: number; records: TabRecord[]; entries: Entry[] }> {
  // The tab's id is known before the page runs: a page that rewrites its title cannot hide it.
  const { page, tabId } = await session.openTab();
  if (opts.deep) {
    const state = await session.deep(tabId, true);
    if (state.state !== 'on') throw new DeepCaptureError(state.reason ?? state.state);
  }
  const scripts = watchScriptBodies(page);
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  } catch (error) {
    // Opened but never finished loading: capture what it did anyway. Not opened at all: fail.
    if ((error as Error).name !== 'TimeoutError') throw new Error(`could not open ${url}: ${(error as Error).message}`);
    console.error(`netlens: warning: ${url} did not finish loading in 30 s; capturing what it did so far`);
  }
  if (opts.duration !== undefined) {
    await sleep(opts.duration);
  } else {
    const quiet = opts.quietMs ?? 1_500;
    const deadline = Date.now() + (opts.maxWaitMs ?? 30_000);
    let count = -1;
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      const n = (await session.records(tabId)).length;
      if (n !== count) {
        count = n;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= quiet) {
        break;
      }
      await sleep(200);
    }
  }
  const records = await session.records(tabId);
  const timeline = createTimeline();
  for (const r of records) timeline.apply(r);
  const entries = timeline.entries();
  await scripts.attach(entries);
  return { page, tabId, records, entries };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
