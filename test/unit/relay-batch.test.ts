import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { MAX_BATCH_EVENTS, createBatchTurns, readRelayBatch } from '../../src/shared/relay-batch';

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

describe('createBatchTurns', () => {
  /** A promise settled from outside. */
  const deferred = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };

  it('runs each job once the one before settled, in the order given, the first once start settled; a failed job holds nothing back', async () => {
    const start = deferred<void>();
    const take = createBatchTurns(start.promise);
    const log: string[] = [];
    const slow = deferred<string>();
    const a = take(async () => {
      log.push('a starts');
      const v = await slow.promise;
      log.push('a ends');
      return v;
    });
    const b = take(() => {
      log.push('b');
      throw new Error('b failed');
    });
    const c = take(() => {
      log.push('c');
      return 'c';
    });
    await Promise.resolve();
    expect(log).toEqual([]);
    start.resolve();
    await new Promise((r) => setTimeout(r, 0));
    // The second batch came long before the first was read: it waits.
    expect(log).toEqual(['a starts']);
    slow.resolve('a');
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b failed');
    await expect(c).resolves.toBe('c');
    expect(log).toEqual(['a starts', 'a ends', 'b', 'c']);
  });

  it('goes on when start rejects', async () => {
    const take = createBatchTurns(Promise.reject(new Error('no database')));
    await expect(take(() => 1)).resolves.toBe(1);
  });
});
