/**
 * Incremental UTF-8 → text for the stream decoders. Bytes go through one streaming TextDecoder,
 * so a character split across chunks is decoded whole (bad bytes → U+FFFD); string chunks pass
 * through. One leading U+FEFF of the stream is dropped ("UTF-8 decode" strips one BOM).
 */

export interface TextStream {
  push(chunk: Uint8Array | string): string;
  /** Text still held by the decoder (an incomplete character at the end becomes U+FFFD). */
  flush(): string;
}

export function createTextStream(): TextStream {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const streaming = { stream: true };
  let holdsBytes = false;
  let started = false;

  function start(text: string): string {
    if (started || text.length === 0) return text;
    started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  return {
    push(chunk) {
      if (typeof chunk !== 'string') {
        holdsBytes = true;
        return start(decoder.decode(chunk, streaming));
      }
      if (!holdsBytes) return start(chunk);
      holdsBytes = false;
      return start(decoder.decode() + chunk);
    },
    flush() {
      if (!holdsBytes) return '';
      holdsBytes = false;
      return start(decoder.decode());
    },
  };
}

/**
 * Records a decoded SSE or NDJSON list keeps (a whole body: parseSse, parseNdjson; a streamed one:
 * src/shared/stream-decode.ts); past them the list says the rest is not shown.
 */
export const MAX_STREAM_RECORDS = 20_000;

/** Characters (or bytes) of a large body fed to a stream decoder at a time (see `feedPieces`). */
export const FEED_PIECE = 64 * 1024;

/**
 * `raw` in pieces of `FEED_PIECE` characters or bytes (bytes as views, not copies), for feeding a stream
 * decoder a large body: the records one feed returns stay few (a 16 MiB body of `:` lines fed
 * whole returns 8 million SSE records at once), and a caller can stop early.
 */
export function* feedPieces(raw: Uint8Array | string): Generator<Uint8Array | string> {
  for (let at = 0; at < raw.length; at += FEED_PIECE) {
    yield typeof raw === 'string' ? raw.slice(at, at + FEED_PIECE) : raw.subarray(at, at + FEED_PIECE);
  }
}

/**
 * Every record of `raw` from a stream decoder (SSE, NDJSON), fed in `feedPieces` and then ended,
 * stopping once there are more than `max`: at most `max` + 1 records come back, and `max` + 1
 * means the body holds more than `max` (the caller says so).
 */
export function feedBounded<R>(parser: { feed(chunk: Uint8Array | string): R[]; end(): R[] }, raw: Uint8Array | string, max: number): R[] {
  const records: R[] = [];
  for (const piece of feedPieces(raw)) {
    for (const r of parser.feed(piece)) records.push(r);
    if (records.length > max) return records;
  }
  for (const r of parser.end()) records.push(r);
  return records;
}
