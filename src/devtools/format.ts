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

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function bytes(n: number): string {
  if (n < 0) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
