/**
 * When the capture bench's SSE burst (50,000 events written at once, `/api/sse-burst`) reaches the
 * page and when it reaches a panel's port: one command to see whether the pipeline's wall time is
 * the page's or waits behind it.
 *
 *   npm run build && node --import tsx bench/burst-timeline.ts [--modes native,netlens,before] [--rounds N]
 *
 * Per run, ms from the source's open event: the page's clock at every 5,000th event; with an
 * extension, the panel's port's arrival of the events at quantiles of the burst (page → panel), and
 * its messages (arrival:events); and when a 25 ms timer armed at open fired (a page busy reading
 * the burst runs its timers, and its port messages, late: native too). `before` needs
 * BENCH_BEFORE_DIST=<a built dist/>, as in the capture bench.
 */
import type { Page } from 'puppeteer-core';
import { PANEL_PORT, PROTOCOL_VERSION } from '../src/shared/protocol';
import { startRig, type Mode } from './harness';

const EVENTS = 50_000;
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const modes = (flag('--modes') ?? 'native,netlens').split(',') as ('native' | 'netlens' | 'before')[];
const rounds = Number(flag('--rounds') ?? 2);

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

/** A panel's port (an extension page) counting the tab's message rows: arrival and page timestamp of each message. */
async function probeOf(mode: 'netlens' | 'before', rig: Awaited<ReturnType<typeof startRig>>, tabId: number): Promise<Page> {
  const session = mode === 'before' ? rig.before! : rig.netlens;
  const probe = await session.browser.newPage({ type: 'window' });
  await probe.goto(`chrome-extension://${session.extensionId}/src/devtools/panel.html`);
  await probe.evaluate(
    (id: number, portName: string, v: number) => {
      const p = { arrived: [] as number[], stamped: [] as number[], messages: [] as string[] };
      (globalThis as unknown as { probe: typeof p }).probe = p;
      type Row = { ev?: { type: string; t: number }; t?: number[] };
      const port = chrome.runtime.connect({ name: portName });
      port.onMessage.addListener((m: { type: string; rows?: Row[]; records?: Row[] }) => {
        const list = m.type === 'rows' ? m.rows : m.type === 'records' || m.type === 'snapshot' ? m.records : undefined;
        if (!list) return;
        const now = performance.timeOrigin + performance.now();
        let n = 0;
        for (const r of list) {
          const ts = r.ev ? (r.ev.type === 'message' ? [r.ev.t] : []) : (r.t ?? []);
          for (const t of ts) p.arrived.push(now), p.stamped.push(t), n++;
        }
        p.messages.push(`${Math.round(now)}:${n}`);
      });
      port.postMessage({ type: 'subscribe', v, tabId: id });
    },
    tabId,
    PANEL_PORT,
    PROTOCOL_VERSION,
  );
  return probe;
}

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
      const session = mode === 'before' ? rig.before! : rig.netlens;
      const { page, tabId } = await session.openTab();
      await page.goto(rig.url);
      const probe = await probeOf(mode, rig, tabId);
      const r = (await page.evaluate(PAGE_SCRIPT)) as PageRecord;
      const deadline = Date.now() + 60_000;
      while (((await probe.evaluate('probe.arrived.length')) as number) < EVENTS && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      const p = (await probe.evaluate('probe')) as { arrived: number[]; stamped: number[]; messages: string[] };
      const at = (q: number) => Math.min(p.arrived.length - 1, Math.floor(q * p.arrived.length));
      const ms = (epoch: number) => Math.round(epoch - r.epoch0);
      const last = p.arrived[p.arrived.length - 1];
      console.log(
        `${mode.padEnd(7)} round ${round + 1}: ${p.arrived.length}/${EVENTS} at the panel in ${ms(last)} ms = ${Math.round(p.arrived.length / (ms(last) / 1000))} events/s; page every 5,000 events ${r.every.join(' ')}; 25 ms timer from open fired at ${r.timers.join(' ')}`,
      );
      console.log(`   page → panel at quantiles: ${[0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map((q) => `${q}: ${ms(p.stamped[at(q)])} → ${ms(p.arrived[at(q)])}`).join(' | ')}`);
      console.log(`   panel messages (ms:events): ${p.messages.map((m) => `${ms(Number(m.split(':')[0]))}:${m.split(':')[1]}`).join(' ')}`);
      await probe.close();
      await page.close();
    }
  }
} finally {
  await rig.close();
}
