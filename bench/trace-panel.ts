/**
 * Where the panel's renderer spends its CPU in a Chromium trace of the panel bench's live part
 * (`BENCH_TRACE=<dir>`, which writes <dir>/live.trace.json):
 *
 *   node --import tsx bench/trace-panel.ts /tmp/trace/live.trace.json
 *
 * The panel's main thread is the one running the panel's script (assets/panel-*.js). Its tasks are
 * sorted by what they did: a frame with a redraw in it (the list rendered in an animation frame),
 * a redraw outside a frame (in a timer) and the frame after it, a frame with nothing redrawn (a
 * scroll event, a resize), a message from the background (records applied), garbage collection,
 * and the rest; with their CPU time (the trace's thread time, which does not count what other
 * processes take from the thread on a loaded machine). Then the raster work of the panel's process
 * (its other threads). The trace is read a line at a time (they run to a gigabyte).
 */
import { traceEvents, type TraceEvent as AnyEvent } from './trace-threads';

/** The fields this script reads, all present on the events it keeps. */
type TraceEvent = AnyEvent & { name: string; ph: string; ts: number; pid: number; tid: number };
const events = traceEvents as (file: string) => AsyncGenerator<TraceEvent>;

const file = process.argv[2];
if (!file) throw new Error('usage: node --import tsx bench/trace-panel.ts <live.trace.json>');

// First pass: the panel's main thread.
let panel: { pid: number; tid: number } | undefined;
for await (const e of events(file)) {
  if (e.name === 'FunctionCall' && /\/assets\/panel-[^/]*\.js$/.test(e.args?.data?.url ?? '')) {
    panel = { pid: e.pid, tid: e.tid };
    break;
  }
}
if (!panel) throw new Error('no panel script ran in this trace');

// Second pass: the main thread's complete events and its marks of a DOM changed, and the process's raster tasks.
const DOM_CHANGED = new Set(['ScheduleStyleRecalculation', 'InvalidateLayout']);
const main: TraceEvent[] = [];
const raster = { n: 0, cpu: 0 };
for await (const e of events(file)) {
  if (e.pid !== panel.pid) continue;
  if (e.tid === panel.tid && (e.ph === 'X' || ((e.ph === 'I' || e.ph === 'i') && DOM_CHANGED.has(e.name)))) main.push(e);
  if (e.ph !== 'X') continue;
  else if (e.name === 'RasterTask') {
    raster.n++;
    raster.cpu += e.tdur ?? 0;
  }
}
main.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

// Top-level tasks with what ran inside them.
const tasks: { ts: number; end: number; cpu: number; inner: TraceEvent[] }[] = [];
for (const e of main) {
  const last = tasks.at(-1);
  if (e.ph === 'X' && e.name === 'RunTask' && (!last || e.ts >= last.end)) tasks.push({ ts: e.ts, end: e.ts + (e.dur ?? 0), cpu: e.tdur ?? 0, inner: [] });
  else if (last && e.ts < last.end) last.inner.push(e);
}

/** A redraw: a frame callback or a timer that changed the DOM (the panel's render, from the store's revision). */
const redraws = (t: (typeof tasks)[number]) => t.inner.some((e) => (e.name === 'FireAnimationFrame' || e.name === 'TimerFire') && t.inner.some((m) => DOM_CHANGED.has(m.name) && m.ts >= e.ts && m.ts <= e.ts + (e.dur ?? 0)));
const kinds = new Map<string, { n: number; cpu: number }>();
let renderedOutsideFrame = false;
for (const t of tasks) {
  const names = new Set(t.inner.map((e) => e.name));
  const frame = names.has('WebFrameWidgetImpl::UpdateLifecycle');
  const redraw = redraws(t) && (frame ? names.has('FireAnimationFrame') : names.has('TimerFire'));
  let kind: string;
  if (frame) {
    kind = redraw ? 'frame with a redraw' : renderedOutsideFrame ? 'frame after a redraw in a timer' : 'frame, nothing redrawn';
    renderedOutsideFrame = false;
  } else if (redraw) {
    kind = 'redraw in a timer';
    renderedOutsideFrame = true;
  } else if (names.has('Receive mojo message')) kind = 'message (records applied)';
  else if (names.has('MajorGC') || names.has('MinorGC')) kind = 'garbage collection';
  else kind = 'other';
  const k = kinds.get(kind) ?? { n: 0, cpu: 0 };
  k.n++;
  k.cpu += t.cpu;
  kinds.set(kind, k);
}

const span = tasks.length ? (tasks.at(-1)!.end - tasks[0].ts) / 1e6 : 0;
const total = [...kinds.values()].reduce((s, k) => s + k.cpu, 0);
console.log(`panel main thread (pid ${panel.pid}): ${tasks.length} tasks over ${span.toFixed(1)} s, CPU ${(total / 1000).toFixed(0)} ms (${(total / 1000 / span).toFixed(1)} ms per second)`);
for (const [kind, k] of [...kinds].sort((a, b) => b[1].cpu - a[1].cpu)) {
  console.log(`  ${kind.padEnd(34)} ${String(k.n).padStart(6)} × ${(k.cpu / k.n / 1000).toFixed(2).padStart(6)} ms = ${(k.cpu / 1000).toFixed(0).padStart(6)} ms CPU  (${((k.n / span) | 0) === 0 ? (k.n / span).toFixed(2) : (k.n / span).toFixed(1)} per second)`);
}
console.log(`panel process raster: ${raster.n} tasks, CPU ${(raster.cpu / 1000).toFixed(0)} ms`);
