import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupLongPolling, stableUrl } from '../../src/shared/long-polling';
import type { Entry } from '../../src/shared/model';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
let n = 0;
const entry = (url: string, start: number, end: number | undefined, over: Partial<Entry> = {}): Entry => ({
  id: `d:xhr-${++n}`,
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
  ...over,
});

/** Requests that each hang `hold` ms and follow the previous one after `gap` ms. */
const chain = (url: (i: number) => string, count: number, hold: number, gap: number, from = 0) => {
  const out: Entry[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    out.push(entry(url(i), t, t + hold));
    t += hold + gap;
  }
  return out;
};

describe('stableUrl', () => {
  it('drops cache busters, timestamps, sequence and cursor parameters, and sorts the rest', () => {
    expect(stableUrl('http://a.test/poll?_=1767268800000&channel=news&seq=4&cursor=abc&b=2')).toBe('http://a.test/poll?b=2&channel=news');
    expect(stableUrl('http://a.test/poll?ts=1.5&room=x')).toBe('http://a.test/poll?room=x');
    expect(stableUrl('http://a.test/poll?room=x&token=123456789')).toBe('http://a.test/poll?room=x');
    expect(stableUrl('http://a.test/poll?callback=jQuery123_456&room=x')).toBe('http://a.test/poll?room=x');
  });
});

describe('groupLongPolling', () => {
  it('groups ≥3 sequential held requests to one endpoint into a channel whose messages are the responses', () => {
    const polls = chain((i) => `http://a.test/poll?channel=news&_=${1767268800000 + i}`, 4, 1500, 20);
    const other = entry('http://a.test/api/items', 100, 130);
    const groups = groupLongPolling([other, ...polls]);
    expect(groups).toEqual([
      {
        key: 'GET http://a.test/poll?channel=news',
        entryIds: polls.map((e) => e.id),
        messages: polls.map((e) => ({ t: e.endTime, entryId: e.id, status: 200, body: e.response!.body })),
      },
    ]);
  });

  it('keeps the request still hanging in the group but not as a message, and skips empty answers', () => {
    const polls = chain(() => 'http://a.test/poll', 3, 2000, 5);
    polls[1].response = { status: 204, statusText: 'No Content', headers: [] };
    const hanging = entry('http://a.test/poll', 3 * 2005, undefined);
    const [group] = groupLongPolling([...polls, hanging]);
    expect(group.entryIds).toEqual([...polls, hanging].map((e) => e.id));
    expect(group.messages.map((m) => m.entryId)).toEqual([polls[0].id, polls[2].id]);
  });

  it('does not group plain polling: short answers with long waits between them', () => {
    expect(groupLongPolling(chain(() => 'http://a.test/status', 6, 30, 5000))).toEqual([]);
  });

  it('does not group a burst of quick requests (pagination), nor overlapping parallel ones', () => {
    expect(groupLongPolling(chain((i) => `http://a.test/page?offset=${i * 10}`, 5, 40, 2))).toEqual([]);
    const parallel = [0, 1, 2, 3].map((i) => entry('http://a.test/poll', i * 10, 3000 + i * 10));
    expect(groupLongPolling(parallel)).toEqual([]);
  });

  it('needs at least three in a row; a long pause splits runs', () => {
    expect(groupLongPolling(chain(() => 'http://a.test/poll', 2, 3000, 10))).toEqual([]);
    const first = chain(() => 'http://a.test/poll', 3, 3000, 10);
    const second = chain(() => 'http://a.test/poll', 3, 3000, 10, 60_000);
    const groups = groupLongPolling([...second, ...first]);
    expect(groups.map((g) => g.entryIds)).toEqual([first.map((e) => e.id), second.map((e) => e.id)]);
  });

  it('accepts a busy channel whose answers are mostly, not all, held; different methods stay apart', () => {
    const polls = chain(() => 'http://a.test/poll', 4, 1200, 10);
    polls[3] = entry('http://a.test/poll', polls[2].endTime! - T0 + 10, polls[2].endTime! - T0 + 60);
    const posts = chain(() => 'http://a.test/poll', 3, 1200, 10).map((e) => ({ ...e, method: 'POST' }));
    const groups = groupLongPolling([...polls, ...posts]);
    expect(groups.map((g) => [g.key, g.entryIds.length])).toEqual([
      ['GET http://a.test/poll', 4],
      ['POST http://a.test/poll', 3],
    ]);
  });

  it('ignores channels (websocket, eventsource) and honours options', () => {
    const ws = chain(() => 'ws://a.test/poll', 3, 3000, 10).map((e) => ({ ...e, kind: 'websocket' as const }));
    expect(groupLongPolling(ws)).toEqual([]);
    const quick = chain(() => 'http://a.test/poll', 3, 300, 10);
    expect(groupLongPolling(quick)).toEqual([]);
    expect(groupLongPolling(quick, { minHoldMs: 250 })).toHaveLength(1);
  });
});

describe('stableUrl reads queries as URLSearchParams does', () => {
  /** The same key computed through URLSearchParams (the URL spec's parser), as an oracle. */
  const viaSearchParams = (url: string) => {
    const u = new URL(url);
    const kept = [...u.searchParams].filter(([n, v]) => stableUrl(`http://x.test/?${new URLSearchParams([[n, v]])}`) !== 'http://x.test/');
    kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const query = kept.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
    return `${u.origin}${u.pathname}${query ? `?${query}` : ''}`;
  };

  it('for any names and values, encoded either way (%20 or +), with empty and bare pieces', () => {
    const piece = fc.tuple(fc.string(), fc.string(), fc.boolean()).map(([n, v, plus]) => {
      const enc = (s: string) => (plus ? new URLSearchParams([['', s]]).toString().slice(1) : encodeURIComponent(s));
      return v === '' && n.length % 2 ? enc(n) : `${enc(n)}=${enc(v)}`;
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.constant('')), { maxLength: 6 }), (pieces) => {
        const url = `https://a.test/poll?${pieces.join('&')}#frag`;
        expect(stableUrl(url)).toBe(viaSearchParams(url));
      }),
      { numRuns: 500 },
    );
  });
});
