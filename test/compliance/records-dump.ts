/**
 * RECORD_DUMP=<dir>: the compliance files that call this write the stored records of their page's
 * tab to <dir>/<name>.json, as the panel's snapshot gives them, keys whose value is undefined
 * written as "<undefined>" (JSON would leave them out). Run the same files against two builds
 * (NETLENS_DIST) and compare with `node scripts/compare-records.mjs <dir a> <dir b>`: a change
 * of the page → worker transport must leave what is stored as it was. Without RECORD_DUMP: nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import type { Pair } from './pair';
import { PANEL_PORT, PROTOCOL_VERSION } from '../../src/shared/protocol';

export async function dumpRecords(pair: Pair, page: Page, name: string): Promise<void> {
  const dir = process.env.RECORD_DUMP;
  if (!dir) return;
  const session = pair.env.session;
  const tabId = await session.tabIdOf(page);
  const bridge = await session.browser.newPage();
  await bridge.goto(`chrome-extension://${session.extensionId}/src/devtools/panel.html`);
  const text = await bridge.evaluate(
    (id: number, portName: string, v: number) =>
      new Promise<string>((resolve) => {
        const port = chrome.runtime.connect({ name: portName });
        let snapshot: { records: unknown[] } | undefined;
        port.onMessage.addListener((m: { type: string; records: unknown[]; more?: boolean }) => {
          if (m.type === 'snapshot') snapshot = m;
          else if (m.type === 'records' && snapshot) snapshot.records.push(...m.records);
          else return;
          if (m.more) return;
          port.disconnect();
          resolve(JSON.stringify(snapshot!.records, (_k, v) => (v === undefined ? '<undefined>' : v)));
        });
        port.postMessage({ type: 'subscribe', v, tabId: id });
      }),
    tabId,
    PANEL_PORT,
    PROTOCOL_VERSION,
  );
  await bridge.close();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}.json`, text);
}
