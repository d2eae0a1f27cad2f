/**
 * Pixel size from an image's header: PNG (IHDR), GIF (logical screen), JPEG (first SOFn marker),
 * WebP (VP8 / VP8L / VP8X), BMP. Reads at most the first 1 MiB and 4096 JPEG markers.
 */

export function imageSize(bytes: Uint8Array, mime: string): { width: number; height: number } | undefined {
  const b = bytes;
  const u16be = (i: number) => (b[i] << 8) | b[i + 1];
  const u16le = (i: number) => b[i] | (b[i + 1] << 8);
  const u24le = (i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
  const u32be = (i: number) => ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);
  const ok = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : undefined);
  switch (mime) {
    case 'image/png':
      return b.length >= 24 ? ok(u32be(16), u32be(20)) : undefined;
    case 'image/gif':
      return b.length >= 10 ? ok(u16le(6), u16le(8)) : undefined;
    case 'image/bmp':
      return b.length >= 26 ? ok(Math.abs(u24le(18) | (b[21] << 24)), Math.abs(u24le(22) | (b[25] << 24))) : undefined;
    case 'image/webp': {
      if (b.length < 30) return undefined;
      const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
      if (chunk === 'VP8 ') return ok(u16le(26) & 0x3fff, u16le(28) & 0x3fff);
      if (chunk === 'VP8L') return ok(1 + (b[21] | ((b[22] & 0x3f) << 8)), 1 + ((b[22] >> 6) | (b[23] << 2) | ((b[24] & 0x0f) << 10)));
      if (chunk === 'VP8X') return ok(1 + u24le(24), 1 + u24le(27));
      return undefined;
    }
    case 'image/jpeg': {
      const end = Math.min(b.length, 1 << 20);
      let i = 2;
      for (let markers = 0; markers < 4096 && i + 9 < end; markers++) {
        if (b[i] !== 0xff) return undefined;
        const marker = b[i + 1];
        if (marker === 0xff) {
          i++;
          continue;
        }
        if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
          i += 2;
          continue;
        }
        const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
        if (isSof) return ok(u16be(i + 7), u16be(i + 5));
        i += 2 + u16be(i + 2);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
