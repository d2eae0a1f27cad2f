/**
 * Bytes as base64 and as UTF-8, for every side (relay, background, HAR, redaction, decoders,
 * panel, CLI). Pure: no Buffer (btoa/atob), no DOM. Decoding never throws: bad input is a result.
 */

export type BytesResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string; raw: string };

/** Bytes per `String.fromCharCode.apply` call (engines cap the number of arguments). */
const CHUNK = 0x8000;

/** Each byte as one char code 0–255 (what btoa wants). */
export function binaryString(bytes: Uint8Array): string {
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(at, at + CHUNK) as unknown as number[]));
  }
  return parts.join('');
}

/** Native where there is one (Chromium 140+, Node 25+): one call, no binary string in between. */
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes);
  return btoa(binaryString(bytes));
}

const CANONICAL = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Standard or URL-safe alphabet, whitespace ignored, padding optional. Bad input gives
 * `ok: false` with "could not decode: …" and the input as `raw`.
 */
export function fromBase64(raw: string): BytesResult {
  let s = raw;
  // Padded standard base64 (what we write ourselves) goes to atob as it is.
  if (raw.length % 4 !== 0 || !CANONICAL.test(raw)) {
    s = raw.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
    if (!CANONICAL.test(s)) return { ok: false, error: 'could not decode: not base64', raw };
    s = s.replace(/=+$/, '');
    if (s.length % 4 === 1) return { ok: false, error: 'could not decode: base64 length is impossible', raw };
    s += '='.repeat((4 - (s.length % 4)) % 4);
  }
  let binary: string;
  try {
    binary = atob(s);
  } catch {
    return { ok: false, error: 'could not decode: not base64', raw };
  }
  const bytes = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) bytes[k] = binary.charCodeAt(k);
  return { ok: true, bytes };
}

/** `fromBase64`'s bytes, or undefined when the text is not base64. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  const decoded = fromBase64(text);
  return decoded.ok ? decoded.bytes : undefined;
}

/** Decoded size of base64 text without decoding it. */
export function base64Length(text: string): number {
  const s = text.replace(/\s+/g, '');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor(((s.length - pad) * 3) / 4);
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** UTF-8 byte length of `text`. */
export function utf8Length(text: string): number {
  // A short string is counted character by character (a call of a regular expression or of the
  // encoder costs more than the loop: the worker counts the size of every message of a WebSocket
  // feed); a longer one is tested for ASCII (most headers and bodies), else encoded.
  const n = text.length;
  if (n >= 256) return NOT_ASCII.test(text) ? encoder.encode(text).length : n;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes++;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: one code point of 4 bytes.
      bytes += 4;
      i++;
    } else bytes += 3; // (A lone surrogate is encoded as U+FFFD: 3 bytes.)
  }
  return bytes;
}
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\x00-\x7f]/;

/** UTF-8 text (a BOM is kept), or undefined when the bytes are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** UTF-8 text (a BOM is kept) whatever the bytes: bad ones become U+FFFD and `invalid` says so. */
export function decodeUtf8(bytes: Uint8Array): { text: string; invalid: boolean } {
  const text = utf8Text(bytes);
  return text !== undefined ? { text, invalid: false } : { text: lenientUtf8.decode(bytes), invalid: true };
}
