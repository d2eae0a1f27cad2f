/**
 * Where the page's main-thread time goes, per workload, with and without netlens: one command.
 *
 *   npm run build && node --import tsx bench/profile.ts [workload…] [--top N] [--modes native,netlens]
 *
 * A CPU profile (CDP Profiler, 100 µs sampling) of the page target around each workload; prints
 * the top frames by self time (function, script:line), netlens's own frames marked with ◆, and
 * the total self time in netlens's scripts (page script and relay, which share the renderer's
 * main thread); with netlens, the top frames of its service worker over the same run too.
 * BENCH_PROFILE=<dir> keeps the profiles, BENCH_TRACE=<dir> a Chromium trace of each run.
 * Workload `pipeline-burst`: the same over the capture bench's burst of 50,000 server-sent events.
 * Workload `pipeline`: the capture bench's throughput run (50,000 WebSocket message events page →
 * panel port), the page, the service worker and the panel's port profiled over it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import { burstThroughput, throughput } from './capture.bench';
import { printFrames, selfTimes, type Profile } from './cpu-profile';
import { LABELS, WORKLOADS, benchArgs, startRig, type Mode } from './harness';

const { top: TOP, modes, workloads } = benchArgs(process.argv.slice(2), { top: 15, workloads: Object.keys(WORKLOADS) });
const unknown = workloads.filter((w) => !(w in WORKLOADS) && w !== 'pipeline' && w !== 'pipeline-burst');
if (unknown.length) {
  console.error(`unknown workload ${unknown.join(', ')}: one of ${[...Object.keys(WORKLOADS), 'pipeline', 'pipeline-burst'].join(', ')}`);
  process.exit(2);
}

const rig = await startRig(modes);
/**
 * netlens's service worker, profiled around the same runs: on a machine of few cores its time
 * (IndexedDB writes, validation) is taken from the page's thread too.
 */
const worker = modes.includes('netlens') ? await (await rig.netlens.browser.waitForTarget((t) => t.type() === 'service_worker')).createCDPSession() : undefined;
await worker?.send('Profiler.enable');
await worker?.send('Profiler.setSamplingInterval', { interval: 100 });
/** The throughput run (`burst`: the SSE burst's) with the page, the worker and the panel probe profiled. */
async function pipeline(run: typeof throughput = throughput, label = 'pipeline') {
  const sessions: { name: string; cdp: CDPSession }[] = [];
  if (worker) sessions.push({ name: "netlens's service worker", cdp: worker });
  const profiles: { name: string; profile: Profile }[] = [];
  const result = await run(rig, async (page, probe) => {
    sessions.push({ name: 'the page', cdp: await page.createCDPSession() }, { name: 'the panel port (an extension page)', cdp: await probe.createCDPSession() });
    for (const { cdp } of sessions) {
      if (cdp !== worker) await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    return async () => {
      for (const { name, cdp } of sessions) profiles.push({ name, profile: (await cdp.send('Profiler.stop')).profile as Profile });
    };
  });
  console.log(`\n== ${label}: ${result.received}/${result.events} events in ${result.seconds.toFixed(2)} s = ${result.eventsPerSecond.toFixed(0)} events/s`);
  for (const { name, profile } of profiles) {
    const { frames, total, ours } = selfTimes(profile);
    if (process.env.BENCH_PROFILE) {
      mkdirSync(process.env.BENCH_PROFILE, { recursive: true });
      // (pipeline-worker, pipeline-page, pipeline-panel: the last word of the name told the page and the panel's extension page apart by `page` alone.)
      const slug = name.includes('worker') ? 'worker' : name.includes('panel') ? 'panel' : 'page';
      writeFileSync(join(process.env.BENCH_PROFILE, `${label}-${slug}.cpuprofile`), JSON.stringify(profile));
    }
    console.log(`  -- ${name}: sampled non-idle ${total.toFixed(0)} ms, netlens scripts ${ours.toFixed(0)} ms`);
    printFrames(frames, TOP);
  }
}

try {
  if (workloads.includes('pipeline')) await pipeline();
  if (workloads.includes('pipeline-burst')) await pipeline(burstThroughput, 'pipeline-burst');
  for (const w of workloads.filter((x) => x !== 'pipeline' && x !== 'pipeline-burst')) {
    console.log(`\n== ${LABELS[w] ?? w}`);
    for (const mode of modes) {
      await rig.run(mode, w); // warm-up
      const profiled = mode === 'netlens' ? worker : undefined;
      await profiled?.send('Profiler.start');
      // BENCH_TRACE=<dir>: a Chromium trace of the same run too (every task and what ran in it).
      const trace = process.env.BENCH_TRACE ? join(process.env.BENCH_TRACE, `${w}-${mode}.trace.json`) : undefined;
      if (trace) mkdirSync(process.env.BENCH_TRACE!, { recursive: true });
      const run = await rig.run(mode, w, { profile: true, trace });
      const workerProfile = profiled ? ((await profiled.send('Profiler.stop')).profile as Profile) : undefined;
      const { frames, total, ours } = selfTimes(run.profile as Profile);
      // BENCH_PROFILE=<dir>: the profile too, to open in DevTools (Performance → Load profile).
      if (process.env.BENCH_PROFILE) {
        mkdirSync(process.env.BENCH_PROFILE, { recursive: true });
        writeFileSync(join(process.env.BENCH_PROFILE, `${w}-${mode}.cpuprofile`), JSON.stringify(run.profile));
      }
      console.log(`  -- ${mode}: main thread ${run.task.toFixed(0)} ms (TaskDuration), wall ${run.wall.toFixed(0)} ms; sampled non-idle ${total.toFixed(0)} ms, netlens scripts ${ours.toFixed(0)} ms`);
      printFrames(frames, TOP);
      if (workerProfile) {
        const wp = selfTimes(workerProfile);
        if (process.env.BENCH_PROFILE) writeFileSync(join(process.env.BENCH_PROFILE, `${w}-${mode}-worker.cpuprofile`), JSON.stringify(workerProfile));
        console.log(`  -- netlens's service worker meanwhile: busy ${wp.total.toFixed(0)} ms`);
        printFrames(wp.frames, Math.min(TOP, 8), false);
      }
    }
  }
} finally {
  await rig.close();
}
