import { describe, expect, it } from 'vitest';
import type { WireEvent, PageEvent, TabRecord } from '../../src/shared/protocol';
import { createTimeline } from '../../src/shared/timeline';
import { createOrderedList, insertSorted } from '../../src/shared/timeline/start-order';
import { createWaitingLists } from '../../src/shared/timeline/waiting';

let seq = 0;
const page = (ev: PageEvent, frameUrl = 'http://a.test/'): TabRecord => ({ seq: ++seq, tabId: 1, frameId: 0, doc: 'd1', frameUrl, ev });
const net = (ev: Partial<WireEvent> & Pick<WireEvent, 'phase' | 'requestId' | 'url'>): TabRecord => ({
  seq: ++seq,
  tabId: 1,
  frameId: 0,
  ev: { type: 'wire', t: 10, method: 'GET', resourceType: 'xmlhttprequest', frameId: 0, ...ev },
});
const start = (id: string, url: string, t = 5, method = 'GET'): PageEvent => ({ type: 'start', id, t, kind: 'fetch', method, url, headers: [] });

describe('ordered list', () => {
  it('stays sorted through random inserts and removals, ties in insertion order', () => {
    const rank = new Map<object, number>();
    const list = createOrderedList<{ t: number; n: number }>((a, b) => a.t - b.t || rank.get(a)! - rank.get(b)!);
    const all: { t: number; n: number }[] = [];
    let rnd = 7;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) % 50;
    for (let n = 0; n < 2000; n++) {
      if (all.length && next() < 15) {
        const gone = all.splice(next() % all.length, 1)[0];
        expect(list.remove(gone)).toBe(true);
      } else {
        const item = { t: next(), n };
        rank.set(item, n);
        all.push(item);
        list.insert(item);
      }
    }
    const expected = [...all].sort((a, b) => a.t - b.t || a.n - b.n);
    expect(list.items).toEqual(expected);
    expect(list.remove({ t: 1, n: -1 })).toBe(false);
  });

  it('inserts in place in a long list, near its end (shifted by a loop) and far from it (by splice)', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => i * 2);
    const expected = [...items];
    // Odd numbers fall between the even ones: at the end, a little before it, in the middle, first.
    for (const x of [39_999, 39_991, 39_001, 30_001, 20_001, 1, -1, 39_997, 9_999]) {
      insertSorted(items, x, (a, b) => a - b);
      expected.push(x);
    }
    expect(items).toEqual(expected.sort((a, b) => a - b));
  });
});

describe('waiting lists', () => {
  it('hands out the first fitting id, drops stale ones, and bounds keys and lists', () => {
    const w = createWaitingLists(2, 2);
    w.push('k', 'a');
    w.push('k', 'b');
    w.push('k', 'c'); // 'a' goes: two per key
    expect(w.take('k', (id) => (id === 'b' ? 'stale' : 'yes'))).toBe('c');
    expect(w.take('k')).toBeUndefined();
    w.push('x', '1');
    w.push('y', '2');
    w.push('z', '3'); // 'x' goes: two keys
    expect([w.take('x'), w.take('y'), w.take('z')]).toEqual([undefined, '2', '3']);
  });

  it('past the key cap drops the oldest keys a sixteenth of the cap at once, and keeps the newest', () => {
    const w = createWaitingLists(64, 1);
    for (let i = 0; i <= 64; i++) w.push(`k${i}`, `id${i}`);
    // 65 keys: one over the cap, so the oldest 1 + 64/16 = 5 go.
    expect([0, 1, 2, 3, 4, 5].map((i) => w.take(`k${i}`))).toEqual([undefined, undefined, undefined, undefined, undefined, 'id5']);
    for (let i = 65; i < 10_000; i++) w.push(`k${i}`, `id${i}`);
    expect(w.take('k9999')).toBe('id9999');
    expect(w.take('k9936')).toBe('id9936');
    expect(w.take('k9000')).toBeUndefined();
  });
});

describe('timeline changes', () => {
  it('reports the ids each batch added, updated and removed', () => {
    const tl = createTimeline();
    tl.apply(net({ phase: 'send', requestId: 'r1', url: 'http://a.test/x' }));
    expect(tl.takeChanges()).toEqual({ changed: new Set(['wire:r1']), removed: new Set() });
    tl.apply(page(start('f-1', 'http://a.test/x', 9)));
    // The page entry absorbs the wire-only entry shown while it waited.
    expect(tl.takeChanges()).toEqual({ changed: new Set(['d1:f-1']), removed: new Set(['wire:r1']) });
    tl.apply(page(start('f-2', 'http://a.test/y', 1)));
    tl.apply(page({ type: 'end', id: 'f-1', t: 20, outcome: 'ok' }));
    expect(tl.takeChanges()).toEqual({ changed: new Set(['d1:f-2', 'd1:f-1']), removed: new Set() });
    expect(tl.takeChanges()).toEqual({ changed: new Set(), removed: new Set() });
    expect(tl.entries().map((e) => e.id)).toEqual(['d1:f-2', 'd1:f-1']);
  });

  it('marks both sides when a preflight pairs, and keeps start order as entries arrive out of order', () => {
    const tl = createTimeline();
    tl.apply(page(start('f-1', 'http://b.test/api', 30, 'PUT')));
    tl.takeChanges();
    tl.apply(net({ phase: 'send', requestId: 'p1', method: 'OPTIONS', url: 'http://b.test/api', t: 31, requestHeaders: [['Access-Control-Request-Method', 'PUT']] }));
    expect(tl.takeChanges().changed).toEqual(new Set(['wire:p1', 'd1:f-1']));
    expect(tl.get('d1:f-1')?.preflightId).toBe('wire:p1');
    for (const [id, t] of [['a', 3], ['b', 50], ['c', 3], ['d', 0]] as const) tl.apply(page(start(id, `http://a.test/${id}`, t)));
    expect(tl.entries().map((e) => e.id)).toEqual(['d1:d', 'd1:a', 'd1:c', 'd1:f-1', 'wire:p1', 'd1:b']);
  });

  it('keeps up to the configured number of messages per entry and counts the rest', () => {
    const tl = createTimeline({ maxMessagesPerEntry: 3 });
    tl.apply(page({ type: 'start', id: 'w', t: 1, kind: 'websocket', method: 'GET', url: 'ws://a.test/s', headers: [] }));
    for (let i = 0; i < 5; i++) tl.apply(page({ type: 'message', id: 'w', t: 2 + i, dir: 'receive', data: { encoding: 'text', data: `m${i}`, size: 2, truncated: false } }));
    const ws = tl.get('d1:w')!;
    expect([ws.messages.map((m) => m.data.data), ws.droppedMessages]).toEqual([['m0', 'm1', 'm2'], 2]);
  });
});
