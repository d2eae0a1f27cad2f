/**
 * Time limits that hold on a busy machine. Tests wait for a state, never for a time; only the
 * limit after which waiting counts as a failure stretches with the machine's load.
 */
import { cpus, loadavg } from 'node:os';

/**
 * How many times longer than on an idle machine a wait may take: NETLENS_TIMEOUT_SCALE when set,
 * else the 1-minute load average per core, between 1 and 5, read when the limit is set.
 */
export function timeoutScale(): number {
  const set = Number(process.env.NETLENS_TIMEOUT_SCALE);
  if (set > 0) return set;
  return Math.min(5, Math.max(1, loadavg()[0] / cpus().length));
}

/** A limit of `ms` on an idle machine, stretched by `timeoutScale()`. */
export const scaled = (ms: number): number => Math.round(ms * timeoutScale());
