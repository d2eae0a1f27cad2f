// node scripts/compare-records.mjs <dir a> <dir b>: the page records two builds stored for the same
// scenarios (RECORD_DUMP, test/compliance/records-dump.ts), compared entry by entry, key order
// included. Left out of the comparison: wire records, times, seq/tab/frame/doc (document ids by
// order of appearance instead), and what differs from run to run by itself (server ports, Date
// headers, multipart boundaries; base64 bodies compared decoded). Exits 1 when anything differs.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const norm = (v) => {
  if (typeof v === 'string') {
    return v
      .replace(/(127\.0\.0\.1|localhost|\[::1\]):\d+/g, 'HOST')
      .replace(/WebKitFormBoundary[A-Za-z0-9]{16}/g, 'BOUNDARY')
      .replace(/\b\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\b/g, 'DATE');
  }
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object') {
    if (v.encoding === 'base64' && typeof v.data === 'string') v = { ...v, data: Buffer.from(v.data, 'base64').toString('latin1') };
    const o = {};
    for (const [k, x] of Object.entries(v)) if (k !== 't') o[k] = norm(x);
    return o;
  }
  return v;
};

const load = (file) => {
  const records = JSON.parse(readFileSync(file, 'utf8')).filter((r) => r.ev && r.ev.type !== 'wire' && r.doc);
  const docs = new Map();
  const entries = new Map();
  for (const r of records) {
    if (!docs.has(r.doc)) docs.set(r.doc, docs.size);
    const key = `${docs.get(r.doc)}/${r.ev.id}`;
    if (!entries.has(key)) entries.set(key, []);
    entries.get(key).push({ keys: Object.keys(r.ev).join(','), ev: norm(r.ev) });
  }
  return { count: records.length, steps: records.filter((r) => r.ev.type === 'step').length, entries };
};

const [dirA, dirB] = process.argv.slice(2);
let differ = 0;
for (const name of readdirSync(dirA).filter((f) => f.endsWith('.json'))) {
  const a = load(join(dirA, name));
  const b = load(join(dirB, name));
  let diffs = 0;
  for (const [key, list] of a.entries) {
    const other = b.entries.get(key);
    if (isDeepStrictEqual(list, other)) continue;
    diffs++;
    const i = list.findIndex((x, j) => !isDeepStrictEqual(x, other?.[j]));
    if (diffs <= 3) console.log(`  ${name} ${key} record ${i}:\n    ${JSON.stringify(list[i]).slice(0, 600)}\n    ${JSON.stringify(other?.[i])?.slice(0, 600)}`);
  }
  for (const key of b.entries.keys()) if (!a.entries.has(key)) diffs++;
  console.log(`${name}: ${a.count} vs ${b.count} page records (${a.steps} vs ${b.steps} steps), ${a.entries.size} vs ${b.entries.size} entries: ${diffs ? `${diffs} entries differ` : 'identical'}`);
  differ += diffs;
}
process.exit(differ ? 1 : 0);
