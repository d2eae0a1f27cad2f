import type { Payload, PageEvent } from '../shared/protocol';
import { PAGE_EVENT_TYPES } from '../shared/protocol';

/**
 * Everything from the page is untrusted: the page can post anything into our channel once it
 * has the port (it cannot, but a compromised or hostile page must not break us anyway).
 * Returns a clean event or undefined.
 */
export function validatePageEvent(raw: unknown): PageEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const ev = raw as Record<string, unknown>;
  if (typeof ev.type !== 'string' || !(PAGE_EVENT_TYPES as readonly string[]).includes(ev.type)) return undefined;
  if (typeof ev.id !== 'string' || ev.id.length > 200) return undefined;
  if (typeof ev.t !== 'number' || !Number.isFinite(ev.t)) return undefined;
  return ev as unknown as PageEvent;
}

const B64_CHUNK = 0x8000;

/** ArrayBuffer payloads become base64 before they leave the page's process (ports carry JSON). */
export function toWirePayload(payload: Payload | undefined): Payload | undefined {
  if (!payload || payload.encoding !== 'buffer') return payload;
  const { buffer, ...rest } = payload;
  if (!(buffer instanceof ArrayBuffer)) return { ...rest, encoding: 'none', data: '' };
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += B64_CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + B64_CHUNK) as unknown as number[]);
  }
  return { ...rest, encoding: 'base64', data: btoa(binary) };
}

export function toWireEvent(ev: PageEvent): PageEvent {
  switch (ev.type) {
    case 'start':
      return ev.body ? { ...ev, body: toWirePayload(ev.body) } : ev;
    case 'body':
      return { ...ev, body: toWirePayload(ev.body)! };
    case 'message':
      return { ...ev, data: toWirePayload(ev.data)! };
    case 'jsonp':
      return ev.payload ? { ...ev, payload: toWirePayload(ev.payload) } : ev;
    default:
      return ev;
  }
}
