import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { clickRow, openPanelTab, readShownRows, startEnv, until, type Env } from '../helpers/env';

/** The entry list draws only the rows in view; following the newest, scrolling and selection survive updates. */
describe('virtualized entry list', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  const fetches = (page: Page, from: number, n: number) =>
    page.evaluate(async (a: number, b: number) => {
      for (let i = a; i < a + b; i += 50) await Promise.all(Array.from({ length: Math.min(50, a + b - i) }, (_, k) => fetch(`/api/items?v=${i + k}`).then((r) => r.text())));
    }, from, n);
  /** The drawn rows' URLs, top to bottom (the row elements are placed at their row index, aria-rowindex, not kept in order). */
  const domRows = (panel: Page) => panel.$$eval('[data-testid=entry-row]', (trs) => [...trs].sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex'))).map((r) => r.getAttribute('data-url') ?? ''));
  const shown = async (panel: Page, n: number) => until(async () => {
    const rows = (await readShownRows(panel)).filter((r) => r.url.includes('v=') && r.status === '200');
    return rows.length >= n && rows;
  }, 30_000);

  it('follows the newest while at the end, keeps the place when scrolled up, and keeps the selection', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await page.waitForFunction('window.done === true');
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    await fetches(page, 0, 300);
    const rows = await shown(panel, 300);
    // Only the rows in view (plus a few) are in the DOM, and the newest is among them.
    const last = (await readShownRows(panel)).at(-1)!;
    await until(async () => (await domRows(panel)).includes(last.url));
    const drawn = await domRows(panel);
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(120);

    // Scrolled to the top: it stays there while more arrive.
    await panel.$eval('[data-testid=entry-scroll]', (el) => el.scrollTo(0, 0));
    await until(async () => (await domRows(panel))[0] === (await readShownRows(panel))[0].url);
    const top = (await domRows(panel))[0];
    await fetches(page, 300, 40);
    await shown(panel, 340);
    expect((await domRows(panel))[0]).toBe(top);
    expect(await panel.$eval('[data-testid=entry-scroll]', (el) => el.scrollTop)).toBe(0);

    // A selected row stays selected as the list grows.
    const chosen = await clickRow(panel, (r) => r.url === rows[5].url);
    await until(() => panel.$eval('[data-testid=entry-detail] h2', (h, url) => h.textContent?.includes(url), chosen.url));
    await fetches(page, 340, 20);
    await shown(panel, 360);
    expect(await panel.$eval('[data-testid=entry-scroll] [role=row].selected', (r) => r.getAttribute('data-id'))).toBe(chosen.id);

    // Back at the end: following again.
    await panel.$eval('[data-testid=entry-scroll]', (el) => el.scrollTo(0, el.scrollHeight));
    await fetches(page, 360, 20);
    await shown(panel, 380);
    const newest = (await readShownRows(panel)).at(-1)!;
    await until(async () => (await domRows(panel)).includes(newest.url));

    // The list scrolls on the compositor (an opaque scroller, panel.css): following the newest
    // moves its layer and paints the rows that came in, not the whole panel again.
    const cdp = await panel.createCDPSession();
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-testid=entry-scroll]' });
    const { node } = await cdp.send('DOM.describeNode', { nodeId });
    // The tree as last reported (each report is whole); a scroll makes the next one.
    let tree: { layerId: string; backendNodeId?: number }[] = [];
    cdp.on('LayerTree.layerTreeDidChange', (e: { layers?: { layerId: string; backendNodeId?: number }[] }) => {
      if (e.layers) tree = e.layers;
    });
    await cdp.send('LayerTree.enable');
    const own = await until(async () => {
      await panel.$eval('[data-testid=entry-scroll]', (el) => el.scrollBy(0, el.scrollTop > 40 ? -20 : 20));
      const layers = tree.filter((l) => l.backendNodeId === node.backendNodeId);
      return layers.length > 0 && layers;
    });
    const reasons = await Promise.all(own.map(async (l) => (await cdp.send('LayerTree.compositingReasons', { layerId: l.layerId })).compositingReasons));
    expect(reasons.flat()).toContain('Is a scrollable overflow element using accelerated scrolling.');
    await cdp.detach();
    await panel.close();
    await page.close();
  }, 120_000);
});
