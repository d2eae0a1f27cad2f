/**
 * Where a workload's extra main-thread time goes, with netlens against native: one command.
 *
 *   npm run build && BENCH_ROUNDS=5 node --import tsx bench/split.ts [workload…] [--modes native,netlens] [--top N]
 *
 * Modes alternate per round as in the capture bench. Around each workload the Linux scheduler's
 * counters of every thread of our browsers are read (bench/sched.ts), so per mode (medians):
 *  - page task: the page's main-thread task time (Performance.getMetrics TaskDuration), split into
 *    its CPU (ThreadTime) and the rest, time inside its tasks when it did not run;
 *  - run-queue wait: how long the page's renderer main thread waited for a core, in or between
 *    its tasks (schedstat): when it covers the rest, the page was descheduled, not blocked;
 *  - other threads' CPU: every other thread of the browser (the page's renderer's other threads,
 *    the browser process, the network service, netlens's service worker…), listed per thread;
 *  - machine: what all the machine's cores did meanwhile (other work on it included).
 * Threads are named `kind/thread` (bench/sched.ts), the page's own renderer as `page/…`.
 */
import { LABELS, benchArgs, median, startRig, type Mode } from './harness';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delta, offCpu, offCpuInTasks, preemptions, recordSwitches, snapshot, tasksOf, type PerfRecording, type Preemption, type SchedDelta, type Snapshot } from './sched';

const { top: TOP, modes, workloads } = benchArgs(process.argv.slice(2), { top: 14, workloads: ['xhrGets'] });
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Sample {
  task: number;
  cpu: number;
  wall: number;
  sched: SchedDelta;
  preemption?: Preemption;
  /** The page's main-thread tasks in the run (trace) and their time off the core (perf), ms. */
  inTasks?: ReturnType<typeof offCpuInTasks>;
}

/**
 * BENCH_PERF=1: also record the machine's context switches (perf, bench/sched.ts recordSwitches)
 * and a trace of top-level tasks, and say who held the cores while the page's main thread was
 * preempted, and how the time its tasks spent off the core splits into preempted (waiting for a
 * core) and blocked (asleep inside a task: waiting on something synchronous).
 */
const PERF = process.env.BENCH_PERF === '1';

/** Who a thread is, as seen from the page's browser (see Preemption.by). */
function grouper(end: Snapshot, pageBrowser: number, pageTid: number) {
  return (tid: number, comm: string) => {
    const t = end.threads.get(tid);
    if (t) {
      if (t.browser !== pageBrowser) return 'another bench browser';
      const thread = t.thread.replace(/^ThreadPool(Foreg|Backg)\w*$/, 'pool').replace(/\d+$/, '');
      return `${t.pid === pageTid ? 'page' : t.kind}/${thread}`;
    }
    if (existsSync(`/proc/${process.pid}/task/${tid}`)) return 'harness (Node: driver, test servers)';
    if (existsSync(`/proc/${tid}`)) return 'not ours (other work on the machine)';
    // Exited before the run's end: other work's short-lived processes mostly (ours live on).
    return comm.startsWith('Chrome_') || comm.startsWith('ThreadPool') ? `exited: ${comm}` : 'not ours (other work on the machine)';
  };
}

const rig = await startRig(modes);
try {
  for (const w of workloads) {
    const runs: Partial<Record<Mode, Sample[]>> = {};
    for (const m of modes) await rig.run(m, w); // warm-up
    for (let round = 0; round < ROUNDS; round++)
      for (let k = 0; k < modes.length; k++) {
        const m = modes[(k + round) % modes.length];
        let a = snapshot();
        let end: Snapshot | undefined;
        let sched: SchedDelta | undefined;
        let perf: PerfRecording | undefined;
        const file = join(tmpdir(), `netlens-split-${process.pid}.perf`);
        const trace = join(tmpdir(), `netlens-split-${process.pid}.json`);
        /** The workload's span, ms on CLOCK_MONOTONIC (Node's hrtime on Linux, as perf -k and the trace). */
        const span = { from: 0, to: 0 };
        const mono = () => Number(process.hrtime.bigint()) / 1e6;
        const r = await rig.run(m, w, {
          ...(PERF ? { trace, traceCategories: ['toplevel'] } : {}),
          around: {
            start: () => {
              if (PERF) perf = recordSwitches(file);
              a = snapshot();
              span.from = mono();
            },
            end: () => {
              span.to = mono();
              end = snapshot();
              sched = delta(a, end);
            },
          },
        });
        let preemption: Preemption | undefined;
        let inTasks: Sample['inTasks'];
        if (perf) {
          await perf.stop();
          preemption = preemptions(file, sched!.page.tid, grouper(end!, sched!.page.browser, sched!.page.tid));
          const tasks = (await tasksOf(trace, sched!.page.tid)).filter((t) => t.from >= span.from && t.to <= span.to);
          inTasks = offCpuInTasks(tasks, offCpu(file, sched!.page.tid));
          rmSync(file, { force: true });
          rmSync(trace, { force: true });
        }
        (runs[m] ??= []).push({ task: r.task, cpu: r.cpu, wall: r.wall, sched: sched!, preemption, inTasks });
      }
    console.log(`\n${LABELS[w]}: medians of ${ROUNDS} rounds (ms; load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
    const keys = new Set<string>();
    const per: Partial<Record<Mode, Map<string, number>>> = {};
    for (const m of modes) {
      const rs = runs[m]!;
      for (const r of rs) for (const k of r.sched.cpu.keys()) keys.add(k);
      const med = (f: (r: Sample) => number) => median(rs.map(f));
      per[m] = new Map([...keys].map((k) => [k, med((r) => r.sched.cpu.get(k) ?? 0)]));
      const others = med((r) => [...r.sched.cpu].filter(([k]) => k !== 'page/main').reduce((s, [, v]) => s + v, 0));
      console.log(
        `  ${m.padEnd(8)} wall ${med((r) => r.wall).toFixed(0).padStart(5)}  page task ${med((r) => r.task).toFixed(0).padStart(5)} = cpu ${med((r) => r.cpu).toFixed(0).padStart(5)} + not running ${med((r) => r.task - r.cpu).toFixed(0).padStart(4)}` +
          `   page main run ${med((r) => r.sched.page.run).toFixed(0).padStart(5)}, run-queue wait ${med((r) => r.sched.page.wait).toFixed(0).padStart(4)}, preempted ${med((r) => r.sched.page.preempted).toFixed(0).padStart(4)}×   other threads' CPU ${others.toFixed(0).padStart(5)}   machine busy ${med((r) => r.sched.machineBusy).toFixed(0).padStart(5)} of ${med((r) => r.sched.machineTotal).toFixed(0)}`,
      );
    }
    if (PERF) {
      const groups = new Set<string>();
      for (const m of modes) for (const r of runs[m]!) for (const g of r.preemption!.by.keys()) groups.add(g);
      console.log(`  while the page's main thread was preempted (perf sched_switch), who held the cores (ms, medians):`);
      for (const m of modes) {
        const rs = runs[m]!;
        const by = [...groups].map((g) => [g, median(rs.map((r) => r.preemption!.by.get(g) ?? 0))] as const).filter(([, v]) => v >= 1).sort((x, y) => y[1] - x[1]);
        const it = (f: (x: NonNullable<Sample['inTasks']>) => number) => median(rs.map((r) => f(r.inTasks!))).toFixed(0);
        console.log(`  ${m.padEnd(8)} inside its ${it((x) => x.tasks)} tasks (${it((x) => x.inTasks)} ms in the trace) the page's main thread was off its core ${it((x) => x.preempted + x.blocked)} ms: preempted ${it((x) => x.preempted)}, blocked ${it((x) => x.blocked)}`);
        console.log(`  ${m.padEnd(8)} preempted ${median(rs.map((r) => r.preemption!.preemptedMs)).toFixed(0)} ms in ${median(rs.map((r) => r.preemption!.stretches)).toFixed(0)} stretches: ${by.slice(0, TOP).map(([g, v]) => `${g} ${v.toFixed(0)}`).join(', ')}`);
      }
    }
    const rows = [...keys].map((k) => ({ k, v: modes.map((m) => per[m]!.get(k) ?? 0) }));
    rows.sort((a, b) => Math.max(...b.v) - Math.max(...a.v));
    console.log(`  ${'thread CPU (schedstat)'.padEnd(40)} ${modes.map((m) => m.padStart(9)).join(' ')}   Δ vs ${modes[0]}`);
    for (const r of rows.slice(0, TOP)) console.log(`  ${r.k.padEnd(40)} ${r.v.map((v) => v.toFixed(0).padStart(9)).join(' ')}   ${r.v.slice(1).map((v) => (v - r.v[0]).toFixed(0).padStart(6)).join(' ')}`);
  }
} finally {
  await rig.close();
}
