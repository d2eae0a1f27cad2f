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

  it('shows each upload as one row, opens it to its requests, and opens the transfer from any of them', async () => {
    const tusRows = async () => (await readShownRows(panel)).filter((r) => r.url.includes('/api/upload/tus/'));
    // The tus upload's creation stands for the whole upload: its PATCHes and HEAD sit under it.
    const [head] = await until(async () => {
      const rows = await tusRows();
      return rows.length === 1 && rows[0].method === 'POST' && rows;
    });
    const headRow = `[data-testid=entry-row][data-id=${JSON.stringify(head.id)}]`;
    const summary = await until(async () => {
      const text = await panel.$eval(`${headRow} [data-testid=transfer-row-summary]`, (s) => s.textContent?.trim() ?? '').catch(() => '');
      return text.includes('5 requests') && text;
    });
    expect(summary).toBe('notes.txt · 5 requests · 244.1 KiB of 244.1 KiB ✓');
    // Each upload is one row: none of the 28 requests of the five uploads but their first is a row.
    // (The offset-query upload's first request is its status query.)
    const uploadRows = (await readShownRows(panel)).filter((r) => r.url.includes('/api/upload/'));
    expect(uploadRows.map((r) => `${r.method} ${new URL(r.url).pathname.split('/')[3]}`)).toEqual(['GET offset', 'POST tus', 'PUT range', 'POST s3', 'POST session']);
    expect(await panel.$$(`[data-testid=transfer-member-row]`)).toHaveLength(0);

    await panel.click(`${headRow} [data-testid=transfer-toggle]`);
    const members = await until(async () => {
      // Top to bottom: the row elements are placed at their row index (aria-rowindex), not kept in order.
      const rows = await panel.$$eval('[data-testid=transfer-member-row]', (trs) => [...trs].sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex'))).map((r) => [r.getAttribute('data-method'), r.getAttribute('data-status')]));
      return rows.length === 4 && rows;
    });
    expect(members).toEqual([
      ['PATCH', '204'],
      ['PATCH', '500'],
      ['HEAD', '200'],
      ['PATCH', '204'],
    ]);
    await panel.click('[data-testid=transfer-member-row][data-status="500"]');
    await openDetailTab(panel, 'transfer');
    const text = await panel.$eval('[data-testid=transfer-summary]', (p) => p.textContent?.replace(/\s+/g, ' ').trim());
    expect(text).toMatch(/^244\.1 KiB of 244\.1 KiB confirmed by the server, complete · 3 chunks, 1 failed, 1 retried/);
    expect(await panel.$eval('[data-testid=transfer] h3', (h) => h.textContent)).toBe('tus 1.0 — notes.txt');
    const roles = await panel.$$eval('[data-testid=transfer-members] tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-role'), r.getAttribute('data-outcome')]));
    expect(roles).toEqual([
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

    // A filter that leaves the creation out shows the PATCHes as rows of their own, each marked.
    await panel.$eval('[data-testid=filter-text]', (el) => (el as HTMLInputElement).focus());
    await panel.keyboard.type('method:PATCH');
    const patches = await until(async () => {
      const rows = await tusRows();
      return rows.length === 3 && rows.every((r) => r.method === 'PATCH') && rows;
    });
    expect(patches.map((r) => r.status)).toEqual(['204', '500', '204']);
    const badged = await panel.$$eval('[data-testid=entry-row]', (rows) => rows.filter((r) => r.getAttribute('data-url')?.includes('/api/upload/tus/') && r.querySelector('[data-testid=transfer-badge]')).length);
    expect(badged).toBe(3);
  }, scaled(60_000));
});
