import { describe, expect, it } from 'vitest';
import type { TabRecord } from '../../src/shared/protocol';
import { MIN_STRIPPED_BODY, RECORD_OVERHEAD, RUN_MESSAGE_OVERHEAD, runCost } from '../../src/shared/store-budget';
import { STORED_RUN_MAX, isRun, packRuns, runLast, runLength, unpackRun, type StoredRun } from '../../src/shared/stored-runs';
import { expandPageEvent } from '../../src/shared/page-events';

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

  it('splits where the channel, direction, document or seq changes, and past STORED_RUN_MAX', () => {
    const a = fromPage([run('ws1', 'send', ['1', '2']), run('ws1', 'receive', ['3', '4']), run('ws2', 'receive', ['5', '6'])]);
    expect(packRuns(a).map((u) => (isRun(u) ? runLength(u) : 'one'))).toEqual([2, 2, 2]);
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
