/**
 * Chromium with the built extension, through puppeteer-core (Debian's Chromium; no browser
 * download). Shared by the `netlens` CLI and the tests.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import type { TabRecord } from '../shared/protocol';

export const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
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
  worker(): Promise<WebWorker>;
  /** The tab id of a page, as the extension sees it. */
  tabIdOf(page: Page): Promise<number>;
  records(tabId: number): Promise<TabRecord[]>;
  close(): Promise<void>;
}

export async function launch(extensionDir: string, opts: { headless?: boolean; args?: string[] } = {}): Promise<Session> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(`Chromium not found (looked in ${CHROMIUM_CANDIDATES.join(', ')}). Install it: apt-get update && apt-get install -y chromium`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'netlens-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: opts.headless ?? true,
    pipe: true,
    enableExtensions: true,
    userDataDir,
    args: [...QUIET_FLAGS, '--window-size=1400,900', ...(opts.args ?? [])],
  });
  const extensionId = await browser.installExtension(extensionDir);
  const worker = async (): Promise<WebWorker> => {
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
      { timeout: 15_000 },
    );
    const w = await target.worker();
    if (!w) throw new Error('extension service worker has no handle');
    return w;
  };
  await worker();
  return {
    browser,
    extensionId,
    worker,
    async tabIdOf(page) {
      const marker = `netlens-tab-${Math.random().toString(36).slice(2)}`;
      const original = await page.title();
      await page.evaluate((m) => (document.title = m), marker);
      const w = await worker();
      const id = await w.evaluate(async (m: string) => {
        const tabs = await chrome.tabs.query({});
        return tabs.find((t) => t.title === m)?.id ?? -1;
      }, marker);
      await page.evaluate((t) => (document.title = t), original);
      if (id < 0) throw new Error('tab not found');
      return id;
    },
    async records(tabId) {
      const w = await worker();
      return (await w.evaluate(async (id: number) => {
        const api = (globalThis as unknown as { netlens: { ready(): Promise<void>; records(id: number): unknown[] } }).netlens;
        await api.ready();
        return api.records(id);
      }, tabId)) as TabRecord[];
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
