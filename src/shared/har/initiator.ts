import type { HarCallFrame, HarInitiator } from './types';

/**
 * A frame line is read as V8's `at fn (url:line:col)` (or `at url:line:col`), else as Gecko's
 * `fn@url:line:col`: the location is the line's end (`:line:col`, V8's `)` and white space after
 * it), the function name what comes before the first ` (` (V8) or `@` (Gecko), the URL what lies
 * between. Neither may hold a line terminator (CR, U+2028, U+2029). The line is cut at those
 * anchors rather than matched whole (`^(.*?) \((.*?):(\d+):(\d+)…$` backtracks quadratically:
 * an imported initiator of 120 KB of `a (` took 2.3 s per row drawn); time is linear in the line.
 */
const V8_AT = /^\s*at /;
const V8_END = /:(\d+):(\d+)\)?\s*$/;
const GECKO_END = /:(\d+):(\d+)\s*$/;
const LINE_TERMINATOR = /[\r\u2028\u2029]/;

/** `rest` as `[fn <sep>]url<end>`: the frame, or undefined (no end, no required `sep`, a line terminator). */
function frameOf(rest: string, end: RegExp, sep: string, sepRequired: boolean): HarCallFrame | undefined {
  const m = end.exec(rest);
  if (!m) return undefined;
  const head = rest.slice(0, m.index);
  if (LINE_TERMINATOR.test(head)) return undefined;
  const cut = head.indexOf(sep);
  if (cut < 0 && sepRequired) return undefined;
  return {
    functionName: cut < 0 ? '' : head.slice(0, cut),
    url: cut < 0 ? head : head.slice(cut + sep.length),
    lineNumber: Number(m[1]) - 1,
    columnNumber: Number(m[2]) - 1,
  };
}

/** One line of a stack → its call frame (V8 first, then Gecko), or undefined. */
function lineFrame(line: string): HarCallFrame | undefined {
  const at = V8_AT.exec(line);
  return (at && frameOf(line.slice(at[0].length), V8_END, ' (', false)) || frameOf(line, GECKO_END, '@', true);
}

/** A JS stack (V8 `at fn (url:line:col)` or Gecko `fn@url:line:col`) as Chrome's call frames. */
export function callFrames(stack: string): HarCallFrame[] {
  return framesOf(stack, Infinity);
}

/** The first (innermost) call frame of a stack, as callFrames reads it: the list's Initiator column, drawn per row, reads no further. */
export function firstCallFrame(stack: string): HarCallFrame | undefined {
  return framesOf(stack, 1)[0];
}

function framesOf(stack: string, max: number): HarCallFrame[] {
  const frames: HarCallFrame[] = [];
  let from = 0;
  while (frames.length < max && from <= stack.length) {
    const nl = stack.indexOf('\n', from);
    const line = stack.slice(from, nl < 0 ? stack.length : nl);
    from = nl < 0 ? stack.length + 1 : nl + 1;
    const frame = lineFrame(line);
    if (frame) frames.push(frame);
  }
  return frames;
}

/** Chrome's `_initiator` for an entry: its stack, a preflight's request, or "other". */
export function harInitiator(stack: string | undefined, preflightUrl?: string): HarInitiator {
  const frames = stack ? callFrames(stack) : [];
  if (frames.length) return { type: 'script', stack: { callFrames: frames } };
  if (preflightUrl !== undefined) return { type: 'preflight', url: preflightUrl };
  return { type: 'other' };
}

/** Chrome's `_initiator` → a V8-style stack string (or "type url:line" for parser initiators). */
export function stackFromInitiator(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const init = raw as { type?: unknown; url?: unknown; lineNumber?: unknown; stack?: { callFrames?: unknown } };
  const frames = Array.isArray(init.stack?.callFrames) ? init.stack.callFrames : [];
  const lines: string[] = [];
  for (const f of frames as Partial<HarCallFrame>[]) {
    if (!f || typeof f.url !== 'string') continue;
    const where = `${f.url}:${(Number(f.lineNumber) || 0) + 1}:${(Number(f.columnNumber) || 0) + 1}`;
    lines.push(f.functionName ? `    at ${f.functionName} (${where})` : `    at ${where}`);
  }
  if (lines.length) return lines.join('\n');
  if (typeof init.url === 'string' && init.url && typeof init.type === 'string') {
    return typeof init.lineNumber === 'number' ? `${init.type} ${init.url}:${init.lineNumber + 1}` : `${init.type} ${init.url}`;
  }
  return undefined;
}
