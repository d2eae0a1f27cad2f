/**
 * The Linux scheduler's view of this process's browsers (every descendant of this Node process):
 * per thread, the CPU time it ran and the time it waited on a run queue for a core
 * (/proc/<pid>/task/<tid>/schedstat: run ns, run-queue wait ns, slices), and the machine's busy
 * time (/proc/stat). Two snapshots around a workload tell apart a page thread that waited for a
 * core (run-queue wait grows) from one blocked on something (neither grows while its task lasts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { traceEvents } from './trace-threads';

export interface ThreadStat {
  pid: number;
  /** The browser it belongs to: its ancestor process started by this Node process. */
  browser: number;
  tid: number;
  /** `browser`, `renderer`, `extension` (an extension's renderer), `gpu`, `network`, `storage`, `utility`… */
  kind: string;
  /** The thread's name (/proc comm, cut at 15 characters); a process's main thread is `main`. */
  thread: string;
  runNs: number;
  waitNs: number;
  /** Times it was taken off its core while it could still run (another thread's turn): /proc status nonvoluntary_ctxt_switches. */
  preempted: number;
}

export interface Snapshot {
  threads: Map<number, ThreadStat>;
  /** Machine busy and total jiffies (all cores). */
  busy: number;
  total: number;
}

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function kindOf(cmdline: string): string {
  const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
  if (!type) return 'browser';
  if (type === 'renderer') return cmdline.includes('--extension-process') ? 'extension' : 'renderer';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') {
    const sub = /--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1] ?? '';
    return sub.includes('Network') ? 'network' : sub.includes('Storage') ? 'storage' : `utility:${sub}`;
  }
  return type;
}

/** Every thread of every process descending from `root` (default: this process). */
export function snapshot(root = process.pid): Snapshot {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = read(`/proc/${d}/stat`);
    if (!stat) continue;
    // pid (comm) state ppid …: comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parent.set(Number(d), ppid);
  }
  /** The ancestor whose parent is `root`, or undefined when not below it. */
  const browserOf = (pid: number) => {
    for (let c = pid, p = parent.get(pid), n = 0; p !== undefined && n < 64; c = p, p = parent.get(p), n++) if (p === root) return c;
    return undefined;
  };
  const threads = new Map<number, ThreadStat>();
  for (const pid of parent.keys()) {
    const browser = browserOf(pid);
    if (browser === undefined) continue;
    const cmdline = read(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ') ?? '';
    if (!/chrom/i.test(cmdline)) continue;
    const kind = kindOf(cmdline);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const s = read(`/proc/${pid}/task/${t}/schedstat`);
      if (!s) continue;
      const [runNs, waitNs] = s.trim().split(' ').map(Number);
      // A process's main thread carries the process's name: called `main` here.
      const thread = Number(t) === pid ? 'main' : (read(`/proc/${pid}/task/${t}/comm`) ?? '?').trim();
      const preempted = Number(/nonvoluntary_ctxt_switches:\s*(\d+)/.exec(read(`/proc/${pid}/task/${t}/status`) ?? '')?.[1] ?? 0);
      threads.set(Number(t), { pid, browser, tid: Number(t), kind, thread, runNs, waitNs, preempted });
    }
  }
  const cpu = read('/proc/stat')!.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return { threads, busy: total - idle, total };
}

export interface SchedDelta {
  /** The page's renderer main thread (the busiest renderer's main thread): ms run, ms waited for a core. */
  page: { run: number; wait: number; preempted: number; tid: number; browser: number };
  /** ms run per `kind/thread` (the page's renderer as `page/…`), pool workers merged. */
  cpu: Map<string, number>;
  /** ms the machine's cores were busy in all (every process, ours or not), and cores × wall. */
  machineBusy: number;
  machineTotal: number;
}

const JIFFY_MS = 10;

export function delta(a: Snapshot, b: Snapshot): SchedDelta {
  const d: { t: ThreadStat; run: number; wait: number; preempted: number }[] = [];
  for (const t of b.threads.values()) {
    const o = a.threads.get(t.tid);
    d.push({ t, run: (t.runNs - (o?.runNs ?? 0)) / 1e6, wait: (t.waitNs - (o?.waitNs ?? 0)) / 1e6, preempted: t.preempted - (o?.preempted ?? 0) });
  }
  const page = d.filter((x) => x.t.thread === 'main' && x.t.kind === 'renderer').sort((x, y) => y.run - x.run)[0];
  const cpu = new Map<string, number>();
  for (const x of d) {
    const thread = x.t.thread.replace(/^ThreadPool(Foreg|Backg)\w*$/, 'pool').replace(/\d+$/, '');
    const k = `${page && x.t.pid === page.t.pid ? 'page' : x.t.kind}/${thread}`;
    cpu.set(k, (cpu.get(k) ?? 0) + x.run);
  }
  return {
    page: { run: page?.run ?? 0, wait: page?.wait ?? 0, preempted: page?.preempted ?? 0, tid: page?.t.tid ?? 0, browser: page?.t.browser ?? 0 },
    cpu,
    machineBusy: (b.busy - a.busy) * JIFFY_MS,
    machineTotal: (b.total - a.total) * JIFFY_MS,
  };
}

/**
 * Who ran while the page's main thread waited for a core: a system-wide `perf record` of
 * sched_switch around a workload (needs perf and the sched tracepoints; root in this container).
 * Each stretch the page's main thread spent preempted (switched out still runnable, state R)
 * until it ran again is shared out among the threads that held the machine's cores meanwhile,
 * weighted by the time each held one, divided by the number of cores: so the figures add up to
 * the page's run-queue wait while preempted (wakeup latency, waiting after a sleep, is not in it).
 */
export interface PerfRecording {
  stop(): Promise<string>;
}

export function recordSwitches(file: string): PerfRecording {
  // CLOCK_MONOTONIC: the clock of Chromium's trace timestamps on Linux, so the two line up.
  const child = spawn('perf', ['record', '-q', '-k', 'CLOCK_MONOTONIC', '-e', 'sched:sched_switch', '-a', '-o', file], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      return file;
    },
  };
}

export interface Preemption {
  /** ms the page's main thread was preempted (runnable, not running), all stretches. */
  preemptedMs: number;
  stretches: number;
  /** Who held the cores meanwhile (ms, shared out as above), by `group` of the thread. */
  by: Map<string, number>;
}

/**
 * `pageTid`: the page's renderer main thread; `groupOf(tid)`: a name for the thread's owner (e.g.
 * `netlens browser/main`, `harness`, `not ours`).
 */
const perfScript = (file: string) => execFileSync('perf', ['script', '-i', file, '-F', 'cpu,time,trace'], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

export function preemptions(file: string, pageTid: number, groupOf: (tid: number, comm: string) => string): Preemption {
  const text = perfScript(file);
  const line = /\[(\d+)\]\s+([\d.]+):\s+prev_comm=(.*?) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)/;
  /** Per CPU: who runs since when (s). */
  const running = new Map<number, { tid: number; comm: string; since: number }>();
  let waitingSince: number | undefined;
  /** Core time per group while the page waits (s). */
  const held = new Map<string, number>();
  let preempted = 0;
  let stretches = 0;
  const charge = (cpu: number, now: number) => {
    const r = running.get(cpu);
    if (!r || waitingSince === undefined) return;
    const from = Math.max(r.since, waitingSince);
    if (now <= from) return;
    const g = r.tid === 0 ? 'idle' : groupOf(r.tid, r.comm);
    held.set(g, (held.get(g) ?? 0) + (now - from));
  };
  for (const l of text.split('\n')) {
    const m = line.exec(l);
    if (!m) continue;
    const cpu = Number(m[1]);
    const t = Number(m[2]);
    const prev = Number(m[4]);
    const next = Number(m[7]);
    // What ran on this CPU up to now, charged while the page waits.
    charge(cpu, t);
    if (prev === pageTid && m[5].startsWith('R') && waitingSince === undefined) {
      waitingSince = t;
      stretches++;
    }
    if (next === pageTid && waitingSince !== undefined) {
      // Charge the other CPUs up to now too, then the stretch ends.
      for (const c of running.keys()) if (c !== cpu) charge(c, t);
      for (const [c, r] of running) if (c !== cpu) running.set(c, { ...r, since: t });
      preempted += t - waitingSince;
      waitingSince = undefined;
    }
    running.set(cpu, { tid: next, comm: m[6], since: t });
  }
  const cores = Math.max(1, running.size);
  const by = new Map([...held].map(([g, s]) => [g, (s / cores) * 1000]));
  return { preemptedMs: preempted * 1000, stretches, by };
}

/** A stretch a thread spent off its core (ms, CLOCK_MONOTONIC): `preempted` (still runnable) or `blocked` (asleep: waiting on something). */
export interface OffCpu {
  from: number;
  to: number;
  why: 'preempted' | 'blocked';
}

/** Every stretch `tid` spent off its core in a recordSwitches file. */
export function offCpu(file: string, tid: number): OffCpu[] {
  const line = /\[(\d+)\]\s+([\d.]+):\s+prev_comm=.*? prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=.*? next_pid=(\d+)/;
  const out: OffCpu[] = [];
  let open: { from: number; why: OffCpu['why'] } | undefined;
  for (const l of perfScript(file).split('\n')) {
    const m = line.exec(l);
    if (!m) continue;
    const t = Number(m[2]) * 1000;
    if (Number(m[3]) === tid) open = { from: t, why: m[4].startsWith('R') ? 'preempted' : 'blocked' };
    if (Number(m[5]) === tid && open) {
      out.push({ ...open, to: t });
      open = undefined;
    }
  }
  return out;
}

/**
 * The page's main-thread tasks (ThreadControllerImpl::RunTask of thread `tid`, ms on
 * CLOCK_MONOTONIC) in a Chromium trace of category `toplevel`, read a line at a time.
 */
export async function tasksOf(traceFile: string, tid: number): Promise<{ from: number; to: number }[]> {
  const out: { from: number; to: number }[] = [];
  for await (const e of traceEvents(traceFile, 'ThreadControllerImpl::RunTask')) {
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.tid === tid && e.ts !== undefined && e.dur !== undefined) out.push({ from: e.ts / 1000, to: (e.ts + e.dur) / 1000 });
  }
  return out.sort((a, b) => a.from - b.from);
}

/** How much of `tasks` their thread spent off its core, by why (ms): the split of TaskDuration − CPU. */
export function offCpuInTasks(tasks: { from: number; to: number }[], off: OffCpu[]): { inTasks: number; preempted: number; blocked: number; tasks: number } {
  let preempted = 0;
  let blocked = 0;
  let inTasks = 0;
  let j = 0;
  for (const t of tasks) {
    inTasks += t.to - t.from;
    while (j < off.length && off[j].to <= t.from) j++;
    for (let k = j; k < off.length && off[k].from < t.to; k++) {
      const overlap = Math.min(t.to, off[k].to) - Math.max(t.from, off[k].from);
      if (overlap <= 0) continue;
      if (off[k].why === 'preempted') preempted += overlap;
      else blocked += overlap;
    }
  }
  return { inTasks, preempted, blocked, tasks: tasks.length };
}
