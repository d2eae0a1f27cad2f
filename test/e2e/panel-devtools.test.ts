import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickRow, openPanelInDevTools, pageDone, readRows, startEnv, until, type Env } from '../helpers/env';

describe('the panel inside real DevTools', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('is dark when DevTools is, and copies to the clipboard from inside DevTools', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const devtools = await page.openDevTools();
    // DevTools' own setting, as its Settings > Preferences > Theme writes it.
    await until(async () =>
      devtools.evaluate(`import('./core/common/common.js').then((c) => { c.Settings.Settings.instance().moduleSetting('ui-theme').set('dark'); return true; })`),
    );
    const panel = await openPanelInDevTools(env, page);
    // Once the panel's script ran (it sets data-theme first thing).
    const got = await until(() =>
      panel.evaluate(() => {
        const theme = document.documentElement.dataset.theme;
        const name = (globalThis as { chrome?: { devtools?: { panels?: { themeName?: string } } } }).chrome?.devtools?.panels?.themeName;
        return theme !== undefined && { theme, name, bg: getComputedStyle(document.documentElement).backgroundColor };
      }),
    );
    expect(got.name).toBe('dark');
    expect(got.theme).toBe('dark');
    expect(got.bg).not.toBe('rgb(255, 255, 255)');

    // Copy from the panel's frame inside DevTools, where navigator.clipboard is refused.
    await env.session.browser.defaultBrowserContext().overridePermissions(env.servers.a, ['clipboard-read']);
    await until(async () => (await readRows(panel)).some((r) => r.url.endsWith('from=after-load')));
    const row = await clickRow(panel, (r) => r.url.endsWith('from=after-load'));
    await panel.click('[data-testid=copy-open]');
    await panel.click('[data-testid=copy-url]');
    expect(await until(() => panel.$eval('[data-testid=copy-status]', (el) => el.getAttribute('data-ok')))).toBe('true');
    // Read where the clipboard may be read: a focused document. The page gets the focus some time
    // after bringToFront (DevTools' window may hold it a while): read once it has it.
    const copied = await until(async () => {
      await page.bringToFront();
      return page.evaluate(() => (document.hasFocus() ? navigator.clipboard.readText() : undefined));
    });
    expect(copied).toBe(row.url);
    await page.close();
  });
});
