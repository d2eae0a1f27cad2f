import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCorsReport } from '../../src/shared/cors';
import { corsForEntry } from '../../src/shared/entry-cors';
import { groupLongPolling } from '../../src/shared/long-polling';
import type { Entry } from '../../src/shared/model';
import { createPanelViews, NO_FILTER as NO_FILTER_, showsPreflights, sortKey, traceSource, type EntryFilter, type EntrySort, type EntrySource } from '../../src/shared/panel-views';
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
function expectSameAsFullRecompute(views: ReturnType<typeof createPanelViews>, source: EntrySource, filter: EntryFilter, sort?: EntrySort, exclude = (_: Entry) => false) {
  const all = source.entries();
  const blocked = (e: Entry) => corsForEntry(e, source.get)?.crossOrigin === true && corsForEntry(e, source.get)?.outcome === 'blocked';
  const query = entryPredicate(filter, blocked, source.get);
  const fits = (e: Entry) => !exclude(e) && query(e);
  // A later request of an upload sits under its first request when that one is shown.
  const headOf = new Map<string, string>();
  for (const t of recogniseTransfers(all)) for (const m of t.members.slice(1)) headOf.set(m.entryId, t.members[0].entryId);
  const nested = (e: Entry) => headOf.has(e.id) && fits(source.get(headOf.get(e.id)!)!);
  const expected = all.filter((e) => fits(e) && !nested(e));
  for (const e of expected) {
    const under = [...headOf].filter(([id, head]) => head === e.id && !exclude(source.get(id)!)).map(([id]) => id);
    const pre = e.preflightId && !showsPreflights(filter) ? source.get(e.preflightId) : undefined;
    expect([e.id, views.childrenOf(e.id).map((c) => c.id)]).toEqual([e.id, [...(pre ? [pre.id] : []), ...under]]);
  }
  if (sort) {
    const dir = sort.descending ? -1 : 1;
    const key = (e: Entry) => sortKey(sort.column, e);
    expected.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
  }
  expect(views.visible().map((e) => e.id)).toEqual(expected.map((e) => e.id));
  const bytes = (list: readonly Entry[]) => list.reduce((n, e) => n + entrySize(e), 0);
  expect(views.bytes()).toEqual({ all: bytes(all.filter((e) => !exclude(e))), shown: bytes(expected) });
  expect(views.counted()).toBe(all.filter((e) => !exclude(e)).length);
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

  // Typed one keystroke at a time once everything arrived: each narrower than the one before, so
  // only what was shown is filtered again, plus the uploads' later requests (they come out as rows
  // when their first request is filtered out).
  for (const sort of [undefined, { column: 'method', descending: true } as EntrySort]) {
    it(`a filter narrowed keystroke by keystroke over uploads equals the views recomputed (sort ${JSON.stringify(sort)})`, () => {
      const timeline = createTimeline();
      const source: EntrySource = { entries: () => timeline.entries(), get: timeline.get, compare: timeline.compare };
      const views = createPanelViews(source);
      views.setSort(sort);
      for (const r of records) timeline.apply(r);
      views.update(timeline.takeChanges());
      for (const typed of [['a', 'a.', 'a.test', 'a.test/files', 'a.test/files/x'], ['u', 'up'], ['method:PATCH', 'method:PATCH -status-code:500'], ['method:POST', 'method:POST a.test/up']]) {
        for (const text of ['', ...typed]) {
          views.setFilter({ text, chips: [] });
          expectSameAsFullRecompute(views, source, { text, chips: [] }, sort);
        }
      }
      views.setFilter({ text: 'a.test/files/x', chips: [] });
      // The PATCHes of the tus upload, out from under its POST.
      expect(views.visible().map((e) => e.id)).toEqual(['d:u2', 'd:u4']);
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

  it('judges the CORS verdicts again when the wire view turns out to have begun later', () => {
    const tl = createTimeline();
    const url = 'http://b.test/api/late';
    tl.apply(page({ type: 'start', id: 'late', t: 1_000, kind: 'fetch', method: 'PUT', url, headers: [['X-Custom', '1']] }));
    tl.apply(net({ phase: 'send', requestId: 'w-late', method: 'PUT', url, t: 1_050 }));
    tl.apply(net({ phase: 'headers', requestId: 'w-late', method: 'PUT', url, t: 1_060, statusCode: 200, responseHeaders: [['Access-Control-Allow-Origin', '*']] }));
    tl.apply(page({ type: 'end', id: 'late', t: 1_070, outcome: 'ok' }));
    tl.takeChanges();
    let since: number | undefined;
    const views = createPanelViews({ entries: () => tl.entries(), get: tl.get, compare: tl.compare }, { wireSince: () => since });
    const id = tl.entries().find((e) => e.url === url)!.id;
    expect(toCorsReport(views.corsOf(id)!).preflight.observed).toBe('cached');
    since = 1_010;
    // Memoized until told.
    expect(toCorsReport(views.corsOf(id)!).preflight.observed).toBe('cached');
    views.wireChanged();
    expect(toCorsReport(views.corsOf(id)!).preflight.observed).toBe(false);
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

describe('panel views: a wire-only row absorbed', () => {
  it('goes when its page entry comes, though another entry started in the same ms', () => {
    // The timeline's order breaks start-time ties by arrival, which it forgot for the dropped
    // entry: the views looked for it in the wrong place and kept it, beside its page entry.
    const tl = createTimeline();
    const source: EntrySource = { entries: () => tl.entries(), get: tl.get, compare: tl.compare };
    const views = createPanelViews(source);
    for (const [id, url, t] of [['r0', 'http://a.test/zero', 5], ['r1', 'http://a.test/one', 10], ['r2', 'http://a.test/two', 10]] as const) tl.apply(net({ phase: 'send', requestId: id, url, t }));
    views.update(tl.takeChanges());
    expect(views.visible().map((e) => e.id)).toEqual(['wire:r0', 'wire:r1', 'wire:r2']);
    tl.apply(page({ type: 'start', id: 'f2', t: 9, kind: 'fetch', method: 'GET', url: 'http://a.test/two', headers: [] }));
    views.update(tl.takeChanges());
    expect(views.visible().map((e) => e.id)).toEqual(['wire:r0', 'd:f2', 'wire:r1']);
  });
});

describe('panel views: an entry replaced in one batch', () => {
  it('closes the waterfall of the open entry it replaced when the new one is not shown', () => {
    const entry = (id: string, method: string, endTime?: number): Entry => ({ id, tabId: 1, frameId: 0, frameUrl: 'http://a.test/', kind: 'fetch', method, url: `http://a.test/${id}`, startTime: id === 'a' ? 0 : 10, endTime, state: endTime === undefined ? 'pending' : 'done', request: { headers: [] }, lifecycle: [], messages: [], droppedMessages: 0 });
    const byId = new Map<string, Entry>();
    const arrival = new Map<Entry, number>();
    const put = (e: Entry) => (byId.set(e.id, e), arrival.set(e, arrival.size));
    put(entry('a', 'GET', 100));
    put(entry('b', 'GET'));
    const compare = (x: Entry, y: Entry) => x.startTime - y.startTime || arrival.get(x)! - arrival.get(y)!;
    const views = createPanelViews({ entries: () => [...byId.values()].sort(compare), get: (id) => byId.get(id), compare });
    views.setFilter({ text: 'method:GET', chips: [] });
    expect(views.waterfallSpan(5000).max).toBe(5000);
    // b removed and added again, a new object (a finished POST), in one batch.
    put(entry('b', 'POST', 50));
    views.update({ changed: ['b'], removed: [] });
    expect(views.visible().map((e) => e.id)).toEqual(['a']);
    expect(views.waterfallSpan(5000)).toEqual({ min: 0, max: 100 });
  });
});

describe('panel views: an upload under larger-than:', () => {
  it('nests a chunk under its first request when the first request grew past the filter in the same batch', () => {
    // Found by the property below: the chunk was judged against its first request's old size,
    // shown as a row of its own, and stayed one beside its place under its first request.
    const put = (id: string, t: number, range: string): Entry => ({
      id, tabId: 1, frameId: 0, frameUrl: 'http://a.test/', kind: 'xhr', method: 'PUT', url: 'http://a.test/s?upload_id=1', startTime: t, state: 'pending',
      request: { headers: [['Content-Range', range]], body: { encoding: 'none', data: '', size: 10, truncated: true, source: 'blob' } },
      lifecycle: [], messages: [], droppedMessages: 0,
    });
    const first = put('a', 1, 'bytes 0-9/20');
    const byId = new Map([[first.id, first]]);
    const source: EntrySource = { entries: () => [...byId.values()], get: (id) => byId.get(id), compare: (x, y) => x.startTime - y.startTime };
    const views = createPanelViews(source);
    views.setFilter({ text: 'larger-than:15', chips: [] });
    expect(views.visible()).toEqual([]);
    // The chunk (answered, 20 bytes) and the first request's answer (20 bytes) come in the same batch.
    const chunk = Object.assign(put('b', 2, 'bytes 10-19/20'), { state: 'done', endTime: 3, response: { status: 200, statusText: '', headers: [['Content-Length', '20']] } });
    byId.set(chunk.id, chunk);
    Object.assign(first, { state: 'done', endTime: 2, response: { status: 308, statusText: '', headers: [['Range', 'bytes=0-9'], ['Content-Length', '20']] } });
    views.update({ changed: ['b', 'a'], removed: [] });
    expect(views.visible().map((e) => e.id)).toEqual(['a']);
    expect(views.childrenOf('a').map((e) => e.id)).toEqual(['b']);
  });
});

describe('panel views: any sequence of batches', () => {
  const T = 1_000_000;
  const URLS = ['http://a.test/poll?ts=1', 'http://a.test/poll?ts=2', 'http://a.test/up?upload_id=1', 'http://a.test/up?upload_id=2', 'http://b.test/api', 'http://a.test/items'];
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH'];
  const KINDS: Entry['kind'][] = ['fetch', 'xhr', 'script', 'other'];
  const HEADERS: [string, string][][] = [[], [['Content-Range', 'bytes 0-9/20']], [['Content-Range', 'bytes 10-19/20']], [['X-Custom', '1']]];
  const FILTERS: EntryFilter[] = [
    NO_FILTER_,
    { text: 'poll', chips: [] },
    { text: 'method:PUT', chips: [] },
    { text: '-is:running', chips: [] },
    { text: 'status-code:200', chips: [] },
    { text: 'larger-than:15', chips: [] },
    { text: '', chips: ['fetch-xhr'] },
    { text: '', chips: ['cors-errors'] },
    { text: '', chips: ['preflight'] },
    { text: '-kind:preflight b.test', chips: [] },
  ];
  const SORTS: (EntrySort | undefined)[] = [undefined, { column: 'status', descending: true }, { column: 'size', descending: false }, { column: 'method', descending: false }, { column: 'time', descending: true }, { column: 'name', descending: false }];
  /** Entries never shown nor counted (recorded while paused): the answer is the entry's own, for good. */
  const exclude = (e: Entry) => e.id === 'e5' || e.id === 'e9';

  /** An entry's facts as the property draws them (start time aside: it never changes while the entry lives). */
  const facts = fc.record({
    url: fc.nat(URLS.length - 1),
    method: fc.nat(METHODS.length - 1),
    kind: fc.nat(KINDS.length - 1),
    headers: fc.nat(HEADERS.length - 1),
    bytes: fc.constantFrom(0, 10, 30),
    /** null: still running; else [hold ms, status, response bytes]. */
    end: fc.option(fc.tuple(fc.constantFrom(0, 1500), fc.constantFrom(200, 204, 308, 500), fc.constantFrom(0, 20))),
  });
  type Facts = typeof facts extends fc.Arbitrary<infer F> ? F : never;
  const shape = (e: Entry, f: Facts) => {
    e.url = URLS[f.url];
    e.method = e.kind === 'preflight' ? 'OPTIONS' : METHODS[f.method];
    // A preflight stays one (and a request never becomes one).
    if (e.kind !== 'preflight') e.kind = KINDS[f.kind];
    e.request = { ...e.request, headers: HEADERS[f.headers], body: f.bytes ? { encoding: 'none', data: '', size: f.bytes, truncated: true, source: 'blob' } : undefined };
    if (f.end) {
      const [hold, status, size] = f.end;
      e.endTime = e.startTime + hold;
      e.state = 'done';
      const cors: [string, string][] = status === 204 ? [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT, PATCH, POST'], ['Access-Control-Allow-Headers', 'x-custom, content-range']] : [];
      e.response = { status, statusText: '', headers: [['Range', 'bytes=0-9'], ...cors], body: { encoding: 'text', data: 'x'.repeat(size), size, truncated: false } };
      // What the preflight's verdict reads: webRequest's view of it.
      if (e.kind === 'preflight') e.wire = { requestId: e.id, resourceType: 'other', redirects: [], statusCode: status, responseHeaders: e.response.headers, headersTime: e.endTime };
    } else {
      e.endTime = undefined;
      e.state = 'pending';
      e.response = undefined;
      if (e.kind === 'preflight') e.wire = { requestId: e.id, resourceType: 'other', redirects: [] };
    }
  };
  type Op =
    | { type: 'add'; id: number; step: number; preflight: boolean; f: Facts; flushFirst: boolean }
    | { type: 'change'; pick: number; f: Facts }
    | { type: 'remove'; pick: number }
    | { type: 'pair'; pick: number; with: number }
    | { type: 'filter'; i: number }
    | { type: 'sort'; i: number }
    | { type: 'reset'; drain: boolean };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constant('add' as const), id: fc.nat(11), step: fc.constantFrom(0, 10, 1500, 1600), preflight: fc.nat(6).map((n) => n === 0), f: facts, flushFirst: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ type: fc.constant('change' as const), pick: fc.nat(), f: facts }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('remove' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('pair' as const), pick: fc.nat(), with: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('filter' as const), i: fc.nat(FILTERS.length - 1) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('sort' as const), i: fc.nat(SORTS.length - 1) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('reset' as const), drain: fc.boolean() }) },
  );

  it('adds, changes of any field (URL, method, kind, headers, state), preflights paired, removals, an id removed and back (in one batch or two), empty batches, resets grouped in slices: equal the full recompute', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 5 }), { minLength: 1, maxLength: 25 }), fc.integer({ min: 0, max: 12 }), (batches, groupAtOnce) => {
        const byId = new Map<string, Entry>();
        const arrival = new Map<Entry, number>();
        let arrivals = 0;
        const compare = (a: Entry, b: Entry) => a.startTime - b.startTime || arrival.get(a)! - arrival.get(b)!;
        const entries = () => [...byId.values()].sort(compare);
        const source: EntrySource = { entries, get: (id) => byId.get(id), compare };
        const views = createPanelViews(source, { groupAtOnce, exclude });
        let filter: EntryFilter = NO_FILTER_;
        let sort: EntrySort | undefined;
        let t = T;
        for (const batch of batches) {
          const changed = new Set<string>();
          const removed = new Set<string>();
          const flush = () => {
            views.update({ changed: [...changed], removed: [...removed] });
            changed.clear();
            removed.clear();
          };
          /** Unpairs `e` (its partner changes with it, as the timeline's pairing touches both). */
          const unpair = (e: Entry) => {
            const other = byId.get((e.preflightId ?? e.preflightFor)!);
            if (other) {
              other.preflightId = other.preflightFor = undefined;
              changed.add(other.id);
            }
            e.preflightId = e.preflightFor = undefined;
          };
          let keepPending = false;
          for (const o of batch) {
            const alive = entries();
            if (o.type === 'add') {
              const id = `e${o.id}`;
              if (byId.has(id)) continue;
              // Back after its removal, as another object: the removal goes to the views first (as
              // the panel store does), or both come in one batch (a changed id, its object new).
              if (removed.has(id) && o.flushFirst) flush();
              t += o.step;
              const e: Entry = { id, tabId: 1, frameId: 0, frameUrl: 'http://a.test/', kind: o.preflight ? 'preflight' : 'fetch', method: 'GET', url: '', startTime: t, state: 'pending', request: { headers: [] }, lifecycle: [], messages: [], droppedMessages: 0 };
              shape(e, o.f);
              byId.set(id, e);
              arrival.set(e, arrivals++);
              removed.delete(id);
              changed.add(id);
            } else if (o.type === 'change' && alive.length) {
              const e = alive[o.pick % alive.length];
              shape(e, o.f);
              changed.add(e.id);
            } else if (o.type === 'remove' && alive.length) {
              const e = alive[o.pick % alive.length];
              unpair(e);
              byId.delete(e.id);
              changed.delete(e.id);
              removed.add(e.id);
            } else if (o.type === 'pair') {
              const pres = alive.filter((e) => e.kind === 'preflight');
              const reqs = alive.filter((e) => e.kind !== 'preflight');
              if (!pres.length || !reqs.length) continue;
              const pre = pres[o.pick % pres.length];
              const req = reqs[o.with % reqs.length];
              unpair(pre);
              unpair(req);
              pre.preflightFor = req.id;
              req.preflightId = pre.id;
              changed.add(pre.id);
              changed.add(req.id);
            } else if (o.type === 'filter' || o.type === 'sort') {
              // Between batches of records, as the panel does.
              flush();
              if (o.type === 'filter') views.setFilter((filter = FILTERS[o.i]));
              else views.setSort((sort = SORTS[o.i]));
            } else if (o.type === 'reset') {
              flush();
              views.reset(source);
              keepPending = !o.drain;
            }
          }
          views.update({ changed, removed });
          const ids = views.visible().map((e) => e.id);
          expect(new Set(ids).size).toBe(ids.length);
          // Still grouping after a reset: checked once it is done.
          if (keepPending && views.pending()) continue;
          while (views.work(0));
          expectSameAsFullRecompute(views, source, filter, sort, exclude);
          const shown = views.visible();
          if (shown.length) {
            const span = views.waterfallSpan(T * 2);
            expect(span.min).toBeLessThanOrEqual(Math.min(...shown.map((e) => e.startTime)));
            const open = shown.some((e) => e.endTime === undefined);
            expect(span.max).toBeGreaterThanOrEqual(open ? T * 2 : Math.max(...shown.map((e) => e.endTime!)));
          }
        }
        while (views.work(0));
        expectSameAsFullRecompute(views, source, filter, sort, exclude);
      }),
      { numRuns: Number(process.env.PROPS_RUNS ?? 200) },
    );
  });
});
