import { base64Length, base64ToBytes, toBase64, utf8Length } from '../bytes';
import type { Payload } from '../protocol';
import type { PayloadJson } from './types';

/** A Payload as it can travel in JSON: ArrayBuffers become base64. */
export function payloadToJson(p: Payload): PayloadJson {
  const { encoding, data } = payloadData(p);
  const out: PayloadJson = { encoding, data, size: p.size, truncated: p.truncated };
  if (p.mimeType !== undefined) out.mimeType = p.mimeType;
  if (p.source !== undefined) out.source = p.source;
  return out;
}

export function payloadFromJson(j: PayloadJson): Payload {
  const out: Payload = { encoding: j.encoding, data: j.data, size: j.size, truncated: j.truncated };
  if (j.mimeType !== undefined) out.mimeType = j.mimeType;
  if (j.source !== undefined) out.source = j.source;
  return out;
}

/** The captured bytes as text or base64 (an ArrayBuffer is turned into base64; a Blob never read is none). */
export function payloadData(p: Payload): { encoding: 'text' | 'base64' | 'none'; data: string } {
  if (p.encoding === 'buffer') {
    return p.buffer ? { encoding: 'base64', data: toBase64(new Uint8Array(p.buffer)) } : { encoding: 'none', data: '' };
  }
  if (p.encoding === 'blob') return { encoding: 'none', data: '' };
  return { encoding: p.encoding, data: p.data };
}

/** A payload's bytes, when it holds them (base64 decoded, an ArrayBuffer as it is): text and none are not bytes. */
export function payloadBytes(p: Payload): Uint8Array | undefined {
  if (p.encoding === 'buffer') return p.buffer ? new Uint8Array(p.buffer) : undefined;
  return p.encoding === 'base64' ? base64ToBytes(p.data) : undefined;
}

/** Bytes actually captured (not the true size). */
export function capturedLength(encoding: 'text' | 'base64' | 'none', data: string): number {
  if (encoding === 'text') return utf8Length(data);
  if (encoding === 'base64') return base64Length(data);
  return 0;
}
