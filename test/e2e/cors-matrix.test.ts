/**
 * The CORS doctor against Chromium's own verdict. Each scenario makes one cross-origin call from
 * origin A to origin B; Chromium's verdict comes from the DevTools protocol
 * (`Network.loadingFailed.corsErrorStatus`), netlens's from its entry. They must agree on the
 * outcome and the error kind, and the preflight prediction must equal whether an OPTIONS was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { clickRow, openDetailTab, entriesOf, openPanelTab, pageDone, readRows, scaled, startEnv, until, type Env } from '../helpers/env';
import { chromiumCorsFailures, judgeScenarios, matrixSettled, runScenarios, SCENARIOS } from '../helpers/cors-scenarios';

describe('CORS doctor agrees with Chromium', () => {
  let env: Env;
  let page: Page;
  let blockedUrls: string[] = [];
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it(`matches Chromium's verdict on ${SCENARIOS.length} scenarios`, async () => {
    page = await env.session.browser.newPage();
    const failures = await chromiumCorsFailures(page);
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);

    const calls = await runScenarios(page, env.servers);

    const entries = await until(async () => {
      const list = (await entriesOf(env, page)).filter((e) => e.url.includes('/cors?'));
      return matrixSettled(calls, list) && list;
    }, 20_000);
    const { rows, disagreements } = judgeScenarios(calls, entries, failures, (url) => env.servers.log.filter((r) => r.method === 'OPTIONS' && r.url === url).length);
    console.log(`CORS agreement with Chromium: ${rows.length - disagreements.length} of ${calls.length}`);
    if (process.env.NETLENS_CORS_TABLE) console.table(rows);
    expect(disagreements).toEqual([]);
    // The matrix must really exercise both verdicts and several kinds of error.
    const kinds = new Set(rows.map((r) => r.chromium));
    expect(kinds.size).toBeGreaterThanOrEqual(12);
    blockedUrls = [...failures.keys()];
  }, scaled(120_000));

  it('marks CORS failures in the panel, filters to them, and explains the fix', async () => {
    expect(blockedUrls.length).toBeGreaterThan(10);
    const tabId = await env.session.tabIdOf(page);
    const panel = await openPanelTab(env, tabId);
    await until(async () => (await readRows(panel)).length > blockedUrls.length);
    await panel.click('[data-testid=chip-cors-errors]');
    const rows = await until(async () => {
      const r = await readRows(panel);
      return r.length === blockedUrls.length && r;
    });
    expect(rows.map((r) => r.url).sort()).toEqual([...blockedUrls].sort());
    // One blocked call in detail: the rule, the value, and the header that fixes it.
    const target = blockedUrls.find((u) => /[?&]n=18(&|$)/.test(u))!; // 'custom header not allowed'
    await clickRow(panel, (r) => r.url === target);
    await openDetailTab(panel, 'cors');
    const view = await until(() =>
      panel.$eval('[data-testid=cors-view]', (el) => ({
        outcome: el.getAttribute('data-outcome'),
        error: el.getAttribute('data-error'),
        fix: el.querySelector('[data-testid=cors-fix]')?.textContent ?? '',
        reasons: el.querySelector('[data-testid=cors-reasons]')?.textContent ?? '',
      })),
    );
    expect(view.outcome).toBe('blocked');
    expect(view.error).toBe('HeaderDisallowedByPreflightResponse');
    expect(view.fix).toContain('Access-Control-Allow-Headers: x-api-key');
    expect(view.reasons.toLowerCase()).toContain('x-api-key');
    await panel.close();
  });

  it('explains a response header the page could not read', async () => {
    const url = `${env.servers.b}/api/echo?acao=${encodeURIComponent(env.servers.a)}&hidden=1`;
    const got = await page.evaluate(
      (u) =>
        new Promise<(string | null)[]>((resolve) => {
          const x = new XMLHttpRequest();
          x.open('GET', u);
          x.onload = () => resolve([x.getResponseHeader('X-Secret-Header'), x.getResponseHeader('Content-Type')]);
          x.send();
        }),
      url,
    );
    expect(got).toEqual([null, 'application/json']);
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    await until(async () => (await readRows(panel)).some((r) => r.url === url && r.status === '200'));
    await clickRow(panel, (r) => r.url === url);
    await openDetailTab(panel, 'headers');
    const text = await until(() => panel.$eval('[data-testid=hidden-read]', (el) => el.textContent ?? ''));
    expect(text).toContain('getResponseHeader("X-Secret-Header")');
    expect(text).toContain('Access-Control-Expose-Headers: x-secret-header');
    await panel.close();
    await page.close();
  });
});
