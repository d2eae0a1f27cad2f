import type { PageEvent, PageKind, StepDetail } from '../../shared/protocol';
import { payloadField } from '../../shared/event-payloads';
import { HANDSHAKE_EVENT, HANDSHAKE_KEY, PAGE_BATCH_EVENT, PAGE_DROPPED_WHERE, PROTOCOL_VERSION, type MessageRun, type PageItem, type RawResponse, type StepRun } from '../../shared/protocol';
import { MESSAGE_RUN_MAX, STEP_RUN_MAX } from '../../shared/page-events';
import { createDrops } from './drops';
import {
  NativeCustomEvent,
  NativeMessageChannel,
  NativeMessageEvent,
  addEventListener,
  dispatchEvent,
  removeEventListener,
  R,
  S,
  append,
  getter,
  ownList,
  isArrayBuffer,
  own,
  getRandomValues,
  now,
  portPostMessage,
  queueMicrotask,
  setTimeoutNative,
} from './natives';
import { eventTypeOf } from './events';
import { describeError } from './util';

/** What every patch records into. Never throws. */
export interface Sink {
  /** A new entry id, unique in this document. */
  nextId(kind: PageKind): string;
  /** An event, or an XHR response with its headers raw (RawResponse: parsed in the background). */
  emit(event: PageEvent | RawResponse): void;
  /**
   * A WebSocket or SSE text message, whole (within the body cap): joins the run of messages of
   * that channel, direction, origin and SSE event type at the end of the queue, or opens one (see
   * MessageRun). Positional, not an object: nothing allocated per message.
   */
  message(id: string, t: number, dir: 'send' | 'receive', text: string, origin: string | undefined, bufferedAmount: number | undefined, eventName?: string, eventId?: string): void;
  /**
   * A lifecycle step, `{ type: 'step', id, t, step, detail }` as emit would take it: joins the
   * run of that entry's steps at the end of the queue, or opens one (see StepRun). Positional:
   * no event object per step. Only for steps that always fit the schema (names and details of
   * ours, numbers): the background rejects a run whole, so a step carrying the page's text (which
   * may not fit) goes alone, through emit.
   */
  step(id: string, t: number, step: string, detail: StepDetail | undefined): void;
  /**
   * What is queued goes at the end of the current task, not after FLUSH_MS: for a channel whose
   * stream just ended (the rest of a burst would otherwise wait for a timer, and a page that was
   * busy runs its timers late).
   */
  flushSoon(): void;
  /** A failure of ours: counted, never thrown into the page. */
  fail(where: string, error: unknown): void;
  now(): number;
}

const MAX_QUEUED = 20_000;
/**
 * Events wait this long for company before one message goes to the relay while the tab is
 * watched (a netlens panel or `netlens capture` listens to it: the relay says so, PagePace), so
 * that a row follows its request closely: a busy page makes one or two events per task (each
 * readystatechange, each WebSocket message), and every port message costs a structured clone, a
 * task and a dispatch on the page's thread. Past FLUSH_EVENTS (messages in runs and steps in step
 * runs counted one by one), and once the document is being left (beforeunload, pagehide,
 * visibilitychange), they go at the end of the current task: a page that dispatches a burst of
 * messages in one long task (an SSE response read in one go) may run no timer until long after
 * it, and the events would wait with it.
 */
const WATCHED_FLUSH_MS = 25;
/**
 * ... and this long while watched when the last batch, sent less than this long ago, held
 * WATCHED_FLOOD_EVENTS or more (the page floods: 800 events a second or more to begin one, 200 to
 * go on with it), until a batch holds fewer: the panel draws a flood of new requests at most once
 * a second and a stream's messages at most four times a second (src/shared/redraw-pace.ts), and
 * each message costs this thread, the browser's and the worker's what it costs unwatched
 * (FLUSH_MS). A flood's last events reach the panel within this; the first event after a quiet
 * spell goes within WATCHED_FLUSH_MS again.
 */
const WATCHED_FLOOD_FLUSH_MS = 100;
const WATCHED_FLOOD_EVENTS = 20;
/**
 * ... and this long while no one watches the tab (what netlens does all day in every tab; also
 * until the relay said otherwise). Each message costs the page's thread, the browser's (which
 * routes it to the worker) and the worker a fixed price whatever it holds: 600 sequential fetches
 * send about 200 messages at 25 ms and 20 at 250 ms. Measured against 25 ms (`BENCH_THREADS=1`
 * capture bench, page main-thread CPU time as a ratio to native): fetches 1.27× → 1.19× and the
 * worker's CPU 68 → 34 ms, XHR GETs 1.60× → 1.44× and 109 → 61 ms, WebSocket echoes the same
 * 1.36× with the worker's 161 → 90 ms (3 rounds); an earlier 5-round run gave fetches 1.65× →
 * 1.27×. What a renderer crash loses is what waits, at most this long.
 */
const FLUSH_MS = 250;
const FLUSH_EVENTS = 1_000;
/**
 * A run of messages holds at most this many characters of text (and MESSAGE_RUN_MAX messages):
 * the relay sends it on in one extension message, and one of 64 KiB or more costs this thread far
 * more than its size says (src/shared/payload-parts.ts). Two-byte text is twice as many bytes.
 */
const RUN_MAX_CHARS = 24 * 1024;
/** Indexing a string primitive reads its own characters: no Number.prototype.toString of the page. */
const HEX = '0123456789abcdef';
const messageEventPorts = R.getOwnPropertyDescriptor(NativeMessageEvent.prototype, 'ports')!.get!;
/** The native `data` getter: a page may replace MessageEvent.prototype.data, and would then see what the relay sends us, and our port as `this.target`. */
const messageEventData = getter<unknown>(NativeMessageEvent.prototype, 'data');
/** A real MessageEvent (its `ports` getter accepts it), told without instanceof or page getters. */
const isMessageEvent = (event: Event): boolean => {
  try {
    R.apply(messageEventPorts, event, []);
    return true;
  } catch {
    return false;
  }
};

/** Settings the relay sends down the private port (the user's choices in the panel). */
export interface PageConfig {
  bodyCap?: number;
}

/**
 * The private channel to the relay: a MessagePort handed over once in an event of a type only
 * netlens knows (HANDSHAKE_EVENT); everything after goes over the port. Events are batched (see
 * WATCHED_FLUSH_MS and FLUSH_MS).
 */
export function createChannel(onConfig?: (config: PageConfig) => void): Sink {
  const bytes = new Uint8Array(8);
  getRandomValues(bytes);
  let doc = '';
  for (let i = 0; i < bytes.length; i++) doc += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  const channel = new NativeMessageChannel();
  const port = channel.port1;
  // The only thing that comes back up the port: settings. Anything else is ignored.
  port.onmessage = (event: MessageEvent) => {
    try {
      // Own properties only: a missing key must not reach the page's Object.prototype getters.
      const data = messageEventData(event);
      if (data === null || typeof data !== 'object') return;
      const type = own(data, 'type');
      if (type === 'pace') {
        watched = own(data, 'watched') === true;
        if (watched) {
          // Someone just began to listen: what waits goes now, not after the idle wait, and what
          // comes next within WATCHED_FLUSH_MS (the idle timer, if set, flushes early: harmless).
          timed = false;
          if (queue.length) flushAtTaskEnd();
        }
        return;
      }
      if (type !== 'config' || !onConfig) return;
      const cap = own(data, 'bodyCap');
      onConfig({ bodyCap: typeof cap === 'number' ? cap : undefined });
    } catch {
      // Never into the page.
    }
  };
  let queue: PageItem[] = ownList();
  /** A netlens panel or `netlens capture` listens to this tab (the relay's PagePace): see WATCHED_FLUSH_MS. */
  let watched = false;
  /** The run at the end of the queue that messages may still join, and its characters. */
  let run: MessageRun | undefined;
  /** The run of steps at the end of the queue that steps of its entry may still join. */
  let steps: StepRun | undefined;
  let runChars = 0;
  /** The run holds a received message: its `origin` is theirs (a send has none). */
  let runReceives = false;
  /** Events queued since the last flush, each message of a run and each step of a step run counted. */
  let queued = 0;
  /** Until when (now()) a watched batch waits WATCHED_FLOOD_FLUSH_MS: the last one sent, that long before, held WATCHED_FLOOD_EVENTS or more. */
  let floodUntil = 0;
  let scheduled = false;
  let timed = false;
  let leaving = false;
  let counter = 0;
  /** The number of the next batch handed over (PageBatch.n). */
  let batchNumber = 1;
  /** Events we could not hand over: reported with the next batch that goes out. */
  const drops = createDrops(MAX_QUEUED, S.slice);

  // The port goes to the relay in a synchronous MessageEvent of a type no page knows
  // (HANDSHAKE_EVENT): no page listener can take it or answer it with a port of its own, not even
  // one the parent put on this window before this document replaced the initial about:blank one
  // (the Window, and its listeners, are kept then). Synchronous, so a document.open() the page
  // runs in the task that created this frame (which erases the window's listeners, the relay's
  // too; HTML "document open steps") comes too late. The relay cancels the event when it takes
  // the port; when it was not listening yet, it asks with a plain Event of the same type once it
  // runs, and the port is offered again then.
  try {
    const data = { [HANDSHAKE_KEY]: true, v: PROTOCOL_VERSION, doc };
    // `source`: our end, where batches are handed over at once (PAGE_BATCH_EVENT).
    const offer = () => !R.apply(dispatchEvent, window, [new NativeMessageEvent(HANDSHAKE_EVENT, { data, ports: [channel.port2], source: port, cancelable: true })]);
    if (!offer()) {
      const onAsk = (event: Event) => {
        try {
          // Our own offer passes here too (it is a MessageEvent): only the relay's ask is answered.
          if (isMessageEvent(event) || !offer()) return;
          R.apply(removeEventListener, window, [HANDSHAKE_EVENT, onAsk, true]);
        } catch {
          // Never into the page.
        }
      };
      R.apply(addEventListener, window, [HANDSHAKE_EVENT, onAsk, true]);
    }
  } catch {
    // A sandboxed or detached document: nothing to report to.
  }

  // A microtask of ours: anything it threw would be reported to the page (window error event).
  const flush = () => {
    scheduled = false;
    const events = queue;
    queue = ownList();
    // A timer that found the queue already sent says nothing of the page's pace.
    if (queued) floodUntil = queued >= WATCHED_FLOOD_EVENTS ? now() + WATCHED_FLOOD_FLUSH_MS : 0;
    queued = 0;
    run = undefined;
    steps = undefined;
    let reporting = false;
    try {
      // What was lost before goes with this batch (one past MAX_QUEUED at most: the queue is
      // empty again).
      const report = drops.report();
      if (report !== undefined) {
        append<PageItem>(events, { type: 'capture-error', id: 'capture', t: now(), where: PAGE_DROPPED_WHERE, message: report.message, count: report.count });
        reporting = true;
      }
      // Nothing to tell (a timer that found the queue already sent).
      if (!events.length) return;
      const transfer: ArrayBuffer[] = [];
      for (let i = 0; i < events.length; i++) {
        // Own properties only: a start without a body must not reach Object.prototype.body.
        const ev = events[i];
        if (ev.type === 'messages' || ev.type === 'response:raw') continue;
        if (ev.type === 'steps') {
          // A step alone goes as the event it is: a run of one costs more to carry.
          if (ev.t.length === 1) events[i] = { type: 'step', id: ev.id, t: ev.t[0], step: ev.step[0], detail: ev.detail[0] ?? undefined };
          continue;
        }
        const field = payloadField(ev.type);
        const payload = field ? own(ev, field) : undefined;
        const buffer = payload && typeof payload === 'object' ? own(payload, 'buffer') : undefined;
        if (isArrayBuffer(buffer)) append(transfer, buffer);
      }
      const batch = { v: PROTOCOL_VERSION, n: batchNumber, events };
      // At once when the relay takes it (it cancels the event), else over the port.
      if (transfer.length || R.apply(dispatchEvent, port, [new NativeCustomEvent(PAGE_BATCH_EVENT, { __proto__: null, detail: batch, cancelable: true } as CustomEventInit)]))
        R.apply(portPostMessage, port, [batch, transfer]);
      batchNumber++;
      if (reporting) drops.reported();
    } catch (error) {
      // Counted with what was not reported yet: the next batch reports them all.
      try {
        drops.lost(reporting ? events.length - 1 : events.length, describeError(error));
      } catch {
        // Nothing left to count with.
      }
    }
  };

  /** What is queued goes at the end of the current task. */
  const flushAtTaskEnd = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };
  const schedule = () => {
    if (leaving || queued >= FLUSH_EVENTS || !queue.length) flushAtTaskEnd();
    else if (!timed) {
      timed = true;
      const wait = !watched ? FLUSH_MS : now() < floodUntil ? WATCHED_FLOOD_FLUSH_MS : WATCHED_FLUSH_MS;
      setTimeoutNative(onTimer, wait);
    }
  };

  const onTimer = () => {
    timed = false;
    flush();
  };
  // A navigation starts with beforeunload: the document still runs tasks until the next one
  // commits, so what is queued now reaches the relay (pagehide is too late for a port message).
  const onLeave = (event: Event) => {
    try {
      if (eventTypeOf(event) !== 'visibilitychange') leaving = true;
      flush();
    } catch {
      // Never into the page.
    }
  };
  const onShow = () => {
    leaving = false;
  };
  try {
    R.apply(addEventListener, window, ['beforeunload', onLeave, true]);
    R.apply(addEventListener, window, ['pagehide', onLeave, true]);
    R.apply(addEventListener, window, ['visibilitychange', onLeave, true]);
    R.apply(addEventListener, window, ['pageshow', onShow, true]);
  } catch {
    // A detached document: every event goes at the end of its task.
    leaving = true;
  }

  /** An event we failed to queue: counted and reported with the next batch, never thrown into the page (emit runs in our promise callbacks and listeners). */
  const lostOne = (error: unknown) => {
    try {
      drops.lost(1, describeError(error));
      schedule();
    } catch {
      // Nothing left to tell it with.
    }
  };

  const sink: Sink = {
    nextId(kind) {
      counter++;
      return `${kind}-${counter}`;
    },
    emit(event) {
      try {
        if (queue.length >= MAX_QUEUED) {
          drops.full();
          return;
        }
        append(queue, event);
        queued++;
        run = undefined;
        steps = undefined;
        schedule();
      } catch (error) {
        lostOne(error);
      }
    },
    message(id, t, dir, text, origin, bufferedAmount, eventName, eventId) {
      try {
        let r = run;
        let mixed = false;
        if (r && r.id === id && r.eventName === eventName && (eventId === undefined) === (r.eventId === undefined) && r.t.length < MESSAGE_RUN_MAX && runChars + text.length <= RUN_MAX_CHARS) {
          // The same direction, origin and bufferedAmount presence as the run's first message,
          // or (a WebSocket's sends and receives interleaved, as in any request/reply protocol)
          // the other direction: a send without origin and with bufferedAmount, a receive
          // without bufferedAmount and from the origin of the run's other receives.
          const same = dir === r.dir && origin === r.origin && (bufferedAmount === undefined) === (r.bufferedAmount === undefined);
          mixed =
            !same &&
            (dir === 'send' ? origin === undefined && bufferedAmount !== undefined : bufferedAmount === undefined && (!runReceives || origin === r.origin)) &&
            (r.dir === 'send' ? runReceives || (r.origin === undefined && r.bufferedAmount !== undefined) : r.bufferedAmount === undefined || r.dirs !== undefined);
          if (!same && !mixed) r = undefined;
        } else r = undefined;
        if (r) {
          if (mixed && r.dirs === undefined) {
            // From here on each message says its direction: the letters of those before.
            let dirs = '';
            const letter = r.dir === 'send' ? 's' : 'r';
            for (let i = 0; i < r.t.length; i++) dirs += letter;
            r.dirs = dirs;
          }
          if (r.dirs !== undefined) r.dirs += dir === 'send' ? 's' : 'r';
          if (dir === 'receive' && !runReceives) {
            runReceives = true;
            r.origin = origin;
          }
          if (bufferedAmount !== undefined && r.bufferedAmount === undefined) {
            // A send joins receives: their slots hold 0 (a receive has no bufferedAmount).
            const list: number[] = ownList();
            for (let i = 0; i < r.t.length; i++) append(list, 0);
            r.bufferedAmount = list;
          }
        } else {
          if (queue.length >= MAX_QUEUED) {
            drops.full();
            return;
          }
          // No prototype: the fields a run may lack (dirs, bufferedAmount, eventId) are read and
          // written on it, which on an ordinary object would reach setters and getters the page
          // put on Object.prototype (they would see our records, and change them).
          r = { __proto__: null, type: 'messages', id, dir, origin, eventName, t: ownList(), data: ownList() } as MessageRun;
          if (bufferedAmount !== undefined) r.bufferedAmount = ownList();
          if (eventId !== undefined) r.eventId = ownList();
          append(queue, r);
          run = r;
          steps = undefined;
          runChars = 0;
          runReceives = dir === 'receive';
          schedule();
        }
        append(r.t, t);
        append(r.data, text);
        if (r.bufferedAmount !== undefined) append(r.bufferedAmount, bufferedAmount ?? 0);
        if (eventId !== undefined) append(r.eventId!, eventId);
        runChars += text.length;
        if (++queued >= FLUSH_EVENTS) flushAtTaskEnd();
      } catch (error) {
        lostOne(error);
      }
    },
    step(id, t, step, detail) {
      try {
        let r = steps;
        if (!r || r.id !== id || r.t.length >= STEP_RUN_MAX) {
          if (queue.length >= MAX_QUEUED) {
            drops.full();
            return;
          }
          r = { type: 'steps', id, t: ownList(), step: ownList(), detail: ownList() };
          append(queue, r);
          steps = r;
          run = undefined;
          schedule();
        }
        append(r.t, t);
        append(r.step, step);
        append(r.detail, detail ?? null);
        if (++queued >= FLUSH_EVENTS) flushAtTaskEnd();
      } catch (error) {
        lostOne(error);
      }
    },
    flushSoon() {
      try {
        if (queue.length) flushAtTaskEnd();
      } catch {
        // The timer sends it.
      }
    },
    fail(where, error) {
      try {
        // Never the page's toString or getters: they could tell us apart, or throw.
        const message = describeError(error);
        sink.emit({ type: 'capture-error', id: 'capture', t: now(), where, message });
      } catch {
        // describeError and emit never throw: nothing else can be done here.
      }
    },
    now,
  };
  return sink;
}
