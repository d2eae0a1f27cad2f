import { describe, expect, it } from 'vitest';
import type { TabRecord } from '../../src/shared/protocol';
import {
  MIN_STRIPPED_BODY,
  NO_DROPS,
  RECORD_OVERHEAD,
  addDrops,
  evictionTarget,
  evictionUnit,
  planBodyDrops,
  planEntryDrops,
  recordCost,
  startsChannel,
  takeEntry,
  withoutBody,
} from '../../src/shared/store-budget';

const MiB = 1024 * 1024;
const text = (data: string) => ({ encoding: 'text' as const, data, size: data.length, truncated: false });
const body = (id: string, data: string): TabRecord => ({ seq: 1, tabId: 1, frameId: 0, doc: 'd', ev: { type: 'body', id, t: 0, which: 'request', body: text(data) } });
const message = (id: string, data: string): TabRecord => ({ seq: 2, tabId: 1, frameId: 0, doc: 'd', ev: { type: 'message', id, t: 0, dir: 'receive', data: text(data) } as TabRecord['ev'] });

describe('store budget: what a record weighs and what goes with it', () => {
  it('weighs overhead, URLs, headers and the body, the body also on its own', () => {
    expect(recordCost(body('x', 'a'.repeat(5000)))).toEqual({ bytes: RECORD_OVERHEAD + 5000, body: 5000 });
    const wire: TabRecord = { seq: 1, tabId: 1, frameId: 0, frameUrl: 'http://a/', ev: { type: 'wire', phase: 'send', requestId: '9', t: 0, method: 'GET', url: 'http://a/x', resourceType: 'xmlhttprequest', frameId: 0, requestHeaders: [['Accept', '*/*']] } };
    expect(recordCost(wire)).toEqual({ bytes: RECORD_OVERHEAD + 10 + 9 + (6 + 3 + 8), body: 0 });
  });

  it('evicts an exchange whole (by its entry), a message or a capture error alone', () => {
    expect(evictionUnit(body('7', ''))).toEqual({ entry: 'd:7', alone: false });
    expect(evictionUnit(message('7', 'hi'))).toEqual({ entry: 'd:7', alone: true });
    expect(evictionUnit({ doc: undefined, ev: { type: 'wire', phase: 'send', requestId: '42', t: 0, method: 'GET', url: '', resourceType: 'other', frameId: 0 } })).toEqual({ entry: 'wire:42', alone: false });
  });

  it('knows a channel by its start', () => {
    const start = (kind: string) => ({ ev: { type: 'start', id: '1', t: 0, kind, method: 'GET', url: 'ws://a/', headers: [] } as unknown as TabRecord['ev'] });
    expect([startsChannel(start('websocket')), startsChannel(start('eventsource')), startsChannel(start('fetch')), startsChannel(body('1', ''))]).toEqual([true, true, false, false]);
  });

  it('drops a body as an empty truncated payload that keeps its true size', () => {
    const r = body('1', 'x'.repeat(3000));
    const stripped = withoutBody(r);
    expect(stripped.ev).toMatchObject({ type: 'body', body: { data: '', truncated: true, size: 3000 } });
    expect(withoutBody(stripped)).toBe(stripped);
    expect(r.ev.type === 'body' && r.ev.body.data.length).toBe(3000);
  });

  it('brings a tab an eighth below its budget, at most 8 MiB below', () => {
    expect(evictionTarget(8 * MiB)).toBe(7 * MiB);
    expect(evictionTarget(64 * MiB)).toBe(56 * MiB);
    expect(evictionTarget(128 * MiB)).toBe(120 * MiB);
  });
});

describe('store budget: a pack of several entries\' records', () => {
  const wire = (requestId: string, phase: 'send' | 'completed'): TabRecord => ({ seq: 1, tabId: 1, frameId: 0, ev: { type: 'wire', phase, requestId, t: 0, method: 'GET', url: 'http://a/x', resourceType: 'xmlhttprequest', frameId: 0 } as TabRecord['ev'] });
  // One request's page records, its wire records, the next request's start, and a lone message.
  const pack = [body('1', 'a'), wire('9', 'send'), body('1', 'bb'), wire('9', 'completed'), message('5', 'm'), body('2', 'ccc')];

  it("takes an entry's records out with their bytes as each was counted, and keeps the rest in order", () => {
    const page = takeEntry(pack, 'd:1');
    expect(page).toEqual({ records: 2, bytes: recordCost(pack[0]).bytes + recordCost(pack[2]).bytes, wire: 0, rest: [pack[1], pack[3], pack[4], pack[5]] });
    const w = takeEntry(page.rest, 'wire:9');
    expect(w).toMatchObject({ records: 2, bytes: recordCost(pack[1]).bytes + recordCost(pack[3]).bytes, wire: 2, rest: [pack[4], pack[5]] });
    // A message of entry d:5 goes alone: never with its entry.
    expect(takeEntry(pack, 'd:5')).toEqual({ records: 0, bytes: 0, wire: 0, rest: pack });
    // Taking every entry leaves exactly the pack's bytes counted.
    const all = pack.filter((r) => !evictionUnit(r).alone).reduce((n, r) => n + recordCost(r).bytes, 0);
    let rest = pack;
    let bytes = 0;
    for (const e of ['d:1', 'wire:9', 'd:2']) {
      const t = takeEntry(rest, e);
      bytes += t.bytes;
      rest = t.rest;
    }
    expect({ bytes, rest }).toEqual({ bytes: all, rest: [pack[4]] });
  });
});

describe('store budget: the order things go', () => {
  it('step 1 takes the oldest bodies first, skipping bodies too small to matter, until enough is freed', () => {
    const rows = [
      { seq: 1, bytes: 300, body: 10 },
      { seq: 2, bytes: 5300, body: 5000 },
      { seq: 3, bytes: 2300, body: 2000 },
      { seq: 4, bytes: 9300, body: 9000 },
    ];
    expect(planBodyDrops(6000, rows)).toEqual({ seqs: [2, 3], freed: 7000, done: true });
    expect(planBodyDrops(100_000, rows)).toEqual({ seqs: [2, 3, 4], freed: 16_000, done: false });
    expect(planBodyDrops(0, rows)).toEqual({ seqs: [], freed: 0, done: true });
    expect(planBodyDrops(10, [{ seq: 1, bytes: 300, body: MIN_STRIPPED_BODY - 1 }]).done).toBe(false);
  });

  it('step 2 takes the oldest entries, and channels only in a walk of their own', () => {
    const pieces = [
      { key: 'd:ws', bytes: 900, records: 3, channel: true },
      { key: '#5', bytes: 300, records: 1, channel: false },
      { key: 'd:1', bytes: 1000, records: 4, channel: false },
      { key: 'd:2', bytes: 1000, records: 4, channel: false },
    ];
    expect(planEntryDrops(1200, pieces, false)).toEqual({ keys: ['#5', 'd:1'], freed: 1300, done: true });
    expect(planEntryDrops(5000, pieces, false)).toEqual({ keys: ['#5', 'd:1', 'd:2'], freed: 2300, done: false });
    expect(planEntryDrops(500, pieces, true)).toEqual({ keys: ['d:ws'], freed: 900, done: true });
  });

  it('adds drops up by reason', () => {
    expect(addDrops(addDrops(NO_DROPS, { bodies: 2, bodyBytes: 10 }), { entries: 1, records: 4, entryBytes: 99, messages: 3 })).toEqual({ bodies: 2, bodyBytes: 10, entries: 1, messages: 3, records: 4, entryBytes: 99 });
  });
});
