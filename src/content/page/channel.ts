import type { PageEvent, PageKind } from '../../shared/protocol';
import { HANDSHAKE_KEY, PROTOCOL_VERSION } from '../../shared/protocol';
import {
  NativeArrayBuffer,
  NativeMessageChannel,
  R,
  getRandomValues,
  now,
  portPostMessage,
  queueMicrotask,
  windowPostMessage,
} from './natives';

/** What every patch records into. Never throws. */
export interface Sink {
  /** A new entry id, unique in this document. */
  nextId(kind: PageKind): string;
  emit(event: PageEvent): void;
  /** A failure of ours: counted, never thrown into the page. */
  fail(where: string, error: unknown): void;
  now(): number;
}

const MAX_QUEUED = 20_000;

/**
 * The private channel to the relay: a MessagePort handed over once through window.postMessage.
 * The relay's listener (registered at document_start, before any page script) stops that one
 * message's propagation, so the page's own `message` listeners never see it; everything after
 * goes over the port. Events are batched per microtask.
 */
export function createChannel(): Sink {
  const bytes = new Uint8Array(8);
  getRandomValues(bytes);
  let doc = '';
  for (const b of bytes) doc += (b < 16 ? '0' : '') + b.toString(16);
  const channel = new NativeMessageChannel();
  const port = channel.port1;
  let queue: PageEvent[] = [];
  let scheduled = false;
  let counter = 0;
  let dropped = 0;

  try {
    windowPostMessage({ [HANDSHAKE_KEY]: true, v: PROTOCOL_VERSION, doc }, '*', [channel.port2]);
  } catch {
    // A sandboxed or detached document: nothing to report to.
  }

  const flush = () => {
    scheduled = false;
    const events = queue;
    queue = [];
    const transfer: ArrayBuffer[] = [];
    for (const ev of events) {
      const payload = ev.type === 'body' ? ev.body : ev.type === 'message' ? ev.data : ev.type === 'start' ? ev.body : undefined;
      if (payload?.buffer instanceof NativeArrayBuffer) transfer.push(payload.buffer);
    }
    try {
      R.apply(portPostMessage, port, [{ v: PROTOCOL_VERSION, events }, transfer]);
    } catch {
      dropped += events.length;
    }
  };

  const sink: Sink = {
    nextId(kind) {
      counter++;
      return `${kind}-${counter}`;
    },
    emit(event) {
      if (queue.length >= MAX_QUEUED) {
        dropped++;
        return;
      }
      queue[queue.length] = event;
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    fail(where, error) {
      let message = 'unknown';
      try {
        message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      } catch {
        // An exotic thrown value whose toString throws.
      }
      sink.emit({ type: 'capture-error', id: 'capture', t: now(), where, message });
    },
    now,
  };
  void dropped;
  return sink;
}
