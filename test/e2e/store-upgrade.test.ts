import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPayload, mapEventPayload } from '../../src/shared/event-payloads';
import type { TabRecord } from '../../src/shared/protocol';
import { SETTINGS_KEY } from '../../src/shared/settings';
import { MIN_STRIPPED_BODY, evictionUnit, recordCost } from '../../src/shared/store-budget';
import { pageDone, scaled, startEnv, until, type Env } from '../helpers/env';
import { storeRows } from '../helpers/store-db';

const MiB = 1024 * 1024;

/** A row as version 1 of the store wrote it (one entry per row, `entry`). */
interface RowV1 {
  tab: number;
  seq: number;
  bytes: number;
  body: number;
  entry?: string;
  apart?: true;
  rec?: TabRecord;
  pack?: TabRecord[];
}

/**
 * A tab's records laid out as version 1 did: a big body's data apart, an entry's records added one
 * after another in one pack, everything else a row each (these tests' records hold no run).
 */
function rowsV1(tab: number, records: TabRecord[]): { rows: RowV1[]; bodies: [number, string][] } {
  const rows: RowV1[] = [];
  const bodies: [number, string][] = [];
  for (const rec of records) {
    const cost = recordCost(rec);
    const { entry, alone } = evictionUnit(rec);
    const row: RowV1 = { tab, seq: rec.seq, bytes: cost.bytes, body: cost.body, rec };
    if (!alone) row.entry = entry;
    if (cost.body >= MIN_STRIPPED_BODY) {
      bodies.push([rec.seq, eventPayload(rec.ev)!.data]);
      row.rec = { ...rec, ev: mapEventPayload(rec.ev, (p) => ({ ...p, data: '' })) };
      row.apart = true;
      rows.push(row);
      continue;
    }
    const prev = rows[rows.length - 1];
    if (prev && !prev.apart && !alone && prev.entry === entry && prev.seq === rec.seq - 1) {
      const pack = prev.pack ?? [prev.rec!];
      pack.push(rec);
      rows[rows.length - 1] = { tab, seq: rec.seq, bytes: prev.bytes + cost.bytes, body: 0, entry, pack };
    } else rows.push(row);
  }
  return { rows, bodies };
}

/** The store's database read whole for a tab (rows as either version keeps them). */
const readDb = (ext: Page, tabId: number) => storeRows<{ bytes: number; entry?: string; keys?: [number, string][] }[]>(ext, tabId, 'getAll');

describe('the record store upgrading a database written by its previous version', () => {
  let env: Env;
  let ext: Page;
  beforeAll(async () => {
    env = await startEnv();
    ext = await env.session.browser.newPage();
    // An extension page that keeps no port open (a panel's reconnects, and wakes a stopped worker).
    await ext.goto(`chrome-extension://${env.session.extensionId}/src/devtools/devtools.html`);
    await ext.evaluate((key: string) => chrome.storage.local.set({ [key]: { preserveLog: true, wire: 'always' } }), SETTINGS_KEY);
  });
  afterAll(async () => {
    await env?.close();
  });

  /** `n` XHR POSTs (every tenth with a body kept apart), and their records all written, wire included. */
  async function posts(page: Page, tabId: number, from: number, n: number) {
    await page.evaluate(
      async (first: number, count: number) => {
        for (let i = first; i < first + count; i++)
          await new Promise((r) => {
            const x = new XMLHttpRequest();
            x.open('POST', `/api/items?up=${i}`);
            x.onloadend = r;
            x.send('p'.repeat(i % 10 ? 900 : 3000));
          });
      },
      from,
      n,
    );
    // Every POST's last records are in: its wire `completed` and its page `end` (counted per POST:
    // the page's own requests end too, and counting every end let the last POSTs' records trail).
    const exchange = (r: TabRecord) => `${r.doc}:${(r.ev as { id: string }).id}`;
    const done = (records: TabRecord[]) => {
      const posted = new Set(records.filter((r) => r.ev.type === 'start' && r.ev.url.includes('up=')).map(exchange));
      const ended = new Set(records.filter((r) => r.ev.type === 'end' && posted.has(exchange(r))).map(exchange));
      return records.filter((r) => r.ev.type === 'wire' && r.ev.phase === 'completed' && r.ev.url.includes('up=')).length >= from + n && posted.size >= from + n && ended.size >= from + n;
    };
    return until(async () => {
      const { records } = await env.session.snapshot(tabId);
      return done(records) && records;
    }, 60_000);
  }

  it('reads back every record of a version 1 database, evicts its rows and new ones whole, and keeps the budget exact', async () => {
    const { page, tabId } = await env.session.openTab();
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const original = await posts(page, tabId, 0, 60);

    // The same records as version 1 wrote them, in place of what this version wrote.
    const meta = await ext.evaluate(
      (tab: number) =>
        new Promise<unknown>((resolve, reject) => {
          const open = indexedDB.open('netlens-store');
          open.onsuccess = () => {
            const q = open.result.transaction('tabs').objectStore('tabs').get(tab);
            q.onsuccess = () => {
              open.result.close();
              resolve(q.result);
            };
            q.onerror = () => reject(q.error);
          };
        }),
      tabId,
    );
    const old = rowsV1(tabId, original);
    expect(old.bodies.length).toBeGreaterThanOrEqual(6);
    // No relay to wake the worker while its database is replaced (the log is kept: preserveLog).
    await page.goto('about:blank');
    await env.session.stopWorker();
    await ext.evaluate(
      (tab: number, rows: RowV1[], bodies: [number, string][], tabMeta: unknown) =>
        new Promise<void>((resolve, reject) => {
          setTimeout(() => reject(new Error('the database stayed open')), 20_000);
          const del = indexedDB.deleteDatabase('netlens-store');
          del.onerror = () => reject(del.error);
          del.onsuccess = () => {
            const open = indexedDB.open('netlens-store', 1);
            open.onupgradeneeded = () => {
              const db = open.result;
              db.createObjectStore('records', { keyPath: ['tab', 'seq'] }).createIndex('entry', ['tab', 'entry']);
              db.createObjectStore('bodies');
              db.createObjectStore('tabs', { keyPath: 'tab' });
            };
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const tx = db.transaction(['records', 'bodies', 'tabs'], 'readwrite');
              for (const row of rows) tx.objectStore('records').put(row);
              for (const [seq, data] of bodies) tx.objectStore('bodies').put(data, [tab, seq]);
              tx.objectStore('tabs').put(tabMeta);
              tx.oncomplete = () => {
                db.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          };
        }),
      tabId,
      old.rows,
      old.bodies,
      meta,
    );

    // The worker wakes, upgrades, and reads every record back as it was.
    await env.session.workerBoot();
    expect((await env.session.snapshot(tabId)).records).toEqual(original);
    const upgraded = await readDb(ext, tabId);
    expect({ version: upgraded.version, indexes: upgraded.indexes }).toEqual({ version: 2, indexes: ['entries'] });
    expect(upgraded.rows.filter((r) => 'entry' in r)).toEqual([]);
    expect(upgraded.rows.filter((r) => !r.keys).length).toBe(old.rows.filter((r) => r.entry === undefined).length);

    // New records go on after them (rows of several entries each), then a 1 MiB budget takes the oldest entries.
    await page.goto(`${env.servers.a}/basic.html`);
    await pageDone(page);
    const all = await posts(page, tabId, 60, 200);
    expect(all.slice(0, original.length)).toEqual(original);
    await ext.evaluate((key: string) => chrome.storage.local.set({ [key]: { preserveLog: true, tabBudget: 1024 * 1024, wire: 'always' } }), SETTINGS_KEY);
    const after = await until(async () => {
      const { records, health } = await env.session.snapshot(tabId);
      return health!.stored! <= 1 * MiB && health!.drops!.entries > 0 && { records, health: health! };
    }, 60_000);
    // What it holds plus what it says it dropped is every record; what it holds is what its rows weigh.
    expect(after.records.length + after.health.drops!.records).toBe(all.length);
    expect((await readDb(ext, tabId)).rows.reduce((n, r) => n + r.bytes, 0)).toBe(after.health.stored);
    // Every entry went whole or stayed whole; the oldest went; a record kept is as it was (its body maybe dropped).
    const bySeq = new Map(all.map((r) => [r.seq, r]));
    const kept = new Set(after.records.map((r) => r.seq));
    const entries = new Map<string, number[]>();
    for (const r of all) {
      const { entry, alone } = evictionUnit(r);
      if (!alone) entries.set(entry, [...(entries.get(entry) ?? []), r.seq]);
    }
    for (const [entry, seqs] of entries) expect({ entry, kept: seqs.filter((s) => kept.has(s)).length }).toEqual({ entry, kept: seqs.some((s) => kept.has(s)) ? seqs.length : 0 });
    // The version 1 rows went, and new rows' entries too: out of rows that keep other entries' records.
    expect(original.some((r) => kept.has(r.seq))).toBe(false);
    expect(all.filter((r) => r.seq > original[original.length - 1].seq).some((r) => !kept.has(r.seq))).toBe(true);
    expect(kept.has(all[all.length - 1].seq)).toBe(true);
    for (const r of after.records) {
      const was = bySeq.get(r.seq)!;
      const payload = eventPayload(r.ev);
      if (payload?.truncated && !eventPayload(was.ev)?.truncated) expect({ ...r, ev: mapEventPayload(r.ev, () => eventPayload(was.ev)!) }).toEqual(was);
      else expect(r).toEqual(was);
    }
    await page.close();
  }, scaled(300_000));
});
