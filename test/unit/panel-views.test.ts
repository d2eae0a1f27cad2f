import { describe, expect, it } from 'vitest';
import { corsForEntry } from '../../src/shared/entry-cors';
import { groupLongPolling } from '../../src/shared/long-polling';
import type { Entry } from '../../src/shared/model';
import { createPanelViews, sortKey, traceSource, type EntryFilter, type EntrySort, type EntrySource } from '../../src/shared/panel-views';
import { entryPredicate } from '../../src/shared/panel-views/entry-filter';
import type { WireEvent, PageEvent, TabRecord } from '../../src/shared/protocol';
import { createTimeline } from '../../src/shared/timeline';
import { entrySize } from '../../src/shared/entry-columns';
import { recogniseTransfers, type Transfer } from '../../src/shared/transfers';

let seq = 0;
const page = (ev: PageEvent): TabRecord => ({ seq: ++seq, tabId: 1, frameId: 0, doc: 'd', frameUrl: 'http://a.test/', ev });
const net = (ev: Partial<WireEvent> & Pick<WireEvent, 'phase' | 'requestId' | 'url'>): TabRecord => ({
  seq: ++seq,
  tabId: 1,
  frameId: 0,
  ev: { type: 'wire', method: 'GET', resourceType: 'xmlhttprequest', frameId: 0, t: 0, ...ev },
});

/** A session: same-origin fetches, long polls, cross-origin PUTs with preflights (some blocked), wire-first requests. */
function session(n: number): TabRecord[] {
  const out: TabRecord[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += 10;
    const id = `f${i}`;
    if (i % 5 === 0) {
      // A long poll: held open 1.5 s, the next one right after.
      out.push(page({ type: 'start', id, t, kind: 'fetch', method: 'GET', url: `http://a.test/poll?ts=${1_000_000 + i}`, headers: [] }));
      out.push(page({ type: 'end', id, t: t + 1500, outcome: 'ok' }));
      t += 1500;
    } else if (i % 5 === 1) {
      const url = `http://b.test/api/${i}`;
      const allowed = i % 2 === 0;
      out.push(page({ type: 'start', id, t, kind: 'fetch', method: 'PUT', url, headers: [['X-Custom', '1']] }));
      out.push(net({ phase: 'send', requestId: `p${i}`, method: 'OPTIONS', url, t: t + 1, requestHeaders: [['Access-Control-Request-Method', 'PUT'], ['Origin', 'http://a.test']] }));
      out.push(net({ phase: 'headers', requestId: `p${i}`, method: 'OPTIONS', url, t: t + 2, statusCode: 204, responseHeaders: allowed ? [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'x-custom']] : [] }));
      if (allowed) {
        out.push(net({ phase: 'send', requestId: `r${i}`, method: 'PUT', url, t: t + 3 }));
        out.push(net({ phase: 'headers', requestId: `r${i}`, method: 'PUT', url, t: t + 4, statusCode: 200, responseHeaders: [['Access-Control-Allow-Origin', '*'], ['Content-Length', String(i * 100)]] }));
        out.push(page({ type: 'end', id, t: t + 5, outcome: 'ok' }));
      } else {
        out.push(page({ type: 'end', id, t: t + 5, outcome: 'error', error: 'TypeError: Failed to fetch' }));
      }
    } else {
      const url = `http://a.test/items?i=${i}`;
      // Every other one is seen on the wire first: a wire-only row that the page entry absorbs.
      const wire = [net({ phase: 'send', requestId: `r${i}`, url, t: t + 1 }), net({ phase: 'completed', requestId: `r${i}`, url, t: t + 3, statusCode: 200 })];
      const js = [page({ type: 'start', id, t, kind: i % 2 ? 'fetch' : 'xhr', method: 'GET', url, headers: [] }), page({ type: 'end', id, t: t + 4, outcome: 'ok' })];
      out.push(...(i % 2 ? [wire[0], ...js, wire[1]] : [...js, ...wire]));
    }
  }
  return out;
}

/** The views against everything recomputed from scratch: the filter over every entry, sorted afresh, verdicts and groups. */
function expectSameAsFullRecompute(views: ReturnType<typeof createPanelViews>, source: EntrySource, filter: EntryFilter, sort?: EntrySort) {
  const all = source.entries();
  const blocked = (e: Entry) => corsForEntry(e, source.get)?.crossOrigin === true && corsForEntry(e, source.get)?.outcome === 'blocked';
  const fits = entryPredicate(filter, blocked, source.get);
  // A later request of an upload sits under its first request when that one is shown.
  const headOf = new Map<string, string>();
  for (const t of recogniseTransfers(all)) for (const m of t.members.slice(1)) headOf.set(m.entryId, t.members[0].entryId);
  const nested = (e: Entry) => headOf.has(e.id) && fits(source.get(headOf.get(e.id)!)!);
  const expected = all.filter((e) => fits(e) && !nested(e));
  for (const e of expected) {
    const under = [...headOf].filter(([, head]) => head === e.id).map(([id]) => id);
    if (!e.preflightId) expect([e.id, views.childrenOf(e.id).map((c) => c.id)]).toEqual([e.id, under]);
  }
  if (sort) {
    const dir = sort.descending ? -1 : 1;
    const key = (e: Entry) => sortKey(sort.column, e);
    expected.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
  }
  expect(views.visible().map((e) => e.id)).toEqual(expected.map((e) => e.id));
  const bytes = (list: readonly Entry[]) => list.reduce((n, e) => n + entrySize(e), 0);
  expect(views.bytes()).toEqual({ all: bytes(all), shown: bytes(expected) });
  const groups = new Map<string, string>();
  for (const g of groupLongPolling([...all])) for (const id of g.entryIds) groups.set(id, g.entryIds.join());
  for (const e of all) {
    const full = corsForEntry(e, source.get);
    expect([e.id, views.corsOf(e.id)?.outcome]).toEqual([e.id, full?.crossOrigin ? full.outcome : undefined]);
    expect([e.id, views.longPollOf(e.id)?.entryIds.join()]).toEqual([e.id, groups.get(e.id)]);
  }
  const uploads = new Map<string, Transfer>();
  for (const t of recogniseTransfers(all)) for (const m of t.members) uploads.set(m.entryId, t);
  for (const e of all) expect([e.id, views.transferOf(e.id)]).toEqual([e.id, uploads.get(e.id)]);
}

/** Two resumable uploads (tus and offset-query) as page records, interleaved, each exchange in three records. */
function uploads(): TabRecord[] {
  const out: TabRecord[] = [];
  const tus: [string, string] = ['Tus-Resumable', '1.0.0'];
  const file: [string, string] = ['X-File-Id', 'a.bin-30-1'];
  const steps: { method: string; url: string; headers: [string, string][]; bytes?: number; status: number; res?: [string, string][] }[] = [
    { method: 'POST', url: 'http://a.test/files/', headers: [tus, ['Upload-Length', '20']], status: 201, res: [['Location', '/files/x']] },
    { method: 'POST', url: 'http://a.test/up', headers: [file, ['X-Start-Byte', '0']], bytes: 10, status: 500 },
    { method: 'PATCH', url: 'http://a.test/files/x', headers: [tus, ['Upload-Offset', '0']], bytes: 10, status: 204, res: [['Upload-Offset', '10']] },
    { method: 'POST', url: 'http://a.test/up', headers: [file, ['X-Start-Byte', '0']], bytes: 30, status: 200 },
    { method: 'PATCH', url: 'http://a.test/files/x', headers: [tus, ['Upload-Offset', '10']], bytes: 10, status: 204, res: [['Upload-Offset', '20']] },
  ];
  steps.forEach((s, i) => {
    const id = `u${i}`;
    const t = 10_000 + i * 100;
    const body = s.bytes ? { encoding: 'none' as const, data: '', size: s.bytes, truncated: true, source: 'blob' } : undefined;
    out.push(page({ type: 'start', id, t, kind: 'xhr', method: s.method, url: s.url, headers: s.headers, ...(body ? { body } : {}) }));
    out.push(page({ type: 'response', id, t: t + 40, status: s.status, statusText: '', headers: s.res ?? [] }));
    out.push(page({ type: 'end', id, t: t + 50, outcome: 'ok' }));
  });
  return out;
}

describe('panel views', () => {
  const records = [...session(60), ...uploads()];

  const cases: [EntryFilter, EntrySort?][] = [
    [{ text: '', chips: [] }],
    [{ text: 'a.test/items', chips: [] }],
    [{ text: '', chips: ['cors-errors'] }],
    [{ text: 'kind:xhr', chips: [] }],
    [{ text: 'method:PUT -status-code:200', chips: [] }],
    [{ text: '/items\\?i=\\d*[02468]$/ -is:running', chips: ['fetch-xhr'] }],
    [{ text: 'domain:*.test -kind:preflight', chips: ['fetch-xhr', 'preflight'] }],
    [{ text: 'has-request-header:x-custom', chips: [] }, { column: 'status', descending: true }],
    [{ text: '', chips: [] }, { column: 'time', descending: false }],
    [{ text: 'a.test', chips: [] }, { column: 'name', descending: false }],
    [{ text: '', chips: ['failed'] }, { column: 'method', descending: true }],
    // Entries that join the shown list only once they change (a status, an end) must join by their new key.
    [{ text: 'status-code:200', chips: [] }, { column: 'status', descending: false }],
    [{ text: '-is:running', chips: [] }, { column: 'time', descending: true }],
    [{ text: 'larger-than:1k', chips: [] }, { column: 'size', descending: true }],
    // The uploads' first requests (POSTs) left out: their PATCHes and later POSTs are rows of their own.
    [{ text: 'method:PATCH', chips: [] }],
    [{ text: '-status-code:201', chips: [] }, { column: 'method', descending: false }],
  ];
  for (const [filter, sort] of cases) {
    it(`updated batch by batch, equal the views recomputed over everything (filter ${JSON.stringify(filter)}, sort ${JSON.stringify(sort)})`, () => {
      const timeline = createTimeline();
      const source: EntrySource = { entries: () => timeline.entries(), get: timeline.get, compare: timeline.compare };
      const views = createPanelViews(source);
      views.setFilter(filter);
      views.setSort(sort);
      for (let at = 0, size = 1; at < records.length; at += size, size = (size * 7) % 13 + 1) {
        for (const r of records.slice(at, at + size)) timeline.apply(r);
        views.update(timeline.takeChanges());
        if (at % 3 === 0) expectSameAsFullRecompute(views, source, filter, sort);
      }
      expectSameAsFullRecompute(views, source, filter, sort);
      expect(views.visible().length).toBeGreaterThan(0);
    });
  }

  it('knows the transfer of each upload request as the records arrive (the tus one once its creation is answered)', () => {
    const timeline = createTimeline();
    const views = createPanelViews({ entries: () => timeline.entries(), get: timeline.get, compare: timeline.compare });
    const applied: string[] = [];
    for (const r of uploads()) {
      timeline.apply(r);
      views.update(timeline.takeChanges());
      applied.push(views.transferOf('d:u0')?.protocol ?? '-');
    }
    // The creation is a member from the first PATCH to the place its answer named (sent, not yet answered).
    expect(applied.join(' ')).toBe('- - - - - - tus tus tus tus tus tus tus tus tus');
    expect(views.transferOf('d:u3')).toMatchObject({ protocol: 'offset', chunks: 2, retries: 1, confirmed: 30 });
    expect(views.transferOf('d:u4')).toMatchObject({ protocol: 'tus', chunks: 2, complete: true });
  });

  it('refilters on a filter change, narrowing from the shown entries and widening from all', () => {
    const timeline = createTimeline();
    for (const r of records) timeline.apply(r);
    const source: EntrySource = { entries: () => timeline.entries(), get: timeline.get, compare: timeline.compare };
    const views = createPanelViews(source);
    // The session has what the views are about: blocked CORS calls, long polls, absorbed wire rows.
    views.setFilter({ text: '', chips: ['cors-errors'] });
    expect(views.visible().length).toBe(6);
    expect(timeline.entries().filter((e) => views.longPollOf(e.id)).length).toBe(12);
    // Preflights sit under their requests unless asked for.
    views.setFilter({ text: '', chips: [] });
    expect(views.visible().filter((e) => e.kind === 'preflight')).toEqual([]);
    views.setFilter({ text: '', chips: ['preflight'] });
    expect(views.visible().length).toBe(12);
    views.setFilter({ text: 'kind:preflight', chips: [] });
    expect(views.visible().length).toBe(12);
    const queries = ['a', 'a.', 'a.test/i', 'x', 'xh', 'xhr', 'b.test', '', 'method:', 'method:G', 'method:GET', 'method:GET poll', 'method:GET poll -kind:xhr', 'method:GET -kind:xhr', '-a', '-a.', '-a.test', '/api\\/\\d+/', '/api\\/\\d+/ m', 'foo:bar', '/[/', 'is:cors-error', 'is:cors-error b', '', 'kind:preflight', 'kind:preflight b.test', '-kind:preflight', ''];
    for (const sort of [undefined, { column: 'name', descending: true } as const]) {
      views.setSort(sort);
      const chipSets = [[], ['cors-errors'], ['fetch-xhr', 'preflight'], ['fetch-xhr']] as EntryFilter['chips'][];
      // Keystrokes under each chip set, then chip changes under each query.
      for (const chips of chipSets) {
        for (const text of queries) {
          views.setFilter({ text, chips });
          expectSameAsFullRecompute(views, source, { text, chips }, sort);
        }
      }
      for (const text of queries) {
        for (const chips of chipSets) {
          views.setFilter({ text, chips });
          expectSameAsFullRecompute(views, source, { text, chips }, sort);
        }
      }
    }
  });

  it('groups a big source in slices after a reset, and ends equal to the full recompute', () => {
    const timeline = createTimeline();
    const big = session(300);
    const source: EntrySource = { entries: () => timeline.entries(), get: timeline.get, compare: timeline.compare };
    for (const r of big.slice(0, big.length - 40)) timeline.apply(r);
    timeline.takeChanges();
    const views = createPanelViews(source, { groupAtOnce: 100 });
    expect(views.pending()).toBe(true);
    // Records keep arriving while it groups.
    for (const r of big.slice(big.length - 40)) timeline.apply(r);
    views.update(timeline.takeChanges());
    while (views.work(0));
    expect(views.pending()).toBe(false);
    expectSameAsFullRecompute(views, source, { text: '', chips: [] });
  });

  it('keeps a trace in file order and forgets the previous source on reset', () => {
    const a: Entry = { id: 'har:0', tabId: 0, frameId: 0, kind: 'fetch', method: 'GET', url: 'http://x.test/2', startTime: 5, state: 'done', request: { headers: [] }, lifecycle: [], messages: [], droppedMessages: 0 };
    const b: Entry = { ...a, id: 'har:1', url: 'http://x.test/1', startTime: 1 };
    const views = createPanelViews(traceSource([a, b]));
    expect(views.visible()).toEqual([a, b]);
    const other = { ...a, url: 'http://y.test/' };
    views.reset(traceSource([other]));
    expect([views.visible(), views.corsOf('har:1')]).toEqual([[other], undefined]);
    // Sorted, a new trace with the same ids sorts by its own values.
    views.setSort({ column: 'name', descending: false });
    views.reset(traceSource([a, b]));
    expect(views.visible()).toEqual([b, a]);
    views.reset(traceSource([{ ...a, url: 'http://x.test/0' }, { ...b, url: 'http://x.test/9' }]));
    expect(views.visible().map((e) => e.url)).toEqual(['http://x.test/0', 'http://x.test/9']);
  });
});

describe('panel views: one sort after another', () => {
  it('shows each entry once when an entry tied under the new sort changes (ties in display order, as the list compares them)', () => {
    const tl = createTimeline();
    const get = (id: string, t: number, method: string) => page({ type: 'start', id, t, kind: 'fetch', method, url: `http://a.test/${id}`, headers: [] });
    const done = (id: string, t: number) => [page({ type: 'response', id, t, status: 200, statusText: 'OK', headers: [] }), page({ type: 'end', id, t, outcome: 'ok' })];
    // Display order a, b, c; all answered 200.
    for (const r of [get('a', 1, 'GET'), get('b', 2, 'POST'), get('c', 3, 'GET'), ...done('a', 4), ...done('b', 5), ...done('c', 6)]) tl.apply(r);
    tl.takeChanges();
    const source: EntrySource = { entries: tl.entries, get: tl.get, compare: tl.compare };
    const views = createPanelViews(source);
    // By method (GET a, GET c, POST b), then by status: every key ties.
    views.setSort({ column: 'method', descending: false });
    views.setSort({ column: 'status', descending: false });
    expect(views.visible().map((e) => e.id)).toEqual(['d:a', 'd:b', 'd:c']);
    // c changes (its key stays 200): judged again, it must be found where it is.
    tl.apply(page({ type: 'step', id: 'c', t: 7, step: 'x' }));
    views.update(tl.takeChanges());
    expect(views.visible().map((e) => e.id)).toEqual(['d:a', 'd:b', 'd:c']);
  });
});
