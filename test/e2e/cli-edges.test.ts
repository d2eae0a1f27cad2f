/**
 * `netlens capture` against pages and servers that misbehave, and against its own flags: the exit
 * code, stderr and HAR the README promises (section "netlens capture").
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type Origins } from '../../src/cli/server';
import { CLI, cli } from '../helpers/cli';
import { PAGES, scaled, until } from '../helpers/env';

interface HarEntry {
  pageref?: string;
  request: { url: string };
  _netlens: { kind: string; state: string };
}
interface Har {
  log: { pages: { id: string }[]; entries: HarEntry[] };
}
const readHar = (file: string): Har => JSON.parse(readFileSync(file, 'utf8')) as Har;

describe('netlens capture: hostile pages, servers and flags', () => {
  let servers: Origins;
  const dir = mkdtempSync(join(tmpdir(), 'netlens-cli-edges-'));
  beforeAll(async () => {
    servers = await startServers([PAGES]);
  });
  afterAll(async () => {
    await servers?.close();
  });

  it('takes its flags at their word before Chromium starts: --help, --duration, one URL, an --out that cannot be opened', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('netlens capture <url>');
    // Beyond a Node timer's range, Infinity once became a 1 ms wait (with a TimeoutOverflowWarning).
    for (const bad of ['--duration=Infinity', '--duration=3000000000', '--duration=']) {
      const res = await cli(['capture', `${servers.a}/basic.html`, '--out', join(dir, 'd.har'), bad]);
      expect(res.code, bad).toBe(2);
      expect(res.stderr, bad).toContain('--duration takes milliseconds, 0 to 2147483647');
    }
    const two = await cli(['capture', `${servers.a}/basic.html`, `${servers.b}/basic.html`, '--out', join(dir, 'two.har')]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain(`capture takes one URL; also given: ${servers.b}/basic.html`);
    // Permission bits pass for root; the file still cannot be created (a read-only or virtual file system).
    const proc = await cli(['capture', `${servers.a}/basic.html`, '--out', '/proc/netlens-trace.har']);
    expect(proc.code).toBe(2);
    expect(proc.stderr).toContain('netlens: cannot write /proc/netlens-trace.har: it cannot be opened for writing (ENOENT). Nothing was captured.');
    // A screenshot name Chromium cannot write: once found only after the whole capture.
    const shot = await cli(['capture', `${servers.a}/basic.html`, '--out', join(dir, 's.har'), '--screenshot', join(dir, 'shot.txt')]);
    expect(shot.code).toBe(2);
    expect(shot.stderr).toContain(`netlens: cannot write ${join(dir, 'shot.txt')}: use a .png, .jpg or .webp name. Nothing was captured.`);
    // A headed browser without a display: once puppeteer's own words, and a profile folder left behind.
    const headed = await cli(['capture', `${servers.a}/basic.html`, '--out', join(dir, 'h.har'), '--headed'], { DISPLAY: '', WAYLAND_DISPLAY: '' });
    expect(headed.code).toBe(2);
    expect(headed.stderr).toContain('netlens: --headed needs a display (DISPLAY is not set)');
    const missing = await cli(['capture', `${servers.a}/basic.html`, '--out', join(dir, 'c.har')], { CHROMIUM_PATH: join(dir, 'no-chromium') });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`netlens: Chromium not found at CHROMIUM_PATH=${join(dir, 'no-chromium')}. Point it at a Chromium binary, or unset it`);
  }, scaled(60_000));

  it('--duration 0 still has the page side of requests made as the page loaded', async () => {
    // The snapshot was once taken with the page's last batch on its way: the three XHRs were
    // written as the wire saw them only (kind "other"), every time on this page.
    const out = join(dir, 'at-load.har');
    const res = await cli(['capture', `${servers.a}/cli-at-load.html`, '--out', out, '--duration', '0']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const entries = readHar(out).log.entries.filter((e) => e.request.url.includes('/api/echo?at-load='));
    expect(entries.map((e) => [e.request.url.replace(servers.a, ''), e._netlens.kind, e._netlens.state])).toEqual([1, 2, 3].map((n) => [`/api/echo?at-load=${n}`, 'xhr', 'done']));
    // Again over the same file: written beside it, then renamed over it, nothing left beside.
    const again = await cli(['capture', `${servers.a}/cli-at-load.html`, '--out', out, '--duration', '0']);
    expect(again.code).toBe(0);
    expect(readHar(out).log.entries.length).toBeGreaterThanOrEqual(3);
    expect(readdirSync(dir).filter((f) => f.startsWith('at-load.har.'))).toEqual([]);
  }, scaled(60_000));

  it.runIf(existsSync('/dev/full'))('a trace that cannot be written after the capture (a full device) goes to the temp folder instead, exit 2', async () => {
    const res = await cli(['capture', `${servers.a}/basic.html`, '--out', '/dev/full', '--duration', '0']);
    expect(res.code).toBe(2);
    const m = /netlens: cannot write \/dev\/full \(ENOSPC\); the trace went to (\S+\.har) instead/.exec(res.stderr);
    expect(m, res.stderr).not.toBeNull();
    try {
      expect(readHar(m![1]).log.entries.length).toBeGreaterThan(0);
    } finally {
      rmSync(m![1], { force: true });
    }
  }, scaled(60_000));

  it('keeps every page of a tab that reloads or navigates, one HAR page each', async () => {
    // Each navigation once cleared the tab's log: only the last load's fetch was written.
    const out = join(dir, 'reload.har');
    const res = await cli(['capture', `${servers.a}/cli-reload.html`, '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const { log } = readHar(out);
    const loads = log.entries.map((e) => e.request.url).filter((u) => u.includes('/api/echo?load='));
    expect(loads).toEqual([0, 1, 2, 3, 4, 5].map((n) => `${servers.a}/api/echo?load=${n}`));
    expect(new Set(log.entries.map((e) => e.pageref)).size).toBe(6);
    expect(log.pages.length).toBe(6);
  }, scaled(90_000));

  it('fails with 1 when the server accepts the connection but never answers, and writes nothing', async () => {
    // Once: exit 0 and an empty HAR, as if the page had been opened.
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const out = join(dir, 'silent.har');
    try {
      const res = await cli(['capture', `http://127.0.0.1:${port}/`, '--out', out]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`netlens: could not open http://127.0.0.1:${port}/: no response in 30 s`);
      expect(existsSync(out)).toBe(false);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  }, scaled(90_000));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a capture ends it early: what was recorded is written, exit 0`, async () => {
      // Once: SIGINT exited 130 and SIGTERM 1 ("Attempted to use detached Frame"), no HAR either way.
      const out = join(dir, `${signal}.har`);
      const seen = () => servers.log.filter((r) => r.url.includes('/api/echo?forever=')).length;
      const before = seen();
      const child = spawn(process.execPath, [CLI, 'capture', `${servers.a}/cli-forever.html`, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await until(async () => seen() - before >= 5, 30_000);
      const started = Date.now();
      child.kill(signal);
      const code = await exited;
      expect(stderr).toContain(`netlens: ${signal}: ending the capture, writing what was recorded so far`);
      expect(code).toBe(0);
      // Well before the 30 s the page's endless fetches would otherwise have taken.
      expect(Date.now() - started).toBeLessThan(scaled(15_000));
      expect(stdout).toContain(`netlens: wrote ${out}`);
      const urls = readHar(out).log.entries.map((e) => e.request.url);
      expect(urls).toContain(`${servers.a}/api/echo?forever=0`);
      expect(urls.filter((u) => u.includes('forever=')).length).toBeGreaterThanOrEqual(5);
    }, scaled(90_000));
  }

  it('ends at a renderer crash instead of waiting out --duration, writes what came before and says so', async () => {
    const out = join(dir, 'crash.har');
    const started = Date.now();
    const res = await cli(['capture', `${servers.a}/cli-oom.html`, '--out', out, '--duration', '80000']);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('netlens: warning: the page crashed (renderer gone, e.g. out of memory); the trace ends there');
    expect(Date.now() - started).toBeLessThan(80_000);
    const urls = readHar(out).log.entries.map((e) => e.request.url);
    expect(urls).toContain(`${servers.a}/api/echo?before=crash`);
  }, scaled(120_000));
});
