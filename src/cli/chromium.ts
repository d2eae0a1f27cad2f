/**
 * Chromium with the built extension, through puppeteer-core (Debian's Chromium; no browser
 * download). Shared by the `netlens` CLI and the tests.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { PANEL_PORT, PROTOCOL_VERSION, type BackgroundToPanel, type PortToPanel, type DeepState, type PanelToBackground, type StoreHealth, type TabRecord } from '../shared/protocol';
import { SETTINGS_KEY, type Settings } from '../shared/settings';
import type { WireMode } from '../shared/wire-scope';

/** A panel port's reader's error when the worker dropped the port before it answered. */
const PORT_DROPPED = 'the service worker dropped the port';

export const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  // An explicit CHROMIUM_PATH is taken at its word: missing means missing, no fallback.
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

export const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Session {
  browser: Browser;
  extensionId: string;
  /** A new tab (about:blank) and its id as the extension sees it; nothing the page does can confuse the two. */
  openTab(): Promise<{ page: Page; tabId: number }>;
  /** The tab id of a page, as the extension sees it (exact for pages from openTab). */
  tabIdOf(page: Page): Promise<number>;
  /** Every record the background holds for a tab, read over the panel's port. */
  records(tabId: number): Promise<TabRecord[]>;
  /** The same, with what the panel is told with them: the tab's store health, and the worker's run (`boot`). */
  snapshot(tabId: number): Promise<{ records: TabRecord[]; health?: StoreHealth; boot?: string }>;
  /**
   * Watches a tab as an open panel does: a subscription held on the panel's port (subscribed again
   * if the worker was stopped). The tab's page script then sends its events within 25 ms, not 250
   * (PagePace in src/shared/protocol.ts), so the last moments of a capture are in its final
   * snapshot. `heard()`: how many messages of records (the snapshot's pages, live rows) came so
   * far, which grows as long as the tab's record does; `stop()` ends the watch.
   */
  watch(tabId: number): Promise<{ heard(): Promise<number>; stop(): Promise<void> }>;
  /**
   * Turns deep capture (chrome.debugger) on or off for a tab, as the panel's switch does; resolves
   * with the state the background reports (`failed` with Chromium's reason when it could not attach).
   */
  deep(tabId: number, on: boolean): Promise<DeepState>;
  /** The id of the service worker's current run (changes after a stop). */
  workerBoot(): Promise<string>;
  /** Stops the extension's service worker, as Chromium does when it is idle. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
  /** Kills Chromium at once and removes its profile, synchronously (a second Ctrl-C). */
  kill(): void;
}

/**
 * Chromium with the extension at `extensionDir`, its content scripts registered. `wire`: the wire
 * mode (src/shared/wire-scope.ts) to set before the session is handed over, waited for until the
 * worker applies it; without it the stored setting (the default: `panel`) stays. `preserveLog`
 * (applied with `wire`, in the same settings write): keep a tab's earlier pages' records when it
 * navigates. `handleSignals` (default true): puppeteer kills Chromium on SIGINT and exits 130, and
 * closes it on SIGTERM/SIGHUP; false when the caller handles those signals itself.
 * `webRequest`: load a copy of the extension that also holds the `webRequest` permission (the
 * released one does not: withWebRequest), for a wire view in a browser nobody opens DevTools in.
 */
export async function launch(
  extensionDir: string,
  opts: { headless?: boolean; args?: string[]; wire?: WireMode; preserveLog?: boolean; handleSignals?: boolean; webRequest?: boolean } = {},
): Promise<Session> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(`Chromium not found (looked in ${CHROMIUM_CANDIDATES.join(', ')}). Install it: apt-get update && apt-get install -y chromium`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'netlens-chromium-'));
  // Until the session is handed over, a failure (no display for a headed browser, a crash at
  // start, an extension that does not install) closes what was started and removes the profile.
  let started: Browser | undefined;
  let extensionId: string;
  const discard = async (b: Browser | undefined) => {
    await b?.close().catch(() => {});
    try {
      // Chromium's helpers may still be writing there as it goes.
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 });
    } catch {
      // The launch's own error is the one to tell.
    }
  };
  try {
    // The copy lives in the profile's folder: it goes with it.
    if (opts.webRequest) extensionDir = withWebRequest(extensionDir, join(userDataDir, 'netlens-extension'));
    started = await puppeteer.launch({
      executablePath,
      headless: opts.headless ?? true,
      pipe: true,
      enableExtensions: true,
      userDataDir,
      handleSIGINT: opts.handleSignals ?? true,
      handleSIGTERM: opts.handleSignals ?? true,
      handleSIGHUP: opts.handleSignals ?? true,
      args: [...QUIET_FLAGS, '--window-size=1400,900', ...(opts.args ?? [])],
      // Never attach to the extension's service worker: an attached debugger makes a restarted
      // worker wait for it, which is not how the extension lives. We talk to it through a page.
      targetFilter: (t) => t.type() !== 'service_worker',
    });
    extensionId = await started.installExtension(extensionDir);
  } catch (error) {
    await discard(started);
    throw error;
  }
  const browser = started;
  let bridge: Promise<Page> | undefined;
  /** An extension page that reads the background over the same port the panel uses. */
  const bridgePage = () =>
    (bridge ??= (async () => {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${extensionId}/src/devtools/panel.html`);
      return page;
    })());
  // The content scripts are registered by the service worker (src/background/scope.ts), not the
  // manifest: a tab opened before that would go unrecorded.
  try {
    await (await bridgePage()).waitForFunction(
      async () => (await chrome.scripting.getRegisteredContentScripts()).length === 2,
      { polling: 50, timeout: 30_000 },
    );
    if (opts.wire) await setWireMode(await bridgePage(), opts.wire, opts.preserveLog === undefined ? {} : { preserveLog: opts.preserveLog });
  } catch (error) {
    await discard(browser);
    throw error;
  }
  /**
   * A subscribe on the panel's port: the background answers with a snapshot of the tab. A worker
   * stopped meanwhile drops the port (its next run answers: asked again, twice at most).
   */
  const snapshot = async (tabId: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await snapshotOnce(tabId);
      } catch (error) {
        if (attempt >= 3 || !String((error as Error)?.message).includes(PORT_DROPPED)) throw error;
      }
    }
  };
  const snapshotOnce = async (tabId: number) =>
    (await (await bridgePage()).evaluate(
      (id: number, portName: string, v: number, dropped: string) =>
        new Promise((resolve, reject) => {
          const port = chrome.runtime.connect({ name: portName });
          const timer = setTimeout(() => (port.disconnect(), reject(new Error('no snapshot from the background'))), 30_000);
          port.onDisconnect.addListener(() => {
            clearTimeout(timer);
            reject(new Error(dropped));
          });
          let snapshot: { records: unknown[]; more?: boolean } | undefined;
          port.onMessage.addListener((m: { type: string; records: unknown[]; more?: boolean }) => {
            if (m.type === 'snapshot') snapshot = m;
            else if (m.type === 'records' && snapshot) snapshot.records.push(...m.records);
            else return;
            if (m.more) return;
            clearTimeout(timer);
            port.disconnect();
            resolve(snapshot);
          });
          port.postMessage({ type: 'subscribe', v, tabId: id });
        }),
      tabId,
      PANEL_PORT,
      PROTOCOL_VERSION,
      PORT_DROPPED,
    )) as { records: TabRecord[]; health?: StoreHealth; boot: string };
  const tabIds = async () => (await bridgePage()).evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id ?? -1));
  const known = new WeakMap<Page, number>();
  /** One tab opened at a time: the tab that appears between two queries is the new one. */
  let opening = Promise.resolve();
  return {
    browser,
    extensionId,
    openTab() {
      const result = opening.then(async () => {
        const before = new Set(await tabIds());
        const page = await browser.newPage();
        let fresh: number[] = [];
        // chrome.tabs learns of the tab right after the target exists: wait for it, not for a time.
        for (let tries = 0; tries < 100 && fresh.length !== 1; tries++) {
          fresh = (await tabIds()).filter((id) => !before.has(id) && id >= 0);
          if (fresh.length !== 1) await new Promise((r) => setTimeout(r, 20));
        }
        if (fresh.length !== 1) throw new Error(`could not tell the new tab apart (${fresh.length} new tabs)`);
        known.set(page, fresh[0]);
        return { page, tabId: fresh[0] };
      });
      opening = result.then(() => undefined, () => undefined);
      return result;
    },
    async tabIdOf(page) {
      const knownId = known.get(page);
      if (knownId !== undefined) return knownId;
      const marker = `netlens-tab-${Math.random().toString(36).slice(2)}`;
      const original = await page.title();
      await page.evaluate((m) => (document.title = m), marker);
      const id = await (await bridgePage()).evaluate(async (m: string) => {
        const tabs = await chrome.tabs.query({});
        return tabs.find((t) => t.title === m)?.id ?? -1;
      }, marker);
      await page.evaluate((t) => (document.title = t), original);
      if (id < 0) throw new Error('tab not found');
      return id;
    },
    async records(tabId) {
      return (await snapshot(tabId)).records;
    },
    snapshot,
    async watch(tabId) {
      type Watch = { port?: chrome.runtime.Port; heard: number; stopped: boolean };
      type Watching = { netlensWatching?: Map<string, Watch> };
      const bridge = await bridgePage();
      const key = await bridge.evaluate(
        (id: number, portName: string, v: number) => {
          const w = window as unknown as Watching;
          const watches = (w.netlensWatching ??= new Map());
          const key = `${id}:${watches.size}:${Math.random()}`;
          const watch: Watch = { heard: 0, stopped: false };
          const subscribe = () => {
            const port = chrome.runtime.connect({ name: portName });
            port.onMessage.addListener((m: { type?: string }) => {
              if (m.type === 'snapshot' || m.type === 'records' || m.type === 'rows') watch.heard++;
            });
            // A stopped worker drops the port: watched again by the next one.
            port.onDisconnect.addListener(() => {
              if (!watch.stopped) setTimeout(subscribe, 50);
            });
            port.postMessage({ type: 'subscribe', v, tabId: id });
            watch.port = port;
          };
          subscribe();
          watches.set(key, watch);
          return key;
        },
        tabId,
        PANEL_PORT,
        PROTOCOL_VERSION,
      );
      return {
        heard: () => bridge.evaluate((k: string) => (window as unknown as Watching).netlensWatching?.get(k)?.heard ?? 0, key),
        async stop() {
          await bridge
            .evaluate((k: string) => {
              const watches = (window as unknown as Watching).netlensWatching;
              const watch = watches?.get(k);
              if (!watch) return;
              watch.stopped = true;
              watch.port?.disconnect();
              watches!.delete(k);
            }, key)
            .catch(() => {});
        },
      };
    },
    async deep(tabId, on) {
      const answer = await askBackground(await bridgePage(), { type: 'deep', tabId, on }, 'deep', 20_000);
      if (!answer) throw new Error('no answer from the background about deep capture');
      return answer.deep;
    },
    async workerBoot() {
      return (await snapshot(-1)).boot;
    },
    async stopWorker() {
      const cdp = await (await bridgePage()).createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
    kill() {
      browser.process()?.kill('SIGKILL');
      try {
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // A file Chromium wrote as it died: the profile stays in the temp folder.
      }
    },
  };
}

/**
 * Sends `message` over a new panel port from `extensionPage` and resolves with the background's
 * first answer of type `type` about the same tab, or undefined after `timeoutMs`.
 */
async function askBackground<T extends BackgroundToPanel['type']>(
  extensionPage: Page,
  message: PanelToBackground,
  type: T,
  timeoutMs: number,
): Promise<Extract<BackgroundToPanel, { type: T }> | undefined> {
  return extensionPage.evaluate(
    (msg: PanelToBackground, want: string, portName: string, ms: number) =>
      new Promise<Extract<BackgroundToPanel, { type: T }> | undefined>((resolve) => {
        const port = chrome.runtime.connect({ name: portName });
        const timer = setTimeout(() => (port.disconnect(), resolve(undefined)), ms);
        port.onMessage.addListener((m: PortToPanel) => {
          if (m.type !== want || m.tabId !== msg.tabId) return;
          clearTimeout(timer);
          port.disconnect();
          resolve(m as Extract<BackgroundToPanel, { type: T }>);
        });
        port.postMessage(msg);
      }),
    message,
    type,
    PANEL_PORT,
    timeoutMs,
  );
}

/**
 * Stores the wire mode in the settings (the panel's Settings bar does the same) and waits until
 * the worker says it applies it, over the panel's port. `also`: other settings written in the same
 * write; the worker reads them from the same change, so they apply when a new mode does.
 */
export async function setWireMode(extensionPage: Page, mode: WireMode, also: Partial<Omit<Settings, 'wire'>> = {}): Promise<void> {
  await extensionPage.evaluate(
    async (key: string, wire: string, more: Record<string, unknown>) => {
      const got = await chrome.storage.local.get(key);
      await chrome.storage.local.set({ [key]: { ...(got[key] ?? {}), ...more, wire } });
    },
    SETTINGS_KEY,
    mode,
    also,
  );
  for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 50))) {
    const answer = await askBackground(extensionPage, { type: 'subscribe', v: PROTOCOL_VERSION, tabId: -1 }, 'wire', 2_000);
    if (answer?.wire.mode === mode) return;
    if (Date.now() > deadline) throw new Error(`the worker did not apply the wire mode ${mode}`);
  }
}

/**
 * Copies the built extension at `extensionDir` to `to` with `webRequest` added to its manifest's
 * permissions, and returns `to`. The released extension leaves the permission out: holding it
 * makes Chromium proxy every request of every tab through the browser process, listeners or not
 * (README, "The wire view"), and its wire view then comes from DevTools while DevTools is open.
 * A browser of its own that no one opens DevTools in (`netlens capture`, the demo, the tests)
 * takes its wire view from webRequest instead: it pays that price for its own tabs alone.
 */
export function withWebRequest(extensionDir: string, to: string): string {
  cpSync(extensionDir, to, { recursive: true });
  const path = join(to, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { permissions?: string[] };
  if (!manifest.permissions?.includes('webRequest')) manifest.permissions = [...(manifest.permissions ?? []), 'webRequest'];
  writeFileSync(path, JSON.stringify(manifest, null, 2));
  return to;
}
