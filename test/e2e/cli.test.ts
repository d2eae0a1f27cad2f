import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type Origins } from '../../src/cli/server';
import { cli } from '../helpers/cli';
import { PAGES } from '../helpers/env';

describe('netlens capture: finding its tab and its output', () => {
  let servers: Origins;
  const dir = mkdtempSync(join(tmpdir(), 'netlens-cli-'));
  beforeAll(async () => {
    servers = await startServers([PAGES]);
  });
  afterAll(async () => {
    await servers?.close();
  });

  it('captures a page that rewrites its title every few milliseconds, every time', async () => {
    // The tab was once found by a marker title, which such a page overwrote (1 capture in 2 failed).
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `churn-${i}.har`);
      const res = await cli(['capture', `${servers.a}/title-churn.html`, '--out', out]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const urls = (JSON.parse(readFileSync(out, 'utf8')).log.entries as { request: { url: string } }[]).map((e) => e.request.url);
      expect(urls).toContain(`${servers.a}/api/echo?churn=1`);
    }
  }, 180_000);

  it('refuses an --out it cannot write before starting Chromium, in plain words', async () => {
    const missing = join(dir, 'no-such-folder', 'trace.har');
    const res = await cli(['capture', `${servers.a}/title-churn.html`, '--out', missing]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`netlens: cannot write ${missing}: the folder ${join(dir, 'no-such-folder')} does not exist. Nothing was captured.`);
    expect(existsSync(missing)).toBe(false);
    const folder = await cli(['capture', `${servers.a}/title-churn.html`, '--out', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`is a folder`);
    const shot = await cli(['capture', `${servers.a}/title-churn.html`, '--out', join(dir, 'ok.har'), '--screenshot', join(dir, 'nope', 'x.png')]);
    expect(shot.code).toBe(2);
    expect(shot.stderr).toContain('does not exist');
    expect(existsSync(join(dir, 'ok.har'))).toBe(false);
  }, 60_000);
});
