/**
 * `npm run bench`: every benchmark, side by side with its peers, in one run. The panel figures
 * are printed as a table and written to bench/results/panel.json.
 *
 * Parts: `BENCH=decode,capture,panel-store,panel,store` (default: all). The browser panel bench takes
 * `BENCH_PANEL_PARTS=live,devtools,import,big` and `BENCH_LIVE_FETCHES` (default 10,000); the record
 * store's flood (`store`) takes `BENCH_STORE_MESSAGES` (default 1,000,000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { runCaptureBench } from './capture.bench';
import { runDecodeBench } from './decode.bench';
import { runPanelBench } from './panel.bench';
import { printFigures, runPanelStoreBench, type Figure } from './panel-store.bench';
import { runStoreBench } from './store.bench';

const parts = (process.env.BENCH ?? 'decode,capture,panel-store,panel,store').split(',');
const results: Record<string, Figure[]> = {};

if (parts.includes('decode')) await runDecodeBench();
if (parts.includes('capture')) await runCaptureBench();
if (parts.includes('panel-store')) printFigures('panel store (Node, no DOM)', (results.panelStore = await runPanelStoreBench()));
if (parts.includes('panel')) printFigures('panel in Chromium', (results.panel = await runPanelBench()));
if (parts.includes('store')) printFigures('record store: a WebSocket flood (IndexedDB, 64 MiB tab budget)', (results.store = await runStoreBench()));

if (Object.keys(results).length) {
  const dir = resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, 'panel.json');
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), loadavg: loadavg(), cores: cpus().length, ...results }, null, 2)}\n`);
  console.log(`\nwritten: ${file}`);
}
