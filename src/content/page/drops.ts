/**
 * Page events the channel could not hand over, counted by reason, so that a loss is reported
 * (a capture-error at the next flush) instead of vanishing. Pure: numbers in, a count and a
 * message out; nothing is allocated until there is something to report.
 */
export interface Drops {
  /** An event refused because the queue was full. */
  full(): void;
  /** `count` events that could not be queued or posted; `why` describes the error. */
  lost(count: number, why: string): void;
  /** How many events were dropped since the last report that went out, and why; undefined when none was. */
  report(): DropReport | undefined;
  /** The report went out: counting starts over. */
  reported(): void;
}

export interface DropReport {
  count: number;
  /** "<count> page events dropped: <why>". */
  message: string;
}

const MAX_WHY = 200;

export function createDrops(maxQueued: number, slice: (s: string, from: number, to: number) => string): Drops {
  let full = 0;
  let lost = 0;
  let why = '';
  return {
    full() {
      full++;
    },
    lost(count, reason) {
      lost += count;
      why = reason.length > MAX_WHY ? slice(reason, 0, MAX_WHY) : reason;
    },
    report() {
      if (full + lost === 0) return undefined;
      const parts = full && lost ? `${full} with the queue full (${maxQueued} waiting), ${lost} that could not be sent (${why})` : full ? `the queue was full (${maxQueued} waiting)` : `they could not be sent (${why})`;
      const count = full + lost;
      return { count, message: `${count} page event${count === 1 ? '' : 's'} dropped: ${parts}` };
    },
    reported() {
      full = 0;
      lost = 0;
      why = '';
    },
  };
}
