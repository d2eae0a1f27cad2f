import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanelInDevTools, pageDone, startEnv, until, type Env } from '../helpers/env';

describe('the panel follows DevTools theme', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('is dark inside DevTools set to its dark theme', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const devtools = await page.openDevTools();
    // DevTools' own setting, as its Settings > Preferences > Theme writes it.
    await until(async () =>
      devtools.evaluate(`import('./core/common/common.js').then((c) => { c.Settings.Settings.instance().moduleSetting('ui-theme').set('dark'); return true; })`),
    );
    const panel = await openPanelInDevTools(env, page);
    const got = await until(() => panel.evaluate(() => ({ theme: document.documentElement.dataset.theme, name: (globalThis as { chrome?: { devtools?: { panels?: { themeName?: string } } } }).chrome?.devtools?.panels?.themeName, bg: getComputedStyle(document.documentElement).backgroundColor })));
    expect(got.name).toBe('dark');
    expect(got.theme).toBe('dark');
    expect(got.bg).not.toBe('rgb(255, 255, 255)');
    await page.close();
  });
});
