import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireEvent, PageEvent, TabRecord } from '../../src/shared/protocol';
import { createTimeline } from '../../src/shared/timeline';
import { corsForEntry } from '../../src/shared/entry-cors';
import { entrySize } from '../../src/shared/entry-columns';
import { createPanelViews, showsPreflights, NO_FILTER } from '../../src/shared/panel-views';
import { entryPredicate } from '../../src/shared/panel-views/entry-filter';

let seq = 0;
const page = (ev: PageEvent, frameId = 0, frameUrl = 'http://a.test/'): TabRecord => ({ seq: ++seq, tabId: 1, frameId, doc: 'd1', frameUrl, ev });
const net = (ev: Partial<WireEvent> & Pick<WireEvent, 'phase' | 'requestId' | 'url'>): TabRecord => ({
  seq: ++seq,
  tabId: 1,
  frameId: 0,
  ev: { type: 'wire', t: 10, method: 'GET', resourceType: 'xmlhttprequest', frameId: 0, ...ev },
});
const start = (id: string, url: string, method = 'GET', t = 5, kind: 'fetch' | 'eventsource' | 'jsonp' = 'fetch'): PageEvent => ({ type: 'start', id, t, kind, method, url, headers: [] });

describe('timeline', () => {
  it('joins page and wire records of one exchange, whichever arrives first', () => {
    for (const pageFirst of [true, false]) {
      const tl = createTimeline();
      const records = [
        page(start('f-1', 'http://b.test/x#frag')),
        net({ phase: 'send', requestId: 'r1', url: 'http://b.test/x', requestHeaders: [['Origin', 'http://a.test']] }),
        net({ phase: 'headers', requestId: 'r1', url: 'http://b.test/x', statusCode: 200, statusLine: 'HTTP/1.1 200 OK', responseHeaders: [['a', 'b']] }),
      ];
      if (!pageFirst) records.unshift(records.splice(0, 1)[0]), records.push(records.splice(0, 1)[0]);
      for (const r of pageFirst ? records : [records[1], records[0], records[2]].filter(Boolean)) tl.apply(r);
      const entries = tl.entries();
      expect(entries.map((e) => [e.id, e.kind, e.wire?.statusCode, e.wire?.requestHeaders])).toEqual([['d1:f-1', 'fetch', 200, [['Origin', 'http://a.test']]]]);
    }
  });

  it('joins a request from an about:blank frame that webRequest reports as frame 0', () => {
    const tl = createTimeline();
    tl.apply(page(start('f-3', 'http://a.test/from-blank'), 42, 'about:blank'));
    tl.apply(net({ phase: 'send', requestId: 'r3', url: 'http://a.test/from-blank', initiator: 'http://a.test' }));
    expect(tl.entries().map((e) => [e.id, e.frameId, e.wire?.requestId])).toEqual([['d1:f-3', 42, 'r3']]);
  });

  it('never lets a cross-origin frame claim the top frame\'s wire record, nor a repeated id twice', () => {
    const tl = createTimeline();
    tl.apply(page(start('f-4', 'http://a.test/api'), 7, 'http://evil.test/ad'));
    tl.apply(page(start('f-4', 'http://a.test/api'), 7, 'http://evil.test/ad'));
    tl.apply(net({ phase: 'send', requestId: 'r4', url: 'http://a.test/api', initiator: 'http://a.test' }));
    expect(tl.entries().map((e) => [e.id, e.wire?.requestId])).toEqual([
      ['d1:f-4', undefined],
      ['wire:r4', 'r4'],
    ]);
  });

  it('survives records whose fields do not fit, counting them', () => {
    const tl = createTimeline();
    tl.apply(page({ type: 'start', id: 'x', t: 1, kind: 'fetch', method: 1, url: 2, headers: 'no' } as never));
    tl.apply(page(start('f-5', 'http://a.test/ok')));
    expect(tl.entries().map((e) => e.url)).toContain('http://a.test/ok');
  });

  it('pairs a preflight with its request in either order and keeps both entries', () => {
    const tl = createTimeline();
    tl.apply(net({ phase: 'send', requestId: 'p1', method: 'OPTIONS', url: 'http://b.test/api', requestHeaders: [['Access-Control-Request-Method', 'PUT']] }));
    tl.apply(page(start('f-2', 'http://b.test/api', 'PUT', 20)));
    const [pre, req] = tl.entries();
    expect([pre.kind, pre.preflightFor, req.preflightId]).toEqual(['preflight', 'd1:f-2', 'wire:p1']);
  });

  it('pairs each of two requests to one URL with its own preflight when the wire is ahead of the page', () => {
    // Found by the interleaving property below: the first request, paired through the wire-only
    // entry it absorbed, waited for a preflight again and took the second request's.
    const tl = createTimeline();
    const preflight = (id: string, t: number) => net({ phase: 'send', requestId: id, method: 'OPTIONS', url: 'http://b.test/api', resourceType: 'other', t, requestHeaders: [['Access-Control-Request-Method', 'PUT']] });
    const put = (id: string, t: number) => net({ phase: 'send', requestId: id, method: 'PUT', url: 'http://b.test/api', t });
    for (const r of [preflight('p1', 11), put('r1', 12), page(start('f-1', 'http://b.test/api', 'PUT', 10)), page(start('f-2', 'http://b.test/api', 'PUT', 20)), preflight('p2', 21), put('r2', 22)]) tl.apply(r);
    expect(tl.entries().map((e) => [e.id, e.preflightId ?? e.preflightFor])).toEqual([
      ['d1:f-1', 'wire:p1'],
      ['wire:p1', 'd1:f-1'],
      ['d1:f-2', 'wire:p2'],
      ['wire:p2', 'd1:f-2'],
    ]);
  });

  it('leaves a request sent without a preflight (the preflight cached) out of the later preflights of its URL', () => {
    // Chromium caches a preflight's answer (5 s without Access-Control-Max-Age): the second PUT
    // goes without one, the third, later, with its own. The second already went on the wire.
    const tl = createTimeline();
    const preflight = (id: string, t: number) => net({ phase: 'send', requestId: id, method: 'OPTIONS', url: 'http://b.test/api', resourceType: 'other', t, requestHeaders: [['Access-Control-Request-Method', 'PUT']] });
    const put = (id: string, t: number) => net({ phase: 'send', requestId: id, method: 'PUT', url: 'http://b.test/api', t });
    const records = [
      page(start('f-1', 'http://b.test/api', 'PUT', 10)), preflight('p1', 11), put('r1', 12),
      page(start('f-2', 'http://b.test/api', 'PUT', 20)), put('r2', 21),
      page(start('f-3', 'http://b.test/api', 'PUT', 6000)), preflight('p3', 6001), put('r3', 6002),
    ];
    for (const r of records) tl.apply(r);
    expect(tl.entries().filter((e) => e.kind !== 'preflight').map((e) => [e.id, e.preflightId])).toEqual([
      ['d1:f-1', 'wire:p1'],
      ['d1:f-2', undefined],
      ['d1:f-3', 'wire:p3'],
    ]);
  });

  it("pairs a request a failed preflight held back with that preflight when the wire tells the request's failure first", () => {
    // DevTools' log (src/shared/har/devtools-wire.ts) may hand over the blocked PUT (its error
    // alone: it never went out) before the OPTIONS that failed; a later PUT's preflight is not its.
    const tl = createTimeline();
    const preflight = (id: string, t: number) => net({ phase: 'send', requestId: id, method: 'OPTIONS', url: 'http://b.test/api', resourceType: 'other', t, requestHeaders: [['Access-Control-Request-Method', 'PUT']] });
    const failed = (id: string, t: number) => net({ phase: 'error', requestId: id, method: 'PUT', url: 'http://b.test/api', t, error: 'net::ERR_FAILED' });
    const records = [
      page(start('f-1', 'http://b.test/api', 'PUT', 10)), failed('r1', 14), preflight('p1', 11),
      page(start('f-2', 'http://b.test/api', 'PUT', 30)), failed('r2', 34),
      page(start('f-3', 'http://b.test/api', 'PUT', 40)), preflight('p3', 41),
    ];
    for (const r of records) tl.apply(r);
    expect(tl.entries().filter((e) => e.kind !== 'preflight').map((e) => [e.id, e.preflightId])).toEqual([
      ['d1:f-1', 'wire:p1'],
      ['d1:f-2', undefined],
      ['d1:f-3', 'wire:p3'],
    ]);
    // The failure told even before the page's record of the request: the same.
    const first = createTimeline();
    for (const r of [failed('r4', 54), page(start('f-4', 'http://b.test/api', 'PUT', 50)), preflight('p4', 51)]) first.apply(r);
    expect(first.entries().map((e) => [e.id, e.preflightId ?? e.preflightFor])).toEqual([
      ['d1:f-4', 'wire:p4'],
      ['wire:p4', 'd1:f-4'],
    ]);
  });

  it('folds EventSource reconnections into the channel with the Last-Event-ID sent', () => {
    const tl = createTimeline();
    tl.apply(page(start('e-1', 'http://a.test/sse', 'GET', 1, 'eventsource')));
    tl.apply(net({ phase: 'send', requestId: 'r1', url: 'http://a.test/sse' }));
    tl.apply(net({ phase: 'send', requestId: 'r2', url: 'http://a.test/sse', t: 50, requestHeaders: [['Last-Event-ID', '3']] }));
    tl.apply(net({ phase: 'headers', requestId: 'r2', url: 'http://a.test/sse', statusCode: 200 }));
    const entries = tl.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0].lifecycle.filter((s) => s.step === 'wire:reconnect')).toEqual([{ t: 50, step: 'wire:reconnect', detail: { lastEventId: '3' } }]);
    expect(entries[0].wire?.statusCode).toBe(200);
  });

  it('holds script and other wire records for a page match instead of showing them alone', () => {
    const tl = createTimeline();
    tl.apply(net({ phase: 'send', requestId: 's1', url: 'http://a.test/parser.js', resourceType: 'script' }));
    tl.apply(net({ phase: 'send', requestId: 'o1', url: 'http://a.test/page.html', resourceType: 'other' }));
    expect(tl.entries()).toEqual([]);
    tl.apply(page(start('j-1', 'http://a.test/parser.js', 'GET', 5, 'jsonp')));
    tl.apply(net({ phase: 'completed', requestId: 's1', url: 'http://a.test/parser.js', resourceType: 'script', statusCode: 200 }));
    expect(tl.entries().map((e) => [e.kind, e.wire?.statusCode])).toEqual([['jsonp', 200]]);
  });

  it("never gives a fetch the held wire view of an earlier script or other load of its URL", () => {
    // Found by the interleaving property below: a parser-inserted script (never claimed by a page
    // record) stayed held under its key, and a later fetch of the same URL took its view; the
    // fetch's own request then showed as a wire-only row beside it.
    const tl = createTimeline();
    tl.apply(net({ phase: 'send', requestId: 's1', url: 'http://a.test/data.js', resourceType: 'script', t: 1 }));
    tl.apply(net({ phase: 'completed', requestId: 's1', url: 'http://a.test/data.js', resourceType: 'script', t: 3, statusCode: 200 }));
    tl.apply(page(start('f-7', 'http://a.test/data.js', 'GET', 20)));
    tl.apply(net({ phase: 'send', requestId: 'r7', url: 'http://a.test/data.js', t: 21 }));
    expect(tl.entries().map((e) => [e.id, e.wire?.requestId])).toEqual([['d1:f-7', 'r7']]);
    // Nor the other way round: a fetch waiting for its wire record is not a script load's.
    const other = createTimeline();
    other.apply(page(start('f-8', 'http://a.test/data.js', 'GET', 20)));
    other.apply(net({ phase: 'send', requestId: 's2', url: 'http://a.test/data.js', resourceType: 'script', t: 21 }));
    other.apply(net({ phase: 'send', requestId: 'r8', url: 'http://a.test/data.js', t: 22 }));
    expect(other.entries().map((e) => [e.id, e.wire?.requestId])).toEqual([['d1:f-8', 'r8']]);
  });

  it("never gives a JSONP script the wire-only entry of a fetch of its URL", () => {
    // Found by the interleaving property below: a fetch the page's script did not make (a
    // worker's) waited as a wire-only row, and the script's page entry absorbed it instead of
    // taking its own held script load.
    const tl = createTimeline();
    tl.apply(net({ phase: 'send', requestId: 's1', url: 'http://a.test/feed', resourceType: 'script', t: 11 }));
    tl.apply(net({ phase: 'send', requestId: 'r1', url: 'http://a.test/feed', t: 12 }));
    tl.apply(page(start('j-1', 'http://a.test/feed', 'GET', 10, 'jsonp')));
    expect(tl.entries().map((e) => [e.id, e.kind, e.wire?.requestId])).toEqual([
      ['d1:j-1', 'jsonp', 's1'],
      ['wire:r1', 'other', 'r1'],
    ]);
  });

  it('gives held loads of one URL to their page entries in time order, never a parser-inserted one sent before', () => {
    // Two JSONP loads of one URL, both on the wire before their page records: the hold kept one
    // view per URL, and the first entry took the second load.
    const tl = createTimeline();
    const script = (requestId: string, t: number) => net({ phase: 'send', requestId, url: 'http://a.test/feed.js', resourceType: 'script', t });
    tl.apply(script('s0', 1_000)); // parser-inserted, 4 s before: no page record of its own
    tl.apply(script('s1', 5_003));
    tl.apply(script('s2', 5_013));
    tl.apply(page(start('j-1', 'http://a.test/feed.js', 'GET', 5_000, 'jsonp')));
    tl.apply(page(start('j-2', 'http://a.test/feed.js', 'GET', 5_010, 'jsonp')));
    expect(tl.entries().map((e) => [e.id, e.wire?.requestId])).toEqual([
      ['d1:j-1', 's1'],
      ['d1:j-2', 's2'],
    ]);
    // A page clock a little ahead of the browser's: the load seems sent before the call.
    const skewed = createTimeline();
    skewed.apply(script('s3', 4_990));
    skewed.apply(page(start('j-3', 'http://a.test/feed.js', 'GET', 5_000, 'jsonp')));
    expect(skewed.entries().map((e) => [e.id, e.wire?.requestId])).toEqual([['d1:j-3', 's3']]);
    // A script seen only at its load event is stamped then, its load seconds before.
    const late = createTimeline();
    late.apply(script('s4', 1_000));
    late.apply(page({ ...start('sc-4', 'http://a.test/feed.js', 'GET', 9_000), kind: 'script', meta: { via: 'load-event' } } as PageEvent));
    expect(late.entries().map((e) => [e.id, e.wire?.requestId])).toEqual([['d1:sc-4', 's4']]);
  });

  it("never lets a page fetch absorb a wire-only request of its URL sent seconds before it started", () => {
    // A worker's fetch of the same URL (wire only): the page's fetch 5 s later took it, within
    // what was a 30 s window both ways; the page's own request then showed as a second row.
    const tl = createTimeline();
    tl.apply(net({ phase: 'send', requestId: 'w1', url: 'http://a.test/status', t: 1_000 }));
    tl.apply(page(start('f-1', 'http://a.test/status', 'GET', 6_000)));
    tl.apply(net({ phase: 'send', requestId: 'r1', url: 'http://a.test/status', t: 6_002 }));
    expect(tl.entries().map((e) => [e.id, e.wire?.requestId])).toEqual([
      ['wire:w1', 'w1'],
      ['d1:f-1', 'r1'],
    ]);
  });

  it('lists entries in start order whatever the arrival order, and counts capture errors', () => {
    const tl = createTimeline();
    tl.apply(page(start('f-9', 'http://a.test/late', 'GET', 30)));
    tl.apply(page(start('f-8', 'http://a.test/early', 'GET', 10)));
    tl.apply(page({ type: 'capture-error', id: 'capture', t: 1, where: 'xhr:open', message: 'x' }));
    expect(tl.entries().map((e) => e.url)).toEqual(['http://a.test/early', 'http://a.test/late']);
    expect(tl.captureErrors).toBe(1);
  });

  it('adds up the page events the page script reports it dropped, from their count', () => {
    const tl = createTimeline();
    tl.apply(page({ type: 'capture-error', id: 'capture', t: 1, where: 'page:dropped', message: '4000 page events dropped: the queue was full (20000 waiting)', count: 4000 }));
    // The count is what counts, not the text.
    tl.apply(page({ type: 'capture-error', id: 'capture', t: 2, where: 'page:dropped', message: 'dropped: they could not be sent (DataCloneError: x)', count: 2 }));
    tl.apply(page({ type: 'capture-error', id: 'capture', t: 3, where: 'xhr:open', message: '12 is not a count here', count: 12 }));
    expect(tl.captureErrors).toBe(3);
    expect(tl.pageEventsDropped).toBe(4002);
  });

  it('reads the count from the message of records made before `count`', () => {
    const tl = createTimeline();
    tl.apply(page({ type: 'capture-error', id: 'capture', t: 1, where: 'page:dropped', message: '4000 page events dropped: the queue was full (20000 waiting)' }));
    tl.apply(page({ type: 'capture-error', id: 'capture', t: 2, where: 'page:dropped', message: '1 page event dropped: they could not be sent (DataCloneError: x)' }));
    tl.apply(page({ type: 'capture-error', id: 'capture', t: 3, where: 'page:dropped', message: 'no number' }));
    expect(tl.pageEventsDropped).toBe(4001);
  });
});

describe('timeline: page and wire records in any interleaving', () => {
  const URLS = ['http://a.test/x', 'http://a.test/y', 'http://b.test/x'];
  const exchange = fc.record({
    kind: fc.constantFrom('fetch' as const, 'xhr' as const, 'jsonp' as const, 'eventsource' as const),
    url: fc.nat(URLS.length - 1),
    put: fc.boolean(),
    /** A cross-origin PUT's preflight was sent (else its answer was cached). */
    preflight: fc.nat(3).map((n) => n > 0),
    /** Seen by the page's script (else on the wire only). */
    page: fc.nat(4).map((n) => n > 0),
    /** Seen on the wire (else by the page only: a blocked request, a cache…). */
    wire: fc.nat(4).map((n) => n > 0),
    failed: fc.boolean(),
    dur: fc.integer({ min: 5, max: 60 }),
  });
  /** One exchange's page records and wire records, each in time order, as each side sends them. */
  function recordsOf(i: number, x: typeof exchange extends fc.Arbitrary<infer X> ? X : never): { page: [number, TabRecord][]; wire: [number, TabRecord][] } {
    const t = 100 + i * 10;
    // Scripts share URLs (held loads of one URL go to their page entries in time order); a URL of
    // its own per EventSource: which type webRequest gives one is not settled here.
    const url = x.kind === 'eventsource' ? `${URLS[x.url]}/sse${i}` : x.kind === 'jsonp' ? `${URLS[x.url]}?cb=jsonp` : URLS[x.url];
    const cross = !url.startsWith('http://a.test/');
    const http = x.kind === 'fetch' || x.kind === 'xhr';
    const method = http && x.put ? 'PUT' : 'GET';
    const resourceType = http ? 'xmlhttprequest' : x.kind === 'jsonp' ? 'script' : 'other';
    const id = `x${i}`;
    const pageRecs: [number, TabRecord][] = [];
    const wire: [number, TabRecord][] = [];
    // Scripts and EventSources are both the page's and the wire's (a fetch or XHR may be either's alone).
    const both = !http;
    if (x.page || !x.wire || both) {
      pageRecs.push([t, page({ type: 'start', id, t, kind: x.kind, method, url, headers: method === 'PUT' ? [['X-Custom', '1']] : [] })]);
      pageRecs.push([t + x.dur, page({ type: 'end', id, t: t + x.dur, outcome: x.failed ? 'error' : 'ok' })]);
    }
    if (x.wire || both) {
      const rid = `r${i}`;
      if (cross && method === 'PUT' && x.preflight) {
        const pre = { requestId: `p${i}`, method: 'OPTIONS', url, resourceType: 'other' };
        wire.push([t + 1, net({ ...pre, phase: 'send', t: t + 1, requestHeaders: [['Access-Control-Request-Method', 'PUT'], ['Origin', 'http://a.test']] })]);
        wire.push([t + 2, net({ ...pre, phase: 'completed', t: t + 2, statusCode: 204, responseHeaders: [['Access-Control-Allow-Origin', '*']] })]);
      }
      wire.push([t + 3, net({ phase: 'send', requestId: rid, method, url, resourceType, t: t + 3 })]);
      wire.push([t + 4, net({ phase: 'headers', requestId: rid, method, url, resourceType, t: t + 4, statusCode: x.failed ? 500 : 200 })]);
      wire.push([t + x.dur - 1, net({ phase: x.failed ? 'error' : 'completed', requestId: rid, method, url, resourceType, t: t + x.dur - 1, statusCode: x.failed ? undefined : 200, error: x.failed ? 'net::ERR_FAILED' : undefined })]);
    }
    return { page: pageRecs, wire };
  }
  const shape = (tl: ReturnType<typeof createTimeline>) =>
    tl.entries().map((e) => ({
      id: e.id,
      kind: e.kind,
      state: e.state,
      wire: e.wire && { id: e.wire.requestId, status: e.wire.statusCode, sent: e.wire.sendTime, end: e.wire.endTime, error: e.wire.error },
      preflightId: e.preflightId,
      preflightFor: e.preflightFor,
      steps: e.lifecycle.filter((s) => s.step.startsWith('wire:')),
    }));

  it('gives the same entries as the records in time order, when each side keeps its own order', () => {
    fc.assert(
      fc.property(fc.array(exchange, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { maxLength: 60 }), (xs, picks) => {
        const pageStream: [number, TabRecord][] = [];
        const wireStream: [number, TabRecord][] = [];
        xs.forEach((x, i) => {
          const r = recordsOf(i, x);
          pageStream.push(...r.page);
          wireStream.push(...r.wire);
        });
        const byTime = (a: [number, TabRecord], b: [number, TabRecord]) => a[0] - b[0];
        pageStream.sort(byTime);
        wireStream.sort(byTime);
        const inTime = createTimeline();
        for (const [, r] of [...pageStream, ...wireStream].sort(byTime)) inTime.apply(r);
        // Interleaved as the picks say (true: the page's next record), the rest after.
        const mixed = createTimeline();
        let p = 0;
        let w = 0;
        for (const pick of picks) {
          if (pick && p < pageStream.length) mixed.apply(pageStream[p++][1]);
          else if (!pick && w < wireStream.length) mixed.apply(wireStream[w++][1]);
        }
        while (p < pageStream.length) mixed.apply(pageStream[p++][1]);
        while (w < wireStream.length) mixed.apply(wireStream[w++][1]);
        expect(shape(mixed)).toEqual(shape(inTime));
      }),
      { numRuns: Number(process.env.PROPS_RUNS ?? 500) },
    );
  });

  it('updated as the records come (changes taken at any point), the panel views equal them recomputed', () => {
    fc.assert(
      fc.property(fc.array(exchange, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { maxLength: 60 }), fc.array(fc.nat(3), { maxLength: 60 }), fc.boolean(), (xs, picks, reads, narrow) => {
        const pageStream: TabRecord[] = [];
        const wireStream: TabRecord[] = [];
        xs.forEach((x, i) => {
          const r = recordsOf(i, x);
          pageStream.push(...r.page.sort((a, b) => a[0] - b[0]).map(([, rec]) => rec));
          wireStream.push(...r.wire.map(([, rec]) => rec));
        });
        const byT = (a: TabRecord, b: TabRecord) => a.ev.t - b.ev.t;
        pageStream.sort(byT);
        wireStream.sort(byT);
        const tl = createTimeline();
        const source = { entries: () => tl.entries(), get: tl.get, compare: tl.compare };
        const views = createPanelViews(source);
        const filter = narrow ? { text: '-status-code:500', chips: [] } : NO_FILTER;
        views.setFilter(filter);
        const check = () => {
          const all = tl.entries();
          const fits = entryPredicate(filter, (e) => corsForEntry(e, tl.get)?.crossOrigin === true && corsForEntry(e, tl.get)?.outcome === 'blocked', tl.get);
          expect(views.visible().map((e) => e.id)).toEqual(all.filter(fits).map((e) => e.id));
          expect(views.bytes().all).toBe(all.reduce((n, e) => n + entrySize(e), 0));
          for (const e of all) {
            const full = corsForEntry(e, tl.get);
            expect([e.id, views.corsOf(e.id)?.outcome]).toEqual([e.id, full?.crossOrigin ? full.outcome : undefined]);
            const pre = e.preflightId && !showsPreflights(filter) ? tl.get(e.preflightId) : undefined;
            expect([e.id, views.childrenOf(e.id).map((c) => c.id)]).toEqual([e.id, pre ? [pre.id] : []]);
          }
        };
        let p = 0;
        let w = 0;
        picks.forEach((pick, k) => {
          if (pick && p < pageStream.length) tl.apply(pageStream[p++]);
          else if (!pick && w < wireStream.length) tl.apply(wireStream[w++]);
          if (reads[k] === 0) {
            views.update(tl.takeChanges());
            check();
          }
        });
        for (const r of [...pageStream.slice(p), ...wireStream.slice(w)]) tl.apply(r);
        views.update(tl.takeChanges());
        check();
      }),
      { numRuns: Number(process.env.PROPS_RUNS ?? 200) },
    );
  });
});
