import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planWire, wireKept, wireKeys, type WireKey } from '../../src/shared/wire-scope';

describe('wire scope', () => {
  it('asks for every tab in `always` mode, for the panel tabs (valid ids, once, ascending) in `panel` mode', () => {
    expect(wireKeys('always', [3, 1])).toEqual(['all']);
    expect(wireKeys('always', [])).toEqual(['all']);
    expect(wireKeys('panel', [])).toEqual([]);
    expect(wireKeys('panel', [7, 3, 7, -1, 1.5])).toEqual([3, 7]);
  });

  it('plans the additions and removals that turn the registrations in place into the desired ones', () => {
    expect(planWire(['all'], [3, 7])).toEqual({ add: [3, 7], remove: ['all'] });
    expect(planWire([3, 7], ['all'])).toEqual({ add: ['all'], remove: [3, 7] });
    expect(planWire([3], [3, 4])).toEqual({ add: [4], remove: [] });
    expect(planWire([3, 4], [4])).toEqual({ add: [], remove: [3] });
    expect(planWire([], [])).toEqual({ add: [], remove: [] });
  });

  it('applied one after another, plans always end at the desired registrations, each key registered once', () => {
    const key = fc.oneof(fc.constant<WireKey>('all'), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(key, { maxLength: 5 }), { maxLength: 8 }), (steps) => {
        let have: WireKey[] = ['all'];
        for (const want of steps) {
          const { add, remove } = planWire(have, want);
          for (const k of add) expect(have).not.toContain(k);
          for (const k of remove) expect(have).toContain(k);
          have = [...have.filter((k) => !remove.includes(k)), ...add];
          expect(new Set(have)).toEqual(new Set(want));
          expect(have.length).toBe(new Set(have).size);
        }
      }),
    );
  });

  it('keeps every wire event in `always` mode and before the mode is read, in `panel` mode those of panel tabs', () => {
    expect([wireKept('always', false), wireKept(undefined, false), wireKept('panel', true), wireKept('panel', false)]).toEqual([true, true, true, false]);
  });
});
