/**
 * Where watching a tab costs (issue #12), in one command: the panel bench's live workload with
 * netlens as released, a CPU profile (CDP Profiler, 200 µs samples) of netlens's panel and its
 * service worker over the run, printed as the top frames by self time (◆: netlens's scripts).
 *
 *   npm run build && node --import tsx bench/profile-panel.ts [devtools|tab|elements] [--top N]
 *
 * `devtools` (default): DevTools open on the page, showing netlens's panel; the panel and
 * netlens's DevTools page share the extension renderer's main thread, so its profile holds both.
 * `elements`: DevTools open on its first panel (the DevTools page forwarding the wire view alone).
 * `tab`: the panel opened as a tab, in a window of its own. BENCH_LIVE_FETCHES (default 3,000
 * here), BENCH_PROFILE=<dir> keeps the profiles.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import { launch } from '../src/cli/chromium';
import { startServers } from '../src/cli/server';
import { printFrames, selfTimes, type Profile } from './cpu-profile';

process.env.BENCH_LIVE_FETCHES ??= '3000';
// Loaded after the default above: panel.bench reads it when loaded.
const { LIVE_FETCHES, openPanel, runWorkload, settled } = await import('./panel.bench');
const { openDevTools } = await import('./panel-devtools.bench');

const args = process.argv.slice(2);
const where = (args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'devtools') as 'devtools' | 'tab' | 'elements';
if (!['devtools', 'tab', 'elements'].includes(where)) {
  console.error(`unknown place ${where}: one of devtools, tab, elements`);
  process.exit(2);
}
// Without --top, indexOf's -1 would read the place's name as the count.
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25;

const root = resolve(import.meta.dirname, '..');
const servers = await startServers([resolve(root, 'test/fixtures/pages')]);
const session = await launch(resolve(root, process.env.NETLENS_DIST ?? 'dist'));
try {
  const page = await session.browser.newPage();
  await page.goto(`${servers.a}/basic.html`);
  const profiled: { name: string; cdp: CDPSession }[] = [];
  if (where === 'tab') {
    const panel = await openPanel(session, await session.tabIdOf(page), true);
    await settled(panel);
    profiled.push({ name: "netlens's panel (a tab)", cdp: await panel.createCDPSession() });
  } else {
    await openDevTools(session.extensionId, page, where === 'devtools' ? 'netlens' : 'elements');
    // The extension's frames in DevTools are targets of their own; the panel's and the DevTools
    // page's share one thread: one profile of it.
    const frame = await session.browser.waitForTarget((t) => t.url().includes('/src/devtools/devtools.html'));
    profiled.push({ name: where === 'devtools' ? "the extension renderer in DevTools (netlens's panel and DevTools page)" : "netlens's DevTools page", cdp: await frame.createCDPSession() });
  }
  const worker = await session.browser.waitForTarget((t) => t.type() === 'service_worker');
  profiled.push({ name: "netlens's service worker", cdp: await worker.createCDPSession() });
  for (const { cdp } of profiled) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const run = await runWorkload(page);
  // What the last responses left to do (writing, drawing) belongs to the run too.
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`${LIVE_FETCHES.toLocaleString('en')} fetches in batches, the panel ${where === 'tab' ? 'as a tab' : where === 'devtools' ? 'in DevTools' : 'not shown (DevTools on its first panel)'}: the page ran ${(run.ms / 1000).toFixed(1)} s`);
  for (const { name, cdp } of profiled) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    const { frames, total, ours } = selfTimes(profile);
    if (process.env.BENCH_PROFILE) {
      mkdirSync(process.env.BENCH_PROFILE, { recursive: true });
      writeFileSync(join(process.env.BENCH_PROFILE, `panel-${where}-${name.includes('worker') ? 'worker' : 'panel'}.cpuprofile`), JSON.stringify(profile));
    }
    console.log(`\n  -- ${name}: sampled non-idle ${total.toFixed(0)} ms, netlens scripts ${ours.toFixed(0)} ms`);
    printFrames(frames, top);
  }
} finally {
  await session.close();
  await servers.close();
}
