import { describe, expect, it } from 'vitest';
import { clockTime } from '../../src/devtools/format';

describe('clockTime', () => {
  it('writes the same time as toLocaleTimeString with hour12 off, plus milliseconds', () => {
    // Midnight, noon, a DST-prone March night, a leap second's neighbour, the epoch, far future.
    const times = [0, 1_700_000_000_000, 1_700_000_000_007, 1_711_846_800_999, 1_719_792_000_500, 1_735_689_599_123, 4_102_444_800_042];
    for (let h = 0; h < 24; h++) times.push(Date.UTC(2026, 0, 15, h, 7, 9, 40 + h));
    for (const t of times) {
      const d = new Date(t);
      expect(clockTime(t)).toBe(`${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`);
    }
  });

  it('keeps three digits of milliseconds', () => {
    expect(clockTime(Date.UTC(2026, 0, 1, 0, 0, 0, 5))).toMatch(/\.005$/);
    expect(clockTime(Date.UTC(2026, 0, 1, 0, 0, 0, 999))).toMatch(/\.999$/);
  });
});
