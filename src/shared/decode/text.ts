/**
 * Bytes → text in the declared charset, the way a browser decodes a body (WHATWG Encoding
 * "decode": a BOM wins over the label; unknown labels fall back to UTF-8; bad bytes become U+FFFD).
 * Bounds: at most `maxBytes` (default 16 MiB) are decoded; the rest is reported as `truncated`.
 */

export const TEXT_MAX_BYTES = 16 * 1024 * 1024;

export interface TextResult {
  ok: true;
  text: string;
  /** The encoding actually used (WHATWG name, e.g. `windows-1252` for `latin1`). */
  charset: string;
  /** The label given, when it was not used as is (unknown label, or overridden by a BOM). */
  declared?: string;
  bom?: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** U+FFFD characters in the text when the bytes were not valid in `charset` (0 when valid). */
  replacements: number;
  /** Bytes decoded, and the whole size. */
  decodedBytes: number;
  size: number;
  truncated: boolean;
  raw: Uint8Array;
}

export interface TextOptions {
  maxBytes?: number;
}

export function decodeText(raw: Uint8Array, charset?: string, options: TextOptions = {}): TextResult {
  const maxBytes = options.maxBytes ?? TEXT_MAX_BYTES;
  const label = charset?.trim().toLowerCase() || 'utf-8';
  const bom = sniffBom(raw);
  const declared = makeDecoder(label, true);
  const decoder = (bom !== undefined ? makeDecoder(bom, true) : declared) ?? (makeDecoder('utf-8', true) as TextDecoder);
  const truncated = raw.length > maxBytes;
  const input = truncated ? raw.subarray(0, maxBytes) : raw;
  const result: TextResult = {
    ok: true,
    text: '',
    charset: decoder.encoding,
    replacements: 0,
    decodedBytes: input.length,
    size: raw.length,
    truncated,
    raw,
  };
  if (charset !== undefined && decoder.encoding !== declared?.encoding) result.declared = charset;
  if (bom !== undefined) result.bom = bom;
  try {
    // `stream: true` keeps a character cut by truncation from becoming U+FFFD.
    result.text = decoder.decode(input, { stream: truncated });
  } catch {
    const lenient = makeDecoder(decoder.encoding, false) as TextDecoder;
    result.text = lenient.decode(input, { stream: truncated });
    result.replacements = countReplacements(result.text);
  }
  if (decoder.encoding === 'windows-1252') result.text = fixWindows1252(result.text);
  return result;
}

// WHATWG index-windows-1252 for bytes 0x80–0x9F (the rest is Latin-1).
const CP1252 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node's TextDecoder (v20–22) decodes every windows-1252 label as ISO-8859-1, leaving 0x80–0x9F
 * as C1 controls; browsers follow the Encoding standard. Same text everywhere: map them here.
 */
function fixWindows1252(text: string): string {
  return /[\u0080-\u009f]/.test(text) ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]) : text;
}

export function sniffBom(bytes: Uint8Array): TextResult['bom'] {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** A TextDecoder for `label`, or undefined when the label is unknown to this engine. */
function makeDecoder(label: string, fatal: boolean): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return undefined;
  }
}

export function countReplacements(text: string): number {
  let count = 0;
  for (let k = text.indexOf('\ufffd'); k !== -1; k = text.indexOf('\ufffd', k + 1)) count++;
  return count;
}
