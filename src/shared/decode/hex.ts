/**
 * Byte views: `hexdump -C`-style preview and hex both ways (base64 is in `../bytes`).
 * Bounds: previews show at most `maxBytes` (default 256) bytes; `fromHex` accepts any length
 * (output ≤ input) and reports bad input as a result, never by throwing.
 */
import type { BytesResult } from '../bytes';

export const HEX_PREVIEW_BYTES = 256;

export interface HexPreview {
  /** Lines like `00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|`. */
  dump: string;
  shown: number;
  total: number;
  truncated: boolean;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function hexPreview(bytes: Uint8Array, maxBytes = HEX_PREVIEW_BYTES): HexPreview {
  const shown = Math.min(bytes.length, Math.max(0, maxBytes));
  return { dump: hexDump(bytes.subarray(0, shown)), shown, total: bytes.length, truncated: shown < bytes.length };
}

/** Full dump of `bytes` (callers slice first), 16 bytes a line, offsets from `startOffset`. */
export function hexDump(bytes: Uint8Array, startOffset = 0): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    let hex = '';
    for (let k = 0; k < 16; k++) {
      if (k === 8) hex += ' ';
      hex += k < row.length ? HEX[row[k]] + ' ' : '   ';
    }
    lines.push(`${(startOffset + at).toString(16).padStart(8, '0')}  ${hex} |${asciiView(row)}|`);
  }
  return lines.join('\n');
}

/** Printable ASCII as is, every other byte as `.`. */
export function asciiView(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[k];
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return s;
}

export function toHex(bytes: Uint8Array, separator = ''): string {
  const parts = new Array<string>(bytes.length);
  for (let k = 0; k < bytes.length; k++) parts[k] = HEX[bytes[k]];
  return parts.join(separator);
}

/** Hex digits with optional spaces, colons or dashes between bytes; `0x` prefix allowed. */
export function fromHex(raw: string): BytesResult {
  const digits = raw.replace(/^0x/i, '').replace(/[\s:-]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(digits)) return { ok: false, error: 'could not decode: not hexadecimal', raw };
  if (digits.length % 2 !== 0) return { ok: false, error: 'could not decode: odd number of hex digits', raw };
  const bytes = new Uint8Array(digits.length / 2);
  for (let k = 0; k < bytes.length; k++) bytes[k] = parseInt(digits.substr(k * 2, 2), 16);
  return { ok: true, bytes };
}
