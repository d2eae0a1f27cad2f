import type { Timings } from 'har-format';
import type { Entry } from '../model';

/**
 * Epoch ms → epoch seconds as Chrome writes WebSocket message times, kept to whole microseconds so
 * that seconds → ms → seconds gives back the same number.
 */
export function toEpochSeconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

export function fromEpochSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1000;
}

/** Date's range (ECMA-262 TimeClip): epoch ms beyond ±8.64e15 are no time (`new Date` is invalid, formatting it throws). */
const MAX_EPOCH_MS = 8.64e15;

/** An imported time, epoch ms: the number when it is one `Date` can hold, else undefined (not a number, NaN, ±Infinity, out of range). */
export function epochMs(v: unknown): number | undefined {
  return typeof v === 'number' && Math.abs(v) <= MAX_EPOCH_MS ? v : undefined;
}

export function isoTime(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

/** When the response headers arrived: the wire's time, else the page's readyState 2 / headers step. */
function headersTime(entry: Entry): number | undefined {
  if (entry.wire?.headersTime !== undefined) return entry.wire.headersTime;
  const channel = entry.kind === 'websocket' || entry.kind === 'eventsource';
  const step = entry.lifecycle.find(
    (s) => s.detail?.readyState === 2 || s.step === 'headers' || s.step === 'response' || (channel && s.step === 'open'),
  );
  return step?.t;
}

export function entryEnd(entry: Entry): number | undefined {
  return entry.endTime ?? entry.wire?.endTime;
}

/**
 * HAR timings from what we know, -1 where we don't. Page and wire times come from two clocks
 * (page `performance`, background `Date.now()`), so differences are clamped at zero.
 *   blocked = start → request sent (wire), wait = sent (or start) → headers, receive = headers → end.
 * `send` (upload duration) is never observed.
 */
export function harTimings(entry: Entry): Timings {
  const start = entry.startTime;
  const sent = entry.wire?.sendTime;
  const headers = headersTime(entry);
  const end = entryEnd(entry);
  const span = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? -1 : Math.max(0, b - a));
  return {
    blocked: span(start, sent),
    dns: -1,
    connect: -1,
    ssl: -1,
    send: -1,
    wait: span(sent ?? start, headers),
    receive: span(headers, end),
  };
}

export function harTime(entry: Entry): number {
  const end = entryEnd(entry);
  return end === undefined ? 0 : Math.max(0, end - entry.startTime);
}
