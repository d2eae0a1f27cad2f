import { batch, computed, signal } from '@preact/signals';
import type { HarImport } from '../shared/har';
import { PANEL_MAX_MESSAGES_PER_ENTRY, type Entry } from '../shared/model';
import { compileMessageFilter, parseFilter } from '../shared/filter-language';
import type { KindChip } from '../shared/kind-chips';
import { createInlineIndex, createPanelViews, traceSource, type EntrySort, type EntrySource, type InlineIndex, type MessagePredicate } from '../shared/panel-views';
import type { DeepState, StoreHealth, TabRecord } from '../shared/protocol';
import type { PanelMessage } from './connection';
import type { WireState } from '../shared/wire-scope';
import { isRun, runLast, unpackRun } from '../shared/stored-runs';
import { createInFlight, redrawDue, REDRAW_EVERY_MS } from '../shared/redraw-pace';
import { createTimeline, type Timeline } from '../shared/timeline';

/** An imported trace's first rows: read before the trace is shown (the rest follows in slices). */
const IMPORT_FIRST = 500;
/** Then, per task: entries read between frames, and the time after which a slice stops. */
const IMPORT_SLICE = 2_000;
const IMPORT_SLICE_MS = 30;

/**
 * An imported trace shown instead of the live view. `total`: entries in the file; `done`: all
 * read; `head`: only the first part of the file is read so far (the whole file follows).
 */
export interface ShownTrace {
  entries: readonly Entry[];
  /** The first warnings (updated in place as the file is read); `warningCount` counts them all. */
  warnings: string[];
  warningCount: number;
  source: EntrySource;
  total: number;
  done: boolean;
  head: boolean;
  /** When the trace's wire view began (its `log._netlens.wireSince`, epoch ms), if not all along. */
  wireSince?: number;
}

const liveSource = (timeline: Timeline): EntrySource => ({ entries: () => timeline.entries(), get: timeline.get, compare: timeline.compare });

/**
 * The panel's state: one timeline fed by every incoming message, and the views derived from it,
 * updated per batch for the entries that batch changed (see panel-views). `revision` is bumped
 * once per applied message or filter change: components read it to redraw.
 */
/**
 * `now`: the clock pauses are stamped with, epoch ms as entries' start times (default Date.now);
 * `frameNow`: the clock redraws are paced on, ms (default performance.now()).
 * `views`: makes the derived views (default createPanelViews; tests wrap it to watch updates).
 */
export function createPanelStore({
  now: clock = Date.now,
  frameNow = () => performance.now(),
  views: makeViews = createPanelViews,
}: { now?: () => number; frameNow?: () => number; views?: typeof createPanelViews } = {}) {
  const newTimeline = () => createTimeline({ maxMessagesPerEntry: PANEL_MAX_MESSAGES_PER_ENTRY });
  let timeline = newTimeline();
  /**
   * Recording paused (the panel's, as DevTools' record button): live entries that started while
   * it was (by their start time, epoch ms, whenever their records arrive) are kept out of the
   * list, the counts and the export, even after recording resumes; entries started before go on
   * updating. The capture itself goes on (the background has no pause).
   */
  const recording = signal(true);
  const pauses: { from: number; to: number }[] = [];
  const unrecorded = (e: Entry) => {
    if (!pauses.length || imported.peek()) return false;
    for (const p of pauses) if (e.startTime >= p.from && e.startTime < p.to) return true;
    return false;
  };
  const views = makeViews(liveSource(timeline), { exclude: unrecorded, wireSince: () => wireSince() });
  /**
   * Live changes not yet given to the views: they are brought up to date when next read (a
   * redraw, a test, the detail), not per message, so an entry changed in several batches between
   * two redraws is judged, grouped and classified once.
   */
  let pendingChanged = new Set<string>();
  let pendingRemoved = new Set<string>();
  const synced = () => {
    if (!pendingChanged.size && !pendingRemoved.size) return views;
    const changes = { changed: pendingChanged, removed: pendingRemoved };
    pendingChanged = new Set();
    pendingRemoved = new Set();
    views.update(changes);
    return views;
  };
  const forgetPending = () => {
    pendingChanged = new Set();
    pendingRemoved = new Set();
  };
  let lastSeq = 0;
  /** Per live entry id: the number of the applied message that last changed it (see entryRevision). */
  const changedAt = new Map<string, number>();
  let applied = 0;
  const revision = signal(0);
  /** New entries applied since the list was last drawn (see redrawDue). */
  let waiting = 0;
  const bump = () => {
    waiting = 0;
    revision.value = revision.peek() + 1;
  };
  /**
   * Records may arrive many times a frame; the panel redraws for them when redrawDue says (a few
   * times a second while the page has requests in flight, at once when it went quiet), in an
   * animation frame (Chrome's Network panel coalesces its refresh the same way). A timer backs the
   * frame up, since hidden pages get no frames. Without frames (Node), at once. User actions
   * (filters, selection) redraw at once.
   */
  let redrawQueued = false;
  let lastRedraw = -Infinity;
  /** New entries the last redraw for records drew, and what it took of this thread, ms (see redrawDue). */
  let drawnLast = 0;
  let redrawCost = 0;
  /** The timer of the redraw's due time, then of the frame's backup; `framing` once a frame is asked for. */
  let redrawTimer: ReturnType<typeof setTimeout> | undefined;
  let redrawAt = Infinity;
  let framing = false;
  /** `inFrame`: called in an animation frame (not by its backup timer: a hidden panel, whose timers may be throttled). */
  const redraw = (inFrame = false) => {
    if (!redrawQueued) return;
    redrawQueued = false;
    framing = false;
    clearTimeout(redrawTimer);
    redrawTimer = undefined;
    redrawAt = Infinity;
    const t0 = frameNow();
    lastRedraw = t0;
    drawnLast = waiting;
    bump();
    // Until the next task: the list drawn (Preact renders in a microtask) and the frame's style,
    // layout and paint.
    if (inFrame) setTimeout(() => (redrawCost = frameNow() - t0), 0);
  };
  const askFrame = () => {
    framing = true;
    requestAnimationFrame(() => redraw(true));
    redrawTimer = setTimeout(() => redraw(), 100);
  };
  /**
   * A redraw for records at `due` (frameNow clock; at once if past), unless a frame is
   * asked for already. A new due time replaces the one waited for: later while nothing is in
   * flight and records keep coming (the quiet wait starts over) or once requests are in flight
   * again, sooner once none is.
   */
  const scheduleBump = (due: number) => {
    if (typeof requestAnimationFrame !== 'function') return bump();
    redrawQueued = true;
    if (framing) return;
    if (redrawTimer !== undefined && due === redrawAt) return;
    clearTimeout(redrawTimer);
    redrawAt = due;
    redrawTimer = setTimeout(askFrame, Math.max(0, due - frameNow()));
  };
  /** Live requests in flight: while one is, more records are on their way (see redrawDue). */
  const inFlight = createInFlight();
  const selectedId = signal<string | undefined>(undefined);
  /** Whether the selected entry's detail is open (a click opens it; keys move the selection, Enter opens, Escape closes). */
  const detailOpen = signal(false);
  const dropped = signal(0);
  /** Losses by reason and the storage's state (undefined from an older background). */
  const health = signal<StoreHealth | undefined>(undefined);
  /** Deep capture's state for the inspected tab (the background says; off until it does). */
  const deep = signal<DeepState>({ state: 'off' });
  /** Which of the tab's requests the wire view sees (src/shared/wire-scope.ts); unknown until the background says. */
  const wire = signal<WireState | undefined>(undefined);
  /**
   * When the live tab's wire view started (epoch ms; notOnWire checks only entries after it, and
   * the CORS view infers the preflight cache only for them), or the shown trace's: undefined when
   * it saw the tab all along; the far future while the background has not said (nothing is
   * checked, nothing inferred).
   */
  const wireSince = (): number | undefined => {
    if (imported.value) return imported.value.wireSince;
    const w = wire.value;
    // Not told yet, or a wire view from DevTools while DevTools is closed: nothing seen, nothing checked.
    return !w || (w.source === 'devtools' && !w.open) ? Infinity : w.since;
  };
  /** The live tab's wire view comes from DevTools' log (see shared/wire-check notOnWire). */
  const wireFromDevtools = () => wire.value?.source === 'devtools';
  const text = signal('');
  const chips = signal<readonly KindChip[]>([]);
  const sort = signal<EntrySort | undefined>(undefined);
  /** A trace opened from a file replaces the live view until it is closed. */
  const imported = signal<ShownTrace | undefined>(undefined);
  /** Which entries are shown: bumped when a trace is opened or closed, or the live view cleared. */
  const generation = signal(0);
  const revealing = signal<{ id: string } | undefined>(undefined);
  /** Messages inline (see shared/panel-views/inline-messages): the list interleaves the shown entries' messages. */
  const inline = signal(false);
  const inlineIndex = createInlineIndex();
  let inlineSynced = -1;
  let messageFilter: { text: string; accepts: MessagePredicate | undefined } = { text: '', accepts: undefined };
  /** A message row clicked: its entry's Messages tab shows it chosen (a new object each time). */
  const focusedMessage = signal<{ id: string; index: number } | undefined>(undefined);
  const lookup = (id: string) => (imported.peek() ? imported.peek()!.source.get(id) : timeline.get(id));

  /** Long-poll grouping left over from a reset runs in slices between frames. */
  let working = false;
  const keepWorking = () => {
    if (working || !views.pending()) return;
    working = true;
    setTimeout(function slice() {
      const more = synced().work(8);
      bump();
      if (more) setTimeout(slice, 0);
      else working = false;
    }, 0);
  };

  const setFilter = () => {
    synced().setFilter({ text: text.peek(), chips: chips.peek() });
    bump();
  };

  function applyMessage(msg: PanelMessage) {
    batch(() => {
      if (msg.type === 'deep') {
        deep.value = msg.deep;
        return;
      }
      if (msg.type === 'wire') {
        const since = wireSince();
        wire.value = msg.wire;
        // The CORS verdicts of the live entries read when the wire view began (shared/entry-cors).
        if (wireSince() !== since && !imported.peek()) {
          synced().wireChanged();
          bump();
        }
        return;
      }
      if (msg.type === 'health') {
        health.value = msg.health;
        dropped.value = msg.health.dropped;
        return;
      }
      if (msg.type === 'cleared') {
        timeline = newTimeline();
        lastSeq = 0;
        changedAt.clear();
        inFlight.clear();
        forgetPending();
        selectedId.value = undefined;
        if (!imported.peek()) {
          views.reset(liveSource(timeline));
          generation.value++;
        }
      } else {
        if (msg.type === 'snapshot') {
          dropped.value = msg.dropped;
          health.value = msg.health;
        }
        const apply = (rec: TabRecord) => {
          if (rec.seq <= lastSeq) return;
          lastSeq = rec.seq;
          timeline.apply(rec);
        };
        if (msg.type === 'rows') {
          // A run stands for its messages: those past lastSeq, as records (src/shared/stored-runs.ts).
          for (const row of msg.rows) {
            if (!isRun(row)) apply(row);
            else if (runLast(row) > lastSeq) for (const rec of unpackRun(row, lastSeq + 1)) apply(rec);
          }
        } else for (const rec of msg.records) apply(rec);
        // While a trace is shown its views stay; going back to live starts over from the timeline.
        const changes = timeline.takeChanges();
        applied++;
        for (const id of changes.changed) {
          if (!changedAt.has(id)) waiting++;
          changedAt.set(id, applied);
          inFlight.note(id, timeline.get(id));
        }
        for (const id of changes.removed) {
          changedAt.delete(id);
          inFlight.drop(id);
        }
        if (!imported.peek()) {
          // An id back after its removal (not seen so far): the removal goes to the views first.
          for (const id of changes.changed) if (pendingRemoved.has(id)) synced();
          for (const id of changes.changed) pendingChanged.add(id);
          for (const id of changes.removed) {
            pendingChanged.delete(id);
            pendingRemoved.add(id);
          }
        }
      }
      if (msg.type === 'records' || msg.type === 'rows') scheduleBump(redrawDue(frameNow(), lastRedraw, inFlight.busy(clock()), waiting, drawnLast, redrawCost));
      else bump();
    });
    keepWorking();
  }

  return {
    /** Bumped whenever anything shown may have changed. */
    revision: computed(() => revision.value),
    /**
     * A number that changes whenever the live entry `id` changes (entries are updated in place):
     * the list draws a row again only then. An imported trace's entries do not change (0).
     */
    entryRevision: (id: string) => (imported.peek() ? 0 : (changedAt.get(id) ?? 0)),
    /** The entries the filters let through, in display order (updated in place; read `revision`). */
    visible: () => synced().visible(),
    /** Every entry of the live timeline or of the imported trace (for export; a copy per call when live). */
    allEntries: () => imported.peek()?.entries ?? (pauses.length ? timeline.entries().filter((e) => !unrecorded(e)) : timeline.entries()),
    /** How many entries there are in all (shown or not). */
    entryCount: () => synced().counted(),
    recording: computed(() => recording.value),
    deep: computed(() => deep.value),
    wire: computed(() => wire.value),
    /** When the live tab's wire view started, or the shown trace's (see wireSince above). */
    wireSince,
    wireFromDevtools,
    setRecording(on: boolean) {
      if (on === recording.peek()) return;
      const now = clock();
      if (on) pauses[pauses.length - 1].to = now;
      else pauses.push({ from: now, to: Infinity });
      recording.value = on;
    },
    waterfallSpan: (now: number) => synced().waterfallSpan(now),
    corsOf: (id: string) => synced().corsOf(id),
    longPollOf: (id: string) => synced().longPollOf(id),
    transferOf: (id: string) => synced().transferOf(id),
    imported: computed(() => imported.value),
    /**
     * Shows an imported trace as it is read: its first IMPORT_FIRST entries at once, then the
     * rest in slices between frames (the list grows, the panel stays responsive). Opening
     * another trace or going back to live stops the reading. The whole file's import replacing
     * its head's (see `startHarImport`) keeps the selection.
     */
    openTrace(job: HarImport) {
      const source = traceSource(job.next(IMPORT_FIRST));
      const fromHead = imported.peek()?.head === true;
      // Updated in place as slices are read (the panel redraws for `revision`).
      const warningCount = () => job.result.warnings.length + job.result.moreWarnings;
      const trace: ShownTrace = { entries: source.entries(), warnings: job.result.warnings, warningCount: warningCount(), source, total: job.total, done: job.done, head: job.head, wireSince: job.result.wireSince };
      batch(() => {
        imported.value = trace;
        forgetPending();
        views.reset(source);
        if (!fromHead) selectedId.value = undefined;
        generation.value++;
        bump();
      });
      keepWorking();
      const readMore = () => {
        if (imported.peek() !== trace) return;
        const t0 = performance.now();
        const more: Entry[] = [];
        while (!job.done && performance.now() - t0 < IMPORT_SLICE_MS) more.push(...job.next(IMPORT_SLICE));
        source.add(more);
        batch(() => {
          views.update({ changed: more.map((e) => e.id), removed: [] });
          trace.done = job.done;
          trace.warningCount = warningCount();
          // Redrawn at most every REDRAW_EVERY_MS; the last slice at once.
          if (job.done) bump();
          else scheduleBump(lastRedraw + REDRAW_EVERY_MS);
        });
        keepWorking();
        if (!job.done) setTimeout(readMore, 0);
      };
      if (!job.done) setTimeout(readMore, 0);
    },
    closeTrace() {
      batch(() => {
        imported.value = undefined;
        selectedId.value = undefined;
        timeline.takeChanges();
        forgetPending();
        views.reset(liveSource(timeline));
        generation.value++;
        bump();
      });
      keepWorking();
    },
    text: computed(() => text.value),
    /** What the filter box's query could not read as written (shown beside it). */
    problems: computed(() => parseFilter(text.value).problems),
    chips: computed(() => chips.value),
    setText(value: string) {
      text.value = value;
      setFilter();
    },
    setChips(value: readonly KindChip[]) {
      chips.value = value;
      setFilter();
    },
    sort: computed(() => sort.value),
    setSort(value: EntrySort | undefined) {
      batch(() => {
        sort.value = value;
        // Messages sit in time: a sort by another column shows requests only.
        if (value) inline.value = false;
        synced().setSort(value);
        bump();
      });
    },
    inline: computed(() => inline.value),
    /** Turns messages inline on (back to time order: any sort is dropped) or off. */
    setInline(on: boolean) {
      batch(() => {
        if (on && sort.peek()) {
          sort.value = undefined;
          synced().setSort(undefined);
        }
        inline.value = on;
        bump();
      });
    },
    /**
     * The shown entries with their messages in time order, brought up to date for this redraw
     * (see createInlineIndex); a message row shows when the filter's `body:` terms hold for it.
     */
    inlineRows(): InlineIndex {
      const at = revision.peek();
      if (at !== inlineSynced) {
        inlineSynced = at;
        const q = text.peek();
        if (q !== messageFilter.text) messageFilter = { text: q, accepts: compileMessageFilter(parseFilter(q)) };
        inlineIndex.sync(synced().visible(), messageFilter.accepts);
      }
      return inlineIndex;
    },
    focusedMessage: computed(() => focusedMessage.value),
    /** Opens an entry's detail with one of its messages chosen (a message row clicked). */
    openMessage: (id: string, index: number) =>
      batch(() => {
        selectedId.value = id;
        detailOpen.value = true;
        focusedMessage.value = { id, index };
      }),
    /** An entry of the live timeline or the imported trace, by id. */
    entry: (id: string) => lookup(id),
    /** What sits under a shown entry's row (PanelViews.childrenOf): its preflight, or an upload's other requests. */
    childrenOf: (id: string) => synced().childrenOf(id),
    /** Bytes of every entry and of the shown ones (see entrySize). */
    bytes: () => synced().bytes(),
    /** Values seen per key, for the filter box's suggestions. */
    seenValues: () => synced().seenValues(),
    selected: computed(() => {
      void revision.value;
      return selectedId.value ? lookup(selectedId.value) : undefined;
    }),
    selectedId,
    dropped,
    health,
    captureErrors: computed(() => {
      void revision.value;
      return timeline.captureErrors;
    }),
    pageEventsDropped: computed(() => {
      void revision.value;
      return timeline.pageEventsDropped;
    }),
    lastSeq: () => lastSeq,
    /** Redraws now for records applied since the last redraw (benchmarks, tests). */
    flushRedraw: redraw,
    applyMessage,
    select: (id: string | undefined) =>
      batch(() => {
        focusedMessage.value = undefined;
        selectedId.value = id;
        detailOpen.value = id !== undefined;
      }),
    /** Moves the selection without opening or closing the detail. */
    move: (id: string) => (selectedId.value = id),
    detailOpen: computed(() => detailOpen.value),
    openDetail: (open: boolean) => (detailOpen.value = open && selectedId.peek() !== undefined),
    generation: computed(() => generation.value),
    /** A request to scroll the list to an entry (a new object each time). */
    revealing: computed(() => revealing.value),
    reveal: (id: string) => (revealing.value = { id }),
  };
}

export type PanelStore = ReturnType<typeof createPanelStore>;
