import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startEnv, until, type Env } from '../helpers/env';

/**
 * The page script's batches reach the relay two ways (src/shared/protocol.ts PAGE_BATCH_EVENT):
 * handed over at once, in the page's task, or over the port (a batch with buffers to transfer),
 * which the relay hears of only once the page's task ends. The relay takes them in the page's
 * order (src/shared/page-batch-order.ts): in the real extension, none may be lost, however many
 * go the quick way while one waits in the port.
 */
describe('page → relay handover in the real extension', () => {
  let env: Env;
  let page: Page;
  let tabId: number;
  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/api/reflect?type=text/html&body=${encodeURIComponent('<!doctype html><title>handover</title>')}`);
    tabId = await env.session.tabIdOf(page);
  });
  afterAll(async () => {
    await env?.close();
  });

  const starts = async () => (await env.session.records(tabId)).filter((r) => r.ev.type === 'start').map((r) => (r.ev as { url: string }).url);

  it('a batch sent over the port behind more than 256 handed over at once in one task is not lost', async () => {
    const count = 300;
    await page.evaluate(async (n: number) => {
      // A page's own beforeunload (a cancelled navigation does the same): from here on the page
      // script sends every event at the end of its microtask checkpoint, one batch each.
      dispatchEvent(new Event('beforeunload'));
      // A body with a buffer to transfer: its batch goes over the port, taken after this task.
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/echo?t=buffer');
      xhr.send(new Uint8Array([1, 2, 3]).buffer);
      await null;
      // All in this one task: a batch each, handed over at once.
      for (let i = 0; i < n; i++) {
        void fetch(`data:text/plain,${i}?t=quick`).catch(() => {});
        await null;
      }
    }, count);
    const all = await until(async () => {
      const list = await starts();
      return list.filter((u) => u.includes('t=quick')).length === count && list;
    });
    // The port's batch came after the quick ones: taken late, not dropped.
    await until(async () => (await starts()).some((u) => u.includes('t=buffer')), 5_000);
    expect(all.filter((u) => u.includes('t=quick'))).toHaveLength(count);
  });
});
