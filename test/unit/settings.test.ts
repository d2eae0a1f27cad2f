import { describe, expect, it } from 'vitest';
import { DEFAULT_BODY_CAP, MAX_BODY_CAP, readSettings, validBodyCap } from '../../src/shared/settings';

describe('settings', () => {
  it('reads what storage holds, falling back to the default for anything out of bounds', () => {
    expect(readSettings(undefined)).toEqual({ bodyCap: DEFAULT_BODY_CAP });
    expect(readSettings({ bodyCap: 4096 })).toEqual({ bodyCap: 4096 });
    expect(readSettings({ bodyCap: 0 })).toEqual({ bodyCap: 0 });
    expect(readSettings({ bodyCap: MAX_BODY_CAP })).toEqual({ bodyCap: MAX_BODY_CAP });
    for (const bad of [MAX_BODY_CAP + 1, -1, 1.5, '4096', NaN, Infinity, null]) expect(readSettings({ bodyCap: bad })).toEqual({ bodyCap: DEFAULT_BODY_CAP });
    expect(readSettings('junk')).toEqual({ bodyCap: DEFAULT_BODY_CAP });
  });

  it('accepts body caps from 0 to 32 MiB in whole bytes', () => {
    expect([validBodyCap(0), validBodyCap(32 * 1024 * 1024), validBodyCap(32 * 1024 * 1024 + 1), validBodyCap(-1)]).toEqual([true, true, false, false]);
  });
});
