/**
 * Upload and download progress of one exchange over time, for the detail's Timing tab: from
 * XHR `progress` / `upload:progress` events (XHR spec: `loaded`, `total` when
 * `lengthComputable`), or, for a streamed fetch, from its received chunks' cumulative size.
 */
import type { Entry } from './model';

/** Bytes loaded (cumulative) at epoch ms `t`. */
export interface ProgressPoint {
  t: number;
  loaded: number;
}

export interface ProgressSeries {
  upload: ProgressPoint[];
  download: ProgressPoint[];
  /** The total an event announced (lengthComputable), in bytes. */
  uploadTotal?: number;
  downloadTotal?: number;
}

/** At most this many points per curve: a long stream is sampled evenly, keeping the last point. */
export const MAX_POINTS = 500;

function sample(points: ProgressPoint[]): ProgressPoint[] {
  if (points.length <= MAX_POINTS) return points;
  const out: ProgressPoint[] = [];
  const step = (points.length - 1) / (MAX_POINTS - 1);
  for (let i = 0; i < MAX_POINTS; i++) out.push(points[Math.round(i * step)]);
  return out;
}

const finiteNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The entry's progress curves, in time order; empty when it reported none. */
export function progressSeries(entry: Entry): ProgressSeries {
  const out: ProgressSeries = { upload: [], download: [] };
  for (const s of entry.lifecycle) {
    const which = s.step === 'upload:progress' ? 'upload' : s.step === 'progress' ? 'download' : undefined;
    if (!which || !finiteNonNegative(s.detail?.loaded)) continue;
    out[which].push({ t: s.t, loaded: s.detail.loaded });
    if (s.detail.lengthComputable !== false && finiteNonNegative(s.detail.total) && s.detail.total > 0) out[`${which}Total`] = s.detail.total;
  }
  if (!out.download.length && (entry.kind === 'fetch' || entry.kind === 'xhr')) {
    let loaded = 0;
    for (const m of entry.messages) {
      if (m.dir !== 'receive' || !finiteNonNegative(m.data.size)) continue;
      loaded += m.data.size;
      out.download.push({ t: m.t, loaded });
    }
  }
  out.upload = sample(out.upload);
  out.download = sample(out.download);
  return out;
}
