import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOf, openPanelTab, pageDone, startEnv, until, type Env } from '../helpers/env';

describe('settings', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('the body cap set in the panel applies to pages loaded after it, keeping the true size', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    const input = await panel.waitForSelector('[data-testid=setting-body-cap]');
    await input!.click({ count: 3 });
    await input!.type('2');
    await panel.keyboard.press('Tab');
    await until(() => panel.evaluate(async () => ((await chrome.storage.local.get('netlens.settings'))['netlens.settings'] as { bodyCap?: number })?.bodyCap === 2048));

    await page.reload();
    await pageDone(page);
    await page.evaluate(() => fetch('/api/bytes?n=5000').then((r) => r.arrayBuffer()));
    await page.evaluate(() => new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open('POST', '/api/upload');
      x.onloadend = resolve;
      x.send('y'.repeat(3000));
    }));
    const entries = await until(async () => {
      const list = await entriesOf(env, page);
      const down = list.find((e) => e.url.endsWith('/api/bytes?n=5000') && e.response?.body);
      const up = list.find((e) => e.url.endsWith('/api/upload') && e.request.body);
      return down && up && { down, up };
    });
    const down = entries.down.response!.body!;
    expect([down.size, down.truncated, atob(down.data).length]).toEqual([5000, true, 2048]);
    const up = entries.up.request.body!;
    expect([up.size, up.truncated, up.data.length]).toEqual([3000, true, 2048]);
    await panel.close();
    await page.close();
  });
});
