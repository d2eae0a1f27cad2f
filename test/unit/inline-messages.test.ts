import { describe, expect, it } from 'vitest';
import { compileMessageFilter, parseFilter } from '../../src/shared/filter-language';
import type { Entry, Message } from '../../src/shared/model';
import { createInlineIndex, type InlineIndex } from '../../src/shared/panel-views';

const msg = (t: number, data: string, dir: Message['dir'] = 'receive'): Message => ({ t, dir, data: { encoding: 'text', data, size: data.length, truncated: false } });
const entry = (id: string, startTime: number, messages: Message[] = []): Entry => ({
  id,
  tabId: 1,
  frameId: 0,
  kind: messages.length ? 'websocket' : 'fetch',
  method: 'GET',
  url: `http://a.test/${id}`,
  startTime,
  state: 'done',
  request: { headers: [] },
  lifecycle: [],
  messages,
  droppedMessages: 0,
});

/** Every row as `id` (an entry) or `id#i` (message i of it). */
const rows = (ix: InlineIndex) => {
  const out: string[] = [];
  for (let r = 0; r < ix.count; r++) {
    const { entry: e, message } = ix.at(r);
    out.push(message < 0 ? e.id : `${e.id}#${message}`);
  }
  return out;
};

/** The same list built from scratch: by key, messages first on ties, then list order, then index. */
function expected(entries: Entry[], accepts?: (m: Message) => boolean): string[] {
  const items: { key: number; m: number; slot: number; label: string }[] = [];
  let max = -Infinity;
  entries.forEach((e, slot) => {
    max = Math.max(max, e.startTime);
    items.push({ key: max, m: -1, slot, label: e.id });
    let key = max + max * Number.EPSILON;
    e.messages.forEach((m, i) => {
      if (accepts && !accepts(m)) return;
      key = Math.max(key, m.t);
      items.push({ key, m: i, slot, label: `${e.id}#${i}` });
    });
  });
  items.sort((a, b) => a.key - b.key || (a.m < 0 ? 1 : 0) - (b.m < 0 ? 1 : 0) || a.slot - b.slot || a.m - b.m);
  return items.map((x) => x.label);
}

describe('messages inline: entries and messages in one time order', () => {
  it('puts a request between the socket messages it came between', () => {
    const ws = entry('ws', 100, [msg(110, 'hello', 'send'), msg(120, 'hello'), msg(200, 'second', 'send'), msg(205, 'second')]);
    const login = entry('login', 150);
    const sse = entry('sse', 160, [msg(170, 'event 1'), msg(210, 'event 2')]);
    const ix = createInlineIndex();
    ix.sync([ws, login, sse]);
    expect(rows(ix)).toEqual(['ws', 'ws#0', 'ws#1', 'login', 'sse', 'sse#0', 'ws#2', 'ws#3', 'sse#1']);
    expect(ix.count).toBe(9);
    expect(ix.messages).toBe(6);
    expect(ix.rowOf(1)).toBe(3);
    expect(ix.rowOfMessage(2, 1)).toBe(8);
    expect(ix.rowOfMessage(0, 2)).toBe(6);
    expect(ix.rowOf(3)).toBe(-1);
  });

  it('never puts a message above its entry or above an earlier message of its channel, whatever the clocks say', () => {
    // A message stamped before its entry started, and one stamped before the message ahead of it.
    const ws = entry('ws', 100, [msg(90, 'early'), msg(130, 'b'), msg(120, 'c')]);
    const other = entry('x', 125);
    const ix = createInlineIndex();
    ix.sync([ws, other]);
    expect(rows(ix)).toEqual(['ws', 'ws#0', 'x', 'ws#1', 'ws#2']);
    // Ties: a message before another entry (a request sent in the tick a message came: after it),
    // but after its own entry, even stamped in the same tick.
    const a = entry('a', 50, [msg(60, 'm')]);
    const b = entry('b', 60, [msg(60, 'n')]);
    ix.sync([a, b]);
    expect(rows(ix)).toEqual(['a', 'a#0', 'b', 'b#0']);
  });

  it('extends the index per sync as messages and entries arrive, out of order across channels, and matches a build from scratch', () => {
    const ix = createInlineIndex();
    const a = entry('a', 0, []);
    const b = entry('b', 5, []);
    const list: Entry[] = [a, b];
    // Deterministic pseudo-random arrivals: a few messages per channel per batch, each channel in
    // its own time order but late across channels (b's batch can be older than a's last).
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let ta = 0;
    let tb = 5;
    let rebuilds = 0;
    for (let batch = 0; batch < 200; batch++) {
      for (let k = Math.floor(rand() * 4); k > 0; k--) a.messages.push(msg((ta += Math.floor(rand() * 10)), `a${batch}`));
      for (let k = Math.floor(rand() * 4); k > 0; k--) b.messages.push(msg((tb += Math.floor(rand() * 10)), `b${batch}`));
      if (batch % 20 === 0) list.push(entry(`e${batch}`, Math.max(ta, tb) - 15));
      if (ix.sync(list)) rebuilds++;
      expect(rows(ix)).toEqual(expected(list));
    }
    // Only the first sync built it from nothing.
    expect(rebuilds).toBe(1);
  });

  it('drops the rows of entries filtered out, and rebuilds for a new message filter', () => {
    const a = entry('a', 0, [msg(1, 'token one'), msg(3, 'other')]);
    const b = entry('b', 2, [msg(4, 'token two')]);
    const c = entry('c', 5);
    const ix = createInlineIndex();
    expect(ix.sync([a, b, c])).toBe(true);
    expect(ix.sync([a, b, c])).toBe(false);
    // b filtered out: its messages go with it (dropped, not rebuilt); back in: merged again.
    expect(ix.sync([a, c])).toBe(false);
    expect(rows(ix)).toEqual(['a', 'a#0', 'a#1', 'c']);
    expect(ix.rowOf(1)).toBe(3);
    expect(ix.sync([a, b, c])).toBe(false);
    expect(rows(ix)).toEqual(['a', 'a#0', 'b', 'a#1', 'b#0', 'c']);
    // `body:token`: only the messages that hold it, every shown entry still a row.
    const accepts = compileMessageFilter(parseFilter('body:token'));
    expect(ix.sync([a, b, c], accepts)).toBe(true);
    expect(rows(ix)).toEqual(['a', 'a#0', 'b', 'b#0', 'c']);
    expect(ix.rowOfMessage(0, 1)).toBe(-1);
    expect(ix.messages).toBe(2);
    // A channel's messages replaced (even by as many): merged again.
    a.messages = [msg(1, 'other'), msg(3, 'token three')];
    ix.sync([a, b, c], accepts);
    expect(rows(ix)).toEqual(['a', 'b', 'a#1', 'b#0', 'c']);
    a.messages = [];
    ix.sync([a, b, c], accepts);
    expect(rows(ix)).toEqual(['a', 'b', 'b#0', 'c']);
  });

  it('follows a filter that narrows and widens at random, as a build from scratch would', () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const all: Entry[] = [];
    let t = 0;
    for (let i = 0; i < 40; i++) all.push(entry(`e${i}`, (t += Math.floor(rand() * 5)), []));
    const ix = createInlineIndex();
    let fromNothing = 0;
    for (let step = 0; step < 300; step++) {
      // Messages arrive on a few channels, in each channel's time order.
      for (const e of all) {
        if (rand() < 0.15) e.messages.push(msg(Math.max(e.startTime, (e.messages.at(-1)?.t ?? 0)) + Math.floor(rand() * 30), 'x'));
      }
      const shown = step % 7 === 0 ? all : all.filter(() => rand() < 0.7);
      if (ix.sync(shown)) fromNothing++;
      expect(rows(ix)).toEqual(expected(shown));
      expect(ix.messages).toBe(shown.reduce((n, e) => n + e.messages.length, 0));
    }
    expect(fromNothing).toBe(1);
  });

  it('keeps file order for an imported trace whose entries are not in time order (keys never go back)', () => {
    const list = [entry('late', 100, [msg(150, 'x')]), entry('early', 10, [msg(20, 'y')]), entry('mid', 120)];
    const ix = createInlineIndex();
    ix.sync(list);
    expect(rows(ix)).toEqual(expected(list));
    expect(rows(ix)).toEqual(['late', 'early', 'early#0', 'mid', 'late#0']);
  });

  it('merges a million-message channel and 100,000 requests without making a row object, then takes a batch by the tail', () => {
    const big: Message[] = [];
    for (let i = 0; i < 1_000_000; i++) big.push(msg(1_000 + i, 'x'));
    const ws = entry('ws', 0, big);
    const list: Entry[] = [ws];
    for (let i = 0; i < 100_000; i++) list.push(entry(`r${i}`, 1_000 + i * 10 + 0.5));
    const ix = createInlineIndex();
    const t0 = performance.now();
    ix.sync(list);
    const built = performance.now() - t0;
    expect(ix.count).toBe(1_100_001);
    // Request i sits after message i*10 (its start is half a millisecond later).
    expect(ix.at(ix.rowOf(1)).entry.id).toBe('r0');
    expect(ix.rowOf(1)).toBe(2);
    expect(ix.rowOf(1 + 99_999)).toBe(1 + 1 + 999_990 + 99_999);
    let extended = 0;
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 100; i++) big.push(msg(2_000_000 + batch * 100 + i, 'y'));
      const t1 = performance.now();
      expect(ix.sync(list)).toBe(false);
      extended = Math.max(extended, performance.now() - t1);
    }
    expect(ix.count).toBe(1_101_001);
    expect(ix.at(ix.count - 1).message).toBe(1_000_999);
    // eslint-disable-next-line no-console
    console.log(`inline index: built ${ix.count} rows in ${built.toFixed(0)} ms, a batch of 100 messages in ${extended.toFixed(1)} ms at most (10 batches)`);
  });
});
