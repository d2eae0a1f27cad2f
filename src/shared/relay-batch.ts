/**
 * The one check of a relay batch's envelope (src/shared/protocol.ts RelayBatch), in the
 * background, before its events are validated one by one (./page-events). The relay sends exactly
 * these fields; where a batch comes from (tab, frame) is the port's sender, never the batch.
 */
import { PROTOCOL_VERSION, type RelayBatch } from './protocol';
import { validDoc } from './page-events';

/** More events than a relay ever puts in one batch (src/content/relay.ts splits at 2,000). */
export const MAX_BATCH_EVENTS = 10_000;
const FIELDS = new Set(['type', 'v', 'doc', 'seq', 'frameUrl', 'events']);

/**
 * `msg` as a RelayBatch, or why it is not one: a wrong type or version, a doc id that is not 16
 * hex digits, a seq that is not a non-negative integer, a frameUrl that is not a string, events
 * that are not an array of at most MAX_BATCH_EVENTS, or any field the relay does not send (a
 * `tabId` or `frameId` of its own: forged). `count` is how many page events the rejection loses
 * (1 when there is no event list). Never throws.
 */
export function readRelayBatch(msg: unknown): { batch: RelayBatch } | { problem: string; count: number } {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { problem: 'not an object', count: 1 };
  const m = msg as Record<string, unknown>;
  const count = Array.isArray(m.events) ? Math.max(1, m.events.length) : 1;
  const extra = Object.keys(m).find((k) => !FIELDS.has(k));
  if (extra !== undefined) return { problem: `unknown field ${JSON.stringify(extra.slice(0, 64))}`, count };
  if (m.type !== 'batch') return { problem: 'not a batch', count };
  if (m.v !== PROTOCOL_VERSION) return { problem: 'another protocol version', count };
  if (!validDoc(m.doc)) return { problem: 'bad doc id', count };
  if (typeof m.seq !== 'number' || !Number.isSafeInteger(m.seq) || m.seq < 0) return { problem: 'bad seq', count };
  if (typeof m.frameUrl !== 'string') return { problem: 'bad frameUrl', count };
  if (!Array.isArray(m.events)) return { problem: 'no events', count };
  if (m.events.length > MAX_BATCH_EVENTS) return { problem: `more than ${MAX_BATCH_EVENTS} events`, count };
  return { batch: m as unknown as RelayBatch };
}

/**
 * Takes a port's batches one at a time, in the order they came (`take(job)`): a job starts once
 * `start` and the job before it settled (resolved or rejected), and `take` resolves or rejects as
 * its job does. The worker reads a Blob payload's bytes before it stores a batch
 * (payload-parts readBlobPayload); the batches after it wait, so records keep the page's order.
 */
export function createBatchTurns(start: Promise<unknown> = Promise.resolve()) {
  let turn: Promise<unknown> = start.catch(() => undefined);
  return function take<T>(job: () => T | Promise<T>): Promise<T> {
    const result = turn.then(job);
    turn = result.catch(() => undefined);
    return result;
  };
}
