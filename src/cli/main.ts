/**
 * `netlens capture <url> --out trace.har [--duration <ms>] [--no-redact] [--headed] [--deep]`
 * `netlens demo [--out demo.har] [--screenshot demo-panel.png] [--headed]`
 *
 * Launches Chromium with the built extension, records what a page does, writes a HAR and prints
 * a summary. Exit codes: 0 trace written (also when SIGINT/SIGTERM ended the capture early);
 * 1 the URL could not be opened or capture failed; 2 usage, or Chromium / the built extension is
 * missing, or an output cannot be written; 3 `--deep` could not attach Chrome's debugger to the
 * tab (nothing captured); 130 a second SIGINT/SIGTERM quit at once (nothing written).
 */
import { accessSync, closeSync, constants, existsSync, lstatSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Entry } from '../shared/model';
import { captureUrl, DeepCaptureError, sleep, type CaptureNotes } from './capture';
import { findChromium, launch, type Session } from './chromium';
import { buildHar, corsReportOf } from '../shared/trace';
import { startServers } from './server';
import { line, summarize } from './summary';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION = resolve(ROOT, 'dist');

const USAGE = `usage:
  netlens capture <url> --out trace.har [--duration <ms>] [--no-redact] [--headed] [--deep] [--screenshot panel.png]
  netlens demo [--out demo.har] [--screenshot demo-panel.png] [--headed]`;

class UsageError extends Error {}

/** Milliseconds: the longest `--duration` (a Node timer's limit, 2^31 − 1: about 24.8 days). */
const MAX_DURATION_MS = 2_147_483_647;

/** The signals that end a capture early (what was recorded is written); a second one quits at once. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      duration: { type: 'string' },
      'no-redact': { type: 'boolean', default: false },
      headed: { type: 'boolean', default: false },
      deep: { type: 'boolean', default: false },
      screenshot: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (!existsSync(resolve(EXTENSION, 'manifest.json'))) {
    console.error(`netlens: the extension is not built (${EXTENSION}). Run \`npm run build\` first.`);
    return 2;
  }
  if (!findChromium()) {
    const given = process.env.CHROMIUM_PATH;
    if (given) console.error(`netlens: Chromium not found at CHROMIUM_PATH=${given}. Point it at a Chromium binary, or unset it to use the one installed (apt-get install -y chromium).`);
    else console.error('netlens: Chromium not found. Install it: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).');
    return 2;
  }
  // A headed Chromium without a display fails only once launched, in puppeteer's words.
  if (values.headed && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error('netlens: --headed needs a display (DISPLAY is not set): run without it, or under xvfb-run. Nothing was captured.');
    return 2;
  }
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && (values.duration?.trim() === '' || !(duration >= 0 && duration <= MAX_DURATION_MS))) {
    throw new UsageError(`--duration takes milliseconds, 0 to ${MAX_DURATION_MS}`);
  }
  const redact = !values['no-redact'];
  // Reported before Chromium starts: a capture must not run only to fail at the end.
  for (const file of [values.out, values.screenshot]) {
    const problem = file === undefined ? undefined : file === values.screenshot ? (screenshotNameProblem(file) ?? unwritable(file)) : unwritable(file);
    if (problem) {
      console.error(`netlens: cannot write ${file}: ${problem}. Nothing was captured.`);
      return 2;
    }
  }

  if (command === 'capture') {
    if (!target) throw new UsageError('capture needs a URL');
    if (positionals.length > 2) throw new UsageError(`capture takes one URL; also given: ${positionals.slice(2).join(' ')}`);
    if (!values.out) throw new UsageError('capture needs --out <file.har>');
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new UsageError(`not a URL: ${target}`);
    }
    // Ctrl-C (or SIGTERM, SIGHUP) ends the capture early and writes what was recorded; a second
    // one quits at once. Chromium runs in its own process group: the terminal's Ctrl-C reaches
    // only this process, and the browser stays up to be read.
    const stop = new AbortController();
    const running: { session?: Session } = {};
    const onSignal = (signal: NodeJS.Signals) => {
      if (stop.signal.aborted) {
        running.session?.kill();
        process.exit(130);
      }
      console.error(`netlens: ${signal}: ending the capture, writing what was recorded so far (again to quit at once)`);
      stop.abort();
    };
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
    // Deep capture's "… started debugging this browser" bar would shorten the page's viewport.
    // Every tab's wire view (src/shared/wire-scope.ts), from webRequest: a headless recording has
    // no panel and no DevTools open (launch's `webRequest`).
    // Preserve log: the URL's page may navigate (a redirect by script, a reload); every page counts.
    const session = await launch(EXTENSION, {
      headless: !values.headed,
      args: values.deep ? ['--silent-debugger-extension-api'] : [],
      wire: 'always',
      webRequest: true,
      preserveLog: true,
      handleSignals: false,
    });
    running.session = session;
    try {
      let captured;
      try {
        captured = await captureUrl(session, url.href, { duration, deep: values.deep, signal: stop.signal });
      } catch (error) {
        if (!(error instanceof DeepCaptureError)) throw error;
        console.error(`netlens: --deep: could not attach Chrome's debugger to the tab: ${error.message}. Nothing was captured.`);
        return 3;
      }
      const { entries, tabId, notes } = captured;
      const written = write(values.out, entries, redact);
      report(entries);
      warn(notes);
      if (values.screenshot) await screenshotPanel(session, tabId, values.screenshot);
      if (!written) return 2;
    } finally {
      await session.close();
    }
    return 0;
  }

  if (command === 'demo') {
    const servers = await startServers([resolve(ROOT, 'demo')]);
    const demoUrl = `${servers.a}/index.html?other=${encodeURIComponent(servers.b)}`;
    const headed = values.headed || (!!process.env.DISPLAY && !process.env.CI);
    console.log(`netlens demo: serving the demo site at ${demoUrl} (second origin ${servers.b})`);
    const session = await launch(EXTENSION, { headless: !headed, args: headed ? ['--auto-open-devtools-for-tabs'] : [], wire: 'always', webRequest: true, preserveLog: true });
    try {
      const { entries, tabId, notes } = await captureUrl(session, demoUrl, { duration });
      const out = values.out ?? 'demo.har';
      if (!write(out, entries, redact)) return 2;
      for (const e of entries) console.log(`  ${line(e)}`);
      report(entries);
      warn(notes);
      await screenshotPanel(session, tabId, values.screenshot ?? 'demo-panel.png');
      if (headed) {
        console.log('Chromium is open with DevTools: choose the "netlens" panel. Press Ctrl-C to quit.');
        await new Promise<void>((r) => process.once('SIGINT', () => r()));
      }
    } finally {
      await session.close();
      await servers.close();
    }
    return 0;
  }
  throw new UsageError(`unknown command: ${command}`);
}

/**
 * Why `file` cannot be written, in plain words, or undefined when it can (checked before Chromium
 * starts). Permission bits do not say it all (root passes them; a read-only file system, /proc):
 * the file is opened for appending too, without writing, and removed again when it was not there.
 */
function unwritable(file: string): string | undefined {
  const path = resolve(file);
  const dir = dirname(path);
  if (!existsSync(dir)) return `the folder ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `${dir} is not a folder`;
  const existed = existsSync(path);
  if (existed) {
    if (statSync(path).isDirectory()) return `${path} is a folder`;
    try {
      accessSync(path, constants.W_OK);
    } catch {
      return `no permission to overwrite ${path}`;
    }
  } else {
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return `no permission to create files in ${dir}`;
    }
  }
  try {
    closeSync(openSync(path, 'a'));
    if (!existed) unlinkSync(path);
  } catch (error) {
    return `it cannot be opened for writing (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  return undefined;
}

/** The screenshot's name, when Chromium cannot write that format. */
const screenshotNameProblem = (file: string) => (/\.(png|jpe?g|webp)$/i.test(file) ? undefined : 'use a .png, .jpg or .webp name');

/**
 * Writes the HAR to `file`: whole or not at all, through a file beside it renamed over it (a
 * regular file; a device or such is written directly), so a disk that fills up halfway leaves
 * no cut HAR and no older one lost. Checked before the capture (unwritable), it can still fail
 * now (a full disk, a device, the folder gone): the capture is not lost then, it goes to a file in
 * the temp folder, and the run exits 2 (an output cannot be written). Returns whether `file` was
 * written.
 */
function write(file: string, entries: Entry[], redact: boolean): boolean {
  const text = `${JSON.stringify(buildHar(entries, { redact }), null, 2)}\n`;
  const what = `${entries.length} entries${redact ? ', secrets redacted' : ', NOT redacted'}`;
  try {
    if (!writeBeside(file, text)) writeFileSync(file, text);
    console.log(`netlens: wrote ${file} (${what})`);
    return true;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const rescue = join(tmpdir(), `netlens-${new Date().toISOString().replace(/[:.]/g, '-')}.har`);
    try {
      writeFileSync(rescue, text, { flag: 'wx' });
      console.error(`netlens: cannot write ${file} (${why}); the trace went to ${rescue} instead (${what})`);
    } catch (again) {
      console.error(`netlens: cannot write ${file} (${why}), nor ${rescue} (${(again as NodeJS.ErrnoException).code ?? (again as Error).message}): the trace is lost`);
    }
    return false;
  }
}

/**
 * Writes `text` to a file beside `file`, then renames it over `file`: true when done. False, with
 * nothing written, when that way is closed (`file` is not a regular file, or its folder takes no
 * new file while `file` itself may be written); throws when the write fails (a full disk), with
 * the file beside removed and `file` as it was.
 */
function writeBeside(file: string, text: string): boolean {
  // (A symbolic link is written through, not replaced.)
  if (existsSync(file) && !lstatSync(file).isFile()) return false;
  const beside = `${file}.netlens-${process.pid}.tmp`;
  try {
    writeFileSync(beside, text, { flag: 'wx' });
    renameSync(beside, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(beside, { force: true });
  }
}

/** What the trace lacks and why, on stderr: a crashed tab, what the storage budget took. */
function warn(notes: CaptureNotes) {
  if (notes.crashed) console.error('netlens: warning: the page crashed (renderer gone, e.g. out of memory); the trace ends there');
  const d = notes.drops;
  if (d) {
    const what = [d.entries && `${d.entries} entries`, d.messages && `${d.messages} messages`, d.bodies && `${d.bodies} bodies (marked truncated)`].filter(Boolean).join(', ');
    console.error(`netlens: warning: the tab's storage budget was exceeded; dropped the oldest ${what}`);
  }
}

function report(entries: Entry[]) {
  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const l of summarize(entries, (e) => corsReportOf(e, byId))) console.log(l);
}

/** A screenshot is a bonus: failing to take one never turns a written trace into a failure. */
async function screenshotPanel(session: Session, tabId: number, file: string) {
  try {
    await takeScreenshot(session, tabId, file);
  } catch (error) {
    console.error(`netlens: warning: no screenshot (${(error as Error).message})`);
  }
}

async function takeScreenshot(session: Session, tabId: number, file: string) {
  const problem = screenshotNameProblem(file);
  if (problem) throw new Error(`${file}: ${problem}`);
  const panel = await session.browser.newPage();
  await panel.setViewport({ width: 1400, height: 800 });
  await panel.goto(`chrome-extension://${session.extensionId}/src/devtools/panel.html?tabId=${tabId}`);
  await panel.waitForSelector('[data-testid=entry-row]', { timeout: 5_000 }).catch(() => {});
  const row = await panel.$('[data-testid=entry-row][data-method=POST]');
  await row?.click();
  await sleep(300);
  await panel.screenshot({ path: file as `${string}.png` });
  console.log(`netlens: saved a screenshot of the panel to ${file}`);
  await panel.close();
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`netlens: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`netlens: ${(error as Error).message}`);
    process.exit(1);
  },
);
