import { describe, expect, it } from 'vitest';
import { createWireSwitch } from '../../src/background/wire-switch';
import type { WireMode } from '../../src/shared/wire-scope';

/** The switch over a registry of listener sets (what observeWebRequest registers): key → live. */
function rig(mode: WireMode) {
  const live = new Map<string, number>();
  let clock = 1_000;
  const panels = new Set<number>();
  const state = { mode };
  const wire = createWireSwitch({
    observe: (tabId) => {
      const key = tabId === undefined ? 'all' : String(tabId);
      live.set(key, (live.get(key) ?? 0) + 1);
      return () => live.set(key, live.get(key)! - 1);
    },
    mode: () => state.mode,
    panelTabs: () => panels,
    panelOpen: (tabId) => panels.has(tabId),
    now: () => clock,
  });
  const registered = () => [...live].filter(([, n]) => n > 0).map(([k, n]) => (n === 1 ? k : `${k}×${n}`)).sort();
  return { wire, panels, state, registered, tick: (ms: number) => (clock += ms) };
}

describe('the wire switch', () => {
  it('starts with every tab, narrows to the panel tabs once the mode is read, and follows the panels', () => {
    const r = rig('panel');
    expect(r.registered()).toEqual(['all']);
    // Before the mode is read every event is kept (decided again once it is).
    expect(r.wire.keeps(4)).toBe(true);
    r.wire.start();
    expect(r.registered()).toEqual([]);
    expect(r.wire.keeps(4)).toBe(false);
    r.panels.add(4);
    r.tick(500);
    r.wire.update();
    expect(r.registered()).toEqual(['4']);
    expect([r.wire.keeps(4), r.wire.keeps(5)]).toEqual([true, false]);
    expect(r.wire.state(4)).toEqual({ mode: 'panel', since: 1_500 });
    r.panels.delete(4);
    r.wire.update();
    r.wire.update();
    expect(r.registered()).toEqual([]);
  });

  it('in always mode keeps the first registration: all along, or since always began in this browser session', () => {
    const r = rig('always');
    r.wire.start();
    expect(r.registered()).toEqual(['all']);
    expect(r.wire.state(9)).toEqual({ mode: 'always', since: undefined });
    const again = rig('always');
    again.wire.start(700);
    expect(again.wire.state(9)).toEqual({ mode: 'always', since: 700 });
  });

  it('switched at run time: every tab from then on, and back to the panel tabs, never registered twice', () => {
    const r = rig('panel');
    r.wire.start();
    r.panels.add(2);
    r.wire.update();
    r.state.mode = 'always';
    r.tick(100);
    r.wire.update();
    expect(r.registered()).toEqual(['all']);
    expect(r.wire.state(3)).toEqual({ mode: 'always', since: 1_100 });
    r.state.mode = 'panel';
    r.wire.update();
    expect(r.registered()).toEqual(['2']);
    // A tab no panel can be open on (-1): seen from now on only.
    expect(r.wire.state(-1)).toEqual({ mode: 'panel', since: 1_100 });
  });

  it('a tab seen without a gap across a switch keeps its start: its panel’s, or every tab’s', () => {
    const r = rig('panel');
    r.wire.start();
    r.panels.add(2);
    r.wire.update();
    expect(r.wire.state(2).since).toBe(1_000);
    r.tick(100);
    r.state.mode = 'always';
    r.wire.update();
    // Seen since its panel opened, not since the switch; a tab without a panel since the switch.
    expect([r.wire.state(2).since, r.wire.state(3).since]).toEqual([1_000, 1_100]);
    r.tick(100);
    r.panels.add(3);
    r.state.mode = 'panel';
    r.wire.update();
    expect(r.registered()).toEqual(['2', '3']);
    expect([r.wire.state(2).since, r.wire.state(3).since]).toEqual([1_000, 1_100]);
    // Its panel closed and opened again: a gap, so from then on.
    r.panels.delete(2);
    r.wire.update();
    r.tick(100);
    r.panels.add(2);
    r.wire.update();
    expect(r.wire.state(2).since).toBe(1_300);
  });

  it('before the mode is read, no tab is claimed seen all along (reported by helper-47)', () => {
    const r = rig('panel');
    r.panels.add(5);
    expect(r.wire.state(5).since).toBe(1_000);
  });

  it('at the start in panel mode, a panel tab is seen from then on (the first registration only bridged the start)', () => {
    const r = rig('panel');
    r.panels.add(5);
    r.tick(50);
    r.wire.start(700);
    expect(r.registered()).toEqual(['5']);
    expect(r.wire.state(5).since).toBe(1_050);
  });
});
