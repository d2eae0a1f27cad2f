import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupLongPolling, groupsOfKey, runStart } from '../../src/shared/long-polling';
import type { Entry } from '../../src/shared/model';
import { createLongPollIndex } from '../../src/shared/panel-views/long-poll-index';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const URLS = ['http://a.test/poll?_=1', 'http://a.test/poll?_=2', 'http://a.test/other', 'http://b.test/poll'];

const entry = (id: string, url: string, start: number, end: number | undefined): Entry => ({
  id,
  tabId: 1,
  frameId: 0,
  kind: 'xhr',
  method: 'GET',
  url,
  startTime: T0 + start,
  endTime: end === undefined ? undefined : T0 + end,
  state: end === undefined ? 'pending' : 'done',
  request: { headers: [] },
  response: end === undefined ? undefined : { status: 200, statusText: 'OK', headers: [], body: { encoding: 'text', data: `msg@${end}`, size: 8, truncated: false } },
  lifecycle: [],
  messages: [],
  droppedMessages: 0,
});

type Op =
  | { type: 'add'; url: number; back: number; step: number; hold: number | null }
  | { type: 'end'; pick: number; hold: number }
  | { type: 'remove'; pick: number }
  | { type: 'redirect'; pick: number; url: number }
  | { type: 'method'; pick: number; method: string }
  | { type: 'kind'; pick: number; kind: Entry['kind'] }
  | { type: 'back'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('add' as const), url: fc.nat(URLS.length - 1), back: fc.oneof(fc.constant(0), fc.nat(8000)), step: fc.nat(2500), hold: fc.option(fc.nat(2500)) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('end' as const), pick: fc.nat(), hold: fc.nat(2500) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('remove' as const), pick: fc.nat() }) },
  // A worker's request redirected (deep capture): its entry takes the new URL.
  { weight: 1, arbitrary: fc.record({ type: fc.constant('redirect' as const), pick: fc.nat(), url: fc.nat(URLS.length - 1) }) },
  // A redirect that changes the method (303), a script found to be JSONP or the like.
  { weight: 1, arbitrary: fc.record({ type: fc.constant('method' as const), pick: fc.nat(), method: fc.constantFrom('GET', 'POST') }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('kind' as const), pick: fc.nat(), kind: fc.constantFrom<Entry['kind']>('xhr', 'jsonp', 'websocket') }) },
  // A removed id back, as a new object.
  { weight: 1, arbitrary: fc.record({ type: fc.constant('back' as const), pick: fc.nat() }) },
);

describe('long-poll index', () => {
  it('updated batch by batch (adds mostly at the end, ends, redirects, method and kind changes, removals, ids back, empty batches), equals groupLongPolling over everything', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 5 }), { minLength: 1, maxLength: 40 }), (batches) => {
        const arrival = new Map<Entry, number>();
        const compare = (a: Entry, b: Entry) => a.startTime - b.startTime || arrival.get(a)! - arrival.get(b)!;
        const index = createLongPollIndex(compare);
        const alive: Entry[] = [];
        const gone: Entry[] = [];
        let t = 0;
        let n = 0;
        for (const batch of batches) {
          const changed = new Map<string, Entry>();
          const removed = new Set<string>();
          for (const o of batch) {
            if (o.type === 'back') {
              // Not in the batch that removed it (the views hand a removal over first).
              const i = gone.findIndex((g) => !removed.has(g.id));
              if (i < 0) continue;
              const [g] = gone.splice(i, 1);
              const e = entry(g.id, URLS[o.pick % URLS.length], g.startTime, g.endTime);
              arrival.set(e, n++);
              alive.push(e);
              changed.set(e.id, e);
            } else if (o.type === 'add') {
              t += o.step;
              const start = Math.max(0, t - o.back);
              const e = entry(`e${n}`, URLS[o.url], start, o.hold === null ? undefined : start + o.hold);
              arrival.set(e, n++);
              alive.push(e);
              changed.set(e.id, e);
            } else if (alive.length) {
              const e = alive[o.pick % alive.length];
              if (o.type === 'end') {
                e.endTime = e.startTime + o.hold;
                e.state = 'done';
                changed.set(e.id, e);
              } else if (o.type === 'redirect') {
                e.url = URLS[o.url];
                changed.set(e.id, e);
              } else if (o.type === 'method') {
                e.method = o.method;
                changed.set(e.id, e);
              } else if (o.type === 'kind') {
                e.kind = o.kind;
                changed.set(e.id, e);
              } else {
                alive.splice(alive.indexOf(e), 1);
                gone.push(e);
                changed.delete(e.id);
                removed.add(e.id);
              }
            }
          }
          index.update(changed.values(), removed);
          const expected = new Map<string, unknown>();
          for (const g of groupLongPolling(alive)) for (const id of g.entryIds) expected.set(id, g);
          for (const e of alive) expect([e.id, index.groupOf(e.id)]).toEqual([e.id, expected.get(e.id)]);
          for (const id of removed) expect(index.groupOf(id)).toBeUndefined();
        }
      }),
      { numRuns: Number(process.env.PROPS_RUNS ?? 300) },
    );
  });

  it('an entry redirected to a key regrouped before its old one keeps its new group', () => {
    // Found by the property above (seed 739979537): regrouping the old key dropped the moved
    // entry's new group when the new key came first in the batch.
    const b = [0, 1, 2].map((i) => entry(`b${i}`, URLS[3], i * 1000, i * 1000 + 1000));
    const o0 = entry('o0', URLS[2], 0, 1000);
    const o2 = entry('o2', URLS[2], 2000, 3000);
    const index = createLongPollIndex((x, y) => x.startTime - y.startTime || (x.id < y.id ? -1 : 1));
    index.update([...b, o0, o2], []);
    expect(index.groupOf('b1')?.entryIds).toEqual(['b0', 'b1', 'b2']);
    b[1].url = URLS[2];
    index.update([o2, b[1]], []);
    expect(index.groupOf('b1')?.entryIds).toEqual(['o0', 'b1', 'o2']);
    expect(index.groupOf('b0')).toBeUndefined();
  });

  it('an entry whose method changed leaves its old key', () => {
    // A worker's POST redirected with a 303 goes on as a GET (deep capture's entry takes both).
    const polls = [0, 1, 2].map((i) => entry(`p${i}`, URLS[0], i * 1000, i * 1000 + 1000));
    const index = createLongPollIndex((x, y) => x.startTime - y.startTime);
    index.update(polls, []);
    expect(index.groupOf('p1')?.entryIds).toEqual(['p0', 'p1', 'p2']);
    polls[1].method = 'POST';
    index.update([polls[1]], []);
    expect([index.groupOf('p0'), index.groupOf('p1')]).toEqual([undefined, undefined]);
  });

  it('groups from a run start as the whole list does from there', () => {
    // Three sequential long polls, a break, four more: two groups.
    const list: Entry[] = [];
    for (let i = 0; i < 3; i++) list.push(entry(`a${i}`, URLS[0], i * 1600, i * 1600 + 1500));
    for (let i = 0; i < 4; i++) list.push(entry(`b${i}`, URLS[0], 20_000 + i * 1600, 20_000 + i * 1600 + 1500));
    const all = groupsOfKey('k', list);
    expect(all.map((g) => g.entryIds.length)).toEqual([3, 4]);
    expect(runStart(list, 5)).toBe(3);
    expect(runStart(list, 2)).toBe(0);
    expect(groupsOfKey('k', list, {}, runStart(list, 5))).toEqual([all[1]]);
  });
});
