import { describe, expect, it } from 'vitest';
import { createDrops } from '../../src/content/page/drops';

const slice = (s: string, a: number, b: number) => s.slice(a, b);

describe('drops (what the page script could not hand over, reported at the next flush)', () => {
  it('reports nothing while nothing was dropped', () => {
    expect(createDrops(20_000, slice).report()).toBeUndefined();
  });

  it('counts by reason: the total as a number, and one message that starts with it', () => {
    const full = createDrops(20_000, slice);
    for (let i = 0; i < 4000; i++) full.full();
    expect(full.report()).toEqual({ count: 4000, message: '4000 page events dropped: the queue was full (20000 waiting)' });

    const lost = createDrops(20_000, slice);
    lost.lost(1, "DataCloneError: Failed to execute 'postMessage' on 'MessagePort'");
    expect(lost.report()).toEqual({ count: 1, message: "1 page event dropped: they could not be sent (DataCloneError: Failed to execute 'postMessage' on 'MessagePort')" });

    const both = createDrops(3, slice);
    both.full();
    both.full();
    both.lost(5, 'first');
    both.lost(2, 'last');
    expect(both.report()).toEqual({ count: 9, message: '9 page events dropped: 2 with the queue full (3 waiting), 7 that could not be sent (last)' });
  });

  it('keeps counting until a report went out, then starts over', () => {
    const drops = createDrops(10, slice);
    drops.full();
    expect(drops.report()).toEqual({ count: 1, message: '1 page event dropped: the queue was full (10 waiting)' });
    // The batch carrying that report could not be posted: it and the events with it are added.
    drops.lost(2, 'DataCloneError: x');
    expect(drops.report()).toEqual({ count: 3, message: '3 page events dropped: 1 with the queue full (10 waiting), 2 that could not be sent (DataCloneError: x)' });
    drops.reported();
    expect(drops.report()).toBeUndefined();
  });

  it('bounds the error text it carries', () => {
    const drops = createDrops(10, slice);
    drops.lost(1, 'x'.repeat(5000));
    expect(drops.report()!.message.length).toBeLessThan(300);
  });
});
