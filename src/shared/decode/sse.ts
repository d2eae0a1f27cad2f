/**
 * text/event-stream, incrementally, following WHATWG HTML "Interpreting an event stream"
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 * Chunks may split anywhere: inside a UTF-8 character (text-stream.ts decodes in streaming mode),
 * or between CR and LF (a CR ending a chunk ends the line at once; an LF starting the next chunk
 * is then skipped, so no empty line — no spurious dispatch — appears in between).
 *
 * Besides dispatched events, the parser reports what a browser silently consumes, so a UI can
 * show it: comments, `retry` lines, and ignored lines (unknown field, bad retry, id with NUL).
 * A `retry` over 2^64 - 1 ms is ignored, as Chromium does (the spec sets no bound).
 *
 * Bounds: a line over `maxLineLength` (default 4 MiB characters) gives an `error` record and is
 * skipped up to the next line end; an event whose data would exceed `maxDataLength` (16 MiB) gives
 * an `error` record and is not dispatched. Records returned per feed are at most one per line.
 */
import { MAX_STREAM_RECORDS, createTextStream, feedBounded } from './text-stream';

export const SSE_MAX_LINE_LENGTH = 4 * 1024 * 1024;
export const SSE_MAX_DATA_LENGTH = 16 * 1024 * 1024;

export type SseRecord =
  /** `retry` is the reconnection time in force, present when this event's block set it. */
  | { kind: 'event'; type: string; data: string; lastEventId: string; retry?: number }
  /** A `:` line; `text` is everything after the colon. */
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; value: number }
  | { kind: 'ignored'; field: string; value: string; reason: string }
  | { kind: 'error'; error: string }
  /** From `end()`: what the stream left without the blank line that would dispatch it. */
  | { kind: 'incomplete'; line: string; data?: string; type?: string };

export interface SseOptions {
  maxLineLength?: number;
  maxDataLength?: number;
}

export interface SseParser {
  /** Records completed by this chunk. */
  feed(chunk: Uint8Array | string): SseRecord[];
  /** End of stream: an event without its blank line is discarded (reported as `incomplete`). */
  end(): SseRecord[];
  /** The last event ID string and reconnection time so far (they persist across events). */
  readonly lastEventId: string;
  readonly retry: number | undefined;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DIGITS = /^[0-9]+$/;

export function createSseParser(options: SseOptions = {}): SseParser {
  const maxLineLength = options.maxLineLength ?? SSE_MAX_LINE_LENGTH;
  const maxDataLength = options.maxDataLength ?? SSE_MAX_DATA_LENGTH;
  const stream = createTextStream();
  const fastDataLimit = Math.min(maxLineLength, maxDataLength);

  let out: SseRecord[] = [];
  let pending = '';
  let skipping = false;
  let skipLf = false;
  let data = '';
  let hasData = false;
  let overflow = false;
  let eventType = '';
  let lastEventIdBuffer = '';
  let lastEventId = '';
  let retry: number | undefined;
  let blockRetry = false;
  let ended = false;

  function dispatch(): void {
    // 1. The last event ID string takes the buffer's value, even when nothing is dispatched.
    lastEventId = lastEventIdBuffer;
    const setRetry = blockRetry;
    blockRetry = false;
    // 2. Empty data buffer (or an oversized, dropped one): reset the buffers, dispatch nothing.
    if (!hasData || overflow) {
      data = '';
      hasData = false;
      overflow = false;
      eventType = '';
      return;
    }
    // 3.–5. The data never gets its trailing LF here; the type defaults to "message".
    const event: SseRecord = { kind: 'event', type: eventType === '' ? 'message' : eventType, data, lastEventId };
    if (setRetry && retry !== undefined) event.retry = retry;
    out.push(event);
    data = '';
    hasData = false;
    eventType = '';
  }

  function appendData(value: string): void {
    if (overflow) return;
    if (data.length + value.length > maxDataLength) {
      overflow = true;
      data = '';
      out.push({ kind: 'error', error: `could not decode: event data longer than ${maxDataLength} characters; event dropped` });
    } else if (hasData) {
      data = data + '\n' + value;
    } else {
      data = value;
      hasData = true;
    }
  }

  /** One line: `s.slice(start, end)`, without its line end. */
  function line(s: string, start: number, end: number): void {
    if (start === end) return dispatch();
    if (end - start > maxLineLength) {
      out.push(tooLong());
      return;
    }
    const c = s.charCodeAt(start);
    // Fast paths for the common fields: `data:`, `id:`, `event:` (also without a colon).
    if (c === 0x64 && s.charCodeAt(start + 1) === 0x61 && s.charCodeAt(start + 2) === 0x74 && s.charCodeAt(start + 3) === 0x61) {
      const after = start + 4;
      if (after === end) return appendData('');
      if (s.charCodeAt(after) === COLON) return appendData(s.slice(valueStart(s, after, end), end));
    } else if (c === 0x69 && s.charCodeAt(start + 1) === 0x64) {
      const after = start + 2;
      if (after === end || s.charCodeAt(after) === COLON) return setId(s.slice(valueStart(s, after, end), end));
    } else if (c === 0x65 && s.startsWith('event', start)) {
      const after = start + 5;
      if (after === end || s.charCodeAt(after) === COLON) {
        eventType = s.slice(valueStart(s, after, end), end);
        return;
      }
    } else if (c === COLON) {
      out.push({ kind: 'comment', text: s.slice(start + 1, end) });
      return;
    }
    const text = s.slice(start, end);
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(valueStart(text, colon, text.length));
    if (field === 'retry') {
      if (!DIGITS.test(value)) {
        out.push({ kind: 'ignored', field, value, reason: 'retry value is not only ASCII digits' });
      } else if (!fitsUint64(value)) {
        out.push({ kind: 'ignored', field, value, reason: 'retry value is over 2^64 - 1 (Chromium ignores it)' });
      } else {
        retry = parseInt(value, 10);
        blockRetry = true;
        out.push({ kind: 'retry', value: retry });
      }
    } else {
      out.push({ kind: 'ignored', field, value, reason: 'unknown field' });
    }
  }

  function setId(value: string): void {
    if (value.includes('\0')) out.push({ kind: 'ignored', field: 'id', value, reason: 'id contains U+0000 NULL' });
    else lastEventIdBuffer = value;
  }

  function push(text: string): void {
    const n = text.length;
    let pos = 0;
    if (skipLf && n > 0) {
      skipLf = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    const firstCr = text.indexOf('\r', pos);
    // Finish the line carried over from the previous chunk.
    if (pending.length > 0 || skipping) {
      const lf = text.indexOf('\n', pos);
      const end = firstCr !== -1 && (lf === -1 || firstCr < lf) ? firstCr : lf;
      if (end === -1) return carry(text, pos);
      if (skipping) skipping = false;
      else if (pending.length + (end - pos) > maxLineLength) out.push(tooLong());
      else {
        const whole = pending + text.slice(pos, end);
        line(whole, 0, whole.length);
      }
      pending = '';
      pos = next(text, end);
    }
    if (firstCr === -1) {
      // LF-only text (the usual case): one indexOf per line.
      for (let lf = text.indexOf('\n', pos); lf !== -1; lf = text.indexOf('\n', pos)) {
        // `data: …` inline (most lines are data lines); anything else goes through line().
        if (
          text.charCodeAt(pos + 4) === COLON &&
          text.charCodeAt(pos) === 0x64 &&
          text.charCodeAt(pos + 1) === 0x61 &&
          text.charCodeAt(pos + 2) === 0x74 &&
          text.charCodeAt(pos + 3) === 0x61 &&
          lf - pos <= fastDataLimit &&
          !hasData &&
          !overflow
        ) {
          data = text.slice(text.charCodeAt(pos + 5) === SPACE && pos + 5 < lf ? pos + 6 : pos + 5, lf);
          hasData = true;
        } else if (text.charCodeAt(pos + 2) === COLON && text.charCodeAt(pos) === 0x69 && text.charCodeAt(pos + 1) === 0x64 && lf - pos <= maxLineLength) {
          setId(text.slice(text.charCodeAt(pos + 3) === SPACE && pos + 3 < lf ? pos + 4 : pos + 3, lf));
        } else {
          line(text, pos, lf);
        }
        pos = lf + 1;
        // Blank lines right after (an event's end) need no search.
        while (text.charCodeAt(pos) === LF) {
          dispatch();
          pos++;
        }
      }
    } else {
      // Next CR and next LF are remembered, so each is searched once per occurrence.
      let cr = -2;
      let lf = -2;
      while (pos < n) {
        if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
        if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
        const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
        if (end === -1) break;
        line(text, pos, end);
        pos = next(text, end);
      }
    }
    if (pos < n) carry(text, pos);
  }

  function tooLong(): SseRecord {
    return { kind: 'error', error: `could not decode: line longer than ${maxLineLength} characters; skipped to the next line end` };
  }

  /** Index after the line end at `end` (CRLF counts as one; a CR ending the text may pair with a later LF). */
  function next(text: string, end: number): number {
    if (text.charCodeAt(end) !== CR) return end + 1;
    if (end + 1 === text.length) {
      skipLf = true;
      return end + 1;
    }
    return text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
  }

  /** Keeps an unterminated line for the next chunk (or skips it when over the cap). */
  function carry(text: string, pos: number): void {
    if (skipping) return;
    if (pending.length + (text.length - pos) > maxLineLength) {
      pending = '';
      skipping = true;
      out.push(tooLong());
    } else {
      pending += text.slice(pos);
    }
  }

  function take(): SseRecord[] {
    const records = out;
    out = [];
    return records;
  }

  return {
    feed(chunk) {
      if (ended) return [{ kind: 'error', error: 'could not decode: data fed after end()' }];
      push(stream.push(chunk));
      return take();
    },
    end() {
      if (ended) return [];
      ended = true;
      push(stream.flush());
      const rest = skipping ? '' : pending;
      if (rest !== '' || hasData || eventType !== '') {
        const incomplete: SseRecord = { kind: 'incomplete', line: rest };
        if (hasData) incomplete.data = data;
        if (eventType !== '') incomplete.type = eventType;
        out.push(incomplete);
      }
      pending = '';
      data = '';
      hasData = false;
      eventType = '';
      return take();
    },
    get lastEventId() {
      return lastEventId;
    },
    get retry() {
      return retry;
    },
  };
}

/**
 * Whether ASCII digits are at most 2^64 - 1: the spec sets any integer, but a larger one would be
 * Infinity here, and Chromium ignores a retry its unsigned 64-bit reading overflows.
 */
function fitsUint64(digits: string): boolean {
  const n = digits.replace(/^0+(?=[0-9])/, '');
  return n.length < 20 || (n.length === 20 && n <= '18446744073709551615');
}

/** Start of the value after the colon at `colon`: one leading space is dropped. */
function valueStart(s: string, colon: number, end: number): number {
  if (colon >= end) return end;
  return s.charCodeAt(colon + 1) === SPACE && colon + 1 < end ? colon + 2 : colon + 1;
}

/** The last record of a stream read no further than `maxRecords` records. */
export const sseRecordCap = (maxRecords: number): SseRecord => ({ kind: 'error', error: `could not decode: more than ${maxRecords} records; the rest of the stream is not shown` });

/**
 * A whole stream at once (feedBounded: fed in pieces, then ended). Bound: at most `maxRecords` records (default
 * `MAX_STREAM_RECORDS`, 20 000; a 16 MiB body of `:` comment lines is 8 million of them): past it,
 * reading stops and a last `error` record says so.
 */
export function parseSse(raw: Uint8Array | string, options: SseOptions & { maxRecords?: number } = {}): { ok: true; records: SseRecord[]; raw: Uint8Array | string } {
  const maxRecords = options.maxRecords ?? MAX_STREAM_RECORDS;
  const parser = createSseParser(options);
  const records = feedBounded(parser, raw, maxRecords);
  if (records.length > maxRecords) {
    records.length = maxRecords;
    records.push(sseRecordCap(maxRecords));
  }
  return { ok: true, records, raw };
}
