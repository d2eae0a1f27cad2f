/**
 * What the capture bench and the profile script share: the issue's workloads, the ways to run a
 * page (native, netlens, the peers xhook and ajax-hook, DevTools' own Network recording), and the
 * page's main-thread time read from the DevTools protocol (Performance.getMetrics TaskDuration).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type CDPSession } from 'puppeteer-core';
import { QUIET_FLAGS, findChromium, launch, type Session } from '../src/cli/chromium';
import { startServers, type Origins } from '../src/cli/server';
import { threadTimes } from './trace-threads';

export const ROOT = resolve(import.meta.dirname, '..');

/** The workloads (sizes as in issue #11). Each is a page function returning a promise. */
export const WORKLOADS: Record<string, string> = {
  xhrGets: `async () => { for (let i = 0; i < 600; i++) await new Promise((r) => { const x = new XMLHttpRequest(); x.open('GET', '/api/items?x=' + i); x.onloadend = r; x.send(); }); }`,
  xhrPosts: `async () => { const body = 'field=' + 'v'.repeat(20 * 1024 - 6); for (let i = 0; i < 300; i++) await new Promise((r) => { const x = new XMLHttpRequest(); x.open('POST', '/api/upload?i=' + i); x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded'); x.onloadend = r; x.send(body); }); }`,
  fetches: `async () => { for (let i = 0; i < 600; i++) await (await fetch('/api/items?i=' + i)).json(); }`,
  wsEchoes: `() => new Promise((done) => { const msg = 'm'.repeat(100); const ws = new WebSocket('ws://' + location.host + '/ws'); let n = 0; ws.onopen = () => ws.send(msg); ws.onmessage = () => { if (++n >= 20000) { ws.close(); done(); } else ws.send(msg); }; })`,
  blobUploads: `async () => { const blob = new Blob([new Uint8Array(10 * 1024 * 1024)]); for (let i = 0; i < 3; i++) await new Promise((r) => { const x = new XMLHttpRequest(); x.open('POST', '/api/upload?b=' + i); let p = 0; x.upload.onprogress = () => { p++; }; x.onloadend = r; x.send(blob); }); }`,
  fetchReader: `async () => { for (let i = 0; i < 3; i++) { const reader = (await fetch('/api/bytes?n=10485760&i=' + i)).body.getReader(); let n = 0; for (;;) { const { done, value } = await reader.read(); if (done) break; n += value.length; } } }`,
  sse: `() => new Promise((done) => { const es = new EventSource('/api/sse-burst?n=20000'); let n = 0; es.onmessage = () => { if (++n >= 20000) { es.close(); done(); } }; es.onerror = () => { es.close(); done(); }; })`,
};

export const LABELS: Record<string, string> = {
  xhrGets: '600 sequential XHR GETs',
  xhrPosts: '300 XHR POSTs of 20 KB urlencoded',
  fetches: '600 sequential fetches',
  wsEchoes: '20,000 WebSocket echoes of 100 B',
  blobUploads: '3 XHR uploads of a 10 MiB Blob (progress)',
  fetchReader: '3 × 10 MiB fetch through a reader',
  sse: '20,000 SSE events over EventSource',
};

/** Which workloads a peer applies to (xhook records XHR+fetch, ajax-hook XHR only). */
export const APPLIES: Record<string, string[]> = {
  xhook: ['xhrGets', 'xhrPosts', 'fetches'],
  ajaxhook: ['xhrGets', 'xhrPosts'],
};

const require = createRequire(import.meta.url);
/** The peers, recording as a recorder would: what was sent and what came back, kept in the page. */
const PEER_SCRIPTS: Record<string, () => string> = {
  floor: () => readFileSync(resolve(ROOT, 'bench/peers/floor.js'), 'utf8'),
  xhook: () =>
    `${readFileSync(require.resolve('xhook/dist/xhook.min.js'), 'utf8')}
;(() => { const log = []; window.__peerLog = log;
xhook.before((req) => { log.push({ method: req.method, url: req.url, headers: req.headers, body: req.body, t: performance.now() }); });
xhook.after((req, res) => { log.push({ url: req.url, status: res.status, headers: res.headers, body: res.text ?? res.data, t: performance.now() }); }); })();`,
  ajaxhook: () =>
    `${readFileSync(require.resolve('ajax-hook/dist/ajaxhook.min.js'), 'utf8')}
;(() => { const log = []; window.__peerLog = log;
ah.proxy({
  onRequest: (config, handler) => { log.push({ method: config.method, url: config.url, headers: config.headers, body: config.body, t: performance.now() }); handler.next(config); },
  onError: (err, handler) => { log.push({ error: err.error && err.error.type, t: performance.now() }); handler.next(err); },
  onResponse: (response, handler) => { log.push({ status: response.status, headers: response.headers, body: response.response, t: performance.now() }); handler.next(response); },
}); })();`,
};

/**
 * `deep`: netlens with deep capture (chrome.debugger, Network domain) on the workload's tab.
 * `off`: netlens installed, the page's site switched off in its popup (issue #15: it pays nothing).
 * `floor`: bench/peers/floor.js, the least an in-page recorder does to record what netlens's rows
 * show (a listener per message, each message's fields read): about the cost no page-level capture
 * goes under, on the workloads no peer records (a fetch body it reads from a clone: more).
 * `before`: another netlens build (BENCH_BEFORE_DIST, e.g. a worktree of main's last commit built
 * into its own dist/), alternating with `netlens` in the same rounds: an A/B that load drift on a
 * busy machine does not decide.
 * `wire`: netlens with its wire view on the workload's tab (the Wire setting on `always`: what a
 * tab costs while a netlens panel is open on it; `netlens` is the default, no panel open).
 * `withwebrequest`: this netlens build holding the `webRequest` permission too (launch's
 * `webRequest`, the wire mode left at its default: no listener for the workload's tab), as
 * netlens was released before: what holding the permission costs every tab, listeners or not
 * (Chromium proxies every request of the profile while any extension holds it).
 */
export type Mode = 'native' | 'native2' | 'netlens' | 'wire' | 'off' | 'deep' | 'xhook' | 'ajaxhook' | 'floor' | 'devtools' | 'webrequest' | 'withwebrequest' | 'before';
const ALL_MODES: Mode[] = ['native', 'native2', 'netlens', 'wire', 'off', 'deep', 'xhook', 'ajaxhook', 'floor', 'devtools'];
/** Modes run only when asked for: `webrequest` (see webRequestOnlyExtension), `withwebrequest`, `before`. */
const ASKED_MODES: Mode[] = ['webrequest', 'withwebrequest', 'before'];
/** BENCH_MODES=native,netlens,deep runs only those (native is always run: the ratios' base). */
export const MODES: Mode[] = process.env.BENCH_MODES
  ? [...ALL_MODES, ...ASKED_MODES].filter((m) => m === 'native' || process.env.BENCH_MODES!.split(',').includes(m))
  : ALL_MODES;

export interface Run {
  /** Page main-thread busy time (ms), TaskDuration difference around the workload. */
  task: number;
  /** Wall time inside the page (ms). */
  wall: number;
  /**
   * Page main-thread CPU time (ms), ThreadTime difference around the workload: unlike `task`, it
   * barely grows when other processes take the machine's cores (a task waiting for a core counts
   * in TaskDuration, not here).
   */
  cpu: number;
  /** JS heap used after the workload and a forced GC (bytes). */
  heap: number;
  /**
   * With `threads`: CPU time (ms, thread time of the top-level tasks in a trace of the run) of
   * the page's renderer main thread, of the browser process's main thread, and of service workers
   * (netlens's). On few cores what the browser and the worker burn is time the page may wait for
   * a core (TaskDuration counts it), so this says where the rest of the machine's time went.
   */
  threads?: { page: number; browser: number; worker: number };
}

/** Top-level task CPU per thread kind in a trace of a run (see Run.threads). */
async function threadsOfTrace(path: string): Promise<NonNullable<Run['threads']>> {
  const cpu = { page: 0, browser: 0, worker: 0 };
  for (const t of await threadTimes(path)) {
    // The page's renderer is the busiest one (the workload runs there; others only exist).
    if (t.thread === 'CrRendererMain') cpu.page = Math.max(cpu.page, t.ms);
    else if (t.thread === 'CrBrowserMain') cpu.browser += t.ms;
    else if (t.thread === 'ServiceWorker thread') cpu.worker += t.ms;
  }
  return cpu;
}

export interface Rig {
  servers: Origins;
  url: string;
  netlens: Session;
  /** The other netlens build (mode `before`, BENCH_BEFORE_DIST), when asked for. */
  before?: Session;
  /** The browser a mode's pages open in. */
  browser(mode: Mode): Browser;
  /**
   * `trace`: a path to write a Chromium trace of the workload to (`traceCategories`, by default
   * TRACE_CATEGORIES). `threads`: trace top-level tasks only and give Run.threads (not with
   * `trace`). `around`: called right before and after the workload (and its settling time).
   */
  run(
    mode: Mode,
    workload: string,
    opts?: { profile?: boolean; heap?: boolean; trace?: string; traceCategories?: string[]; threads?: boolean; around?: { start(): void; end(): void } },
  ): Promise<Run & { profile?: unknown }>;
  close(): Promise<void>;
}

/** A Chromium without extensions, in a profile folder of its own (`dir`: remove it after closing), with `args` besides QUIET_FLAGS. */
export const plainBrowser = async (args: string[] = []): Promise<{ browser: Browser; dir: string }> => {
  const dir = mkdtempSync(join(tmpdir(), 'netlens-bench-'));
  const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, pipe: true, args: [...QUIET_FLAGS, ...args], userDataDir: dir, protocolTimeout: 300_000 });
  return { browser, dir };
};

/**
 * A reference extension that only listens to webRequest with extraHeaders, as netlens's wire view
 * does: what Chromium's request proxying costs by itself (mode `webrequest`, not in the default set).
 */
function webRequestOnlyExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlens-bench-ext-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'webRequest only', version: '1', permissions: ['webRequest'], host_permissions: ['<all_urls>'], background: { service_worker: 'sw.js' } }),
  );
  const extra = process.env.BENCH_EXTRA_HEADERS === '0' ? '' : ", 'extraHeaders'";
  // BENCH_WEBREQUEST_EVENTS=send,headers,completed (the default): which of netlens's listeners it
  // has; empty: none, the permission alone.
  const events = (process.env.BENCH_WEBREQUEST_EVENTS ?? 'send,headers,completed').split(',');
  const listeners: Record<string, string> = {
    send: `chrome.webRequest.onSendHeaders.addListener(() => {}, f, ['requestHeaders'${extra}]);`,
    headers: `chrome.webRequest.onHeadersReceived.addListener(() => {}, f, ['responseHeaders'${extra}]);`,
    completed: `chrome.webRequest.onCompleted.addListener(() => {}, f);`,
  };
  writeFileSync(join(dir, 'sw.js'), `const f = { urls: ['<all_urls>'] };\n${events.map((e) => listeners[e] ?? '').join('\n')}`);
  return dir;
}

/** What a trace of a workload records: every task on the renderer's main thread and what ran in it. */
export const TRACE_CATEGORIES = ['toplevel', 'blink', 'v8', 'ipc', 'mojom', 'extensions', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

/** Trailing work (the relay's coalescing timer, a last flush) is counted: wait for it. */
const SETTLE_MS = 150;

/** A tab a run drives: its CDP session, navigation, closing. */
interface Tab {
  cdp: CDPSession;
  /** Navigates and resolves after the load event. */
  goto(url: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A tab over a CDP session of its own, with no domain enabled but Page (navigation) and what a
 * run asks for: never a puppeteer Page, whose Runtime.enable turns on what DevTools' console
 * needs. With it, V8 records a detailed stack with every Error made (for uncaught exceptions),
 * and the first Error of a task costs the page about 60 µs instead of 30 µs (a page timing 300
 * tasks of one Error.captureStackTrace each, with and without a puppeteer Page, 2026-12-03).
 * netlens makes one per request (its initiator stack), the peers none: a Page would charge it for
 * a DevTools console that a user browsing does not have open. Every event the page dispatches
 * costs more with it too: native's 20,000 SSE events took 392 ms of main thread with a Page, 73 ms
 * without. (Mode `devtools` enables Runtime.)
 */
async function bareTab(browser: Browser): Promise<Tab> {
  const root = await browser.target().createCDPSession();
  const { targetId } = await root.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await root.send('Target.attachToTarget', { targetId, flatten: true });
  const cdp = root.connection()?.session(sessionId);
  if (!cdp) throw new Error('no CDP session for the new tab');
  await cdp.send('Page.enable');
  return {
    cdp,
    async goto(to) {
      const loaded = new Promise<void>((r) => cdp.once('Page.loadEventFired', () => r()));
      const { errorText } = await cdp.send('Page.navigate', { url: to });
      if (errorText) throw new Error(`${to}: ${errorText}`);
      await loaded;
    },
    async close() {
      await root.send('Target.closeTarget', { targetId });
      await root.detach();
    },
  };
}

/** The value of `expression` in the page (awaited, by value); throws what the page threw. */
async function evaluate(cdp: CDPSession, expression: string): Promise<unknown> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(`the page threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return result.value;
}

/** Starts a Chromium trace of `categories` over `cdp`; the function returned ends it and writes it to `path`. */
async function traceTo(cdp: CDPSession, path: string, categories: string[]): Promise<() => Promise<void>> {
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: categories, excludedCategories: ['*'] } });
  return async () => {
    const complete = new Promise<string>((r) => cdp.once('Tracing.tracingComplete', (e: { stream?: string }) => r(e.stream ?? '')));
    await cdp.send('Tracing.end');
    const handle = await complete;
    const parts: Buffer[] = [];
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle });
      parts.push(Buffer.from(chunk.data, chunk.base64Encoded ? 'base64' : 'utf8'));
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle });
    writeFileSync(path, Buffer.concat(parts));
  };
}

export async function startRig(modes: Mode[] = MODES): Promise<Rig> {
  const servers = await startServers([resolve(ROOT, 'test/fixtures/pages')]);
  const plain = await plainBrowser();
  // A second native Chromium: the noise floor between two browsers without any extension.
  const plain2 = modes.includes('native2') ? await plainBrowser() : undefined;
  const dist = resolve(ROOT, process.env.NETLENS_DIST ?? 'dist');
  const netlens = await launch(dist);
  if (modes.includes('before') && !process.env.BENCH_BEFORE_DIST) throw new Error('mode before needs BENCH_BEFORE_DIST=<a built dist/ directory>');
  const before = modes.includes('before') ? await launch(resolve(ROOT, process.env.BENCH_BEFORE_DIST!)) : undefined;
  const wired = modes.includes('wire') ? await launch(dist, { wire: 'always', webRequest: true }) : undefined;
  const held = modes.includes('withwebrequest') ? await launch(dist, { webRequest: true }) : undefined;
  let reference: { browser: Browser; dir: string; ext: string } | undefined;
  if (modes.includes('webrequest')) {
    const dir = mkdtempSync(join(tmpdir(), 'netlens-bench-ref-'));
    const ext = webRequestOnlyExtension();
    const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, pipe: true, enableExtensions: true, args: QUIET_FLAGS, userDataDir: dir, protocolTimeout: 300_000 });
    await browser.installExtension(ext);
    reference = { browser, dir, ext };
  }
  const url = `${servers.a}/basic.html`;
  // Mode `off`: the same netlens browser, on the second origin, switched off as the popup does.
  const offUrl = `${servers.b}/basic.html`;
  if (modes.includes('off')) {
    const page = await netlens.browser.newPage();
    await page.goto(`chrome-extension://${netlens.extensionId}/src/popup/popup.html`);
    await page.evaluate(async (site: string) => {
      const tab = await chrome.tabs.getCurrent();
      await chrome.runtime.sendMessage({ type: 'scope:set', tabId: tab!.id, site, mode: 'off' });
    }, servers.b);
    await page.close();
  }
  const browserOf = (mode: Mode): Browser =>
    mode === 'netlens' || mode === 'deep' || mode === 'off' ? netlens.browser : mode === 'native2' ? plain2!.browser : mode === 'webrequest' ? reference!.browser : mode === 'before' ? before!.browser : mode === 'wire' ? wired!.browser : mode === 'withwebrequest' ? held!.browser : plain.browser;

  const metric = async (cdp: CDPSession, name: string) => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === name)?.value ?? 0;
  };

  /** A tab with deep capture on (openTab's Page: puppeteer's, with its Runtime.enable). */
  const deepTab = async (): Promise<Tab> => {
    const { page, tabId } = await netlens.openTab();
    const state = await netlens.deep(tabId, true);
    if (state.state !== 'on') throw new Error(`deep capture did not attach: ${state.reason}`);
    const cdp = await page.createCDPSession();
    return {
      cdp,
      goto: async (to) => void (await page.goto(to)),
      close: () => page.close(),
    };
  };

  return {
    servers,
    url,
    netlens,
    before,
    browser: browserOf,
    async run(mode, workload, opts = {}) {
      // The servers log every request (for tests): a bench's hundreds of thousands would grow the
      // bench process's heap, and its garbage collection would slow the later runs.
      servers.log.length = 0;
      // `deep` needs the tab's id, which only openTab's Page gives; every other mode, a bare tab.
      const tab = mode === 'deep' ? await deepTab() : await bareTab(browserOf(mode));
      try {
        const { cdp } = tab;
        if (mode === 'xhook' || mode === 'ajaxhook' || mode === 'floor') await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: PEER_SCRIPTS[mode]() });
        await cdp.send('Performance.enable');
        if (mode === 'devtools') {
          // DevTools open: its console (Runtime) and its Network panel recording.
          await cdp.send('Runtime.enable');
          await cdp.send('Network.enable');
        }
        await tab.goto(mode === 'off' ? offUrl : url);
        await new Promise((r) => setTimeout(r, 100));
        if (opts.profile) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
          await cdp.send('Profiler.start');
        }
        const cpuTrace = opts.threads && !opts.trace ? join(tmpdir(), `netlens-bench-threads-${process.pid}.json`) : undefined;
        const tracing = opts.trace ? await traceTo(cdp, opts.trace, opts.traceCategories ?? TRACE_CATEGORIES) : cpuTrace ? await traceTo(cdp, cpuTrace, ['toplevel']) : undefined;
        const before = await metric(cdp, 'TaskDuration');
        const cpuBefore = await metric(cdp, 'ThreadTime');
        opts.around?.start();
        const wall = (await evaluate(cdp, `(async () => { const f = ${WORKLOADS[workload]}; const t0 = performance.now(); await f(); return performance.now() - t0; })()`)) as number;
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        opts.around?.end();
        const after = await metric(cdp, 'TaskDuration');
        const cpuAfter = await metric(cdp, 'ThreadTime');
        const profile = opts.profile ? (await cdp.send('Profiler.stop')).profile : undefined;
        await tracing?.();
        const threads = cpuTrace ? await threadsOfTrace(cpuTrace) : undefined;
        if (cpuTrace) rmSync(cpuTrace, { force: true });
        let heap = 0;
        if (opts.heap) {
          await cdp.send('HeapProfiler.collectGarbage');
          heap = await metric(cdp, 'JSHeapUsedSize');
        }
        return { task: (after - before) * 1000, wall, cpu: (cpuAfter - cpuBefore) * 1000, heap, threads, profile };
      } finally {
        await tab.close();
      }
    },
    async close() {
      await plain.browser.close();
      rmSync(plain.dir, { recursive: true, force: true });
      if (plain2) {
        await plain2.browser.close();
        rmSync(plain2.dir, { recursive: true, force: true });
      }
      if (reference) {
        await reference.browser.close();
        rmSync(reference.dir, { recursive: true, force: true });
        rmSync(reference.ext, { recursive: true, force: true });
      }
      await netlens.close();
      await before?.close();
      await wired?.close();
      await held?.close();
      await servers.close();
    },
  };
}

export const median = (xs: number[]): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Student's t, two-sided 90% (0.95 quantile), by degrees of freedom 1–10; past 10, 1.8. */
const T_90 = [6.31, 2.92, 2.35, 2.13, 2.02, 1.94, 1.89, 1.86, 1.83, 1.81];
/**
 * The 90% confidence interval of the mean of `xs` (Student's t: the values taken as independent
 * and about normal, e.g. the open/closed ratio of each round of alternating runs). [NaN, NaN]
 * under two values.
 */
export const interval90 = (xs: number[]): [number, number] => {
  if (xs.length < 2) return [NaN, NaN];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  const half = (T_90[xs.length - 2] ?? 1.8) * (sd / Math.sqrt(xs.length));
  return [mean - half, mean + half];
};
export const quantile = (xs: number[], q: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/**
 * A bench script's command line (bench/profile.ts, bench/split.ts): the workloads named (else
 * `workloads`), `--top N` (else `top`) and `--modes a,b` (else native,netlens).
 */
export function benchArgs(argv: readonly string[], defaults: { top: number; workloads: string[] }): { top: number; modes: Mode[]; workloads: string[] } {
  const args = [...argv];
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const top = Number(flag('--top') ?? defaults.top);
  const modes = (flag('--modes') ?? 'native,netlens').split(',') as Mode[];
  return { top, modes, workloads: args.length ? args : defaults.workloads };
}
