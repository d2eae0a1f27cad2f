/**
 * The panel's store alone, in Node (no DOM): what one batch of incoming records costs as the
 * session grows, opening a big trace, a filter keystroke, and a WebSocket with a million
 * messages. The same synthetic records as the browser bench (bench/synthetic.ts).
 */
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPanelStore } from '../src/devtools/store';
import { importHar, startHarImport } from '../src/shared/har';
import { createMessageFilter } from '../src/shared/message-filter';
import { chromeStyleHar, syntheticRecords, syntheticWsRecords } from './synthetic';

export interface Figure {
  name: string;
  /** Wall-clock time (ms), or the count/size in `unit`. */
  value: number;
  unit: string;
  /** For times: CPU time of this process over the same span, ms (on a busy machine, the work itself). */
  cpu?: number;
  target?: string;
}

/** Best of `n` runs (the least disturbed by the rest of the machine): wall and CPU time, ms. */
function measure(fn: () => void, n = 5): { value: number; cpu: number } {
  let best = { value: Infinity, cpu: Infinity };
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const value = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (value < best.value) best = { value, cpu: (c.user + c.system) / 1000 };
  }
  return best;
}
const time = measure;

/**
 * A full garbage collection, so that a heap figure counts what is kept, not what awaits
 * collection (`npm run bench` runs Node without --expose-gc: the flag is set here, and the new
 * context gets the `gc` function it exposes).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function runPanelStoreBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const store = createPanelStore();
  let seq = 0;
  let made = 0;
  const feed = (n: number) => {
    const records = syntheticRecords(seq, made, n);
    seq += records.length;
    made += n;
    return records;
  };
  const grow = (to: number) => {
    while (made < to) store.applyMessage({ type: 'records', tabId: 1, records: feed(Math.min(5_000, to - made)) });
  };
  for (const size of [10_000, 50_000, 100_000]) {
    grow(size);
    const one = () => store.applyMessage({ type: 'records', tabId: 1, records: feed(1) });
    figures.push({ name: `one incoming exchange at ${size.toLocaleString('en')} entries`, ...time(one), unit: 'ms' });
  }
  const hundred = () => store.applyMessage({ type: 'records', tabId: 1, records: feed(100) });
  figures.push({ name: 'a batch of 100 new exchanges at 100,000 entries', ...time(hundred), unit: 'ms', target: '< 16' });
  figures.push({ name: 'entries shown', value: store.visible().length, unit: '' });

  // A 2 GB upload in 5 MB chunks (Content-Range PUTs, each with upload progress): 400 requests
  // of one transfer, on top of the 100,000 entries. Each chunk's records change the transfer.
  const CHUNK = 5 * 1024 * 1024;
  const TOTAL = 400 * CHUNK;
  const chunkRecords = (k: number) => {
    const id = `up${k}`;
    const t = 2e12 + k * 1000;
    const url = 'http://a.test/upload/session?upload_id=big';
    const rec = (ev: unknown) => ({ seq: ++seq, tabId: 1, frameId: 0, doc: 'bench', frameUrl: 'http://a.test/', ev }) as never;
    const steps = Array.from({ length: 10 }, (_, p) => rec({ type: 'step', id, t: t + 10 + p * 50, step: 'upload:progress', detail: { loaded: ((p + 1) * CHUNK) / 10, total: CHUNK, lengthComputable: true } }));
    return [
      rec({ type: 'start', id, t, kind: 'xhr', method: 'PUT', url, headers: [['Content-Range', `bytes ${k * CHUNK}-${(k + 1) * CHUNK - 1}/${TOTAL}`]], body: { encoding: 'none', data: '', size: CHUNK, truncated: true, source: 'blob' } }),
      ...steps,
      rec({ type: 'response', id, t: t + 600, status: k === 399 ? 200 : 308, statusText: '', headers: k === 399 ? [] : [['Range', `bytes=0-${(k + 1) * CHUNK - 1}`]] }),
      rec({ type: 'end', id, t: t + 610, outcome: 'ok' }),
    ];
  };
  for (let k = 0; k < 399; k++) store.applyMessage({ type: 'records', tabId: 1, records: chunkRecords(k) });
  figures.push({ name: 'a 2 GB upload in 5 MB chunks: its 400th chunk arriving (the transfer analysed again)', ...time(() => store.applyMessage({ type: 'records', tabId: 1, records: chunkRecords(399) }), 1), unit: 'ms', target: '< 16' });
  const upload = store.transferOf(store.visible().find((e) => e.url.includes('upload_id=big'))!.id);
  figures.push({ name: `  (its transfer: ${upload?.chunks} chunks, ${upload?.complete ? 'complete' : 'incomplete'}, ${upload?.issues.length} issues)`, value: upload?.chunks ?? 0, unit: '' });

  const keystrokes = ['a', 'ap', 'api', 'api/', 'b.test', ''];
  const filter = keystrokes.map((text) => time(() => store.setText(text), 1));
  const worst = filter.reduce((a, b) => (b.value > a.value ? b : a));
  figures.push({ name: 'filter keystroke at 100,000 entries (worst of a, ap, api, api/, b.test, clear)', ...worst, unit: 'ms', target: '< 100' });
  figures.push({ name: 'CORS-failures filter on at 100,000 entries (first time: judges every entry)', ...time(() => (store.setChips(['cors-errors']), store.setChips([])), 1), unit: 'ms' });

  let harText = chromeStyleHar(100_000);
  figures.push({ name: 'a Chrome-style HAR of 100,000 fetches: size', value: harText.length / 1e6, unit: 'MB' });
  figures.push({ name: 'importHar of it (parse + convert; the importer, not the panel)', ...time(() => importHar(harText), 1), unit: 'ms' });
  figures.push({ name: 'open it in the store: its first rows ready to draw (the rest is read in slices after)', ...time(() => store.openTrace(startHarImport(harText)), 1), unit: 'ms' });
  store.closeTrace();
  harText = '';

  const ws = createPanelStore();
  let wsSeq = 0;
  for (let from = 0; from < 1_000_000; from += 100_000) {
    const records = syntheticWsRecords(wsSeq, from, 100_000);
    wsSeq += records.length;
    ws.applyMessage({ type: 'records', tabId: 1, records });
  }
  const socket = ws.allEntries()[0];
  collectGarbage();
  figures.push({ name: 'heap with 100,000 entries + 1,000,000 messages (both stores)', value: process.memoryUsage().heapUsed / 1e6, unit: 'MB' });
  figures.push({ name: 'WebSocket messages kept', value: socket.messages.length, unit: '' });
  const f = createMessageFilter();
  figures.push({ name: 'filter 1,000,000 messages by text', ...time(() => f.matches(socket.messages, `seq":${Math.floor(Math.random() * 1e6)}`), 3), unit: 'ms' });
  return figures;
}

export function printFigures(title: string, figures: Figure[]) {
  console.log(`\n${title} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
  for (const f of figures) {
    const value = f.unit === 'ms' || f.unit === 'MB' ? f.value.toFixed(1) : f.value.toLocaleString('en');
    const cpu = f.cpu !== undefined ? `(cpu ${f.cpu.toFixed(1)})` : '';
    console.log(`  ${f.name.padEnd(84)} ${value.padStart(10)} ${f.unit.padEnd(3)} ${cpu.padEnd(14)}${f.target ? ` target ${f.target}` : ''}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printFigures('panel store (Node, no DOM)', await runPanelStoreBench());
