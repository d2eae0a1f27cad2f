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

/** Decoded bytes that read as text: no control characters but tab and line breaks, no undecodable UTF-8. */
function textLike(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) return false;
  }
  return true;
}

/**
 * A payload as one line of at most `max` characters (then `…`), for a row: text with its line
 * breaks and tabs as spaces; bytes read as UTF-8 when their head is text (only the head,
 * `max` × 4 base64 characters, is decoded; a sequence cut at its end is dropped), else
 * `(binary, N B)`; `(contents not captured)` for a payload kept without its contents.
 */
export function payloadPreview(p: Payload, max = 200): string {
  let text: string;
  if (p.encoding === 'text') text = p.data;
  else if (p.encoding === 'base64') {
    const head = base64ToBytes(p.data.slice(0, max * 4));
    const decoded = head && new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/\ufffd+$/, '');
    if (decoded === undefined || !textLike(decoded)) return `(binary, ${p.size < 0 ? '?' : p.size} B)`;
    text = decoded;
  } else return '(contents not captured)';
  const head = text.length > max ? `${text.slice(0, max)}…` : text;
  return head.replace(/[\r\n\t]+/g, ' ').trim();
}
