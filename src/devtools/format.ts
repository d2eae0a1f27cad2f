import type { Entry } from '../shared/model';

export function statusText(entry: Entry): string {
  if (entry.state === 'aborted') return '(aborted)';
  if (entry.state === 'timeout') return '(timeout)';
  if (entry.state === 'error' && !entry.response?.status) return '(failed)';
  const status = entry.response?.status ?? entry.wire?.statusCode;
  if (status !== undefined) return String(status);
  if (entry.kind === 'websocket' || entry.kind === 'eventsource') return entry.state;
  return '(pending)';
}

/** A span of milliseconds as the Network panel writes it: `41 ms`, `1.25 s` (`digits` decimals under a second). */
export function ms(n: number, digits = 0): string {
  return n < 1000 ? `${n.toFixed(digits)} ms` : `${(n / 1000).toFixed(2)} s`;
}

export function duration(entry: Entry): string {
  if (entry.endTime === undefined) return '…';
  return ms(entry.endTime - entry.startTime);
}

export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}` || url;
  } catch {
    return url;
  }
}

/**
 * The wall-clock time of `epochMs` (ms since the epoch) in the user's locale, 24-hour, with
 * milliseconds: `14:03:07.042`. The same text as `toLocaleTimeString([], { hour12: false })`
 * (ECMA-402 ToDateTimeOptions gives it hour, minute and second, numeric), from one formatter made
 * once: `toLocaleTimeString` with options builds a new Intl.DateTimeFormat per call, ~1 ms each
 * (a message list redrawing 60 rows spent most of a scroll step there).
 */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${timeFormat().format(d)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

let clock: Intl.DateTimeFormat | undefined;
const timeFormat = () => (clock ??= new Intl.DateTimeFormat([], { hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false }));

export function bytes(n: number): string {
  if (n < 0) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
