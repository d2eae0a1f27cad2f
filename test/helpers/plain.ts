/**
 * A second Chromium without the extension: the reference the compliance tests compare against.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { QUIET_FLAGS, findChromium } from '../../src/cli/chromium';

export interface Plain {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchPlain(): Promise<Plain> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found');
  const userDataDir = mkdtempSync(join(tmpdir(), 'netlens-plain-'));
  const browser = await puppeteer.launch({ executablePath, headless: true, pipe: true, args: [...QUIET_FLAGS], userDataDir });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
