/**
 * When the capture bench's SSE burst (50,000 events written at once, `/api/sse-burst`) reaches the
 * page and when it reaches a panel's port: one command to see whether the pipeline's wall time is
 * the page's or waits behind it.
 *
 *   npm run build && BENCH_ROUNDS=2 node --import tsx bench/burst-timeline.ts [--modes native,netlens,before]
 *
 * Per run, ms from the source's open event: the page's clock at every 5,000th event; with an
 * extension, the panel's port's arrival of the events at quantiles of the burst (page → panel), and
 * its messages (arrival:events); and when a 25 ms timer armed at open fired (a page busy reading
 * the burst runs its timers, and its port messages, late: native too). `before` needs
 * BENCH_BEFORE_DIST=<a built dist/>, as in the capture bench.
 */
import { openRun, waitForCount, type PipelineMode } from './capture.bench';
import { benchArgs, startRig, type Mode } from './harness';

const EVENTS = 50_000;
const modes = benchArgs(process.argv.slice(2), { top: 0, workloads: [] }).modes as ('native' | PipelineMode)[];
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

/** What the page records (a string: tsx would wrap a named inner function in a helper the page does not have). */
const PAGE_SCRIPT = `new Promise((done) => {
  const es = new EventSource('/api/sse-burst?n=${EVENTS}');
  const r = { t0: 0, every: [], timers: [] };
  let k = 0;
  let ended = false;
  const since = () => Math.round(performance.now() - r.t0);
  // Five ticks, or until the first once the burst ended (resolved then).
  const tick = () => { r.timers.push(since()); if (ended) done(r); else if (r.timers.length < 5) setTimeout(tick, 25); };
  es.onopen = () => { r.t0 = performance.now(); r.epoch0 = performance.timeOrigin + r.t0; setTimeout(tick, 25); };
  es.onmessage = (e) => {
    if (++k % 5000 === 0) r.every.push(since());
    if (e.lastEventId === '${EVENTS}') { es.close(); r.last = since(); ended = true; if (r.timers.length >= 5) done(r); }
  };
})`;
type PageRecord = { t0: number; epoch0: number; last: number; every: number[]; timers: number[] };

const rig = await startRig(['native', ...(modes.includes('before') ? (['before'] as Mode[]) : [])]);
try {
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      if (mode === 'native') {
        const page = await rig.browser('native').newPage();
        await page.goto(rig.url);
        const r = (await page.evaluate(PAGE_SCRIPT)) as PageRecord;
        console.log(`native  round ${round + 1}: ${EVENTS} events in ${r.last} ms = ${Math.round(EVENTS / (r.last / 1000))} events/s; page every 5,000 events ${r.every.join(' ')}; 25 ms timer from open fired at ${r.timers.join(' ')}`);
        await page.close();
        continue;
      }
      const { page, probe } = await openRun(rig, undefined, mode);
      const r = (await page.evaluate(PAGE_SCRIPT)) as PageRecord;
      const p = await waitForCount(probe, EVENTS, 60_000);
      // Each event's arrival (its port message's) and page timestamp (arrival − latency).
      const arrived = p.arrivals.flatMap(([at, n]) => Array<number>(n).fill(at));
      const stamped = arrived.map((at, i) => at - p.latencies[i]);
      const at = (q: number) => Math.min(arrived.length - 1, Math.floor(q * arrived.length));
      const ms = (epoch: number) => Math.round(epoch - r.epoch0);
      const last = arrived[arrived.length - 1];
      console.log(
        `${mode.padEnd(7)} round ${round + 1}: ${arrived.length}/${EVENTS} at the panel in ${ms(last)} ms = ${Math.round(arrived.length / (ms(last) / 1000))} events/s; page every 5,000 events ${r.every.join(' ')}; 25 ms timer from open fired at ${r.timers.join(' ')}`,
      );
      console.log(`   page → panel at quantiles: ${[0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map((q) => `${q}: ${ms(stamped[at(q)])} → ${ms(arrived[at(q)])}`).join(' | ')}`);
      console.log(`   panel messages (ms:events): ${p.arrivals.map(([t, n]) => `${ms(t)}:${n}`).join(' ')}`);
      await probe.close();
      await page.close();
    }
  }
} finally {
  await rig.close();
}
