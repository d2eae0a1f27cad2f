import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, clickRow, openDetailTab, openPanelTab, readShownRows, scaled, startEnv, until, type Env, type ShownRow } from '../helpers/env';

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
/** Where the screenshots go for a human look (gitignored). */
const SHOTS = join(ROOT, 'test-results/screenshots');

const tabsShown = (panel: Page) => panel.$$eval('[data-testid=entry-detail] [role=tab]', (tabs) => tabs.map((t) => t.getAttribute('data-testid')!.replace(/^tab-/, '')));
const shownTab = (panel: Page) => panel.$eval('[data-testid=entry-detail]', (d) => d.getAttribute('data-tab'));

/** Selects the row and waits for its detail to show this entry. */
async function select(panel: Page, match: (r: ShownRow) => boolean): Promise<ShownRow> {
  const row = await clickRow(panel, match);
  await until(() => panel.$eval('[data-testid=entry-detail] h2', (h, url) => h.textContent?.includes(url), row.url));
  return row;
}

describe('entry detail: tabs, copy, previews, streams, themes', () => {
  let env: Env;
  let page: Page;
  let panel: Page;
  beforeAll(async () => {
    env = await startEnv();
    page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/compliance-blank.html`);
    await page.evaluate(
      async (png, b) => {
        const read = async (r: Response) => {
          const reader = r.body!.getReader();
          while (!(await reader.read()).done);
        };
        await fetch('/api/echo?user=ann&tags=a&tags=b', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Trace': "it's $HOME `id` \\ naïve" },
          body: JSON.stringify({ name: 'lens', nested: { n: 1, list: [true, null] } }),
        }).then((r) => r.text());
        await new Promise((resolve) => {
          const form = new FormData();
          form.append('title', 'holiday');
          form.append('photo', new File([new Uint8Array(300)], 'photo.jpg', { type: 'image/jpeg' }));
          const x = new XMLHttpRequest();
          x.open('POST', '/api/upload');
          x.onloadend = resolve;
          x.send(form);
        });
        const multipart = ['--XyZ', 'Content-Disposition: form-data; name="note"', '', 'hello', '--XyZ', 'Content-Disposition: form-data; name="doc"; filename="a.bin"', 'Content-Type: application/octet-stream', '', 'BIN', '--XyZ--', ''].join('\r\n');
        await fetch('/api/upload?raw=multipart', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: multipart }).then((r) => r.text());
        await fetch('/api/items').then((r) => r.json());
        await fetch(`/api/reflect?type=image/png&b64=${encodeURIComponent(png)}`).then((r) => r.arrayBuffer());
        await fetch('/api/llm?shape=openai').then(read);
        await fetch('/api/llm?shape=anthropic').then(read);
        await fetch(`${b}/api/echo?acao=${encodeURIComponent(location.origin)}&aceh=x-secret-header`).then((r) => r.text());
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/detail-ws`);
        await new Promise((r) => (ws.onopen = r));
        let got = 0;
        const all = new Promise((r) => (ws.onmessage = () => ++got === 3 && r(undefined)));
        ws.send(JSON.stringify({ op: 'subscribe', topic: 'prices' }));
        ws.send('plain text');
        ws.send(JSON.stringify({ op: 'ping' }));
        await all;
        ws.close(1000, 'done');
      },
      PNG,
      env.servers.b,
    );
    panel = await openPanelTab(env, await env.session.tabIdOf(page));
    await until(async () => {
      const rows = await readShownRows(panel);
      return rows.some((r) => r.kind === 'websocket' && r.status === '101') && rows.filter((r) => r.url.includes('/api/llm') && r.status === '200').length === 2 && rows;
    });
  }, scaled(90_000));
  afterAll(async () => {
    await env?.close();
  });

  it('shows only the tabs that apply, and remembers the chosen one across entries', async () => {
    await select(panel, (r) => r.url.endsWith('/api/items'));
    const plain = await tabsShown(panel);
    expect(plain).toEqual(expect.arrayContaining(['headers', 'preview', 'response', 'timing']));
    expect(plain).not.toContain('messages');
    expect(plain).not.toContain('payload');
    expect(plain).not.toContain('cors');
    await select(panel, (r) => r.kind === 'websocket');
    expect(await tabsShown(panel)).toContain('messages');
    expect(await tabsShown(panel)).not.toContain('preview');

    await select(panel, (r) => r.url.includes('user=ann'));
    await openDetailTab(panel, 'payload');
    await select(panel, (r) => r.url.endsWith('/api/items'));
    expect(await shownTab(panel)).toBe('headers'); // no Payload here
    await select(panel, (r) => r.url.endsWith('/api/upload'));
    expect(await shownTab(panel)).toBe('payload'); // the choice came back
    await openDetailTab(panel, 'headers');
  });

  it('Headers: general facts, page and wire headers, Access-Control-* highlighted', async () => {
    await select(panel, (r) => r.url.includes('aceh=x-secret-header'));
    await openDetailTab(panel, 'headers');
    const general = await until(() => panel.$eval('[data-testid=headers-general]', (el) => el.textContent ?? ''));
    expect(general).toContain('Request Method');
    expect(general).toContain('GET');
    expect(general).toMatch(/Status Code\s*200/);
    const highlighted = await panel.$$eval('[data-testid=response-headers] [data-cors-header] dt', (dts) => dts.map((d) => d.textContent!.toLowerCase()));
    expect(highlighted).toEqual(expect.arrayContaining(['access-control-allow-origin', 'access-control-expose-headers']));
    expect(await tabsShown(panel)).toContain('cors');
    await openDetailTab(panel, 'cors');
    expect(await panel.$eval('[data-testid=cors-view]', (el) => el.getAttribute('data-outcome'))).toBe('allowed');
  });

  it('Payload: query parameters, the JSON body as a tree, its source and hex; FormData with its file summarized', async () => {
    await select(panel, (r) => r.url.includes('user=ann'));
    await openDetailTab(panel, 'payload');
    const query = await panel.$eval('[data-testid=query-params]', (el) => [...el.querySelectorAll('tr')].map((tr) => tr.textContent));
    expect(query).toEqual(['userann', 'tagsa', 'tagsb']);
    expect(await panel.$eval('[data-testid=body-request-body]', (el) => el.getAttribute('data-kind'))).toBe('json');
    expect(await panel.$eval('[data-testid=json-tree]', (el) => el.textContent)).toContain('"lens"');
    await panel.click('[data-testid=body-request-body-mode-source]');
    expect(await panel.$eval('[data-testid=body-source]', (el) => el.textContent)).toBe('{"name":"lens","nested":{"n":1,"list":[true,null]}}');
    await panel.click('[data-testid=body-request-body-mode-hex]');
    expect(await panel.$eval('[data-testid=body-hex]', (el) => el.textContent)).toMatch(/^00000000\s+7b 22 6e 61/);

    await select(panel, (r) => r.url.endsWith('/api/upload?raw=multipart'));
    await openDetailTab(panel, 'payload');
    const parts = await panel.$$eval('[data-testid=multipart-parts] tr', (trs) => trs.map((tr) => ({ name: tr.querySelector('th')!.textContent, headers: tr.querySelector('[data-testid=part-headers]')?.textContent ?? '' })));
    expect(parts.map((p) => p.name)).toEqual(['note', 'doc']);
    expect(parts[1].headers).toContain('Content-Type: application/octet-stream');
    expect(parts[1].headers).toContain('filename="a.bin"');

    await select(panel, (r) => r.url.endsWith('/api/upload'));
    const form = await panel.$eval('[data-testid=body-request-body]', (el) => ({ kind: el.getAttribute('data-kind'), text: el.textContent ?? '' }));
    expect(form.kind).toBe('form');
    expect(form.text).toContain('holiday');
    expect(form.text).toMatch(/photo\.jpg · image\/jpeg · 300 B/);
  });

  it('Preview: an image drawn from its recorded bytes; Response: raw and hex', async () => {
    await select(panel, (r) => r.url.includes('/api/reflect?type=image/png'));
    await openDetailTab(panel, 'preview');
    const img = await until(() => panel.$eval('[data-testid=image-preview]', (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0 && { w: (el as HTMLImageElement).naturalWidth, src: (el as HTMLImageElement).src.slice(0, 22) }));
    expect(img).toEqual({ w: 1, src: 'data:image/png;base64,' });
    await openDetailTab(panel, 'response');
    expect(await panel.$eval('[data-testid=body-hex]', (el) => el.textContent)).toMatch(/^00000000\s+89 50 4e 47/);
  });

  it('Preview of a streamed LLM response: the assembled text and the time to the first and last chunk', async () => {
    for (const [shape, text, provider] of [['openai', 'Hello from a model.', 'openai-chat'], ['anthropic', 'Bonjour le monde', 'anthropic']]) {
      await select(panel, (r) => r.url.endsWith(`/api/llm?shape=${shape}`));
      await openDetailTab(panel, 'preview');
      const llm = await until(() =>
        panel.$eval('[data-testid=llm-stream]', (el) => ({
          provider: el.getAttribute('data-provider'),
          text: el.querySelector('[data-testid=llm-text]')!.textContent,
          facts: el.querySelector('[data-testid=llm-facts]')!.textContent ?? '',
        })),
      );
      expect(llm.provider).toBe(provider);
      expect(llm.text).toBe(text);
      expect(llm.facts).toMatch(/first chunk after \d+ ms · last after [\d.]+ m?s · finished/);
      // The tokens the API reported (the OpenAI-style stream's last chunk).
      expect(llm.facts.includes('tokens: 12 in, 5 out')).toBe(shape === 'openai');
      // Anthropic's tool_use block, its input assembled from the pieces; none in the other.
      const tools = await panel.$$eval('[data-testid=llm-tool-calls] li', (items) => items.map((li) => [li.querySelector('b')!.textContent, li.querySelector('pre')!.textContent]));
      expect(tools).toEqual(shape === 'anthropic' ? [['get_weather', '{"city": "Paris"}']] : []);
      // Its thinking, apart from the answer.
      expect(await panel.$$eval('[data-testid=llm-thinking] pre', (els) => els.map((el) => el.textContent))).toEqual(shape === 'anthropic' ? ['In French, then.'] : []);
    }
    // Its chunks make a download curve.
    await openDetailTab(panel, 'timing');
    expect(Number(await panel.$eval('[data-testid=progress-download]', (el) => el.getAttribute('data-points')))).toBeGreaterThan(0);
  });

  it('Messages: filter by direction and text; the chosen message decoded as a tree', async () => {
    await select(panel, (r) => r.kind === 'websocket');
    await openDetailTab(panel, 'messages');
    const count = () => panel.$eval('[data-testid=messages]', (el) => Number(el.getAttribute('data-count')));
    await until(async () => (await count()) === 6);
    await panel.select('[data-testid=message-direction]', 'send');
    await until(async () => (await count()) === 3);
    await panel.type('[data-testid=message-filter]', 'subscribe');
    await until(async () => (await count()) === 1);
    await panel.click('[data-testid=messages] li');
    const decoded = await until(() => panel.$eval('[data-testid=message-decoded]', (el) => ({ kind: el.getAttribute('data-kind'), text: el.textContent ?? '' })));
    expect(decoded.kind).toBe('json');
    expect(decoded.text).toContain('"prices"');
    await openDetailTab(panel, 'timing');
    expect(await panel.$eval('[data-testid=ws-close]', (el) => el.textContent)).toBe('Closed by page: code 1000 “done”');
  });

  it('copies as cURL to the clipboard, and real curl replays it to the same server with the same headers and body', async () => {
    await env.session.browser.defaultBrowserContext().overridePermissions(`chrome-extension://${env.session.extensionId}`, ['clipboard-read', 'clipboard-sanitized-write']);
    await select(panel, (r) => r.url.includes('user=ann'));
    await panel.bringToFront();
    await panel.click('[data-testid=copy-open]');
    await panel.click('[data-testid=copy-curl]');
    expect(await until(() => panel.$eval('[data-testid=copy-status]', (el) => el.getAttribute('data-ok')))).toBe('true');
    const command = await panel.evaluate(() => navigator.clipboard.readText());
    expect(command).toMatch(/^curl '/m);
    // Asynchronously: the server answering curl runs in this process.
    const run = await promisify(execFile)('bash', ['-c', `${command} --silent --show-error`], { encoding: 'utf8', timeout: scaled(10_000) });
    expect(run.stderr).toBe('');
    const echo = JSON.parse(run.stdout);
    expect(echo).toMatchObject({ method: 'POST', query: { user: 'ann', tags: 'b' }, body: '{"name":"lens","nested":{"n":1,"list":[true,null]}}' });
    expect(echo.headers['x-trace']).toBe("it's $HOME `id` \\ naïve");
    expect(echo.headers['content-type']).toBe('application/json');

    await panel.click('[data-testid=copy-open]');
    await panel.click('[data-testid=copy-url]');
    await until(async () => (await panel.evaluate(() => navigator.clipboard.readText())).endsWith('user=ann&tags=a&tags=b'));
  });

  it("copies as a HAR entry redacted with the names typed for the export, remembered when the panel opens again", async () => {
    await select(panel, (r) => r.url.includes('user=ann'));
    await panel.click('[data-testid=export-open]');
    await panel.type('[data-testid=export-rules]', 'x-trace');
    // Closed again (it lies over the detail's menu): the names stay.
    await panel.click('[data-testid=export-open]');
    await panel.waitForSelector('[data-testid=export-dialog]', { hidden: true });
    await panel.click('[data-testid=copy-open]');
    await panel.click('[data-testid=copy-har]');
    const entry = JSON.parse(await until(async () => {
      const copied = await panel.evaluate(() => navigator.clipboard.readText());
      return copied.startsWith('{') && copied;
    }));
    const trace = entry.request.headers.find((h: { name: string }) => h.name.toLowerCase() === 'x-trace');
    expect(trace.value).toMatch(/^\[redacted/);
    expect(await panel.$eval('[data-testid=copy-status]', (el) => el.textContent)).toContain('so are the extra names x-trace');

    const again = await openPanelTab(env, await env.session.tabIdOf(page));
    await again.click('[data-testid=export-open]');
    expect(await again.$eval('[data-testid=export-rules]', (el) => (el as HTMLInputElement).value)).toBe('x-trace');
    await again.close();
  });

  it('saves screenshots of the list and of every tab, light and dark, wide and docked narrow', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const tabId = await env.session.tabIdOf(page);
    const cases: [string, (r: ShownRow) => boolean, string[]][] = [
      ['post', (r) => r.url.includes('user=ann'), ['headers', 'payload', 'preview', 'response', 'timing', 'initiator']],
      ['llm', (r) => r.url.endsWith('shape=openai'), ['preview', 'messages', 'timing']],
      ['ws', (r) => r.kind === 'websocket', ['messages', 'timing']],
      ['cors', (r) => r.url.includes('aceh='), ['cors', 'headers']],
      ['image', (r) => r.url.includes('type=image/png'), ['preview']],
    ];
    let saved = 0;
    for (const theme of ['light', 'dark']) {
      const view = await env.session.browser.newPage();
      for (const [width, label] of [[1200, 'wide'], [550, 'narrow']] as const) {
        await view.setViewport({ width, height: 700 });
        await view.goto(`chrome-extension://${env.session.extensionId}/src/devtools/panel.html?tabId=${tabId}&theme=${theme}`);
        await until(async () => (await readShownRows(view)).length >= 8);
        expect(await view.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await view.screenshot({ path: join(SHOTS, `list-${label}-${theme}.png`) });
        saved++;
        for (const [name, match, tabs] of cases) {
          await select(view, match);
          for (const tab of tabs) {
            if (!(await tabsShown(view)).includes(tab)) continue;
            await openDetailTab(view, tab);
            await view.screenshot({ path: join(SHOTS, `detail-${name}-${tab}-${label}-${theme}.png`) });
            saved++;
          }
        }
      }
      // Dark really is dark: the detail's background is not white.
      const bg = await view.$eval('[data-testid=entry-detail]', (el) => getComputedStyle(el).backgroundColor);
      if (theme === 'dark') expect(bg).not.toBe('rgb(255, 255, 255)');
      else expect(bg).toBe('rgb(255, 255, 255)');
      await view.close();
    }
    expect(saved).toBeGreaterThan(20);
  }, scaled(120_000));
});
