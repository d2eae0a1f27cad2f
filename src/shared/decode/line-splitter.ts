/**
 * Incremental bytes/text → LF-terminated lines (one CR before the LF removed), for JSON Lines.
 * Decoding and BOM: text-stream.ts. (The SSE parser has its own loop: it also splits on lone CR.)
 * Bound: a line longer than `maxLineLength` characters is dropped: `tooLong` is called once, then
 * everything up to the next LF is skipped (memory stays ≤ maxLineLength).
 */
import { createTextStream } from './text-stream';

export interface LineSink {
  line(text: string): void;
  tooLong(): void;
}

export interface LineSplitter {
  feed(chunk: Uint8Array | string, sink: LineSink): void;
  /** Flushes the decoder; returns the unterminated last line (not passed to the sink). */
  end(sink: LineSink): string;
}

export function createLineSplitter(maxLineLength: number): LineSplitter {
  const stream = createTextStream();
  let pending = '';
  let skipping = false;

  function push(text: string, sink: LineSink): void {
    let pos = 0;
    for (let lf = text.indexOf('\n'); lf !== -1; lf = text.indexOf('\n', pos)) {
      if (skipping) {
        skipping = false;
      } else if (pending.length + (lf - pos) > maxLineLength) {
        pending = '';
        sink.tooLong();
      } else {
        let line = pending.length === 0 ? text.slice(pos, lf) : pending + text.slice(pos, lf);
        pending = '';
        if (line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
        sink.line(line);
      }
      pos = lf + 1;
    }
    if (skipping || pos === text.length) return;
    if (pending.length + (text.length - pos) > maxLineLength) {
      pending = '';
      skipping = true;
      sink.tooLong();
    } else {
      pending += text.slice(pos);
    }
  }

  return {
    feed(chunk, sink) {
      push(stream.push(chunk), sink);
    },
    end(sink) {
      push(stream.flush(), sink);
      const rest = skipping ? '' : pending;
      pending = '';
      skipping = false;
      return rest.charCodeAt(rest.length - 1) === 0x0d ? rest.slice(0, -1) : rest;
    },
  };
}
