import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickRow, openDetailTab, openPanelTab, pageDone, readRows, readShownRows, scaled, startEnv, until, type Env } from '../helpers/env';

describe('long polling', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('groups repeated hanging requests into one channel whose messages are the responses', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/long-poll.html`);
    await pageDone(page);
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    await until(async () => (await readRows(panel)).filter((r) => r.url.includes('channel=news') && r.status === '200').length === 3);
    expect((await readShownRows(panel)).filter((r) => r.url.includes('channel=news')).map((r) => r.longPoll)).toEqual([true, true, true]);
    const row = await clickRow(panel, (r) => r.url.includes('cursor=1'));
    expect(await panel.$eval(`[data-testid=entry-row][data-id="${row.id}"]`, (r) => !!r.querySelector('[data-testid=long-poll]'))).toBe(true);
    await openDetailTab(panel, 'messages');
    const channel = await until(() =>
      panel.$eval('[data-testid=long-poll-channel]', (el) => ({
        title: el.querySelector('h3')!.textContent,
        messages: [...el.querySelectorAll('li')].map((li) => /"cursor":"(\d)"/.exec(li.textContent ?? '')?.[1]),
      })),
    );
    expect(channel.title).toContain('3 requests');
    expect(channel.messages).toEqual(['0', '1', '2']);
    await panel.close();
    await page.close();
  });
});
