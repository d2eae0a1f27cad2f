import { describe, expect, it, vi } from 'vitest';
import { eventsFromChunks } from '../../src/shared/har/messages';
import { createLlmStreamReader } from '../../src/shared/llm-stream';
import { createStreamDecoder } from '../../src/shared/stream-decode';
import { T0, makeEntry, msg, text } from './har/helpers';

// The most records one feed of a stream parser returned (the readers below feed through ../decode).
let mostPerFeed = 0;
vi.mock('../../src/shared/decode', async (importOriginal) => {
  const decode = await importOriginal<typeof import('../../src/shared/decode')>();
  const counted = <P extends { feed(chunk: Uint8Array | string): unknown[] }>(parser: P): P => {
    const feed = parser.feed.bind(parser);
    parser.feed = (chunk) => {
      const records = feed(chunk);
      mostPerFeed = Math.max(mostPerFeed, records.length);
      return records;
    };
    return parser;
  };
  return {
    ...decode,
    createSseParser: (...args: Parameters<typeof decode.createSseParser>) => counted(decode.createSseParser(...args)),
    createNdjsonParser: (...args: Parameters<typeof decode.createNdjsonParser>) => counted(decode.createNdjsonParser(...args)),
  };
});

const headers: Array<[string, string]> = [['Content-Type', 'text/event-stream']];
// 16 MiB of comment lines: 8 million records if fed at once.
const body = ':\n'.repeat(8 * 1024 * 1024);

describe('a large body is fed to the stream parsers in pieces', () => {
  it('LLM stream reader: a body read whole, and one huge chunk', () => {
    mostPerFeed = 0;
    expect(createLlmStreamReader()(makeEntry({ response: { status: 200, statusText: 'OK', headers, body: text(body) } }))).toBeUndefined();
    expect(createLlmStreamReader()(makeEntry({ response: { status: 200, statusText: 'OK', headers }, messages: [msg(T0 + 1, 'receive', text(body))] }))).toBeUndefined();
    expect(mostPerFeed).toBeLessThanOrEqual(64 * 1024);
  });

  it('streamed-body decoder: one huge chunk; reading stops at its record cap', () => {
    mostPerFeed = 0;
    const chunked = makeEntry({ response: { status: 200, statusText: 'OK', headers }, messages: [msg(T0 + 1, 'receive', text(body))] });
    const out = createStreamDecoder()(chunked);
    expect(out.kind === 'event-stream' && out.records.length).toBe(20_001);
    // The cap is said, as the Preview's parser says it.
    expect(out.kind === 'event-stream' && out.records[20_000]).toEqual({ kind: 'error', error: 'could not decode: more than 20000 records; the rest of the stream is not shown' });
    expect(mostPerFeed).toBeLessThanOrEqual(64 * 1024);
  });

  it('HAR export: the events of a streamed event-stream body, one huge chunk', () => {
    mostPerFeed = 0;
    expect(eventsFromChunks([msg(T0 + 1, 'receive', text(body + 'data: end\n\n'))]).events.map((e) => e.data)).toEqual(['end']);
    expect(mostPerFeed).toBeLessThanOrEqual(64 * 1024);
  });
});
