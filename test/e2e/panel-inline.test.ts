import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, openPanelTab, readShownRows, scaled, startEnv, until, type Env } from '../helpers/env';

/** Where the screenshots go for a human look (gitignored). */
const SHOTS = join(ROOT, 'test-results/screenshots');

/**
 * The drawn rows of the list, top to bottom, as labels: an entry by the `inline=` tag of its URL,
 * a message as `tag#index`. Read from the DOM, as a person sees them (the row elements are not
 * kept in the rows' order: each is placed at its row index, aria-rowindex).
 */
const drawn = (panel: Page) =>
  panel.$$eval('[data-testid=entry-scroll] [role=row][data-testid]', (trs) =>
    [...trs].sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex'))).map((tr) => {
      const el = tr as HTMLElement;
      const row = window as unknown as { netlensPanel: { store: { entry(id: string): { url: string } | undefined } } };
      const url = row.netlensPanel.store.entry(el.dataset.id!)?.url ?? '';
      const tag = /[?&]inline=([a-z-]+)/.exec(url)?.[1] ?? '?';
      return el.dataset.testid === 'message-row' ? `${tag}#${el.dataset.index}` : tag;
    }),
  );

/** Messages inline: a page that does fetch, WebSocket and SSE in turns, each step awaiting the one before. */
describe('messages inline: requests and messages in one time order', () => {
  let env: Env;
  let page: Page;
  let panel: Page;
  /** The id of the entry whose URL carries `inline=tag`. */
  const idOf = async (tag: string) => (await readShownRows(panel)).find((r) => r.url.includes(`inline=${tag}`))!.id;
  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/compliance-blank.html`);
    await page.evaluate(async () => {
      const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/inline-ws?inline=ws`);
      await new Promise((r) => (ws.onopen = r));
      const echo = (text: string) => {
        const back = new Promise((r) => ws.addEventListener('message', r, { once: true }));
        ws.send(text);
        return back;
      };
      await echo('before login');
      await fetch('/api/echo?inline=login', { method: 'POST', body: 'user=ann' }).then((r) => r.text());
      await echo('after login <img src=x onerror=alert(1)>');
      const es = new EventSource('/sse?n=2&every=10&inline=sse');
      await new Promise<void>((r) => {
        let n = 0;
        es.onmessage = () => ++n === 2 && r();
      });
      es.close();
      await fetch('/api/echo?inline=between').then((r) => r.text());
      const nd = await fetch('/api/ndjson?n=2&every=10&inline=nd');
      const reader = nd.body!.getReader();
      while (!(await reader.read()).done);
      // A round trip between the last chunk and the next message.
      await fetch('/api/echo?inline=after').then((r) => r.text());
      await echo('last');
      // Hostile and huge: text in a row, never markup, and only its head.
      await echo(`<script>window.pwned = 1</script>javascript:alert(1)${'x'.repeat(1 << 20)}`);
      ws.close(1000, 'done');
    });
    panel = await openPanelTab(env, await env.session.tabIdOf(page));
    await panel.setViewport({ width: 1100, height: 700 });
    await until(async () => {
      const rows = (await readShownRows(panel)).filter((r) => r.url.includes('inline='));
      return rows.length === 6 && rows.every((r) => r.status !== '(pending)') && rows;
    }, scaled(20_000));
    // Only this page's rows.
    await panel.$eval('[data-testid=filter-text]', (el) => (el as HTMLInputElement).focus());
    await panel.keyboard.type('inline=');
  }, scaled(60_000));
  afterAll(async () => {
    await env?.close();
  });

  it('shows requests only until the toggle, then every message between the requests it came between', async () => {
    await until(async () => (await drawn(panel)).join() === 'ws,login,sse,between,nd,after');
    await panel.click('[data-testid=inline-messages]');
    const rows = await until(async () => {
      const r = await drawn(panel);
      return r.includes('ws#7') && r;
    });
    // How many chunks the NDJSON body came in is the network's business: those rows are read apart.
    const chunks = rows.filter((r) => r.startsWith('nd#'));
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(chunks).toEqual(chunks.map((_, i) => `nd#${i}`));
    expect(rows.filter((r) => !r.startsWith('nd#'))).toEqual(['ws', 'ws#0', 'ws#1', 'login', 'ws#2', 'ws#3', 'sse', 'sse#0', 'sse#1', 'between', 'nd', 'after', 'ws#4', 'ws#5', 'ws#6', 'ws#7']);
    expect(rows.indexOf('nd#0')).toBe(rows.indexOf('nd') + 1);
    expect(rows.indexOf('after')).toBe(rows.indexOf('nd') + chunks.length + 1);
    expect(await panel.$eval('[data-testid=inline-count]', (s) => s.textContent)).toBe(`${rows.length - 6} messages inline`);

    // A message row: direction, and the captured text as text (no element made of it).
    const row = await panel.$eval('[data-testid=message-row][data-index="2"]', (tr) => ({ dir: tr.getAttribute('data-dir'), text: tr.textContent, imgs: tr.querySelectorAll('img').length }));
    expect(row.dir).toBe('send');
    expect(row.text).toContain('after login <img src=x onerror=alert(1)>');
    expect(row.text).toContain('↑');
    expect(row.imgs).toBe(0);
    const huge = await panel.$eval('[data-testid=message-row][data-index="7"]', (tr) => ({ text: tr.querySelector('code')!.textContent!, scripts: tr.querySelectorAll('script').length }));
    expect(huge.text).toBe(`<script>window.pwned = 1</script>javascript:alert(1)${'x'.repeat(200 - 52)}…`);
    expect(huge.scripts).toBe(0);
    expect(await panel.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // A streamed chunk's bytes read as text.
    expect(await panel.$eval(`[data-testid=message-row][data-id=${JSON.stringify(await idOf('nd'))}][data-index="0"]`, (tr) => tr.textContent)).toContain('{"i":0,"token":"tok0"}');
    expect(await panel.$eval('[data-testid=inline-toggle-label]', (l) => l.textContent?.trim())).toBe('Messages inline');
    // A right-click on a message row: its entry's row menu.
    await panel.click('[data-testid=message-row][data-index="2"]', { button: 'right' });
    expect(await until(() => panel.$eval('[data-testid=row-menu]', (m) => m.getAttribute('data-id')).catch(() => undefined))).toBe(await idOf('ws'));
    await panel.keyboard.press('Escape');
    await until(async () => !(await panel.$('[data-testid=row-menu]')));
  });

  it('opens the entry’s Messages tab with the clicked message chosen', async () => {
    await panel.click('[data-testid=message-row][data-index="3"]');
    await panel.waitForSelector('[data-testid=entry-detail][data-tab=messages]');
    const chosen = await until(() => panel.$eval('[data-testid=entry-detail] [data-testid=messages] li.selected', (li) => li.getAttribute('data-index')).catch(() => undefined));
    expect(chosen).toBe('3');
    expect(await panel.$eval('[data-testid=message-full]', (el) => el.textContent)).toContain('after login');
    // The row is marked in the list too.
    expect(await panel.$eval('[data-testid=message-row][data-index="3"]', (tr) => tr.classList.contains('selected'))).toBe(true);

    // An SSE event: the EventSource entry's list, that event chosen.
    await panel.click(`[data-testid=message-row][data-id=${JSON.stringify(await idOf('sse'))}][data-index="1"]`);
    await until(() => panel.$eval('[data-testid=entry-detail] [data-testid=messages] li.selected', (li) => li.textContent?.includes('line one of 2')).catch(() => false));

    // A streamed chunk: the fetch's chunks as received open under its NDJSON records, the chunk chosen.
    await panel.click(`[data-testid=message-row][data-id=${JSON.stringify(await idOf('nd'))}][data-index="0"]`);
    await panel.waitForSelector('[data-testid=entry-detail][data-tab=messages] [data-testid=stream-chunks][open]');
    await until(() => panel.$eval('[data-testid=chunks] li.selected', (li) => li.getAttribute('data-index') === '0').catch(() => false));
    await panel.keyboard.press('Escape');
    await until(async () => !(await panel.$('[data-testid=entry-detail]')));
  });

  it('keeps message rows to the shown entries, and to the messages a body: term finds', async () => {
    await panel.$eval('[data-testid=filter-text]', (el) => {
      (el as HTMLInputElement).focus();
      (el as HTMLInputElement).select();
    });
    await panel.keyboard.type('inline= -method:POST body:login');
    // Entries: those whose bodies or messages hold "login" (the socket; not the POST, excluded);
    // message rows: only the socket's messages that hold it.
    await until(async () => (await drawn(panel)).join() === 'ws,ws#0,ws#1,ws#2,ws#3');
    await panel.$eval('[data-testid=filter-text]', (el) => {
      (el as HTMLInputElement).focus();
      (el as HTMLInputElement).select();
    });
    await panel.keyboard.type('inline= kind:eventsource');
    await until(async () => (await drawn(panel)).join() === 'sse,sse#0,sse#1');
  });

  it('turns off when the list is sorted by a column (messages sit in time), and sorting stops when it is turned on', async () => {
    await panel.$eval('[data-testid=filter-text]', (el) => {
      (el as HTMLInputElement).focus();
      (el as HTMLInputElement).select();
    });
    await panel.keyboard.type('inline=');
    await until(async () => (await drawn(panel)).includes('ws#7'));
    await panel.click('[data-testid=column-method]');
    await until(async () => !(await drawn(panel)).some((r) => r.includes('#')));
    expect(await panel.$eval('[data-testid=inline-messages]', (el) => (el as HTMLInputElement).checked)).toBe(false);
    await panel.click('[data-testid=inline-messages]');
    await until(async () => (await drawn(panel)).includes('ws#7'));
    expect(await panel.$eval('[data-testid=column-method]', (th) => th.getAttribute('aria-sort'))).toBe('none');
  });

  it('stays virtualized with thousands of messages: a request found in the middle sits between the right two', async () => {
    const busy = await env.session.browser.newPage();
    await busy.goto(`${env.servers.a}/compliance-blank.html`);
    const BLOCKS = 8;
    const PER = 400;
    await busy.evaluate(
      async (blocks, per) => {
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/inline-big?inline=big`);
        await new Promise((r) => (ws.onopen = r));
        let got = 0;
        let wake: () => void = () => undefined;
        ws.onmessage = () => {
          if (++got % per === 0) wake();
        };
        for (let b = 0; b < blocks; b++) {
          // A burst of sends, then its last echo (echoes come back in order), then a request.
          const echoed = new Promise<void>((r) => (wake = r));
          for (let i = 0; i < per; i++) ws.send(`m${b * per + i}`);
          await echoed;
          await fetch(`/api/echo?inline=big-${b}`).then((r) => r.text());
        }
      },
      BLOCKS,
      PER,
    );
    const view = await openPanelTab(env, await env.session.tabIdOf(busy));
    await view.setViewport({ width: 1000, height: 600 });
    const rowsOf = async () => (await readShownRows(view)).filter((r) => r.url.includes('inline=big'));
    await until(async () => (await rowsOf()).length === BLOCKS + 1);
    const ws = (await rowsOf()).find((r) => r.kind === 'websocket')!;
    await until(() => view.evaluate((id) => (window as unknown as { netlensPanel: { store: { entry(id: string): { messages: unknown[] } } } }).netlensPanel.store.entry(id).messages.length, ws.id).then((n) => n === 2 * BLOCKS * PER), scaled(60_000));
    await view.$eval('[data-testid=filter-text]', (el) => (el as HTMLInputElement).focus());
    await view.keyboard.type('inline=big');
    await until(async () => (await view.$$('[data-testid=entry-row]')).length === BLOCKS + 1);
    // The toggle clicked in the page; timed until a frame has drawn message rows.
    const ms = await view.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector<HTMLInputElement>('[data-testid=inline-messages]')!.click();
      await new Promise<void>((r) => {
        const check = () => (document.querySelector('[data-testid=message-row]') ? r() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - t0;
    });
    // eslint-disable-next-line no-console
    console.log(`messages inline: ${2 * BLOCKS * PER} messages and ${BLOCKS + 1} requests drawn inline ${ms.toFixed(0)} ms after the click`);
    const drawnRows = () => view.$$eval('[data-testid=entry-scroll] [role=row][data-testid]', (trs) => [...trs].sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex'))).map((tr) => ({ id: tr.getAttribute('data-id')!, index: tr.getAttribute('data-index'), url: tr.getAttribute('data-url') })));
    expect((await drawnRows()).length).toBeLessThan(150);
    for (const b of [2, 5]) {
      const fetchRow = (await rowsOf()).find((r) => r.url.endsWith(`inline=big-${b}`))!;
      await view.evaluate((id) => (window as unknown as { netlensPanel: { reveal(id: string): void } }).netlensPanel.reveal(id), fetchRow.id);
      const around = await until(async () => {
        const drawn = await drawnRows();
        const at = drawn.findIndex((r) => r.id === fetchRow.id && r.index === null);
        return at > 0 && at < drawn.length - 1 && [drawn[at - 1], drawn[at + 1]];
      });
      // Every send and echo of the blocks before it above; the next block's first send below.
      expect(around.map((r) => [r.id, r.index])).toEqual([
        [ws.id, String(2 * (b + 1) * PER - 1)],
        [ws.id, String(2 * (b + 1) * PER)],
      ]);
      expect((await drawnRows()).length).toBeLessThan(150);
    }
    await view.close();
    await busy.close();
  }, scaled(120_000));

  it('saves screenshots of the list with messages inline, light and dark', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const tabId = await env.session.tabIdOf(page);
    for (const theme of ['light', 'dark']) {
      const view = await env.session.browser.newPage();
      await view.setViewport({ width: 1100, height: 500 });
      await view.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html?tabId=${tabId}&theme=${theme}`);
      await until(async () => (await readShownRows(view)).filter((r) => r.url.includes('inline=')).length === 6);
      await view.click('[data-testid=inline-messages]');
      await until(async () => (await drawn(view)).includes('ws#7'));
      await view.screenshot({ path: join(SHOTS, `list-inline-messages-wide-${theme}.png`) });
      // Docked narrow, a message's detail open beside the list.
      await view.setViewport({ width: 550, height: 500 });
      await view.click('[data-testid=message-row][data-index="2"]');
      await view.waitForSelector('[data-testid=entry-detail][data-tab=messages] [data-testid=message-full]');
      await view.screenshot({ path: join(SHOTS, `list-inline-messages-narrow-${theme}.png`) });
      await view.close();
    }
  });
});
