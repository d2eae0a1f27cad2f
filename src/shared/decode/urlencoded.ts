/**
 * application/x-www-form-urlencoded, per the WHATWG URL Standard's
 * "application/x-www-form-urlencoded parser" (https://url.spec.whatwg.org/#urlencoded-parsing):
 *   1. split the bytes on `&`; skip empty pieces;
 *   2. name = bytes before the first `=`, value = bytes after it (or empty);
 *   3. `+` → space, then percent-decode (a `%` not followed by two hex digits stays literal);
 *   4. UTF-8 decode without BOM (bad bytes → U+FFFD).
 * A string input is UTF-8 encoded first, as URLSearchParams does (lone surrogates → U+FFFD).
 * Beyond the spec we flag pairs with literal `%` escapes (`badEscape`) or invalid UTF-8.
 * Bounds: at most `maxPairs` (default 10 000) pairs; the rest is reported as `truncated`.
 */
import { decodeUtf8, encodeUtf8 } from '../bytes';

export const URLENCODED_MAX_PAIRS = 10_000;

export interface FormPair {
  name: string;
  value: string;
  /** A `%` in this pair was not followed by two hex digits and was kept as is. */
  badEscape?: true;
  /** Percent-decoded bytes were not valid UTF-8 (U+FFFD inserted). */
  invalidUtf8?: true;
}

export interface UrlencodedResult {
  ok: true;
  pairs: FormPair[];
  /** More pairs than `maxPairs` were present; only the first `maxPairs` are listed. */
  truncated: boolean;
  raw: string | Uint8Array;
}

export function parseUrlencoded(raw: string | Uint8Array, options: { maxPairs?: number } = {}): UrlencodedResult {
  const maxPairs = options.maxPairs ?? URLENCODED_MAX_PAIRS;
  const pairs: FormPair[] = [];
  let truncated = false;
  // Splitting the decoded text on `&` equals splitting the bytes (UTF-8 never hides `&`), unless
  // a percent-escape has to join with raw bytes: then work on bytes.
  const text = typeof raw === 'string' ? toWellFormed(raw) : raw.includes(0x25) ? undefined : validUtf8(raw);
  if (text !== undefined) {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('&', start);
      if (end === -1) end = text.length;
      if (end > start) {
        if (pairs.length >= maxPairs) {
          truncated = true;
          break;
        }
        pairs.push(pairFromText(text.slice(start, end)));
      }
      start = end + 1;
    }
  } else {
    const bytes = raw as Uint8Array;
    let start = 0;
    while (start <= bytes.length) {
      let end = bytes.indexOf(0x26, start);
      if (end === -1) end = bytes.length;
      if (end > start) {
        if (pairs.length >= maxPairs) {
          truncated = true;
          break;
        }
        pairs.push(pairFromBytes(bytes.subarray(start, end)));
      }
      start = end + 1;
    }
  }
  return { ok: true, pairs, truncated, raw };
}

function pairFromText(piece: string): FormPair {
  if (piece.includes('%')) return pairFromBytes(encodeUtf8(piece));
  const eq = piece.indexOf('=');
  const name = eq === -1 ? piece : piece.slice(0, eq);
  const value = eq === -1 ? '' : piece.slice(eq + 1);
  return { name: name.replaceAll('+', ' '), value: value.replaceAll('+', ' ') };
}

function pairFromBytes(piece: Uint8Array): FormPair {
  const eq = piece.indexOf(0x3d);
  const name = percentDecode(eq === -1 ? piece : piece.subarray(0, eq));
  const value = percentDecode(eq === -1 ? new Uint8Array(0) : piece.subarray(eq + 1));
  const pair: FormPair = { name: name.text, value: value.text };
  if (name.badEscape || value.badEscape) pair.badEscape = true;
  if (name.invalid || value.invalid) pair.invalidUtf8 = true;
  return pair;
}

function percentDecode(bytes: Uint8Array): { text: string; badEscape: boolean; invalid: boolean } {
  const out = new Uint8Array(bytes.length);
  let o = 0;
  let badEscape = false;
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[k];
    if (b === 0x2b) {
      out[o++] = 0x20;
    } else if (b === 0x25) {
      const hi = hexValue(bytes[k + 1]);
      const lo = hexValue(bytes[k + 2]);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        k += 2;
      } else {
        out[o++] = b;
        badEscape = true;
      }
    } else {
      out[o++] = b;
    }
  }
  const { text, invalid } = decodeUtf8(out.subarray(0, o));
  return { text, badEscape, invalid };
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

function validUtf8(bytes: Uint8Array): string | undefined {
  const { text, invalid } = decodeUtf8(bytes);
  return invalid ? undefined : text;
}

function toWellFormed(s: string): string {
  // Lone surrogates would become U+FFFD when UTF-8 encoded; do the same here.
  return /[\ud800-\udfff]/.test(s) ? s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') : s;
}

/**
 * Whether text looks like a form body: one line, no spaces, `name=value` pieces joined by `&`
 * (or a single `name=value`). Only the first 64 KiB are looked at.
 */
export function sniffUrlencoded(text: string): boolean {
  const t = text.length > 65_536 ? text.slice(0, 65_536) : text;
  if (!t.includes('=') || /[\s"<>{}\\^`|]/.test(t)) return false;
  return t.split('&', 1000).every((piece, k) => (piece === '' ? k > 0 : /^[^=]+=/.test(piece)));
}
