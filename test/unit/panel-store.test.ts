import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { startHarImport } from '../../src/shared/har/import';
import { createPanelStore } from '../../src/devtools/store';
import type { PageEvent, TabRecord } from '../../src/shared/protocol';
import { FLOOD_ENTRIES, FLOOD_REDRAW_MS, FLOOD_SHARE, STREAM_REDRAW_MS } from '../../src/shared/redraw-pace';
import { createPanelViews } from '../../src/shared/panel-views';
import { syntheticRecords } from '../../bench/synthetic';
import { isRun, packRuns, runLength } from '../../src/shared/stored-runs';

const record = (seq: number, ev: PageEvent): TabRecord => ({ seq, tabId: 1, frameId: 0, doc: 'd1', frameUrl: 'http://a.test/', ev });

describe('panel store: what the status bar counts', () => {
  it('capture errors, and the page events the page script reported dropped', () => {
    const store = createPanelStore();
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([0, 0]);
    store.applyMessage({
      type: 'snapshot',
      tabId: 1,
      dropped: 0,
      records: [
        record(1, { type: 'capture-error', id: 'capture', t: 1, where: 'xhr:open', message: 'TypeError: x' }),
        record(2, { type: 'capture-error', id: 'capture', t: 2, where: 'page:dropped', message: '4000 page events dropped: the queue was full (20000 waiting)', count: 4000 }),
      ],
    });
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([2, 4000]);
    store.applyMessage({ type: 'cleared', tabId: 1 });
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([0, 0]);
  });
});

describe('panel store: recording paused', () => {
  const start = (seq: number, id: string, url: string) => record(seq, { type: 'start', id, t: seq * 1000, kind: 'fetch', method: 'GET', url, headers: [] });
  const end = (seq: number, id: string) => record(seq, { type: 'end', id, t: seq * 1000, outcome: 'ok' });
  const shown = (store: ReturnType<typeof createPanelStore>) => store.visible().map((e) => [e.url, e.state]);

  it('leaves out what starts while paused (whenever its records arrive), for good; what started before goes on updating', () => {
    let clock = 0;
    const store = createPanelStore({ now: () => clock });
    store.applyMessage({ type: 'records', tabId: 1, records: [start(1, 'a', 'http://a.test/before')] });
    clock = 1500;
    store.setRecording(false);
    store.applyMessage({ type: 'records', tabId: 1, records: [start(2, 'b', 'http://a.test/paused'), end(3, 'a')] });
    expect(shown(store)).toEqual([['http://a.test/before', 'done']]);
    clock = 3500;
    store.setRecording(true);
    // Late records of a request that started while paused (t = 3000) stay out too.
    store.applyMessage({ type: 'records', tabId: 1, records: [start(3, 'late', 'http://a.test/late'), end(4, 'b'), start(5, 'c', 'http://a.test/after')] });
    expect(shown(store)).toEqual([
      ['http://a.test/before', 'done'],
      ['http://a.test/after', 'pending'],
    ]);
    expect([store.entryCount(), store.allEntries().map((e) => e.url)]).toEqual([2, ['http://a.test/before', 'http://a.test/after']]);
    // A filter change does not bring them back.
    store.setText('paused');
    expect(shown(store)).toEqual([]);
    store.setText('');
    expect(store.visible().length).toBe(2);
  });
});

describe('panel store: messages inline', () => {
  const p = (data: string) => ({ encoding: 'text' as const, data, size: data.length, truncated: false });
  const label = (store: ReturnType<typeof createPanelStore>) => {
    const ix = store.inlineRows();
    const out: string[] = [];
    for (let r = 0; r < ix.count; r++) {
      const { entry, message } = ix.at(r);
      out.push(message < 0 ? entry.url.slice('http://a.test/'.length) : `${entry.url.slice('http://a.test/'.length)}#${message}`);
    }
    return out;
  };

  it('interleaves a socket’s messages with the requests, follows new records, the filter and its body: terms; a sort turns it off', () => {
    const store = createPanelStore();
    store.applyMessage({
      type: 'snapshot',
      tabId: 1,
      dropped: 0,
      records: [
        record(1, { type: 'start', id: 'ws', t: 10, kind: 'websocket', method: 'GET', url: 'http://a.test/ws', headers: [] }),
        record(2, { type: 'message', id: 'ws', t: 20, dir: 'send', data: p('hello') }),
        record(3, { type: 'message', id: 'ws', t: 30, dir: 'receive', data: p('token') }),
        record(4, { type: 'start', id: 'login', t: 40, kind: 'fetch', method: 'POST', url: 'http://a.test/login', headers: [] }),
        record(5, { type: 'message', id: 'ws', t: 50, dir: 'receive', data: p('token again') }),
      ],
    });
    store.setInline(true);
    expect(label(store)).toEqual(['ws', 'ws#0', 'ws#1', 'login', 'ws#2']);
    store.applyMessage({ type: 'records', tabId: 1, records: [record(6, { type: 'message', id: 'ws', t: 45, dir: 'send', data: p('late') })] });
    store.flushRedraw();
    // Stamped before the last one, it still comes after it in its channel.
    expect(label(store)).toEqual(['ws', 'ws#0', 'ws#1', 'login', 'ws#2', 'ws#3']);
    store.setText('body:token');
    expect(label(store)).toEqual(['ws', 'ws#1', 'ws#2']);
    store.setText('-login');
    expect(label(store)).toEqual(['ws', 'ws#0', 'ws#1', 'ws#2', 'ws#3']);
    store.setSort({ column: 'method', descending: false });
    expect(store.inline.value).toBe(false);
    store.setInline(true);
    expect(store.sort.value).toBeUndefined();
  });
});

describe('panel store: redraws for records', () => {
  const start = (seq: number, id: string, t: number) => record(seq, { type: 'start', id, t, kind: 'fetch', method: 'GET', url: `http://a.test/${id}`, headers: [] });
  const end = (seq: number, id: string, t: number) => record(seq, { type: 'end', id, t, outcome: 'ok' });

  /**
   * A test of a store on fake timers, with a frame every 16 ms: `drawn` gets the time (ms) of each
   * redraw; the store's clock reads `epoch` at 0.
   */
  /** `redrawMs`: what each redraw takes of the panel's thread (the clock redraws are paced on moves on by it). */
  const withFrames = (test: (store: ReturnType<typeof createPanelStore>, drawn: number[], epoch: number) => void, redrawMs = 0) => () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const had = Object.getOwnPropertyDescriptor(globalThis, 'requestAnimationFrame');
    globalThis.requestAnimationFrame = (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 16) as unknown as number;
    try {
      const epoch = 1_000_000;
      let took = 0;
      const store = createPanelStore({ now: () => epoch + performance.now(), frameNow: () => performance.now() + took });
      const drawn: number[] = [];
      let subscribed = false;
      store.revision.subscribe(() => {
        if (!subscribed) return;
        drawn.push(performance.now());
        // The redraw's cost shows by the next task (as the frame's style, layout and paint would):
        // this timer, set before the store's, runs first.
        if (redrawMs) setTimeout(() => (took += redrawMs), 0);
      });
      subscribed = true;
      test(store, drawn, epoch);
    } finally {
      vi.useRealTimers();
      if (had) Object.defineProperty(globalThis, 'requestAnimationFrame', had);
      else delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
    }
  };

  it(
    'draws a few times a second while requests are in flight, and soon once none is (in a frame, its backup timer not outliving it)',
    withFrames((store, drawn, epoch) => {
      const feed = (...records: TabRecord[]) => store.applyMessage({ type: 'records', tabId: 1, records });
      // The first records after a pause: in the next frame.
      feed(start(1, 'a', epoch));
      vi.advanceTimersByTime(50);
      expect(drawn).toEqual([16]);
      // More while 'a' is in flight: 250 ms after the last redraw, then in a frame.
      feed(start(2, 'b', epoch + 50));
      vi.advanceTimersByTime(150);
      expect(drawn).toEqual([16]);
      // Nothing in flight any more: after 20 ms of no more records (sooner than 266 ms).
      feed(end(3, 'a', epoch + 200), end(4, 'b', epoch + 200));
      vi.advanceTimersByTime(100);
      expect(drawn).toEqual([16, 236]);
      // A request that starts and ends at once: its start waits, its end is drawn 20 ms after it.
      vi.advanceTimersByTime(100);
      feed(start(5, 'c', epoch + 400));
      vi.advanceTimersByTime(20);
      feed(end(6, 'c', epoch + 420));
      vi.advanceTimersByTime(80);
      expect(drawn).toEqual([16, 236, 456]);
      // The frame's backup timer (due at 540) went with its redraw: the next start waits its 250 ms.
      feed(start(7, 'd', epoch + 500));
      vi.advanceTimersByTime(100);
      expect(drawn).toEqual([16, 236, 456]);
      vi.advanceTimersByTime(200);
      expect(drawn).toEqual([16, 236, 456, 722]);
      expect(store.visible().map((e) => e.state)).toEqual(['done', 'done', 'done', 'pending']);
    }),
  );

  /** `starts(n, t)`: n requests start at epoch + t (ids r1, r2…); `seq()`: the records fed so far. */
  const floodFeed = (store: ReturnType<typeof createPanelStore>, epoch: number) => {
    let seq = 0;
    return {
      starts: (n: number, t: number) => store.applyMessage({ type: 'records', tabId: 1, records: Array.from({ length: n }, () => start(++seq, `r${seq}`, epoch + t)) }),
      seq: () => seq,
    };
  };
  /** The first `n` requests (r1…rn) end at `t`, their records numbered on from `n`. */
  const ends = (store: ReturnType<typeof createPanelStore>, n: number, t: number) =>
    store.applyMessage({ type: 'records', tabId: 1, records: Array.from({ length: n }, (_, i) => end(n + i + 1, `r${i + 1}`, t)) });

  it(
    'draws every FLOOD_REDRAW_MS while a page floods the list (FLOOD_ENTRIES new entries waiting, or drawn last time), a few times a second again once it does not, soon once nothing is in flight',
    withFrames((store, drawn, epoch) => {
      const { starts, seq } = floodFeed(store, epoch);
      starts(1, 0);
      vi.advanceTimersByTime(50);
      expect(drawn).toEqual([16]);
      // FLOOD_ENTRIES new entries, in two batches, while requests are in flight: FLOOD_REDRAW_MS after the last redraw.
      starts(FLOOD_ENTRIES - 10, 50);
      starts(10, 60);
      vi.advanceTimersByTime(FLOOD_REDRAW_MS - 100);
      expect(drawn).toEqual([16]);
      vi.advanceTimersByTime(100);
      const flood = 16 + FLOOD_REDRAW_MS + 16;
      expect(drawn).toEqual([16, flood]);
      // The flood's rows change (and a few new ones come) while requests are in flight: FLOOD_REDRAW_MS after it too.
      starts(10, FLOOD_REDRAW_MS + 100);
      vi.advanceTimersByTime(STREAM_REDRAW_MS + 50);
      expect(drawn).toEqual([16, flood]);
      vi.advanceTimersByTime(FLOOD_REDRAW_MS - STREAM_REDRAW_MS - 50);
      const after = flood + FLOOD_REDRAW_MS + 16;
      expect(drawn).toEqual([16, flood, after]);
      // No flood drawn last time: STREAM_REDRAW_MS after it.
      starts(10, 2 * FLOOD_REDRAW_MS + 100);
      vi.advanceTimersByTime(STREAM_REDRAW_MS + 50);
      expect(drawn).toEqual([16, flood, after, after + STREAM_REDRAW_MS + 16]);
      // Nothing in flight any more: soon, flood or not.
      ends(store, seq(), epoch + 3 * FLOOD_REDRAW_MS);
      vi.advanceTimersByTime(STREAM_REDRAW_MS);
      expect(drawn).toHaveLength(5);
      expect(store.visible().every((e) => e.state === 'done')).toBe(true);
    }),
  );

  it(
    'in a flood, waits after a redraw as long as FLOOD_SHARE of the thread allows (a redraw of 25 ms: 2.5 s), its first records still at once',
    withFrames((store, drawn, epoch) => {
      const { starts, seq } = floodFeed(store, epoch);
      starts(1, 0);
      vi.advanceTimersByTime(50);
      expect(drawn).toEqual([16]);
      starts(FLOOD_ENTRIES, 50);
      vi.advanceTimersByTime(FLOOD_REDRAW_MS + 100);
      expect(drawn).toEqual([16]);
      const wait = 25 / FLOOD_SHARE;
      expect(wait).toBeGreaterThan(FLOOD_REDRAW_MS);
      // Due `wait` after the first redraw on the pacing clock, which runs 25 ms ahead of the timers'
      // since that redraw (the cost is read at the next task, a timer tick later: 26 ms).
      vi.advanceTimersByTime(16 + wait - 25 - 1150);
      expect(drawn).toEqual([16]);
      vi.advanceTimersByTime(150);
      expect(drawn).toHaveLength(2);
      // Once nothing is in flight: soon, whatever the redraws cost.
      ends(store, seq(), epoch + wait + 100);
      vi.advanceTimersByTime(STREAM_REDRAW_MS + 50);
      expect(drawn).toHaveLength(3);
    }, 25),
  );

  it(
    'is no flood when a few rows shown change in every batch (five streams, a batch every 16 ms): redrawn every STREAM_REDRAW_MS',
    withFrames((store, drawn, epoch) => {
      let seq = 0;
      const ids = ['a', 'b', 'c', 'd', 'e'];
      store.applyMessage({ type: 'records', tabId: 1, records: ids.map((id) => start(++seq, id, epoch)) });
      for (let t = 16; t <= 1_000; t += 16) {
        vi.advanceTimersByTime(16);
        store.applyMessage({ type: 'records', tabId: 1, records: ids.map((id) => record(++seq, { type: 'step', id, t: epoch + t, step: 'readystatechange', detail: { readyState: 3 } })) });
      }
      expect(store.visible()).toHaveLength(5);
      expect(drawn.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < drawn.length; i++) expect(drawn[i] - drawn[i - 1]).toBeLessThanOrEqual(STREAM_REDRAW_MS + 32);
    }),
  );
});

/** What the derived views show: rows, bytes, the count, CORS verdicts and long-poll groups. */
const viewsShown = (store: ReturnType<typeof createPanelStore>) => ({
  rows: store.visible().map((e) => e.id),
  bytes: store.bytes(),
  count: store.entryCount(),
  cors: store.visible().map((e) => store.corsOf(e.id)?.outcome ?? '-'),
  polls: store.visible().map((e) => store.longPollOf(e.id)?.entryIds.join() ?? '-'),
});

describe('panel store: views brought up to date when read', () => {
  const feed = (store: ReturnType<typeof createPanelStore>, records: TabRecord[], per: number, read: (at: number) => void) => {
    for (let i = 0; i < records.length; i += per) {
      store.applyMessage({ type: 'records', tabId: 1, records: records.slice(i, i + per) });
      read(i);
    }
  };
  const shown = viewsShown;

  it('an entry changed in many messages between two reads is given to the views once', () => {
    const updates: string[][] = [];
    const store = createPanelStore({
      views: (source, options) => {
        const views = createPanelViews(source, options);
        return { ...views, update: (changes) => (updates.push([...changes.changed]), views.update(changes)) };
      },
    });
    // 20 exchanges, their records in messages of 3: most entries change in two or more messages.
    feed(store, syntheticRecords(0, 0, 20), 3, () => {});
    expect(updates).toEqual([]);
    expect(store.visible().length).toBe(20);
    expect(updates.length).toBe(1);
    expect(new Set(updates[0]).size).toBe(updates[0].length);
  });

  it('shows the same rows, bytes, verdicts and groups as views updated after every message', () => {
    const records = syntheticRecords(0, 0, 300);
    const eager = createPanelStore();
    const lazy = createPanelStore();
    feed(eager, records, 7, () => void eager.visible());
    feed(lazy, records, 7, (at) => {
      // Reads now and then, a filter change between them.
      if (at === 700) lazy.setText('-method:PUT');
      if (at === 1400) lazy.setText('');
    });
    expect(shown(lazy)).toEqual(shown(eager));
    // Cleared with changes pending: nothing of them is left.
    lazy.applyMessage({ type: 'records', tabId: 1, records: syntheticRecords(records.length, 300, 5) });
    lazy.applyMessage({ type: 'cleared', tabId: 1 });
    expect(shown(lazy)).toEqual({ rows: [], bytes: { all: 0, shown: 0 }, count: 0, cors: [], polls: [] });
  });
});

describe('panel store: long polls of a redirected request', () => {
  // A worker's fetch (deep capture) whose URL changes when it is redirected.
  const deep = (seq: number, requestId: string, t: number, ev: Record<string, unknown>): TabRecord =>
    ({ seq, tabId: 1, frameId: 0, doc: 'd1', frameUrl: 'http://a.test/', ev: { type: 'deep', requestId, t, worker: { type: 'dedicated', url: 'http://a.test/w.js' }, ...ev } }) as unknown as TabRecord;
  const request = (seq: number, id: string, t: number, url: string) => deep(seq, id, t, { phase: 'request', method: 'GET', url, cdpType: 'Fetch', headers: [] });
  const response = (seq: number, id: string, t: number) => deep(seq, id, t, { phase: 'response', status: 200, statusText: 'OK', headers: [], mimeType: 'application/json' });
  const end = (seq: number, id: string, t: number) => deep(seq, id, t, { phase: 'end' });

  it('groups them the same whenever the panel reads between their records', () => {
    // Three polls of /poll held 1.2 s each, each redirected to /poll/v2.
    const first = [request(1, 'w1', 0, 'http://a.test/poll'), request(2, 'w2', 1300, 'http://a.test/poll')];
    const second = [request(3, 'w3', 2600, 'http://a.test/poll')];
    const third = ['w1', 'w2', 'w3'].flatMap((id, i) => [request(10 + i * 3, id, i * 1300 + 10, 'http://a.test/poll/v2'), response(11 + i * 3, id, i * 1300 + 1100), end(12 + i * 3, id, i * 1300 + 1200)]);
    const groups = (store: ReturnType<typeof createPanelStore>) => store.visible().map((e) => [e.url, store.longPollOf(e.id)?.entryIds.length ?? 0]);
    const eager = createPanelStore();
    const lazy = createPanelStore();
    for (const records of [first, second, third]) {
      eager.applyMessage({ type: 'records', tabId: 1, records });
      void eager.visible();
      lazy.applyMessage({ type: 'records', tabId: 1, records });
      // The panel redraws after the first message only (the second's redraw was still due).
      if (records === first) void lazy.visible();
    }
    const all = Array.from({ length: 3 }, () => ['http://a.test/poll/v2', 3]);
    expect(groups(eager)).toEqual(all);
    expect(groups(lazy)).toEqual(all);
  });
});

describe('panel store: views read late, through every action', () => {
  type Op = { type: 'read' } | { type: 'text'; q: string } | { type: 'sort'; column?: 'method' | 'status' | 'size' } | { type: 'record'; on: boolean } | { type: 'trace'; open: boolean } | { type: 'clear' } | { type: 'inline'; on: boolean };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.constant({ type: 'read' as const }),
    fc.record({ type: fc.constant('text' as const), q: fc.constantFrom('', '-method:PUT', 'poll', 'status:200', 'is:running') }),
    fc.record({ type: fc.constant('sort' as const), column: fc.constantFrom(undefined, 'method' as const, 'status' as const, 'size' as const) }),
    fc.record({ type: fc.constant('record' as const), on: fc.boolean() }),
    fc.record({ type: fc.constant('trace' as const), open: fc.boolean() }),
    fc.record({ type: fc.constant('inline' as const), on: fc.boolean() }),
    { arbitrary: fc.constant({ type: 'clear' as const }), weight: 1 },
  );
  const shown = (store: ReturnType<typeof createPanelStore>) => ({
    ...viewsShown(store),
    children: store.visible().map((e) => store.childrenOf(e.id).map((c) => c.id).join()),
    uploads: store.visible().map((e) => JSON.stringify(store.transferOf(e.id)?.members ?? '-')),
    inline: store.inline.value ? store.inlineRows().messages : -1,
  });

  it('shows what views updated after every message show, and each entry once', () => {
    // Exchanges (fetches, long polls, preflighted PUTs), and a resumable upload's chunks among them.
    const records: TabRecord[] = syntheticRecords(0, 0, 120);
    for (let k = 0; k < 6; k++) {
      const t = 1.7e12 + k * 150 + 5;
      const id = `u${k}`;
      const at = 20 + k * 25;
      records.splice(
        at,
        0,
        record(0, { type: 'start', id, t, kind: 'fetch', method: 'POST', url: 'http://a.test/upload', headers: [['X-Upload-Id', 'U1'], ['X-Start-Byte', String(k * 100)]], body: { encoding: 'text', data: 'x'.repeat(100), size: 100, truncated: false } }),
        record(0, { type: 'response', id, t: t + 2, status: k === 2 ? 500 : 200, statusText: '', headers: [] }),
      );
      records.splice(at + 30, 0, record(0, { type: 'end', id, t: t + 3, outcome: 'ok' }));
    }
    records.forEach((r, i) => (r.seq = i + 1));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 3 })), { minLength: 1, maxLength: 30 }), (steps) => {
        let clock = 0;
        const eager = createPanelStore({ now: () => clock });
        const lazy = createPanelStore({ now: () => clock });
        let at = 0;
        for (const [n, ops] of steps) {
          const chunk = records.slice(at, at + n);
          at += n;
          // The panel's clock is past every record it was given (records are stamped when captured).
          for (const r of chunk) clock = Math.max(clock, (r.ev as { t: number }).t + 1);
          for (const s of [eager, lazy]) if (chunk.length) s.applyMessage({ type: 'records', tabId: 1, records: chunk });
          void eager.visible();
          for (const o of ops) {
            for (const s of [eager, lazy]) {
              if (o.type === 'read') void s.visible();
              else if (o.type === 'text') s.setText(o.q);
              else if (o.type === 'sort') s.setSort(o.column ? { column: o.column, descending: false } : undefined);
              else if (o.type === 'record') s.setRecording(o.on);
              else if (o.type === 'inline') s.setInline(o.on);
              else if (o.type === 'clear') s.applyMessage({ type: 'cleared', tabId: 1 });
              else if (o.open) s.openTrace(startHarImport({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [] } }));
              else if (s.imported.value) s.closeTrace();
            }
            void eager.visible();
            if (o.type === 'read') {
              const rows = lazy.visible().map((e) => e.id);
              expect(rows.length).toBe(new Set(rows).size);
              expect(shown(lazy)).toEqual(shown(eager));
            }
          }
        }
        const rows = lazy.visible().map((e) => e.id);
        expect(rows.length).toBe(new Set(rows).size);
        expect(shown(lazy)).toEqual(shown(eager));
      }),
      { numRuns: 300 },
    );
  });
});

describe('panel store: live rows', () => {
  const p = (data: string) => ({ encoding: 'text' as const, data, size: data.length, truncated: false, source: 'text' });
  it('applies runs of messages (rows) as the records they stand for, each once', () => {
    const records = [
      record(1, { type: 'start', id: 'ws', t: 10, kind: 'websocket', method: 'GET', url: 'http://a.test/ws', headers: [] }),
      ...Array.from({ length: 30 }, (_, i) => record(2 + i, { type: 'message', id: 'ws', t: 20 + i, dir: i < 20 ? 'send' : 'receive', data: p(`m${i}`), ...(i < 20 ? {} : { origin: i < 25 ? 'http://a.test' : 'http://b.test' }) })),
      record(32, { type: 'end', id: 'ws', t: 99, outcome: 'closed' }),
    ];
    const asRecords = createPanelStore();
    asRecords.applyMessage({ type: 'records', tabId: 1, records });
    const asRows = createPanelStore();
    const rows = packRuns(records);
    // Sends and receives of one origin go in one run; the receives of another origin in another.
    expect(rows.filter(isRun).map(runLength)).toEqual([25, 5]);
    // The first rows come twice (a re-subscribe's snapshot and the live rows overlap): once applied.
    asRows.applyMessage({ type: 'records', tabId: 1, records: records.slice(0, 8) });
    asRows.applyMessage({ type: 'rows', tabId: 1, rows });
    asRows.flushRedraw();
    asRecords.flushRedraw();
    expect(asRows.allEntries()).toEqual(asRecords.allEntries());
    expect(asRows.allEntries()[0].messages).toHaveLength(30);
  });
});

describe('panel store: the wire view', () => {
  it("judges the CORS verdicts again once the background says when the tab's wire view began", () => {
    const store = createPanelStore();
    const url = 'http://b.test/api/put';
    const wire = (seq: number, phase: 'send' | 'headers', t: number): TabRecord => ({
      seq, tabId: 1, frameId: 0,
      ev: { type: 'wire', phase, requestId: 'w1', method: 'PUT', url, resourceType: 'xmlhttprequest', frameId: 0, t, ...(phase === 'headers' ? { statusCode: 200, responseHeaders: [['Access-Control-Allow-Origin', '*']] as [string, string][] } : {}) },
    });
    store.applyMessage({ type: 'snapshot', tabId: 1, dropped: 0, health: undefined as never, records: [
      record(1, { type: 'start', id: 'r', t: 1_000, kind: 'fetch', method: 'PUT', url, headers: [['X-Custom', '1']] }),
      wire(2, 'send', 1_050), wire(3, 'headers', 1_060),
      record(4, { type: 'end', id: 'r', t: 1_070, outcome: 'ok' }),
    ] } as never);
    const id = store.visible()[0].id;
    const observed = () => store.corsOf(id)?.preflight.observed;
    // Until the background says, nothing is inferred.
    expect(observed()).toBe(false);
    store.applyMessage({ type: 'wire', tabId: 1, wire: { mode: 'always' } });
    expect(observed()).toBe('cached');
    // The wire view began after the call (its preflight may have gone out unseen).
    store.applyMessage({ type: 'wire', tabId: 1, wire: { mode: 'panel', since: 1_010 } });
    expect(observed()).toBe(false);
  });
});

describe('panel store: an imported trace\'s warnings', () => {
  it('counts every warning, kept or not', () => {
    const store = createPanelStore();
    store.openTrace(startHarImport(`{"log":{"entries":[${Array(400).fill('{"request":{}}').join(',')}]}}`));
    expect(store.imported.value).toMatchObject({ done: true, warningCount: 1_200 });
    expect(store.imported.value?.warnings).toHaveLength(1_000);
  });
});
