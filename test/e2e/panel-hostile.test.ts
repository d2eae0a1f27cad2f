import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickRow, openDetailTab, openPanelTab, readShownRows, scaled, startEnv, until, type Env } from '../helpers/env';

/** Markup and URLs that set `__pwned` on whatever window runs them. */
const SCRIPT = '<script>window.__pwned = "script"; top.__pwned = "script"</script>';
const IMG = '<img src=x onerror="window.__pwned = \'img\'; top.__pwned = \'img\'">';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned = \'svg\'"><script>window.__pwned = "svg-script"</script></svg>';
const JS_URL = 'javascript:window.__pwned="url";top.__pwned="url"';
const ALL = `${SCRIPT}${IMG}${SVG} ${JS_URL}`;
const MIB = 1024 * 1024;

/** Every tab of the open detail, every body mode, every message row and every copy, once; each step's time, ms (for the log). */
async function visitEverything(panel: Page, steps: Record<string, number>): Promise<string[]> {
  const timed = async (name: string, step: () => Promise<unknown>) => {
    const t0 = Date.now();
    await step();
    steps[name] = Math.max(steps[name] ?? 0, Date.now() - t0);
  };
  const tabs = await panel.$$eval('[data-testid=entry-detail] [role=tab]', (els) => els.map((t) => t.getAttribute('data-testid')!.replace(/^tab-/, '')));
  for (const tab of tabs) {
    await timed(`tab ${tab}`, () => openDetailTab(panel, tab));
    for (const mode of await panel.$$('[data-testid=entry-detail] .modes button')) await timed(`${tab} mode`, () => mode.click());
    const row = await panel.$('[data-testid=messages] li');
    if (row) {
      await row.click();
      await timed('message', () => panel.waitForSelector('[data-testid=message-full]'));
    }
  }
  for (const format of ['curl', 'fetch', 'node-fetch', 'har', 'response', 'url']) {
    await panel.click('[data-testid=copy-open]');
    await timed(`copy ${format}`, async () => {
      await panel.click(`[data-testid=copy-${format}]`);
      await panel.waitForFunction((label) => document.querySelector('[data-testid=copy-status]')?.textContent?.includes(label), {}, format === 'url' ? 'URL' : format === 'response' ? 'response' : format === 'har' ? 'HAR' : format === 'curl' ? 'cURL' : 'fetch');
    });
  }
  return tabs;
}

/** What must never be in the detail: live markup from a capture, handlers, javascript: links. */
const liveMarkup = (panel: Page) =>
  panel.$eval('[data-testid=entry-detail]', (d) => ({
    elements: [...d.querySelectorAll('script, iframe, object, embed, frame, link, style, a[href], svg:not(figure.progress svg), img:not([data-testid=image-preview])')].map((e) => e.outerHTML.slice(0, 80)),
    handlers: [...d.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
  }));

describe('hostile captured strings in every detail tab', () => {
  let env: Env;
  let page: Page;
  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/compliance-blank.html`);
    await page.evaluate(
      async (all, svg, jsUrl, mib) => {
        const q = (body: string, type: string) => `/api/reflect?type=${encodeURIComponent(type)}&body=${encodeURIComponent(body)}&header=${encodeURIComponent(all.replace(/[\r\n]/g, ' '))}`;
        await fetch(q(`<!doctype html><body>${all}</body>`, 'text/html')).then((r) => r.text());
        await fetch(q(svg, 'image/svg+xml')).then((r) => r.text());
        await fetch(q(JSON.stringify({ [all]: all, nested: { [jsUrl]: [all] } }), 'application/json')).then((r) => r.text());
        const delta = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`;
        await fetch(q(`${delta(all)}event: ${all}\ndata: ${all}\nid: ${all}\n\n${delta(jsUrl)}data: [DONE]\n\n`, 'text/event-stream')).then((r) => r.text());
        await fetch(jsUrl).catch(() => undefined);
        await fetch(`/api/echo?q=${encodeURIComponent(all)}`, { method: 'POST', headers: { 'X-Evil': all.replace(/[\r\n]/g, ' ') }, body: all.repeat(Math.ceil(mib / all.length)).slice(0, mib) }).then((r) => r.text());
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/hostile`);
        await new Promise((r) => (ws.onopen = r));
        let got = 0;
        const echoed = new Promise((r) => (ws.onmessage = () => ++got === 3 && r(undefined)));
        ws.send(all);
        ws.send(JSON.stringify({ [all]: jsUrl }));
        ws.send('x'.repeat(mib));
        await echoed;
        ws.close(4000, all.slice(0, 100));
      },
      ALL,
      SVG,
      JS_URL,
      MIB,
    );
  }, scaled(90_000));
  afterAll(async () => {
    await env?.close();
  });

  it('renders <script>, <img onerror>, SVG, javascript: URLs and 1 MiB strings as text: nothing runs, the panel stays responsive', async () => {
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    const rows = await until(async () => {
      const r = await readShownRows(panel);
      return r.length >= 7 && r.some((x) => x.kind === 'websocket' && x.status === '101') && r;
    });
    const visited: Record<string, string[]> = {};
    const steps: Record<string, number> = {};
    for (const row of rows) {
      await clickRow(panel, (r) => r.id === row.id);
      await panel.waitForSelector('[data-testid=entry-detail]');
      visited[row.url.slice(0, 60)] = await visitEverything(panel, steps);
      expect(await liveMarkup(panel)).toEqual({ elements: [], handlers: [] });
      expect(await panel.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    }
    // Every kind of hostile entry had its tabs drawn: bodies, messages, payloads.
    const tabsSeen = new Set(Object.values(visited).flat());
    for (const tab of ['headers', 'payload', 'preview', 'response', 'messages', 'timing', 'initiator']) expect(tabsSeen).toContain(tab);
    // The hostile text is there, as text.
    await clickRow(panel, (r) => r.url.includes('type=text%2Fhtml'));
    await openDetailTab(panel, 'response');
    await panel.click('[data-testid=body-response-body-mode-source]');
    expect(await panel.$eval('[data-testid=body-source]', (el) => el.textContent)).toContain(SCRIPT);
    await clickRow(panel, (r) => r.url.includes('type=text%2Fevent-stream'));
    await openDetailTab(panel, 'preview');
    expect(await panel.$eval('[data-testid=llm-text]', (el) => el.textContent)).toBe(`${ALL}${JS_URL}`);
    // Responsive: a click still answers at once, and the page netlens watches was not touched either.
    await openDetailTab(panel, 'headers');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await panel.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    console.log(`hostile detail, slowest time per step over all entries (ms): ${JSON.stringify(steps)}`);
    await panel.close();
  }, scaled(120_000));
});
