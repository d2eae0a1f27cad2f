/**
 * CPU time per thread in a Chromium trace recorded with the `toplevel` category: the thread time
 * (`tdur`) of each thread's top-level tasks (`ThreadControllerImpl::RunTask` on a thread with a
 * message loop, `ThreadPool_RunTask` on a pool worker), summed. Unlike wall time, what other
 * processes take from a thread on a loaded machine is not counted.
 *
 * The trace is read a line at a time: a minute of a busy browser runs past the half gigabyte a
 * Node string can hold.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ThreadTime {
  /** The trace's process name: "Browser", "Renderer", "Extension Renderer", "GPU Process"… */
  process: string;
  pid: number;
  /** The thread's name, a pool's workers as one: "CrRendererMain", "ServiceWorker thread", "pool"… */
  thread: string;
  /** CPU ms. */
  ms: number;
}

/** A Chromium trace event, the fields the bench scripts read. */
export interface TraceEvent {
  ph?: string;
  name?: string;
  pid?: number;
  tid?: number;
  /** µs on the trace clock (CLOCK_MONOTONIC). */
  ts?: number;
  dur?: number;
  tdur?: number;
  args?: { name?: unknown; data?: { url?: string; functionName?: string; type?: string } };
}

/**
 * The events of a Chromium trace file (puppeteer's tracing: one event per line), read a line at a
 * time (see above); with `mustInclude`, only the lines that contain it are parsed (a filter to skip
 * most of a gigabyte). A line cut short at the end of the trace is skipped.
 */
export async function* traceEvents(file: string, mustInclude?: string): AsyncGenerator<TraceEvent> {
  for await (let line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line.startsWith('{') || (mustInclude !== undefined && !line.includes(mustInclude))) continue;
    if (line.endsWith(',')) line = line.slice(0, -1);
    let e: TraceEvent;
    try {
      e = JSON.parse(line) as TraceEvent;
    } catch {
      continue;
    }
    yield e;
  }
}

const TASKS = new Set(['ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);

/** Per process and thread (pool workers merged), the busiest first. */
export async function threadTimes(file: string): Promise<ThreadTime[]> {
  const threadNames = new Map<string, string>();
  const processNames = new Map<number, string>();
  const byThread = new Map<string, number>();
  for await (const e of traceEvents(file)) {
    if (e.pid === undefined) continue;
    if (e.ph === 'M') {
      if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, String(e.args?.name));
      else if (e.name === 'process_name') processNames.set(e.pid, String(e.args?.name));
      continue;
    }
    if (e.ph !== 'X' || !TASKS.has(e.name ?? '') || typeof e.tdur !== 'number') continue;
    const key = `${e.pid}:${e.tid}`;
    byThread.set(key, (byThread.get(key) ?? 0) + e.tdur / 1000);
  }
  const merged = new Map<string, ThreadTime>();
  for (const [key, ms] of byThread) {
    const pid = Number(key.split(':')[0]);
    const name = threadNames.get(key) ?? '?';
    const thread = /^ThreadPool\w*Worker$/.test(name) ? 'pool' : name;
    const id = `${pid}:${thread}`;
    const t = merged.get(id) ?? { process: processNames.get(pid) ?? '?', pid, thread, ms: 0 };
    t.ms += ms;
    merged.set(id, t);
  }
  return [...merged.values()].sort((a, b) => b.ms - a.ms);
}
