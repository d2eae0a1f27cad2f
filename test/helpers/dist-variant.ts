/**
 * A copy of a built extension (dist/) whose manifest leaves out some of its permissions: how
 * netlens runs without them, and what holding them costs (`nowebrequest` in the bench).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DistVariant {
  /** The copy's folder, to load as an unpacked extension. */
  dir: string;
  remove(): void;
}

/** Copies `dist` to a new temporary folder and removes `permissions` from its manifest's `permissions`. */
export function distWithout(dist: string, permissions: string[]): DistVariant {
  const dir = mkdtempSync(join(tmpdir(), 'netlens-dist-variant-'));
  cpSync(dist, dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { permissions?: string[] };
  const missing = permissions.filter((p) => !manifest.permissions?.includes(p));
  if (missing.length) throw new Error(`${dist}/manifest.json does not hold ${missing.join(', ')}`);
  manifest.permissions = manifest.permissions!.filter((p) => !permissions.includes(p));
  writeFileSync(path, JSON.stringify(manifest, null, 2));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
