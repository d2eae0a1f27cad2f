import type { CorsAnalysis } from '../cors';
import type { ChromiumCors } from './events';

/**
 * Where the CORS doctor's prediction and Chromium's own verdict (deep capture) disagree, in plain
 * words; undefined when they agree or the doctor could not judge (`unknown`). They disagree when
 * one blocks and the other does not, or both block for a different CorsError.
 */
export function corsDisagreement(doctor: Pick<CorsAnalysis, 'outcome' | 'error'>, chromium: ChromiumCors | null): string | undefined {
  if (doctor.outcome === 'unknown') return undefined;
  const blocked = chromium !== null;
  if (doctor.outcome === 'blocked' && !blocked) return `The doctor predicted ${doctor.error ?? 'a block'}, but Chromium did not block this request.`;
  if (doctor.outcome === 'allowed' && blocked) return `Chromium blocked this request (${chromium.corsError}), but the doctor predicted it allowed.`;
  if (blocked && doctor.error !== undefined && doctor.error !== chromium.corsError) return `The doctor says ${doctor.error}, Chromium says ${chromium.corsError}.`;
  return undefined;
}
