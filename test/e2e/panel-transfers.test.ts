import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickRow, openDetailTab, openPanelTab, readShownRows, scaled, startEnv, until, type Env } from '../helpers/env';

describe('panel: a resumable upload shown as one transfer', () => {
  let env: Env;
  let page: Page;
  let panel: Page;
  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/uploads.html`);
    await page.evaluate(() => (window as unknown as { done: Promise<void> }).done);
    panel = await openPanelTab(env, await env.session.tabIdOf(page));
  }, scaled(120_000));
  afterAll(async () => {
    await env?.close();
  });

  it('marks each request of the uploads in the list, and opens the transfer from any of them', async () => {
    const badged = async () => panel.$$eval('[data-testid=entry-row]', (rows) => rows.filter((r) => r.querySelector('[data-testid=transfer-badge]')).map((r) => r.getAttribute('data-url') ?? ''));
    // The tus upload's 5 requests (creation, 3 PATCHes, HEAD) all carry the mark once the list has them.
    const shown = await until(async () => {
      const rows = await readShownRows(panel);
      return rows.filter((r) => r.url.includes('/api/upload/tus/')).length === 5 && rows;
    });
    expect(shown.length).toBeGreaterThan(0);
    await until(async () => (await badged()).filter((u) => u.includes('/api/upload/tus/')).length === 5);
    // Plain requests carry none.
    expect((await badged()).every((u) => u.includes('/api/upload/'))).toBe(true);

    await clickRow(panel, (r) => r.method === 'PATCH' && r.status === '500');
    await openDetailTab(panel, 'transfer');
    const summary = await panel.$eval('[data-testid=transfer-summary]', (p) => p.textContent?.replace(/\s+/g, ' ').trim());
    expect(summary).toMatch(/^244\.1 KiB of 244\.1 KiB confirmed by the server, complete · 3 chunks, 1 failed, 1 retried/);
    expect(await panel.$eval('[data-testid=transfer] h3', (h) => h.textContent)).toBe('tus 1.0 — notes.txt');
    const members = await panel.$$eval('[data-testid=transfer-members] tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-role'), r.getAttribute('data-outcome')]));
    expect(members).toEqual([
      ['create', ''],
      ['chunk', 'ok'],
      ['chunk', 'failed'],
      ['query', ''],
      ['chunk', 'ok'],
    ]);
    expect(await panel.$('[data-testid=transfer-issues]')).toBeNull();
    expect(Number(await panel.$eval('[data-testid=progress-upload]', (f) => f.getAttribute('data-points')))).toBeGreaterThan(0);
    // A member opens that request, on the same tab.
    await panel.click('[data-testid=transfer-members] tbody tr[data-role=query]');
    await until(async () => (await panel.$eval('[data-testid=entry-detail] h2', (h) => h.textContent ?? '')).startsWith('HEAD '));
    expect(await panel.$eval('[data-testid=entry-detail]', (d) => d.getAttribute('data-tab'))).toBe('transfer');
  }, scaled(60_000));
});
