import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../src/shared/timeline';
import { comparedPages } from './pair';

describe('script elements inserted by script, with and without netlens', () => {
  const scene = comparedPages(['common', 'scripts']);

  const same = scene.same;

  it('async=false scripts run in insertion order; async and defer reflect as without netlens', async () => {
    const plain = await same('S.scrOrdered()');
    expect(plain.order.map((p: { name: string }) => p.name)).toEqual(['o1', 'o2', 'o3']);
    expect(plain.props[0]).toEqual({ before: [true, false], after: [false, false, false] });
    expect(plain.events.slice(0, 5)).toEqual(['document:load:o1', 'o1:onload:1:true:false:false', 'o1:load', 'document:load:o2', 'o2:onload:1:true:false:false']);
  });

  it('document.currentScript inside inline, external and module scripts', async () => {
    const plain = await same('S.scrCurrentScript()');
    expect(plain.inline).toBe(true);
    expect(plain.module).toBe('null');
    expect(plain.external.ran[0]).toMatchObject({ currentIsScript: true, connected: true });
    expect(plain.outside).toBe(null);
  });

  it('onload/onerror and listeners in order for 404, 500, network errors, syntax errors', async () => {
    const plain = await same('S.scrFailures()');
    expect(plain.notFound.events).toEqual(['window:error:nf', 'document:error:nf', 'nf:onerror:Event:true:false', 'nf:error']);
    expect(plain.syntaxError.events.at(-1)).toBe('sx:load');
    expect(plain.errors.length).toBe(1);
  });

  it('every insertion method runs a created script once, with load', async () => {
    const plain = await same('S.scrInsertions()');
    for (const [how, r] of Object.entries(plain) as [string, { ran: unknown[]; events: string[] }][]) {
      // In a shadow tree document.currentScript is null: the probe cannot name itself.
      expect(r.ran, how).toHaveLength(how.startsWith('shadow') ? 0 : 1);
      expect(r.events.at(-1), how).toMatch(/:load$/);
    }
  });

  it('parsed scripts: innerHTML ones never run, createContextualFragment and document.write ones do', async () => {
    const plain = await same('S.scrParsed()');
    expect(plain.innerHTML).toEqual({ inlineRan: false, scripts: 2 });
    expect(plain.contextualInline).toBe(1);
    expect(plain.contextual.ran).toHaveLength(1);
    expect(plain.write.ran).toHaveLength(1);
    expect(plain.innerRanLater).toBe(0);
  });

  it('netlens saw the scripts, without a single failure of its own', async () => {
    const timeline = createTimeline();
    const tabId = await scene.pair.env.session.tabIdOf(scene.pages[0]);
    for (const r of await scene.pair.env.session.records(tabId)) timeline.apply(r);
    expect(timeline.entries().filter((e) => e.kind === 'script').length).toBeGreaterThan(10);
    expect(timeline.captureErrors).toBe(0);
    // The innerHTML script was never even requested, by either browser.
    expect(scene.pair.env.servers.log.filter((r) => r.url.includes('name=p-inner'))).toEqual([]);
  });
});
