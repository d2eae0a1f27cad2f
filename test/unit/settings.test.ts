import { describe, expect, it } from 'vitest';
import { DEFAULT_BODY_CAP, DEFAULT_TAB_BUDGET, MAX_BODY_CAP, MAX_TAB_BUDGET, MIN_TAB_BUDGET, readSettings, validBodyCap, validTabBudget } from '../../src/shared/settings';

const defaults = { tabBudget: DEFAULT_TAB_BUDGET, preserveLog: false, wire: 'panel' };

describe('settings', () => {
  it('reads what storage holds, falling back to the default for anything out of bounds', () => {
    expect(readSettings(undefined)).toEqual({ bodyCap: DEFAULT_BODY_CAP, ...defaults });
    expect(readSettings({ bodyCap: 4096 })).toEqual({ bodyCap: 4096, ...defaults });
    expect(readSettings({ bodyCap: 0 })).toEqual({ bodyCap: 0, ...defaults });
    expect(readSettings({ bodyCap: MAX_BODY_CAP })).toEqual({ bodyCap: MAX_BODY_CAP, ...defaults });
    for (const bad of [MAX_BODY_CAP + 1, -1, 1.5, '4096', NaN, Infinity, null]) expect(readSettings({ bodyCap: bad })).toEqual({ bodyCap: DEFAULT_BODY_CAP, ...defaults });
    expect(readSettings('junk')).toEqual({ bodyCap: DEFAULT_BODY_CAP, ...defaults });
  });

  it('accepts body caps from 0 to 32 MiB in whole bytes', () => {
    expect([validBodyCap(0), validBodyCap(32 * 1024 * 1024), validBodyCap(32 * 1024 * 1024 + 1), validBodyCap(-1)]).toEqual([true, true, false, false]);
  });

  it('reads the per-tab budget (1 MiB … 4 GiB, default 64 MiB) and preserve log (default off)', () => {
    expect(DEFAULT_TAB_BUDGET).toBe(64 * 1024 * 1024);
    expect(readSettings({ tabBudget: 128 * 1024 * 1024, preserveLog: true })).toEqual({ bodyCap: DEFAULT_BODY_CAP, tabBudget: 128 * 1024 * 1024, preserveLog: true, wire: 'panel' });
    for (const bad of [MIN_TAB_BUDGET - 1, MAX_TAB_BUDGET + 1, 1.5 * 1024 * 1024 + 0.5, '64', null]) expect(readSettings({ tabBudget: bad }).tabBudget).toBe(DEFAULT_TAB_BUDGET);
    expect(readSettings({ preserveLog: 'yes' }).preserveLog).toBe(false);
  });

  it('reads the wire mode: `panel` (the default) or `always`', () => {
    expect([readSettings({ wire: 'always' }).wire, readSettings({ wire: 'panel' }).wire]).toEqual(['always', 'panel']);
    for (const bad of ['ALWAYS', 'never', 1, null, undefined]) expect(readSettings({ wire: bad }).wire).toBe('panel');
    expect([validTabBudget(MIN_TAB_BUDGET), validTabBudget(MAX_TAB_BUDGET), validTabBudget(0)]).toEqual([true, true, false]);
  });
});
