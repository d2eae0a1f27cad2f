import fc from 'fast-check';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { TabRecord } from '../../src/shared/protocol';
import { MIN_STRIPPED_BODY, RECORD_OVERHEAD, RUN_MESSAGE_OVERHEAD, runCost } from '../../src/shared/store-budget';
import { STORED_RUN_MAX, isNewRun, isRun, messageRunRows, packRuns, rowShare, runLast, runLength, unpackRun, type NewRow, type StoredRun } from '../../src/shared/stored-runs';
import { createBatcher } from '../../src/shared/batcher';
import { checkMessageRun, expandPageEvent } from '../../src/shared/page-events';

/** Records as the background makes them from a page batch (seq from `first`). */
function fromPage(events: unknown[], first = 1, doc = 'd0', frameUrl = 'http://a/'): TabRecord[] {
  const out: TabRecord[] = [];
  for (const raw of events) for (const ev of expandPageEvent(raw)!) out.push({ tabId: 7, frameId: 0, doc, frameUrl, ev, seq: first + out.length });
  return out;
}
const run = (id: string, dir: 'send' | 'receive', data: string[], extra: Record<string, unknown> = {}) => ({ type: 'messages', id, dir, t: data.map((_, i) => 1000 + i), data, ...extra });
const roundTrip = (records: TabRecord[]) => packRuns(records).flatMap((u) => (isRun(u) ? unpackRun(u) : [u]));

describe('stored runs: consecutive small messages of a channel as one row', () => {
  it('packs a WebSocket run into one row and reads back the very records', () => {
    const records = fromPage([run('ws1', 'send', ['a', 'bé', '{"n":3}'], { bufferedAmount: [0, 1, 5] })], 10);
    const rows = packRuns(records);
    expect(rows).toHaveLength(1);
    const r = rows[0] as StoredRun;
    expect(isRun(r)).toBe(true);
    expect([r.first, runLast(r), runLength(r)]).toEqual([10, 12, 3]);
    expect(r.size).toEqual([1, 3, 7]);
    expect(unpackRun(r)).toEqual(records);
    expect(unpackRun(r, 11, 11)).toEqual([records[1]]);
    expect(unpackRun(r, 12)).toEqual([records[2]]);
  });

  it('keeps SSE event ids per message, absent where a message had none', () => {
    const records = fromPage([run('es', 'receive', ['x', 'y'], { eventName: 'tick', eventId: ['1', ''], origin: 'http://a' })]);
    delete (records[1].ev as { eventId?: string }).eventId;
    const rows = packRuns(records);
    expect(rows).toHaveLength(1);
    expect((rows[0] as StoredRun).eventId).toEqual(['1', null]);
    expect(roundTrip(records)).toEqual(records);
  });

  it("packs a WebSocket's echoes (sends and receives taking turns) into one row, each message's direction kept", () => {
    const records = fromPage([run('ws1', 'send', ['a', 'b', 'c', 'd'], { dirs: 'srsr', bufferedAmount: [4, 0, 2, 0], origin: 'ws://o' })], 3);
    expect(records.map((r) => [(r.ev as { dir: string }).dir, (r.ev as { origin?: string }).origin, (r.ev as { bufferedAmount?: number }).bufferedAmount])).toEqual([
      ['send', undefined, 4],
      ['receive', 'ws://o', undefined],
      ['send', undefined, 2],
      ['receive', 'ws://o', undefined],
    ]);
    const rows = packRuns(records);
    expect(rows).toHaveLength(1);
    expect((rows[0] as StoredRun).dirs).toBe('srsr');
    expect((rows[0] as StoredRun).bufferedAmount).toEqual([4, null, 2, null]);
    expect(unpackRun(rows[0] as StoredRun)).toEqual(records);
    expect(unpackRun(rows[0] as StoredRun, 4, 4)).toEqual([records[1]]);
    // 10,000 echoes: 20 rows, not 20,000.
    const echoes = fromPage(Array.from({ length: 20 }, (_, k) => run('ws1', 'send', Array.from({ length: 1_000 }, (_, i) => `m${k}.${i}`), { dirs: 'sr'.repeat(500) })));
    expect(packRuns(echoes)).toHaveLength(20_000 / STORED_RUN_MAX);
    expect(roundTrip(echoes)).toEqual(echoes);
  });

  it("splits where the channel, document or seq changes, where directions' origins would not be one run's, and past STORED_RUN_MAX", () => {
    const a = fromPage([run('ws1', 'send', ['1', '2']), run('ws1', 'receive', ['3', '4']), run('ws2', 'receive', ['5', '6'])]);
    expect(packRuns(a).map((u) => (isRun(u) ? runLength(u) : 'one'))).toEqual([4, 2]);
    expect(roundTrip(a)).toEqual(a);
    // Sends with an origin (no page gives them one, but a run could not say it) and receives; receives of two origins.
    const origins = fromPage([run('ws1', 'send', ['1', '2'], { origin: 'ws://x' }), run('ws1', 'receive', ['3', '4'], { origin: 'ws://x' }), run('ws1', 'receive', ['5', '6'], { origin: 'ws://y' }), run('ws1', 'send', ['7'])]);
    expect(packRuns(origins).map((u) => (isRun(u) ? runLength(u) : 'one'))).toEqual([2, 2, 3]);
    expect(roundTrip(origins)).toEqual(origins);
    const gap = fromPage([run('ws1', 'send', ['1', '2', '3'])]);
    gap[2].seq = 9;
    expect(packRuns(gap).map((u) => (isRun(u) ? runLength(u) : 'one'))).toEqual([2, 'one']);
    const otherDoc = [...fromPage([run('ws1', 'send', ['1', '2'])]), ...fromPage([run('ws1', 'send', ['3', '4'])], 3, 'd1')];
    expect(packRuns(otherDoc).map((u) => (isRun(u) ? runLength(u) : 'one'))).toEqual([2, 2]);
    const many = fromPage([run('ws1', 'send', Array.from({ length: 1000 }, (_, i) => `m${i}`)), run('ws1', 'send', Array.from({ length: 500 }, (_, i) => `n${i}`))]);
    expect(packRuns(many).map((u) => (isRun(u) ? runLength(u) : 'one'))).toEqual([STORED_RUN_MAX, 500]);
    expect(roundTrip(many)).toEqual(many);
  });

  it('leaves alone what a run cannot say: big, binary, truncated or dropped messages, other events, a lone message', () => {
    const big = 'x'.repeat(MIN_STRIPPED_BODY);
    const msg = (id: string, data: Record<string, unknown>, more: Record<string, unknown> = {}) => ({ type: 'message', id, t: 1, dir: 'receive', data, ...more });
    const text = (d: string) => ({ encoding: 'text', data: d, size: d.length, truncated: false, source: 'text' });
    const records = fromPage([
      msg('w', text('a')),
      msg('w', text(big)),
      msg('w', { encoding: 'base64', data: 'AA==', size: 1, truncated: false, source: 'arraybuffer' }),
      msg('w', { ...text('b'), truncated: true }),
      msg('w', text('c'), { dropped: true }),
      msg('w', { ...text('d'), mimeType: 'text/plain' }),
      { type: 'end', id: 'w', t: 2, outcome: 'closed' },
      msg('w', text('e')),
    ]);
    const rows = packRuns(records);
    expect(rows.every((u) => !isRun(u))).toBe(true);
    expect(rows).toEqual(records);
  });

  it('weighs a run: one record overhead and the shared strings, then each message', () => {
    const records = fromPage([run('ws1', 'send', ['ab', 'cde'])]);
    const r = packRuns(records)[0] as StoredRun;
    expect(runCost(r)).toEqual({ bytes: RECORD_OVERHEAD + 'http://a/'.length + 3 + 2 * RUN_MESSAGE_OVERHEAD + 5, body: 0 });
  });
});

/** Seqs given from `first` as the record store gives them (RecordStore.add). */
function sequenced(rows: NewRow[], first = 1): (TabRecord | StoredRun)[] {
  let seq = first;
  return rows.map((r) => {
    if (!isNewRun(r)) return { ...r, seq: seq++ } as TabRecord;
    const run = { ...r, first: seq } as StoredRun;
    seq += runLength(run);
    return run;
  });
}

describe("messageRunRows: a page's run of messages laid out as rows without an event each", () => {
  const at = { tabId: 7, frameId: 0, doc: 'd0', frameUrl: 'http://a/' };
  /** A MessageRun as the page script makes them: one direction, or both (`dirs`), SSE fields or WebSocket ones. */
  const pageRun = fc
    .record({
      n: fc.integer({ min: 1, max: 40 }),
      mixed: fc.boolean(),
      sse: fc.boolean(),
      origin: fc.option(fc.constantFrom('http://a', 'ws://b'), { nil: undefined }),
      seed: fc.array(fc.oneof({ weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) }, { weight: 1, arbitrary: fc.constant('L'.repeat(MIN_STRIPPED_BODY)) }), { minLength: 40, maxLength: 40 }),
      dirBits: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    })
    .map(({ n, mixed, sse, origin, seed, dirBits }) => {
      const r: Record<string, unknown> = { type: 'messages', id: 'ch', dir: dirBits[0] ? 'send' : 'receive', t: seed.slice(0, n).map((_, i) => 1000 + i), data: seed.slice(0, n) };
      if (origin !== undefined) r.origin = origin;
      if (sse) {
        r.eventName = 'tick';
        r.eventId = seed.slice(0, n).map((_, i) => `id${i}`);
      } else r.bufferedAmount = seed.slice(0, n).map((_, i) => i * 3);
      if (mixed) r.dirs = dirBits.slice(0, n).map((b) => (b ? 's' : 'r')).join('');
      return r;
    });

  it('gives the very records expandPageEvent gives, laid out as packRuns lays them out', () => {
    fc.assert(
      fc.property(pageRun, fc.integer({ min: 1, max: 1e6 }), (raw, first) => {
        const expected = fromPage([raw], first);
        const rows = sequenced(messageRunRows(checkMessageRun(raw)!, at), first);
        expect(rows).toEqual(packRuns(expected));
        expect(rows.flatMap((u) => (isRun(u) ? unpackRun(u) : [u]))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('lays a run that came through a structured clone out as densely as packRuns does (what IndexedDB and a panel port write)', () => {
    const raw = { ...run('ws1', 'send', Array.from({ length: 500 }, (_, i) => `m${i}`)), bufferedAmount: Array.from({ length: 500 }, (_, i) => i) };
    // As the worker gets it: a structured clone (V8 makes its lists "holey", and writes a holey list as a sparse one).
    const cloned = deserialize(serialize(raw)) as unknown;
    const [laid] = sequenced(messageRunRows(checkMessageRun(cloned)!, at));
    const [packed] = packRuns(fromPage([raw]));
    expect(laid).toEqual(packed);
    // Within a few bytes (a string V8 keeps in two bytes a character, depending on what ran
    // before); written sparse, the run took a third more.
    expect(serialize(laid).length).toBeLessThan(serialize(packed).length * 1.02);
  });

  it('cuts runs at STORED_RUN_MAX; a lone or long message is a record; both directions go in one run', () => {
    const n = STORED_RUN_MAX + 7;
    const long = 'x'.repeat(MIN_STRIPPED_BODY);
    const data = Array.from({ length: n }, (_, i) => (i === 5 ? long : `m${i}`));
    // (Longer than a page's run may be, MESSAGE_RUN_MAX: not checked.)
    const rows = messageRunRows({ type: 'messages', id: 'w', dir: 'send', t: data.map((_, i) => i), data }, at);
    expect(rows.map((r) => (isNewRun(r) ? r.t.length : 'one'))).toEqual([5, 'one', STORED_RUN_MAX, 'one']);
    const mixed = messageRunRows(checkMessageRun({ type: 'messages', id: 'w', dir: 'send', t: [1, 2, 3, 4, 5], data: ['a', 'b', 'c', 'd', 'e'], dirs: 'ssrss', bufferedAmount: [1, 2, 0, 3, 4], origin: 'ws://o' })!, at);
    expect(mixed.map((r) => (isNewRun(r) ? [r.dir, r.dirs, r.t.length, r.origin, r.bufferedAmount] : 'one'))).toEqual([['send', 'ssrss', 5, 'ws://o', [1, 2, null, 3, 4]]]);
    // A slice of one direction (cut by a long message) is a run of that direction.
    const cut = messageRunRows(checkMessageRun({ type: 'messages', id: 'w', dir: 'send', t: [1, 2, 3, 4, 5], data: ['a', 'b', long, 'd', 'e'], dirs: 'ssrrr', bufferedAmount: [1, 2, 0, 0, 0], origin: 'ws://o' })!, at);
    expect(cut.map((r) => (isNewRun(r) ? [r.dir, r.dirs, r.t.length, r.origin, r.bufferedAmount] : 'one'))).toEqual([['send', undefined, 2, undefined, [1, 2]], 'one', ['receive', undefined, 2, 'ws://o', undefined]]);
  });
});

describe('rowShare: live messages within a count of records and of bytes', () => {
  it('a run counts its messages; a message of rows holds at most `records` records and about `bytes` bytes', () => {
    const runs = packRuns(fromPage(Array.from({ length: 6 }, (_, k) => run('ws1', k % 2 ? 'send' : 'receive', Array.from({ length: 1000 }, (_, i) => `m${i}`)))));
    expect(runs.every(isRun)).toBe(true);
    const sent: (TabRecord | StoredRun)[][] = [];
    const b = createBatcher<TabRecord | StoredRun>((rows) => sent.push(rows), { maxItems: 1, weigh: (r) => rowShare(r, 2_500, 1 << 30) });
    b.add(runs);
    b.flush();
    // 2,500 records a message: runs of 1,000 go two by two (a third would take it past).
    expect(sent.map((m) => m.length)).toEqual([2, 2, 2]);
    const big = fromPage([{ type: 'body', id: 'x', t: 1, which: 'response', body: { encoding: 'text', data: 'b'.repeat(600_000), size: 600_000, truncated: false } }])[0];
    expect(rowShare(big, 2_500, 1_000_000)).toBeGreaterThan(0.6);
    expect(rowShare(big, 2_500, 100_000)).toBeGreaterThan(1);
    expect(rowShare(runs[0], 1_000, 1 << 30)).toBe(1);
  });
});
