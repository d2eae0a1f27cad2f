import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { MAX_BATCH_EVENTS, readRelayBatch } from '../../src/shared/relay-batch';

const good = { type: 'batch', v: PROTOCOL_VERSION, doc: '0123456789abcdef', seq: 3, frameUrl: 'https://a.example/', events: [{}, {}] };

describe('relay batch envelope', () => {
  it('takes what the relay sends', () => {
    expect(readRelayBatch(good)).toEqual({ batch: good });
  });
  it('rejects, with how many events it loses, anything else', () => {
    const cases: [unknown, string, number][] = [
      [null, 'not an object', 1],
      [[good], 'not an object', 1],
      [{ ...good, tabId: 7 }, 'unknown field "tabId"', 2],
      [{ ...good, frameId: 0 }, 'unknown field "frameId"', 2],
      [{ ...good, type: 'ack' }, 'not a batch', 2],
      [{ ...good, v: 1 }, 'another protocol version', 2],
      [{ ...good, doc: '<script>' }, 'bad doc id', 2],
      [{ ...good, seq: -1 }, 'bad seq', 2],
      [{ ...good, seq: 1.5 }, 'bad seq', 2],
      [{ ...good, frameUrl: 7 }, 'bad frameUrl', 2],
      [{ ...good, events: 'x' }, 'no events', 1],
      [{ ...good, events: new Array(MAX_BATCH_EVENTS + 1).fill(0) }, `more than ${MAX_BATCH_EVENTS} events`, MAX_BATCH_EVENTS + 1],
    ];
    for (const [msg, problem, count] of cases) expect(readRelayBatch(msg)).toEqual({ problem, count });
  });
});
