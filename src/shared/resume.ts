/**
 * Where a panel's subscribe resumes (src/background/index.ts servePanel). Records reach panels as
 * they are added, before they are written (src/background/record-store.ts onAdd): a worker
 * stopped before its write leaves a panel holding records that no run of the worker will have,
 * and a later run gives their seqs to other records (the page's re-sent ones, new ones). Seqs up
 * to what a run said was on disk (`written`: a snapshot's, then each `written` message's) are
 * never given again.
 *
 * `ask`: the subscribe's `afterSeq` (0: from the start), `boot` (the worker run its records came
 * from; absent for a one-off reader such as `netlens capture`) and `written`; `boot`: this run's.
 * Returns the seq to send records after, and whether the subscriber must first be told `cleared`
 * (it resumes, with another run, past what its run said was on disk: it starts over from seq 0).
 */
export function resumePoint(ask: { afterSeq?: number; boot?: string; written?: number }, boot: string): { afterSeq: number; startOver: boolean } {
  const afterSeq = typeof ask.afterSeq === 'number' && ask.afterSeq > 0 ? ask.afterSeq : 0;
  const startOver = typeof ask.boot === 'string' && ask.boot !== boot && afterSeq > (typeof ask.written === 'number' ? ask.written : 0);
  return startOver ? { afterSeq: 0, startOver } : { afterSeq, startOver };
}
