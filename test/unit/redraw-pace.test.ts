import { describe, expect, it } from 'vitest';
import { createInFlight, FLOOD_ENTRIES, FLOOD_REDRAW_MAX_MS, FLOOD_REDRAW_MS, FLOOD_SHARE, floodRedrawMs, IN_FLIGHT_ACTIVE_MS, QUIET_MS, REDRAW_EVERY_MS, redrawDue, STREAM_REDRAW_MS } from '../../src/shared/redraw-pace';

describe('redrawDue', () => {
  it('draws the first records after a pause at once, busy or not', () => {
    expect(redrawDue(10_000, -Infinity, true)).toBeLessThanOrEqual(10_000);
    expect(redrawDue(10_000, 9_000, true)).toBeLessThanOrEqual(10_000);
    // Quiet, long after the last redraw: no quiet wait either.
    expect(redrawDue(10_000, 9_000, false)).toBeLessThanOrEqual(10_000);
  });

  it('while requests are in flight, draws STREAM_REDRAW_MS after the last redraw', () => {
    expect(redrawDue(1_010, 1_000, true)).toBe(1_000 + STREAM_REDRAW_MS);
    expect(redrawDue(1_200, 1_000, true)).toBe(1_000 + STREAM_REDRAW_MS);
  });

  it('while a page floods the list (FLOOD_ENTRIES waiting, requests in flight), draws FLOOD_REDRAW_MS after the last redraw', () => {
    expect(redrawDue(1_010, 1_000, true, FLOOD_ENTRIES - 1)).toBe(1_000 + STREAM_REDRAW_MS);
    expect(redrawDue(1_010, 1_000, true, FLOOD_ENTRIES)).toBe(1_000 + FLOOD_REDRAW_MS);
    expect(FLOOD_REDRAW_MS).toBeGreaterThan(STREAM_REDRAW_MS);
    // The first records after a pause still at once; once nothing is in flight, the quiet wait.
    expect(redrawDue(10_000, 9_000, true, 10 * FLOOD_ENTRIES)).toBeLessThanOrEqual(10_000);
    expect(redrawDue(1_150, 1_000, false, 10 * FLOOD_ENTRIES)).toBe(1_150 + QUIET_MS);
  });

  it("after a flood's redraw, draws its rows' changes FLOOD_REDRAW_MS after it while requests are in flight, at once when none is", () => {
    expect(redrawDue(1_010, 1_000, true, 0, FLOOD_ENTRIES)).toBe(1_000 + FLOOD_REDRAW_MS);
    expect(redrawDue(1_010, 1_000, true, 0, FLOOD_ENTRIES - 1)).toBe(1_000 + STREAM_REDRAW_MS);
    expect(redrawDue(1_150, 1_000, false, 0, 10 * FLOOD_ENTRIES)).toBe(1_150 + QUIET_MS);
  });

  it('in a flood, waits longer after a redraw that cost more than FLOOD_SHARE of FLOOD_REDRAW_MS, up to FLOOD_REDRAW_MAX_MS', () => {
    const cheap = FLOOD_SHARE * FLOOD_REDRAW_MS;
    expect(floodRedrawMs(0)).toBe(FLOOD_REDRAW_MS);
    expect(floodRedrawMs(cheap)).toBe(FLOOD_REDRAW_MS);
    expect(floodRedrawMs(2 * cheap)).toBe(2 * FLOOD_REDRAW_MS);
    expect(floodRedrawMs(1_000)).toBe(FLOOD_REDRAW_MAX_MS);
    expect(redrawDue(1_010, 1_000, true, FLOOD_ENTRIES, 0, 2 * cheap)).toBe(1_000 + 2 * FLOOD_REDRAW_MS);
    expect(redrawDue(1_010, 1_000, true, 0, FLOOD_ENTRIES, 2 * cheap)).toBe(1_000 + 2 * FLOOD_REDRAW_MS);
    // No flood: the cost does not slow streams, nor the redraw once nothing is in flight.
    expect(redrawDue(1_010, 1_000, true, FLOOD_ENTRIES - 1, 0, 1_000)).toBe(1_000 + STREAM_REDRAW_MS);
    expect(redrawDue(1_150, 1_000, false, 10 * FLOOD_ENTRIES, 0, 1_000)).toBe(1_150 + QUIET_MS);
  });

  it('once nothing is in flight, draws after QUIET_MS of no more records, within REDRAW_EVERY_MS and STREAM_REDRAW_MS of the last redraw', () => {
    expect(redrawDue(1_150, 1_000, false)).toBe(1_150 + QUIET_MS);
    // Not sooner than REDRAW_EVERY_MS after the last redraw…
    expect(redrawDue(1_010, 1_000, false)).toBe(1_000 + REDRAW_EVERY_MS);
    // …nor later than STREAM_REDRAW_MS after it.
    expect(redrawDue(1_000 + STREAM_REDRAW_MS - 5, 1_000, false)).toBe(1_000 + STREAM_REDRAW_MS);
  });
});

describe('createInFlight', () => {
  const pending = (startTime: number) => ({ state: 'pending', startTime });
  it('is busy while a request that started recently is pending, not once it ended, was removed or the list cleared', () => {
    const f = createInFlight();
    expect(f.busy(1_000)).toBe(false);
    f.note('a', pending(900));
    f.note('b', pending(950));
    expect(f.busy(1_000)).toBe(true);
    f.note('a', { state: 'done', startTime: 900 });
    expect(f.busy(1_000)).toBe(true);
    f.drop('b');
    expect(f.busy(1_000)).toBe(false);
    f.note('c', pending(990));
    f.note('d', undefined);
    expect(f.busy(1_000)).toBe(true);
    f.clear();
    expect(f.busy(1_000)).toBe(false);
  });

  it('forgets requests in flight for longer than IN_FLIGHT_ACTIVE_MS (a long poll does not keep the list slow)', () => {
    const f = createInFlight();
    f.note('poll', pending(0));
    expect(f.busy(IN_FLIGHT_ACTIVE_MS - 1)).toBe(true);
    expect(f.busy(IN_FLIGHT_ACTIVE_MS)).toBe(false);
    expect(f.size).toBe(0);
    f.note('fetch', pending(IN_FLIGHT_ACTIVE_MS + 10));
    expect(f.busy(IN_FLIGHT_ACTIVE_MS + 20)).toBe(true);
  });
});
