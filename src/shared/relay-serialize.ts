/**
 * What the relay does to page events before they go to the background: only what the runtime
 * port needs. Extension ports carry JSON, so transferred ArrayBuffers become base64 here, in the
 * relay's time, not the page's. Validation is the background's job (./page-events), once per
 * event: the relay runs on the page's renderer main thread, so it does as little as it can, and
 * never trusts the shape it is handed (a hostile page can post anything into its own port).
 */
import { toBase64 } from './bytes';
import { payloadField } from './event-payloads';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const fieldOf = (type: unknown): string | undefined => (typeof type === 'string' ? payloadField(type as Parameters<typeof payloadField>[0]) : undefined);

/**
 * The event as it can go over a JSON port: a payload `{ encoding: 'buffer', buffer }` becomes
 * `{ encoding: 'base64', data }`; anything else is returned as it is (the same object). Never throws.
 */
export function serializableEvent(raw: unknown): unknown {
  if (!isObj(raw)) return raw;
  const field = fieldOf(raw.type);
  const payload = field ? raw[field] : undefined;
  if (!isObj(payload) || payload.encoding !== 'buffer') return raw;
  const { buffer, ...rest } = payload;
  const encoded = buffer instanceof ArrayBuffer ? { ...rest, encoding: 'base64', data: toBase64(new Uint8Array(buffer)) } : { ...rest, encoding: 'none', data: '' };
  return { ...raw, [field!]: encoded };
}

/** Roughly the bytes an event takes in a JSON message (payload data and URL dominate). */
export function approxEventBytes(ev: unknown): number {
  if (!isObj(ev)) return 64;
  const field = fieldOf(ev.type);
  const payload = field ? ev[field] : undefined;
  let data = isObj(payload) && typeof payload.data === 'string' ? payload.data.length : 0;
  // A run of WebSocket messages (MessageRun): its texts.
  if (ev.type === 'messages' && Array.isArray(ev.data)) for (const d of ev.data) data += typeof d === 'string' ? d.length + 32 : 32;
  const url = typeof ev.url === 'string' ? ev.url.length : 0;
  return 256 + data + url;
}
