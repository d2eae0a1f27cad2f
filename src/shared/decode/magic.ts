/**
 * What bytes are, from their first bytes: file signatures ("magic numbers") for the formats a page
 * commonly fetches, and the WHATWG MIME Sniffing "binary data byte" test for text vs binary.
 * Looks at most at the first `TEXT_SNIFF_BYTES` (4 KiB) bytes.
 */

export const TEXT_SNIFF_BYTES = 4096;

export interface MagicType {
  mime: string;
  /** Short human name: `PNG image`, `gzip data`. */
  label: string;
}

type Rule = [signature: Array<number | null>, mime: string, label: string, offset?: number];

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

// `null` matches any byte.
const RULES: Rule[] = [
  [[0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a], 'image/png', 'PNG image'],
  [[0xff, 0xd8, 0xff], 'image/jpeg', 'JPEG image'],
  [ascii('GIF87a'), 'image/gif', 'GIF image'],
  [ascii('GIF89a'), 'image/gif', 'GIF image'],
  [[...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')], 'image/webp', 'WebP image'],
  [[...ascii('RIFF'), null, null, null, null, ...ascii('WAVE')], 'audio/wav', 'WAV audio'],
  [[...ascii('RIFF'), null, null, null, null, ...ascii('AVI ')], 'video/x-msvideo', 'AVI video'],
  [[0x00, 0x00, 0x01, 0x00], 'image/x-icon', 'ICO image'],
  [[0x49, 0x49, 0x2a, 0x00], 'image/tiff', 'TIFF image'],
  [[0x4d, 0x4d, 0x00, 0x2a], 'image/tiff', 'TIFF image'],
  [ascii('ftypavif'), 'image/avif', 'AVIF image', 4],
  [ascii('ftypavis'), 'image/avif', 'AVIF image', 4],
  [ascii('ftypheic'), 'image/heic', 'HEIC image', 4],
  [ascii('ftypheix'), 'image/heic', 'HEIC image', 4],
  [ascii('ftypmif1'), 'image/heif', 'HEIF image', 4],
  [ascii('ftypM4A '), 'audio/mp4', 'MPEG-4 audio', 4],
  [ascii('ftyp'), 'video/mp4', 'MPEG-4 video', 4],
  [ascii('%PDF-'), 'application/pdf', 'PDF document'],
  [[...ascii('PK'), 0x03, 0x04], 'application/zip', 'ZIP archive'],
  [[...ascii('PK'), 0x05, 0x06], 'application/zip', 'ZIP archive (empty)'],
  [[...ascii('PK'), 0x07, 0x08], 'application/zip', 'ZIP archive'],
  [[0x1f, 0x8b, 0x08], 'application/gzip', 'gzip data'],
  [ascii('BZh'), 'application/x-bzip2', 'bzip2 data'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'application/zstd', 'Zstandard data'],
  [[0xfd, ...ascii('7zXZ'), 0x00], 'application/x-xz', 'xz data'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'application/x-7z-compressed', '7-Zip archive'],
  [[...ascii('Rar!'), 0x1a, 0x07], 'application/vnd.rar', 'RAR archive'],
  [[0x00, ...ascii('asm')], 'application/wasm', 'WebAssembly module'],
  [ascii('wOFF'), 'font/woff', 'WOFF font'],
  [ascii('wOF2'), 'font/woff2', 'WOFF2 font'],
  [[0x00, 0x01, 0x00, 0x00, 0x00], 'font/ttf', 'TrueType font'],
  [ascii('OTTO'), 'font/otf', 'OpenType font'],
  [ascii('OggS'), 'audio/ogg', 'Ogg media'],
  [ascii('fLaC'), 'audio/flac', 'FLAC audio'],
  [ascii('ID3'), 'audio/mpeg', 'MP3 audio'],
  [[0x1a, 0x45, 0xdf, 0xa3], 'video/webm', 'WebM/Matroska video'],
  [[...ascii('SQLite format 3'), 0x00], 'application/vnd.sqlite3', 'SQLite database'],
  [[0x7f, ...ascii('ELF')], 'application/x-elf', 'ELF executable'],
  [[0xca, 0xfe, 0xba, 0xbe], 'application/java-vm', 'Java class / Mach-O fat binary'],
];

export function sniffMagic(bytes: Uint8Array): MagicType | undefined {
  for (const [signature, mime, label, offset = 0] of RULES) {
    if (bytes.length < offset + signature.length) continue;
    let match = true;
    for (let k = 0; k < signature.length; k++) {
      const want = signature[k];
      if (want !== null && bytes[offset + k] !== want) {
        match = false;
        break;
      }
    }
    if (match) return { mime, label };
  }
  if (bytes[0] === 0x42 && bytes[1] === 0x4d && bytes.length >= 26 && bytes[6] === 0 && bytes[7] === 0 && bytes[8] === 0 && bytes[9] === 0) {
    return { mime: 'image/bmp', label: 'BMP image' };
  }
  return undefined;
}

/**
 * WHATWG MIME Sniffing: a "binary data byte" (0x00–0x08, 0x0B, 0x0E–0x1A, 0x1C–0x1F) in the first
 * bytes means the resource is not text. UTF-16 text (with a BOM) has zero bytes, so it is exempt.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) return false;
  const n = Math.min(bytes.length, TEXT_SNIFF_BYTES);
  for (let k = 0; k < n; k++) {
    const b = bytes[k];
    if (b < 0x20 && (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || b >= 0x1c)) return true;
  }
  return false;
}
