import type { HarCallFrame, HarInitiator } from './types';

const V8_FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?\s*$/;
const GECKO_FRAME = /^(.*?)@(.*?):(\d+):(\d+)\s*$/;

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
    const m = V8_FRAME.exec(line) ?? GECKO_FRAME.exec(line);
    if (!m) continue;
    frames.push({
      functionName: m[1] ?? '',
      url: m[2],
      lineNumber: Number(m[3]) - 1,
      columnNumber: Number(m[4]) - 1,
    });
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
