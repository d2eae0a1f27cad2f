import { describe, expect, it } from 'vitest';
import { payloadPreview } from '../../src/shared/payload';
import type { Payload } from '../../src/shared/protocol';

const text = (data: string): Payload => ({ encoding: 'text', data, size: new TextEncoder().encode(data).length, truncated: false });
const bytes = (b: Uint8Array): Payload => ({ encoding: 'base64', data: Buffer.from(b).toString('base64'), size: b.length, truncated: false });

describe('a payload previewed in one line', () => {
  it('shows text with its line breaks as spaces, cut at the limit', () => {
    expect(payloadPreview(text('data: line one\r\ndata: two\n\n'))).toBe('data: line one data: two');
    expect(payloadPreview(text('x'.repeat(250)))).toBe(`${'x'.repeat(200)}…`);
    expect(payloadPreview(text('<img src=x onerror=alert(1)>'))).toBe('<img src=x onerror=alert(1)>');
  });
  it('reads bytes as UTF-8 when they are text, decoding only the head', () => {
    expect(payloadPreview(bytes(new TextEncoder().encode('{"i":0,"token":"tok0"}\n')))).toBe('{"i":0,"token":"tok0"}');
    expect(payloadPreview(bytes(new TextEncoder().encode('naïve ✓ 🙂')))).toBe('naïve ✓ 🙂');
    // A multi-byte character cut by the head: dropped, not shown as �.
    const long = new TextEncoder().encode(`${'é'.repeat(500)}`);
    const shown = payloadPreview(bytes(long), 100);
    expect(shown).toBe(`${'é'.repeat(100)}…`);
  });
  it('names binary and missing contents instead of showing them', () => {
    expect(payloadPreview(bytes(new Uint8Array([0, 1, 2, 250, 255])))).toBe('(binary, 5 B)');
    expect(payloadPreview({ encoding: 'base64', data: '@@not base64', size: 9, truncated: false })).toBe('(binary, 9 B)');
    expect(payloadPreview({ encoding: 'none', data: '', size: 12, truncated: false } as Payload)).toBe('(contents not captured)');
  });
});
