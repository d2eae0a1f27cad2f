/**
 * A second Chromium without the extension: the reference the compliance tests compare against.
 * Given `extension` (an unpacked extension's folder), that Chromium runs it instead of netlens:
 * a control for what any extension with the same manifest changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { QUIET_FLAGS, findChromium } from '../../src/cli/chromium';

export interface Plain {
  browser: Browser;
  /** The id of the extension given as `extension`, else ''. */
  extensionId: string;
  close(): Promise<void>;
}

export async function launchPlain(opts: { extension?: string } = {}): Promise<Plain> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found');
  const userDataDir = mkdtempSync(join(tmpdir(), 'netlens-plain-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    args: [...QUIET_FLAGS],
    userDataDir,
    ...(opts.extension ? { enableExtensions: true } : {}),
  });
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  let extensionId = '';
  if (opts.extension) {
    try {
      extensionId = await browser.installExtension(opts.extension);
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { browser, extensionId, close };
}
