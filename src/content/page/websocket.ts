import type { Payload } from '../../shared/protocol';
import { bufferPayload, capturePayload, limits, textPayload } from './body';
import type { Sink } from './channel';
import { NativeArrayBuffer, SafeWeakMap, R, S, addEventListener, append, arrayIsArray, at, getter, globalObject, isArrayBuffer, isBlob, ownList, promiseThen, put, setOwn } from './natives';
import type { Uninstall } from './patch';
import { patchMethod } from './patch';
import { stackHere } from './util';
import { isTrusted, watchConstruction } from './events';

interface SocketState {
  id: string;
  /** close() was called by the page while the socket was CONNECTING or OPEN. */
  closedByPage: boolean;
  opened: boolean;
  errored: boolean;
  /** What is still to be emitted, in order: a Blob message waits for its bytes, later ones for it. */
  queue: QueueItem[];
  /** Its messages' origin, once one arrived. */
  origin?: string;
}

/**
 * What a message's event says besides its data. Made with no prototype: the fields a send or a
 * receive lacks are read, and a page's getter on Object.prototype would run for them.
 */
interface MessageExtra {
  dir: 'send' | 'receive';
  origin?: string;
  bufferedAmount?: number;
  dropped?: boolean;
}

interface QueueItem {
  ready: boolean;
  payload?: Payload;
  run: (payload?: Payload) => void;
}

const NativeWebSocket = globalObject.WebSocket;
const P = NativeWebSocket?.prototype;
const readyStateOf = P ? getter<number>(P, 'readyState') : () => 0;
const urlOf = P ? getter<string>(P, 'url') : () => '';
const protocolOf = P ? getter<string>(P, 'protocol') : () => '';
const extensionsOf = P ? getter<string>(P, 'extensions') : () => '';
const bufferedAmountOf = P ? getter<number>(P, 'bufferedAmount') : () => 0;
const binaryTypeOf = P ? getter<string>(P, 'binaryType') : () => '';
const dataOf = getter<unknown>(MessageEvent.prototype, 'data');
const originOf = getter<string>(MessageEvent.prototype, 'origin');
const codeOf = getter<number>(CloseEvent.prototype, 'code');
const reasonOf = getter<string>(CloseEvent.prototype, 'reason');
const wasCleanOf = getter<boolean>(CloseEvent.prototype, 'wasClean');
const isView = ArrayBuffer.isView;
const bufferByteLength = getter<number>(NativeArrayBuffer.prototype, 'byteLength');
const dataViewLength = getter<number>(DataView.prototype, 'byteLength');
const isDataView = (value: unknown) => {
  try {
    dataViewLength(value);
    return true;
  } catch {
    return false;
  }
};
const SOCKET_EVENTS = ['open', 'message', 'error', 'close'];

/** What a send() or a received message carried, without calling any of the page's code. */
function messagePayload(data: unknown): { payload: Payload; later?: Promise<Payload> } {
  if (typeof data === 'string') return { payload: textPayload(S.wellFormed(data), 'text'), later: undefined };
  if (isArrayBuffer(data)) return { payload: bufferPayload(data, 0, bufferByteLength(data), 'arraybuffer'), later: undefined };
  const blob = isBlob(data);
  if (blob || isView(data)) {
    const { payload, later } = capturePayload(data);
    if (payload) return { payload: { ...payload, source: blob ? 'blob' : isDataView(data) ? 'dataview' : 'view' }, later };
  }
  // send(x) stringifies anything else; calling x.toString() a second time would be visible.
  return { payload: { encoding: 'none', data: '', size: -1, truncated: false, source: typeof data }, later: undefined };
}

/**
 * WebSocket: a construct-trapping proxy on the global (statics, prototype identity, instanceof and
 * subclassing unchanged), our own listeners attached at construction with the saved native
 * addEventListener (so messages are seen however, and whether, the page listens), and proxies on
 * prototype send/close.
 */
export function installWebSocket(sink: Sink): Uninstall {
  if (!NativeWebSocket) return () => {};
  const states = new SafeWeakMap<WebSocket, SocketState>();

  /** Emits in arrival order even when an earlier Blob message is still being read. */
  const enqueue = (state: SocketState, run: (p?: Payload) => void, later?: Promise<Payload>) => {
    if (!later && !state.queue.length) {
      // Nothing waiting ahead of it (the usual case): out at once, no queue item.
      try {
        run();
      } catch (error) {
        sink.fail('websocket:emit', error);
      }
      return;
    }
    const item: QueueItem = { ready: !later, payload: undefined, run };
    append(state.queue, item);
    if (later) {
      // Promise callbacks of ours: they never throw (drain catches), so nothing rejects.
      R.apply(promiseThen, later, [
        (p: Payload) => {
          item.payload = p;
          item.ready = true;
          drain(state);
        },
        (e: unknown) => {
          sink.fail('websocket:blob', e);
          item.ready = true;
          drain(state);
        },
      ]);
    } else drain(state);
  };
  const drain = (state: SocketState) => {
    try {
      const queue = state.queue;
      let done = 0;
      while (done < queue.length && queue[done].ready) {
        const item = queue[done++];
        try {
          item.run(item.payload);
        } catch (error) {
          sink.fail('websocket:emit', error);
        }
      }
      if (!done) return;
      // Not Array.prototype.slice: it reads queue.constructor (the page's to redefine).
      const rest: QueueItem[] = ownList();
      for (let i = done; i < queue.length; i++) append(rest, queue[i]);
      state.queue = rest;
    } catch (error) {
      sink.fail('websocket:drain', error);
    }
  };

  const emitMessage = (state: SocketState, t: number, data: unknown, extra: MessageExtra) => {
    if (typeof data === 'string' && data.length <= limits.bodyCap && !extra.dropped) {
      // Text whole: one slot in a run of this socket's messages (see Sink.message), sized in
      // the background.
      // send(string) takes a USVString (lone surrogates go out as U+FFFD); received text is one.
      const text = extra.dir === 'send' ? S.wellFormed(data) : data;
      enqueue(state, () => sink.message(state.id, t, extra.dir, text, extra.origin, extra.bufferedAmount));
      return;
    }
    const { payload, later } = messagePayload(data);
    enqueue(state, (p = payload) => sink.emit({ type: 'message', id: state.id, t, data: p, ...extra }), later);
  };

  /** `type`: the type the listener was added for (the event's own, without its getter). */
  const onEvent = (ws: WebSocket, state: SocketState, event: Event, type: string) => {
    if (!isTrusted(event)) return;
    try {
      const t = sink.now();
      if (type === 'message') {
        // A socket's messages all come from the origin of its URL (HTML, "WebSocket" feedback
        // from the protocol): read once, from its first message.
        if (state.origin === undefined) state.origin = originOf(event);
        emitMessage(state, t, dataOf(event), { __proto__: null, dir: 'receive', origin: state.origin } as MessageExtra);
      } else if (type === 'open') {
        state.opened = true;
        sink.emit({ type: 'step', id: state.id, t, step: 'open', detail: { readyState: readyStateOf(ws) } });
        sink.emit({
          type: 'response',
          id: state.id,
          t,
          status: 101,
          statusText: 'Switching Protocols',
          headers: [],
          protocol: protocolOf(ws),
          extensions: extensionsOf(ws),
        });
      } else if (type === 'error') {
        state.errored = true;
        sink.emit({ type: 'step', id: state.id, t, step: 'error', detail: { readyState: readyStateOf(ws) } });
      } else if (type === 'close') {
        const close = {
          code: codeOf(event),
          reason: reasonOf(event),
          wasClean: wasCleanOf(event),
          by: state.closedByPage ? ('page' as const) : ('server' as const),
        };
        sink.emit({ type: 'step', id: state.id, t, step: 'close', detail: { readyState: readyStateOf(ws), code: close.code, reason: close.reason, wasClean: close.wasClean } });
        const failed = state.errored && !state.opened;
        const end = () => sink.emit({ type: 'end', id: state.id, t, outcome: failed ? 'error' : 'closed', error: failed ? 'connection failed' : state.errored ? 'error' : undefined, close });
        enqueue(state, end);
      }
    } catch (error) {
      sink.fail('websocket:event', error);
    }
  };

  const track = (ws: WebSocket, args: unknown[]) => {
    const state: SocketState = { id: sink.nextId('websocket'), closedByPage: false, opened: false, errored: false, queue: ownList(), origin: undefined };
    states.set(ws, state);
    const t = sink.now();
    const requested = at(args, 1);
    // The constructor already validated and stringified the protocols: only plain strings reach here.
    const protocols = requested === undefined ? [] : typeof requested === 'string' ? [requested] : copyStrings(requested);
    sink.emit({
      type: 'start',
      id: state.id,
      t,
      kind: 'websocket',
      method: 'GET',
      url: urlOf(ws),
      headers: [],
      meta: { protocols, binaryType: binaryTypeOf(ws) },
      stack: stackHere(true),
    });
    sink.emit({ type: 'step', id: state.id, t, step: 'readystatechange', detail: { readyState: 0 } });
    for (let i = 0; i < SOCKET_EVENTS.length; i++) {
      const type = SOCKET_EVENTS[i];
      R.apply(addEventListener, ws, [type, (e: Event) => onEvent(ws, state, e, type)]);
    }
  };

  const uninstalls = [
    watchConstruction<typeof WebSocket>(sink, 'WebSocket', P, 'websocket:construct', (ws, args) => track(ws as WebSocket, args)),
    patchMethod<WebSocket['send']>(P, 'send', () => ({
      apply(target, ws: WebSocket, args: unknown[]) {
        const state = states.get(ws);
        let readyState = -1;
        let t = 0;
        try {
          if (state && args.length > 0) {
            readyState = readyStateOf(ws);
            t = sink.now();
          }
        } catch (error) {
          sink.fail('websocket:send', error);
        }
        let result: unknown;
        try {
          result = R.apply(target, ws, args);
        } catch (error) {
          // CONNECTING: InvalidStateError, thrown to the page unchanged.
          if (state && readyState >= 0) record(state, ws, t, args[0], readyState, true);
          throw error;
        }
        if (state && readyState >= 0) record(state, ws, t, args[0], readyState, readyState !== 1);
        return result;
      },
    })),
    patchMethod<WebSocket['close']>(P, 'close', () => ({
      apply(target, ws: WebSocket, args: unknown[]) {
        const state = states.get(ws);
        let before = -1;
        try {
          if (state) before = readyStateOf(ws);
        } catch (error) {
          sink.fail('websocket:close', error);
        }
        const result = R.apply(target, ws, args);
        try {
          if (state && before >= 0 && before < 2) {
            state.closedByPage = true;
            const detail: Record<string, string | number> = { readyState: readyStateOf(ws) };
            const code = at(args, 0);
            const reason = at(args, 1);
            if (typeof code === 'number') setOwn(detail, 'code', code);
            if (typeof reason === 'string') setOwn(detail, 'reason', reason);
            sink.emit({ type: 'step', id: state.id, t: sink.now(), step: 'close()', detail });
          }
        } catch (error) {
          sink.fail('websocket:close', error);
        }
        return result;
      },
    })),
  ];

  function record(state: SocketState, ws: WebSocket, t: number, data: unknown, readyState: number, dropped: boolean) {
    try {
      emitMessage(state, t, data, { __proto__: null, dir: 'send', bufferedAmount: bufferedAmountOf(ws), ...(dropped ? { dropped: true } : {}) } as MessageExtra);
      if (dropped) sink.emit({ type: 'step', id: state.id, t, step: 'send-dropped', detail: { readyState } });
    } catch (error) {
      sink.fail('websocket:send', error);
    }
  }

  return () => {
    for (let i = 0; i < uninstalls.length; i++) uninstalls[i]();
  };
}

/**
 * The page's array of protocols, copied through own data properties only: no getter (of the
 * array or of Array.prototype for a hole) runs, no iterator. Anything else: undefined.
 */
function copyStrings(value: unknown): string[] | undefined {
  if (!arrayIsArray(value)) return undefined;
  const list = value as unknown[];
  const lengthDesc = R.getOwnPropertyDescriptor(list, 'length');
  const length = lengthDesc ? (lengthDesc.value as number) : 0;
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    const desc = R.getOwnPropertyDescriptor(list, i);
    if (!desc || !R.getOwnPropertyDescriptor(desc, 'value') || typeof desc.value !== 'string') return undefined;
    put(out, i, desc.value);
  }
  return out;
}
