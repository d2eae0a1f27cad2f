import { MAX_STREAM_RECORDS as MAX_RECORDS, createNdjsonParser, createSseParser, feedPieces, ndjsonRecordCap, sseRecordCap, type NdjsonRecord, type SseRecord } from './decode';
import { headerValue } from './headers';
import { exchangeOver, type Entry } from './model';
import { payloadRaw } from './payload';

export type StreamRecords =
  | { kind: 'event-stream'; records: SseRecord[] }
  | { kind: 'ndjson'; records: NdjsonRecord[] }
  | { kind: 'raw' };

interface State {
  fed: number;
  /** The parser was told the stream ended (the entry is over and every chunk fed). */
  ended: boolean;
  parser: ReturnType<typeof createSseParser> | ReturnType<typeof createNdjsonParser>;
  out: StreamRecords & { records: unknown[] };
}


/**
 * A streamed fetch/XHR body (SSE or NDJSON, how LLM APIs stream) decoded as its chunks arrive.
 * Incremental: each call feeds only the chunks that came since the last one.
 */
export function createStreamDecoder() {
  // Keyed by the entry object: imported traces reuse ids (`har:<index>`), never objects.
  const states = new WeakMap<Entry, State>();
  return function decode(entry: Entry): StreamRecords {
    if (entry.kind !== 'fetch' && entry.kind !== 'xhr') return { kind: 'raw' };
    const type = (headerValue(entry.response?.headers, 'content-type') ?? entry.messages[0]?.data.mimeType ?? '').toLowerCase();
    const kind = type.includes('event-stream') ? 'event-stream' : /ndjson|jsonl|json-lines|jsonlines|stream\+json/.test(type) ? 'ndjson' : undefined;
    if (!kind) return { kind: 'raw' };
    let state = states.get(entry);
    if (!state) {
      state = kind === 'event-stream'
        ? { fed: 0, ended: false, parser: createSseParser(), out: { kind, records: [] as SseRecord[] } }
        : { fed: 0, ended: false, parser: createNdjsonParser(), out: { kind, records: [] as NdjsonRecord[] } };
      states.set(entry, state);
    }
    // Fed in pieces (a large chunk fed at once returns all its records at once), and only until
    // MAX_RECORDS are kept: the records after them are dropped, and a last record says so (the
    // parser's own, as parseSse and parseNdjson end theirs).
    const take = (records: unknown[]) => {
      for (const r of records) {
        if (state.out.records.length < MAX_RECORDS) state.out.records.push(r);
        else {
          state.out.records.push(kind === 'event-stream' ? sseRecordCap(MAX_RECORDS) : ndjsonRecordCap(MAX_RECORDS, (r as NdjsonRecord).line));
          return false;
        }
      }
      return true;
    };
    const full = () => state.out.records.length > MAX_RECORDS;
    for (; state.fed < entry.messages.length && !full(); state.fed++) {
      const raw = payloadRaw(entry.messages[state.fed].data);
      if (raw === undefined) continue;
      for (const piece of feedPieces(raw)) if (!take(state.parser.feed(piece) as unknown[])) break;
    }
    // The exchange is over and every chunk read: what the stream left without its end (an NDJSON
    // line with no LF, an SSE event with no blank line) is read or reported now.
    if (!state.ended && !full() && state.fed === entry.messages.length && exchangeOver(entry)) {
      state.ended = true;
      take(state.parser.end() as unknown[]);
    }
    return state.out;
  };
}
