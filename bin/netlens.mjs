#!/usr/bin/env node
// The package's bin: runs the built CLI (dist-cli/, made by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist-cli/netlens.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('netlens: the CLI is not built yet. Run `npm run build` in the netlens folder first.');
  process.exit(2);
}
await import(cli);
