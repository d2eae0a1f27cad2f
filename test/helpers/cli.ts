/** Runs the built `netlens` CLI as a user would, and returns its exit code and output. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { promisify } from 'node:util';
import { ROOT } from './env';

const run = promisify(execFile);
export const CLI = resolve(ROOT, 'bin/netlens.mjs');

export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * `netlens capture <url> --no-redact` into a fresh file, as the e2e tests over a page's HAR start:
 * the capture must succeed silently. Returns the HAR's entries (typed by the caller) and stdout.
 */
export async function captureHar<E>(url: string): Promise<{ entries: E[]; stdout: string }> {
  const out = join(mkdtempSync(join(tmpdir(), 'netlens-capture-')), 'trace.har');
  const res = await cli(['capture', url, '--out', out, '--no-redact']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return { entries: JSON.parse(readFileSync(out, 'utf8')).log.entries as E[], stdout: res.stdout };
}

/** The bytes of a HAR `content` (or `postData`-like `{ text, encoding }`) as a Buffer. */
export const harBytes = (c: { text?: string; encoding?: string }): Buffer => Buffer.from(c.text ?? '', c.encoding === 'base64' ? 'base64' : 'utf8');

/**
 * The one entry of `entries` whose URL has the query `t=<tag>` (a fixture page's tag for each
 * scenario), not counting `other` (wire-only) entries; fails the test when there is not exactly one.
 */
export function entryTagged<E extends { request: { url: string }; _netlens: { kind: string } }>(entries: readonly E[], tag: string): E {
  const found = entries.filter((e) => new RegExp(`[?&]t=${tag}(&|$)`).test(e.request.url) && e._netlens.kind !== 'other');
  expect(found, tag).toHaveLength(1);
  return found[0];
}
