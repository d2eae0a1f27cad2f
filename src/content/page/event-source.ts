import { limits, textPayload } from './body';
import type { Sink } from './channel';
import { isTrusted, watchConstruction } from './events';
import { SafeWeakMap, R, addEventListener, append, at, getter, globalObject, objectCreate, put } from './natives';
import type { Uninstall } from './patch';
import { patchMethod } from './patch';
import { stackHere } from './util';

interface SourceState {
  id: string;
  /** Event names we listen to ourselves ('message' always, then each name the page adds). */
  ours: Record<string, true>;
  /** Names the page added listeners for, in order, without open/error. */
  listened: string[];
  opened: boolean;
  lastEventId: string;
  /** When the error that started the current reconnection fired. */
  errorAt: number | undefined;
  resumeFrom: string;
  closed: boolean;
  /**
   * The origin of the current connection's messages, read from its first one: every message of a
   * connection has the origin of its response's URL (HTML, "the event stream's final URL"), and
   * each connection opens with an open event, where this is forgotten (a reconnection may be
   * redirected elsewhere).
   */
  origin: string | undefined;
}

const NativeEventSource = globalObject.EventSource;
const P = NativeEventSource?.prototype;
const readyStateOf = P ? getter<number>(P, 'readyState') : () => 0;
const urlOf = P ? getter<string>(P, 'url') : () => '';
const withCredentialsOf = P ? getter<boolean>(P, 'withCredentials') : () => false;
const dataOf = getter<unknown>(MessageEvent.prototype, 'data');
const originOf = getter<string>(MessageEvent.prototype, 'origin');
const lastEventIdOf = getter<string>(MessageEvent.prototype, 'lastEventId');
/**
 * Each new name emits the whole list (the timeline wants it whole): capped, so a page adding
 * listeners for many distinct names costs us O(MAX²) at most, not O(n²).
 */
const MAX_LISTENED = 256;

/**
 * EventSource: construct proxy on the global, our own listeners for open/error/message at
 * construction and for each named event once the page listens to it. Named events nobody listens
 * to never reach the page's JavaScript, so they stay invisible here (deep capture can add them).
 *
 * EventSource has no addEventListener of its own (it is inherited from EventTarget), so the names
 * are learnt from EventTarget.prototype.addEventListener, whose proxy only looks at `this` when it
 * is one of our tracked sources (a WeakMap lookup: no page code runs) and always calls through.
 */
export function installEventSource(sink: Sink): Uninstall {
  if (!NativeEventSource) return () => {};
  const states = new SafeWeakMap<object, SourceState>();

  const listenOurselves = (es: EventSource, state: SourceState, type: string) => {
    if (state.ours[type]) return;
    // `ours` has no prototype: no setter or getter of the page's on the way.
    state.ours[type] = true;
    // Each listener knows its type: no `type` getter per event.
    R.apply(addEventListener, es, [type, (e: Event) => onEvent(es, state, e, type)]);
  };

  const onEvent = (es: EventSource, state: SourceState, event: Event, type: string) => {
    if (!isTrusted(event)) return;
    try {
      const t = sink.now();
      if (type === 'open') {
        state.origin = undefined;
        if (state.errorAt !== undefined) {
          sink.emit({ type: 'step', id: state.id, t, step: 'reconnect', detail: { waited: t - state.errorAt, lastEventId: state.resumeFrom } });
          state.errorAt = undefined;
        }
        sink.emit({ type: 'step', id: state.id, t, step: 'open', detail: { readyState: readyStateOf(es) } });
        if (!state.opened) sink.emit({ type: 'response', id: state.id, t, status: 200, statusText: 'OK', headers: [] });
        state.opened = true;
        return;
      }
      if (type === 'error') {
        const readyState = readyStateOf(es);
        sink.emit({ type: 'step', id: state.id, t, step: 'error', detail: { readyState } });
        if (readyState === 0) {
          // 9.2.3 "reestablish the connection": the browser waits `retry` ms, then reconnects
          // sending Last-Event-ID.
          if (state.errorAt === undefined) {
            state.errorAt = t;
            state.resumeFrom = state.lastEventId;
            sink.emit({ type: 'step', id: state.id, t, step: 'reconnecting', detail: { readyState, lastEventId: state.lastEventId } });
          }
        } else if (readyState === 2 && !state.closed) {
          // "fail the connection": no more reconnection.
          state.closed = true;
          sink.emit({ type: 'end', id: state.id, t, outcome: 'error', error: state.opened ? 'connection failed, not reconnecting' : 'connection failed' });
          sink.flushSoon();
        }
        return;
      }
      const data = dataOf(event);
      const lastEventId = lastEventIdOf(event);
      state.lastEventId = lastEventId;
      if (state.origin === undefined) state.origin = originOf(event);
      if (typeof data === 'string' && data.length <= limits.bodyCap) {
        // Whole: one slot in a run of this source's messages (see Sink.message).
        sink.message(state.id, t, 'receive', data, state.origin, undefined, type, lastEventId);
        return;
      }
      sink.emit({
        type: 'message',
        id: state.id,
        t,
        dir: 'receive',
        data: textPayload(typeof data === 'string' ? data : '', 'text'),
        eventName: type,
        eventId: lastEventId,
        origin: state.origin,
      });
    } catch (error) {
      sink.fail('eventsource:event', error);
    }
  };

  const track = (es: EventSource) => {
    const state: SourceState = {
      id: sink.nextId('eventsource'),
      ours: R.apply(objectCreate, null, [null]) as Record<string, true>,
      listened: [],
      opened: false,
      lastEventId: '',
      errorAt: undefined,
      resumeFrom: '',
      closed: false,
      origin: undefined,
    };
    states.set(es, state);
    const t = sink.now();
    sink.emit({
      type: 'start',
      id: state.id,
      t,
      kind: 'eventsource',
      method: 'GET',
      url: urlOf(es),
      headers: [],
      meta: { withCredentials: withCredentialsOf(es) },
      stack: stackHere(true),
    });
    sink.emit({ type: 'step', id: state.id, t, step: 'readystatechange', detail: { readyState: 0 } });
    listenOurselves(es, state, 'open');
    listenOurselves(es, state, 'error');
    listenOurselves(es, state, 'message');
  };

  const uninstalls = [
    watchConstruction<typeof EventSource>(sink, 'EventSource', P, 'eventsource:construct', (es) => track(es as EventSource)),
    patchMethod<EventTarget['addEventListener']>(EventTarget.prototype, 'addEventListener', () => ({
      apply(target, self: object, args: unknown[]) {
        const result = R.apply(target, self, args);
        const state = self !== null && (typeof self === 'object' || typeof self === 'function') ? states.get(self) : undefined;
        if (state) {
          try {
            const type = at(args, 0);
            const listener = at(args, 1);
            if (typeof type === 'string' && listener !== null && (typeof listener === 'function' || typeof listener === 'object')) {
              listenOurselves(self as EventSource, state, type);
              const names = state.listened;
              let known = type === 'open' || type === 'error';
              for (let i = 0; i < names.length && !known; i++) known = names[i] === type;
              if (!known && names.length < MAX_LISTENED) {
                append(names, type);
                const copy: string[] = [];
                for (let i = 0; i < names.length; i++) put(copy, i, names[i]);
                sink.emit({ type: 'listen', id: state.id, t: sink.now(), names: copy });
              }
            }
          } catch (error) {
            sink.fail('eventsource:addEventListener', error);
          }
        }
        return result;
      },
    })),
    patchMethod<EventSource['close']>(P, 'close', () => ({
      apply(target, es: EventSource, args: unknown[]) {
        const state = states.get(es);
        let before = -1;
        try {
          if (state) before = readyStateOf(es);
        } catch (error) {
          sink.fail('eventsource:close', error);
        }
        const result = R.apply(target, es, args);
        try {
          if (state && before !== 2 && !state.closed) {
            state.closed = true;
            const t = sink.now();
            sink.emit({ type: 'step', id: state.id, t, step: 'close()', detail: { readyState: readyStateOf(es), by: 'page' } });
            sink.emit({ type: 'end', id: state.id, t, outcome: 'closed' });
            // The source's last events go now: a page that read a burst may run no timer for long.
            sink.flushSoon();
          }
        } catch (error) {
          sink.fail('eventsource:close', error);
        }
        return result;
      },
    })),
  ];
  return () => {
    for (let i = 0; i < uninstalls.length; i++) uninstalls[i]();
  };
}
