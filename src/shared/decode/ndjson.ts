/**
 * NDJSON / JSON Lines, incrementally: one JSON text per LF-terminated line (a CR before the LF is
 * dropped); blank lines skipped; a bad line gives an `error` record with the raw line; a last line
 * without LF is parsed at `end()`. Same feed/end shape as the SSE parser.
 *
 * Bounds: lines over `maxLineLength` (default 4 MiB characters) give an `error` record and are
 * skipped; each line is parsed with `parseJson`'s depth/node caps; `line` numbers count from 1.
 */
import { parseJson, type JsonNode, type JsonOptions } from './json';
import { createLineSplitter, type LineSink } from './line-splitter';
import { MAX_STREAM_RECORDS, feedBounded } from './text-stream';

export const NDJSON_MAX_LINE_LENGTH = 4 * 1024 * 1024;

export type NdjsonRecord =
  | { kind: 'value'; line: number; value: JsonNode }
  | { kind: 'error'; line: number; error: string; raw: string };

export interface NdjsonOptions extends JsonOptions {
  maxLineLength?: number;
}

export interface NdjsonParser {
  feed(chunk: Uint8Array | string): NdjsonRecord[];
  end(): NdjsonRecord[];
}

export function createNdjsonParser(options: NdjsonOptions = {}): NdjsonParser {
  const maxLineLength = options.maxLineLength ?? NDJSON_MAX_LINE_LENGTH;
  const splitter = createLineSplitter(maxLineLength);
  let out: NdjsonRecord[] = [];
  let lineNumber = 0;
  let ended = false;

  function parseLine(text: string): void {
    lineNumber++;
    if (isBlank(text)) return;
    const result = parseJson(text, options);
    out.push(result.ok ? { kind: 'value', line: lineNumber, value: result.value } : { kind: 'error', line: lineNumber, error: result.error, raw: text });
  }

  const sink: LineSink = {
    line: parseLine,
    tooLong() {
      lineNumber++;
      out.push({ kind: 'error', line: lineNumber, error: `could not decode: line longer than ${maxLineLength} characters; skipped`, raw: '' });
    },
  };

  function take(): NdjsonRecord[] {
    const records = out;
    out = [];
    return records;
  }

  return {
    feed(chunk) {
      if (ended) return [{ kind: 'error', line: lineNumber, error: 'could not decode: data fed after end()', raw: '' }];
      splitter.feed(chunk, sink);
      return take();
    },
    end() {
      if (ended) return [];
      ended = true;
      const last = splitter.end(sink);
      if (last !== '') parseLine(last);
      return take();
    },
  };
}

/** The last record of a body read no further than `maxRecords` records; `line`: the first line not shown. */
export const ndjsonRecordCap = (maxRecords: number, line: number): NdjsonRecord & { kind: 'error' } => ({
  kind: 'error',
  line,
  error: `could not decode: more than ${maxRecords} records; the rest of the body is not shown`,
  raw: '',
});

/**
 * A whole body at once (feedBounded: fed in pieces, then ended). `ok` is false when any line failed (the records
 * still list every line). Bound: at most `maxRecords` records (default `MAX_STREAM_RECORDS`,
 * 20 000; a 16 MiB body of `1` lines is 8 million values): past it, reading stops, `ok` is false
 * and a last `error` record (line: the first line not shown) says so.
 */
export function parseNdjson(
  raw: Uint8Array | string,
  options: NdjsonOptions & { maxRecords?: number } = {},
): { ok: true; records: NdjsonRecord[]; raw: Uint8Array | string } | { ok: false; error: string; records: NdjsonRecord[]; raw: Uint8Array | string } {
  const maxRecords = options.maxRecords ?? MAX_STREAM_RECORDS;
  const parser = createNdjsonParser(options);
  const records = feedBounded(parser, raw, maxRecords);
  if (records.length > maxRecords) {
    const cap = ndjsonRecordCap(maxRecords, records[maxRecords].line);
    records.length = maxRecords;
    records.push(cap);
    return { ok: false, error: cap.error, records, raw };
  }
  const bad = records.filter((r) => r.kind === 'error').length;
  if (bad === 0) return { ok: true, records, raw };
  return { ok: false, error: `could not decode: ${bad} of ${records.length} lines are not JSON`, records, raw };
}

/** Whether text looks like JSON Lines: at least two non-blank lines among the first 8, each `{…}` or `[…]`. */
export function sniffNdjson(text: string): boolean {
  const head = text.slice(0, 65_536);
  const lines = head.split('\n');
  if (head.length < text.length) lines.pop(); // may be cut
  const filled = lines.slice(0, 8).map((l) => l.trim()).filter((l) => l !== '');
  return filled.length >= 2 && filled.every((l) => (l[0] === '{' && l.endsWith('}')) || (l[0] === '[' && l.endsWith(']')));
}

function isBlank(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
