import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickRow, openDetailTab, openPanelTab, pageDone, readRows, scaled, startEnv, until, type Env } from '../helpers/env';

describe('HTTP capture as the panel shows it', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('shows every case with the right status, and decodes bodies, progress and streams', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/panel-http.html`);
    await pageDone(page);
    const panel = await openPanelTab(env, await env.session.tabIdOf(page));
    const rows = await until(async () => {
      const r = (await readRows(panel)).filter((x) => x.url.includes('case='));
      return r.length >= 9 && r.every((x) => x.status !== '(pending)' && x.kind !== 'other') && r;
    });
    const byCase = Object.fromEntries(rows.map((r) => [/case=([a-z-]+)/.exec(r.url)![1], [r.kind, r.method, r.status]]));
    expect(byCase).toEqual({
      upload: ['xhr', 'POST', '200'],
      abort: ['fetch', 'GET', '(aborted)'],
      timeout: ['xhr', 'GET', '(timeout)'],
      'network-error': ['fetch', 'GET', '(failed)'],
      redirect: ['fetch', 'GET', '200'],
      sync: ['xhr', 'GET', '200'],
      iframe: ['fetch', 'GET', '200'],
      stream: ['fetch', 'GET', '200'],
      'json-parsed': ['xhr', 'GET', '200'],
    });

    const detail = async (caseName: string, tab: string) => {
      await clickRow(panel, (r) => r.url.includes(`case=${caseName}`));
      await until(() => panel.$(`[data-testid=entry-detail] [data-testid=tab-${tab}]`));
      await openDetailTab(panel, tab);
      return until(() =>
        panel.$eval('[data-testid=entry-detail]', (el) => ({
          text: el.textContent ?? '',
          lifecycle: [...el.querySelectorAll('[data-testid=lifecycle] li')].map((li) => li.textContent ?? ''),
          form: el.querySelector('[data-testid=body-request-body]')?.getAttribute('data-kind'),
          sse: [...el.querySelectorAll('[data-testid=sse-records] li.event')].map((li) => li.textContent ?? ''),
          reserialized: el.querySelector('[data-testid=body-reserialized]')?.textContent ?? undefined,
        })),
      );
    };
    const upload = await detail('upload', 'payload');
    expect(upload.form).toBe('form');
    expect(upload.text).toContain('photo.jpg');
    const uploadTiming = await detail('upload', 'timing');
    expect(uploadTiming.lifecycle.some((l) => l.includes('upload:progress') && l.includes('"total":'))).toBe(true);
    expect(uploadTiming.lifecycle.filter((l) => l.includes('readystatechange')).map((l) => /"readyState":(\d)/.exec(l)?.[1])).toEqual(['1', '2', '3', '4']);

    const stream = await until(async () => {
      const d = await detail('stream', 'preview');
      return d.sse.length === 3 && d;
    });
    expect(stream.sse[0]).toContain('line one of 1');
    expect(stream.sse[0]).toContain('line two');

    // A body that is the page's parsed value written again says so; bytes as sent say nothing.
    const parsed = await until(async () => {
      const d = await detail('json-parsed', 'preview');
      return d.reserialized !== undefined && d;
    });
    expect(parsed.reserialized).toContain('not the bytes sent');
    expect(parsed.text).toContain('55 B');
    expect((await detail('upload', 'preview')).reserialized).toBeUndefined();

    const redirect = await detail('redirect', 'headers');
    expect(redirect.text).toContain('redirected');
    await panel.close();
    await page.close();
  });
});
