import { describe, expect, it } from 'vitest';
import { createStreamDecoder } from '../../src/shared/stream-decode';
import type { Entry } from '../../src/shared/model';
import { T0, makeEntry, msg, text } from './har/helpers';

/** A streamed fetch of `type` whose body came as `chunks`, still running (pending) or over (done). */
const streamed = (type: string, chunks: string[], state: Entry['state']): Entry =>
  makeEntry({
    state,
    endTime: state === 'pending' ? undefined : T0 + 500,
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', type]] },
    messages: chunks.map((c, i) => msg(T0 + 10 + i, 'receive', text(c))),
  });

describe('streamed-body decoder (the Messages tab)', () => {
  it('reads an NDJSON body\'s last line without LF once the exchange is over, not before', () => {
    const chunks = ['{"a":1}\n', '{"b":2}'];
    // Still running: the line may go on in the next chunk.
    expect((createStreamDecoder()(streamed('application/x-ndjson', chunks, 'pending')) as { records: unknown[] }).records).toHaveLength(1);
    const decode = createStreamDecoder();
    const done = streamed('application/x-ndjson', chunks, 'done');
    const out = decode(done) as { records: { kind: string }[] };
    expect(out.records.map((r) => r.kind)).toEqual(['value', 'value']);
    // Asked again (a redraw): read once.
    expect((decode(done) as { records: unknown[] }).records).toHaveLength(2);
  });

  it('reports an SSE event cut before its blank line, with its data, once the exchange is over', () => {
    const out = createStreamDecoder()(streamed('text/event-stream', ['data: {"A":1}\n\n', 'event: delta\ndata: {"B":2}\n'], 'error')) as { records: unknown[] };
    expect(out.records).toEqual([
      { kind: 'event', type: 'message', data: '{"A":1}', lastEventId: '' },
      { kind: 'incomplete', line: '', type: 'delta', data: '{"B":2}' },
    ]);
  });
});
