import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { clickRowById, openPanelTab, pageDone, readShownRows, scaled, startEnv, until, type Env, type ShownRow } from '../helpers/env';

/** The list as a Network-panel user drives it: filter language, suggestions, chips, sort, columns, keyboard. */
describe('the entry list: filter, chips, sort, columns, keyboard', () => {
  let env: Env;
  let page: Page;
  let panel: Page;
  const CASES = ['post-ok', 'post-500', 'get-ok', 'get-404', 'xhr', 'big', 'drop'];
  const caseOf = (r: ShownRow) => /[?&]list=([a-z0-9-]+)/.exec(r.url)?.[1];
  const listed = async () => (await readShownRows(panel)).filter(caseOf);
  const cases = async () => (await listed()).map(caseOf);
  /** Replaces the filter box's text as typed keys (every keystroke refilters). */
  const typeFilter = async (text: string) => {
    await panel.$eval('[data-testid=filter-text]', (el) => {
      (el as HTMLInputElement).focus();
      (el as HTMLInputElement).select();
    });
    await panel.keyboard.press('Backspace');
    if (text) await panel.keyboard.type(text);
  };
  const problems = () => panel.$$eval('[data-testid=filter-problem]', (li) => li.map((x) => x.textContent ?? ''));
  const suggestions = () => panel.$$eval('[data-testid=filter-suggestion]', (li) => li.map((x) => x.textContent ?? ''));

  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    await page.evaluate(async () => {
      const settle = (p: Promise<unknown>) => p.then(
        () => undefined,
        () => undefined,
      );
      await settle(fetch('/api/echo?list=post-ok', { method: 'POST', body: 'a' }));
      await settle(fetch('/api/echo?list=post-500&status=500', { method: 'POST', body: 'b' }));
      await settle(fetch('/api/echo?list=get-ok'));
      await settle(fetch('/api/status?code=404&list=get-404'));
      await new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open('GET', '/api/items?list=xhr');
        x.onloadend = resolve;
        x.send();
      });
      await settle(fetch('/api/bytes?n=20000&list=big').then((r) => r.arrayBuffer()));
      await settle(fetch('/api/drop?list=drop'));
    });
    panel = await openPanelTab(env, await env.session.tabIdOf(page));
    await panel.bringToFront();
    await until(async () => {
      const rows = await listed();
      return rows.length === CASES.length && rows.every((r) => r.status !== '(pending)' && r.kind !== 'other');
    }, 20_000);
  }, scaled(60_000));
  afterAll(async () => {
    await env?.close();
  });

  it('filters with the DevTools keys, negation, regex, and reports what it cannot read', async () => {
    await typeFilter('list= method:POST -status-code:200');
    expect(await until(async () => ((await cases()).join() === 'post-500' ? cases() : false))).toEqual(['post-500']);

    await typeFilter('/list=(get|post)-ok/');
    await until(async () => (await cases()).join() === 'post-ok,get-ok');
    expect(await problems()).toEqual([]);

    await typeFilter('list= larger-than:10k');
    await until(async () => (await cases()).join() === 'big');

    // An invalid regex and an unknown key are shown, not ignored; the panel keeps working.
    await typeFilter('/[/ foo:bar');
    const shown = await until(async () => {
      const p = await problems();
      return p.length === 2 && p;
    });
    expect(shown[0]).toMatch(/^invalid regular expression \/\[\/: .*\(matched as text\)$/);
    expect(shown[1]).toBe('unknown key "foo:" (matched as text)');
    expect(await cases()).toEqual([]);
    await typeFilter('');
    await until(async () => (await cases()).length === CASES.length && (await problems()).length === 0);
  });

  it('suggests keys and the values seen, accepted with the keyboard', async () => {
    await typeFilter('list= meth');
    await until(async () => (await suggestions()).join() === 'method:');
    await panel.keyboard.press('Tab');
    // After a key, its values seen in the entries.
    const values = await until(async () => {
      const s = await suggestions();
      return s.includes('method:POST') && s;
    });
    expect(values).toEqual(expect.arrayContaining(['method:GET', 'method:POST']));
    const at = values.indexOf('method:POST');
    for (let i = 0; i < at; i++) await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('Enter');
    expect(await panel.$eval('[data-testid=filter-text]', (el) => (el as HTMLInputElement).value)).toBe('list= method:POST ');
    await until(async () => (await cases()).join() === 'post-ok,post-500');
    await until(async () => (await suggestions()).length === 0);
    await typeFilter('');
  });

  it('combines kind chips with the text; Ctrl-click adds a chip', async () => {
    await typeFilter('list=');
    await panel.click('[data-testid=chip-failed]');
    await until(async () => (await cases()).join() === 'post-500,get-404,drop');
    await panel.click('[data-testid=chip-fetch-xhr]');
    await until(async () => (await cases()).length === CASES.length);
    await panel.click('[data-testid=chip-ws]');
    await until(async () => (await cases()).length === 0);
    await panel.keyboard.down('Control');
    await panel.click('[data-testid=chip-failed]');
    await panel.keyboard.up('Control');
    await until(async () => (await cases()).join() === 'post-500,get-404,drop');
    expect(await panel.$eval('[data-testid=chip-ws]', (b) => b.getAttribute('aria-pressed'))).toBe('true');
    await typeFilter('list= -method:POST');
    await until(async () => (await cases()).join() === 'get-404,drop');
    await panel.click('[data-testid=chip-all]');
    await until(async () => (await cases()).join() === 'get-ok,get-404,xhr,big,drop');
    // The status bar counts the shown entries of all.
    const bar = await panel.$eval('[data-testid=status-bar]', (el) => ({
      count: el.querySelector('[data-testid=count]')?.textContent,
      total: el.querySelector('[data-testid=total]')?.textContent ?? '',
    }));
    expect(bar.count).toBe('5 shown');
    expect(Number.parseInt(bar.total, 10)).toBe((await panel.evaluate(() => (window as unknown as { netlensPanel: { store: { entryCount(): number } } }).netlensPanel.store.entryCount())));
    await typeFilter('list=');
  });

  it('sorts by a column header: ascending, descending, then display order', async () => {
    await until(async () => (await cases()).length === CASES.length);
    const before = await cases();
    const statuses = async () => (await listed()).map((r) => (/^\d+$/.test(r.status) ? Number(r.status) : -1));
    await panel.click('[data-testid=column-status]');
    await until(async () => {
      const s = await statuses();
      return s.every((v, i) => i === 0 || s[i - 1] <= v) && s[0] === -1 && s.at(-1) === 500;
    });
    expect(await panel.$eval('[data-testid=column-status]', (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    await panel.click('[data-testid=column-status]');
    await until(async () => {
      const s = await statuses();
      return s.every((v, i) => i === 0 || s[i - 1] >= v) && s[0] === 500;
    });
    await panel.click('[data-testid=column-status]');
    await until(async () => (await cases()).join() === before.join());
    expect(await panel.$eval('[data-testid=column-status]', (th) => th.getAttribute('aria-sort'))).toBe('none');
  });

  it("lines each column header up over its rows' cells", async () => {
    await until(async () => (await cases()).length === CASES.length);
    /** Each header cell's and the first drawn row's cells' left and right edges, px. */
    const edges = () =>
      panel.evaluate(() => {
        const box = (el: Element) => el.getBoundingClientRect();
        const heads = [...document.querySelectorAll('[role=columnheader]')].map((h) => [Math.round(box(h).left), Math.round(box(h).right)]);
        const row = [...document.querySelectorAll('[data-testid=entry-scroll] [role=row]')].sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))[0];
        const cells = [...row.querySelectorAll('[role=gridcell]')].map((c) => [Math.round(box(c).left), Math.round(box(c).right)]);
        const scroller = document.querySelector('[data-testid=entry-scroll]') as HTMLElement;
        return { heads, cells, scrollbar: scroller.offsetWidth - scroller.clientWidth };
      });
    const now = await edges();
    expect(now.cells.length).toBe(now.heads.length);
    expect(now.heads).toEqual(now.cells);
    // Puppeteer's Chromium hides scrollbars: the header's room for them is the 0 it measured.
    expect(now.scrollbar).toBe(0);
  });

  it('moves the selection with ↑/↓, opens with Enter, closes with Escape; Ctrl+F focuses the filter', async () => {
    await typeFilter('list=');
    await until(async () => (await cases()).length === CASES.length);
    const rows = await listed();
    const selected = () => panel.$eval('[data-testid=entry-scroll] [role=row].selected', (r) => r.getAttribute('data-id')).catch(() => undefined);
    const detail = () => panel.$('[data-testid=entry-detail]');
    await clickRowById(panel, rows[0].id);
    await until(async () => (await selected()) === rows[0].id && (await detail()));
    await panel.keyboard.press('ArrowDown');
    await until(async () => (await selected()) === rows[1].id);
    // The open detail follows the selection.
    await until(() => panel.$eval('[data-testid=entry-detail] h2', (h, url) => h.textContent?.includes(url), rows[1].url));
    await panel.keyboard.press('Escape');
    await until(async () => !(await detail()));
    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('ArrowDown');
    await until(async () => (await selected()) === rows[3].id);
    expect(await detail()).toBeNull();
    await panel.keyboard.press('ArrowUp');
    await until(async () => (await selected()) === rows[2].id);
    await panel.keyboard.press('Enter');
    await until(() => panel.$eval('[data-testid=entry-detail] h2', (h, url) => h.textContent?.includes(url), rows[2].url));
    await panel.keyboard.down('Control');
    await panel.keyboard.press('f');
    await panel.keyboard.up('Control');
    await until(() => panel.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'filter-text'));
    await panel.keyboard.press('Escape');
    await until(async () => !(await detail()));
  });

  it('pauses recording: what starts meanwhile stays out, even after resuming', async () => {
    await typeFilter('pause=');
    await panel.click('[data-testid=record]');
    await until(() => panel.$eval('[data-testid=recording]', (el) => el.textContent === 'recording paused'));
    await page.evaluate(() => fetch('/api/echo?pause=while').then((r) => r.text()));
    await panel.click('[data-testid=record]');
    await until(() => panel.$eval('[data-testid=recording]', (el) => el.textContent === 'recording'));
    await page.evaluate(() => fetch('/api/echo?pause=after').then((r) => r.text()));
    // Records arrive in order: once "after" is in, "while" came before it and was left out
    // (it started while paused, by its start time, whenever its records reached the panel).
    const rows = await until(async () => {
      const r = await readShownRows(panel);
      return r.some((x) => x.url.includes('pause=after') && x.status === '200') && r;
    });
    expect(rows.map((r) => new URL(r.url).search)).toEqual(['?pause=after']);
    await typeFilter('list=');
  });

  it('puts a preflight under its request, expandable; the Preflight chip lists preflights as rows', async () => {
    const url = `${env.servers.b}/api/echo?nest=put&acao=${encodeURIComponent(env.servers.a)}&acam=PUT&acah=x-custom`;
    await page.evaluate((u) => fetch(u, { method: 'PUT', headers: { 'X-Custom': '1' }, body: 'x' }).then((r) => r.text()), url);
    await typeFilter('nest=');
    // Records come in any grouping: the wire may show the request (done, its preflight paired)
    // before the page's records join it. The state to wait for is the page's fetch, done, with
    // its preflight under it.
    const joined = async () => JSON.stringify((await readShownRows(panel)).map((r) => [r.kind, r.method, r.status])) === JSON.stringify([['fetch', 'PUT', '200']]);
    const toggle = await until(async () => ((await joined()) && (await panel.$('[data-testid=preflight-toggle]'))) ?? false);
    const rows = await readShownRows(panel);
    expect(rows.map((r) => [r.kind, r.method, r.status])).toEqual([['fetch', 'PUT', '200']]);
    expect(await panel.$('[data-testid=preflight-row]')).toBeNull();
    await toggle.click();
    const child = await until(() =>
      panel.evaluate(() => {
        const row = document.querySelector('[data-testid=preflight-row]');
        const above = row?.previousElementSibling;
        return row ? { method: row.getAttribute('data-method'), kind: row.getAttribute('data-kind'), id: row.getAttribute('data-id'), above: above?.getAttribute('data-id') } : false;
      }),
    );
    expect([child.method, child.kind, child.above]).toEqual(['OPTIONS', 'preflight', rows[0].id]);
    await panel.click('[data-testid=preflight-row]');
    await until(async () => (await panel.$eval('[data-testid=entry-scroll] [role=row].selected', (r) => r.getAttribute('data-id')).catch(() => undefined)) === child.id);
    await panel.click('[data-testid=chip-preflight]');
    await until(async () => {
      const r = await readShownRows(panel);
      return r.length === 1 && r[0].id === child.id;
    });
    expect(await panel.$('[data-testid=preflight-toggle]')).toBeNull();
    await panel.click('[data-testid=chip-all]');
    await typeFilter('list=');
  });

  it('hides columns (remembered), and at 550 px keeps Name and Status in view with the detail open', async () => {
    await panel.click('[data-testid=columns-button]');
    await panel.click('[data-testid=column-toggle-method]');
    await until(async () => !(await panel.$('[data-testid=column-method]')));
    await panel.reload();
    await until(async () => (await cases()).length === CASES.length);
    expect(await panel.$('[data-testid=column-method]')).toBeNull();
    expect(await panel.$('[data-testid=column-kind]')).not.toBeNull();

    await panel.setViewport({ width: 550, height: 600 });
    const rows = await listed();
    await clickRowById(panel, rows[0].id);
    await until(() => panel.$('[data-testid=entry-detail]'));
    const layout = await until(() =>
      panel.evaluate(() => {
        const list = document.querySelector('[data-testid=entry-scroll]')!.getBoundingClientRect();
        const cell = (id: string) => document.querySelector(`[data-testid=column-${id}]`)?.getBoundingClientRect();
        const name = cell('name');
        const status = cell('status');
        return name && status && { list: [list.left, list.right], name: [name.left, name.right], status: [status.left, status.right], shown: [...document.querySelectorAll('.entries-head [role=columnheader]')].map((th) => th.getAttribute('data-testid')) };
      }),
    );
    expect(layout.shown.slice(0, 2)).toEqual(['column-name', 'column-status']);
    // Both fully inside the list's visible box: nothing cut off.
    expect(layout.name[0]).toBeGreaterThanOrEqual(layout.list[0]);
    expect(layout.status[1]).toBeLessThanOrEqual(layout.list[1]);
    expect(layout.name[1] - layout.name[0]).toBeGreaterThanOrEqual(100);

    await panel.setViewport({ width: 1200, height: 700 });
    // The detail closed, the list has its width back for the column shown again.
    await panel.click('[data-testid=detail-close]');
    await until(async () => !(await panel.$('[data-testid=entry-detail]')));
    await panel.click('[data-testid=columns-button]');
    await panel.click('[data-testid=column-toggle-method]');
    await until(() => panel.$('[data-testid=column-method]'));
  });
});
