import type { DeepEvent, WireEvent, PageEvent, PageEventType, Payload } from './protocol';

/** The field of an event that holds its Payload (an event has at most one). */
export type PayloadField = 'body' | 'data' | 'payload';

/**
 * A start's and a body's `body`, a message's `data`, a JSONP `payload`. Decided by the type
 * alone, so the page script can use it without touching anything the page could patch: it then
 * reads the field itself, as an own property (a start without a body must not reach
 * `Object.prototype.body`).
 */
export function payloadField(type: PageEventType | WireEvent['type']): PayloadField | undefined {
  switch (type) {
    case 'start':
    case 'body':
      return 'body';
    case 'message':
      return 'data';
    case 'jsonp':
      return 'payload';
    default:
      return undefined;
  }
}

/** A deep record's Payload field: a worker request's `body`, a worker WebSocket frame's `data`. */
function deepPayloadField(ev: DeepEvent): PayloadField | undefined {
  if (ev.phase === 'ws-frame') return 'data';
  return ev.phase === 'body' || ev.phase === 'request' ? 'body' : undefined;
}

const fieldOf = (ev: PageEvent | WireEvent | DeepEvent) => (ev.type === 'deep' ? deepPayloadField(ev) : payloadField(ev.type));

/** The Payload an event carries, if any. */
export function eventPayload(ev: PageEvent | WireEvent | DeepEvent): Payload | undefined {
  const field = fieldOf(ev);
  return field ? (ev as Partial<Record<PayloadField, Payload>>)[field] : undefined;
}

/** The event with its Payload replaced by `fn(payload)`; the same event when it has none or `fn` returns it unchanged. */
export function mapEventPayload<E extends PageEvent | WireEvent | DeepEvent>(ev: E, fn: (payload: Payload) => Payload): E {
  const payload = eventPayload(ev);
  if (!payload) return ev;
  const next = fn(payload);
  return next === payload ? ev : { ...ev, [fieldOf(ev)!]: next };
}
