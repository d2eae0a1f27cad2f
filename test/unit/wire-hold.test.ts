import { describe, expect, it } from 'vitest';
import { createWireHold } from '../../src/shared/wire-hold';

/** A hold whose timer is fired by hand; what it emits, in order. */
function rig() {
  const out: [number, string[]][] = [];
  let fire: (() => void) | undefined;
  let timers = 0;
  const hold = createWireHold<string>(
    (tabId, recs) => out.push([tabId, recs]),
    100,
    (fn) => {
      timers++;
      fire = fn;
    },
  );
  return { hold, out, fire: () => fire?.(), timers: () => timers };
}

describe('wire hold: a request’s wire records go on together', () => {
  it('holds a request’s records until it completes, then hands them on as one', () => {
    const { hold, out } = rig();
    hold.take(1, 'r1', 'send', false);
    hold.take(1, 'r1', 'headers', false);
    expect(out).toEqual([]);
    hold.take(1, 'r1', 'completed', true);
    expect(out).toEqual([[1, ['send', 'headers', 'completed']]]);
  });

  it('keeps the order of first records: a request completing takes those held before it along first', () => {
    const { hold, out } = rig();
    hold.take(1, 'slow', 'send A', false);
    hold.take(1, 'fast', 'send B', false);
    hold.take(1, 'later', 'send C', false);
    hold.take(1, 'fast', 'completed B', true);
    // A (first sent) before B; C, sent after B, stays held.
    expect(out).toEqual([
      [1, ['send A']],
      [1, ['send B', 'completed B']],
    ]);
    hold.take(1, 'slow', 'completed A', true);
    expect(out.slice(2)).toEqual([[1, ['send C']], [1, ['completed A']]]);
  });

  it('releases everything held once its one timer fires, and starts a timer again for what comes next', () => {
    const { hold, out, fire, timers } = rig();
    hold.take(1, 'a', 'send a', false);
    hold.take(2, 'b', 'send b', false);
    expect(timers()).toBe(1);
    fire();
    expect(out).toEqual([[1, ['send a']], [2, ['send b']]]);
    hold.take(1, 'a', 'headers a', false);
    expect(timers()).toBe(2);
    hold.take(1, 'a', 'completed a', true);
    expect(out.slice(2)).toEqual([[1, ['headers a', 'completed a']]]);
  });

  it('gives a navigation its tab’s held records (in order) and nothing of other tabs', () => {
    const { hold, out } = rig();
    hold.take(1, 'a', 'send a', false);
    hold.take(2, 'b', 'send b', false);
    hold.take(1, 'c', 'send c', false);
    expect(hold.takeTab(1)).toEqual([['send a'], ['send c']]);
    expect(hold.takeTab(1)).toEqual([]);
    hold.take(2, 'b', 'completed b', true);
    expect(out).toEqual([[2, ['send b', 'completed b']]]);
  });

  it('a request id met in another tab: what the first tab held goes on as it is', () => {
    const { hold, out } = rig();
    hold.take(1, 'r', 'send', false);
    hold.take(2, 'r', 'headers', false);
    expect(out).toEqual([[1, ['send']]]);
    hold.take(2, 'r', 'completed', true);
    expect(out.slice(1)).toEqual([[2, ['headers', 'completed']]]);
  });
});
