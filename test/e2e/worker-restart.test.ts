import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanelTab, pageDone, readRows, startEnv, until, type Env } from '../helpers/env';

describe('the MV3 service worker being stopped', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('loses nothing: records from before the stop are kept and capture goes on after it', async () => {
    const page = await env.session.browser.newPage();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const tabId = await env.session.tabIdOf(page);
    const panel = await openPanelTab(env, tabId);
    await until(async () => (await readRows(panel)).length >= 4);
    const before = await until(async () => {
      const r = await env.session.records(tabId);
      return r.length >= 30 && r;
    });
    const bootBefore = await env.session.workerBoot();
    // A call whose records reach the worker just before it stops, before they are written.
    await page.evaluate(() => fetch('/api/echo?just-before=stop'));
    await until(async () => (await env.session.records(tabId)).some((r) => r.ev.type === 'end' && r.ev.id && r.doc && r.seq > before[before.length - 1].seq));

    await env.session.stopWorker();
    // Calls made while the worker is stopped or waking: the relay keeps them until acknowledged.
    await page.evaluate(() => Promise.all([fetch('/api/echo?during=stop'), fetch('/api/echo?during=stop2')]));

    const after = await until(async () => {
      const r = await env.session.records(tabId);
      return r.filter((x) => x.ev.type === 'end').length >= before.filter((x) => x.ev.type === 'end').length + 3 && r;
    });
    expect(await env.session.workerBoot()).not.toBe(bootBefore);
    // Everything from before the stop is still there, unchanged, and nothing came twice.
    expect(after.slice(0, before.length)).toEqual(before);
    const starts = after.filter((r) => r.ev.type === 'start').map((r) => (r.ev.type === 'start' ? r.ev.url : ''));
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts.filter((u) => u.includes('during=stop'))).toHaveLength(2);
    expect(starts.filter((u) => u.includes('just-before=stop'))).toHaveLength(1);
    // The open panel re-attached by itself and shows the new calls, each once. (A request the wire
    // saw before its page records came is shown on its own meanwhile, then joined: a state to wait
    // for, not a moment to read.)
    const rows = await until(async () => {
      const r = await readRows(panel);
      return r.filter((x) => x.url.includes('during=stop') && x.status === '200').length === 2 && r.length === 7 && r;
    });
    expect(rows.filter((x) => x.url.includes('during=stop')).map((x) => x.url.split('?')[1]).sort()).toEqual(['during=stop', 'during=stop2']);
    await panel.close();
    await page.close();
  });
});
