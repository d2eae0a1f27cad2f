import { base64ToBytes } from './bytes';
import type { Payload } from './protocol';

/** A captured payload as decoders take it: text as a string, base64 as bytes. */
export function payloadRaw(p: Payload | undefined): string | Uint8Array | undefined {
  if (!p) return undefined;
  if (p.encoding === 'text') return p.data;
  if (p.encoding === 'base64') return base64ToBytes(p.data);
  return undefined;
}

/** A payload as UTF-8 text for a one-line preview (bytes decoded leniently). */
export function payloadText(p: Payload | undefined, max = 300): string {
  const raw = payloadRaw(p);
  if (raw === undefined) return '';
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw.subarray(0, max * 4));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
