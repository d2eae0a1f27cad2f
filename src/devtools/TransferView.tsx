import type { Transfer, TransferMember } from '../shared/transfers';
import { bytes, ms } from './format';
import { Curve } from './TimingView';

const PROTOCOL: Record<Transfer['protocol'], string> = {
  tus: 'tus 1.0',
  'content-range': 'Content-Range chunks',
  offset: 'offset-query resumable upload',
  's3-multipart': 'S3 multipart upload',
};

const ROLE: Record<TransferMember['role'], string> = { create: 'creation', query: 'status query', chunk: 'chunk', complete: 'completion', abort: 'abort' };

/** Which chunk `m` is, from 1 (one pass: the badge is drawn on every visible row of a 400-chunk upload). */
function position(t: Transfer, m: TransferMember): number {
  let n = 0;
  for (const x of t.members) {
    if (x.role === 'chunk') n++;
    if (x === m) return n;
  }
  return n;
}

/**
 * The list row's mark for a request of a resumable upload: which chunk it is, of how many. On the
 * upload's first request, with the others under it (`head`), the whole upload in short.
 */
export function TransferBadge({ transfer: t, id, head }: { transfer: Transfer; id: string; head?: boolean }) {
  const m = t.members.find((x) => x.entryId === id);
  if (!m) return null;
  const what = m.role === 'chunk' ? `${m.part !== undefined ? `part ${m.part}, ` : ''}chunk ${position(t, m)} of ${t.chunks}` : ROLE[m.role];
  const troubled = t.issues.length > 0 || m.outcome === 'failed';
  return (
    <span
      class={`badge upload${troubled ? ' trouble' : ''}`}
      data-testid="transfer-badge"
      title={`${PROTOCOL[t.protocol]}${t.fileName ? ` of ${t.fileName}` : ''}: ${what}; ${bytes(t.confirmed)}${t.totalSize !== undefined ? ` of ${bytes(t.totalSize)}` : ''} confirmed`}
    >
      upload
      {head && (
        <span class="summary" data-testid="transfer-row-summary">
          {' '}
          {t.fileName ? `${t.fileName} · ` : ''}
          {t.members.length} requests · {bytes(t.confirmed)}
          {t.totalSize !== undefined ? ` of ${bytes(t.totalSize)}` : ''}
          {t.complete ? ' ✓' : ''}
        </span>
      )}
    </span>
  );
}

/**
 * A resumable upload as one transfer (shared/transfers): the file, bytes confirmed over time,
 * throughput, its requests (chunks with their ranges and outcomes, status queries with what
 * the server reported, retries, resumes) and what went wrong. Captured strings as text only.
 */
export function TransferView({ transfer: t, current, onSelect }: { transfer: Transfer; current: string; onSelect?(id: string): void }) {
  const start = t.startTime;
  const end = t.endTime ?? t.progress.at(-1)?.[0] ?? start;
  return (
    <section class="transfer" data-testid="transfer">
      <h3>
        {PROTOCOL[t.protocol]}
        {t.fileName ? ` — ${t.fileName}` : ''}
      </h3>
      <p data-testid="transfer-summary">
        {bytes(t.confirmed)}
        {t.totalSize !== undefined ? ` of ${bytes(t.totalSize)}` : ''} confirmed by the server{t.complete ? ', complete' : ''} · {t.chunks} chunks
        {t.failedChunks ? `, ${t.failedChunks} failed` : ''}
        {t.retries ? `, ${t.retries} retried` : ''}
        {t.maxConsecutiveErrors > 1 ? ` (up to ${t.maxConsecutiveErrors} errors in a row)` : ''}
        {t.throughput !== undefined ? ` · ${bytes(t.throughput)}/s over ${ms(end - start, 0)}` : ''}
      </p>
      {t.issues.length > 0 && (
        <ul class="warn" data-testid="transfer-issues">
          {t.issues.map((i, k) => (
            <li key={k} data-kind={i.kind}>
              {i.kind}: {i.message}
            </li>
          ))}
        </ul>
      )}
      <Curve points={t.progress.map(([time, loaded]) => ({ t: time, loaded }))} total={t.totalSize} start={start} end={end} which="upload" />
      <table class="pairs transfer-members" data-testid="transfer-members">
        <thead>
          <tr>
            <th>#</th>
            <th>request</th>
            <th>bytes</th>
            <th>outcome</th>
            <th>server has</th>
          </tr>
        </thead>
        <tbody>
          {t.members.map((m, k) => (
            <tr key={m.entryId} class={m.entryId === current ? 'selected' : ''} data-role={m.role} data-outcome={m.outcome ?? ''} onClick={() => onSelect?.(m.entryId)}>
              <td>{k + 1}</td>
              <td>
                {m.role}
                {m.part !== undefined ? ` · part ${m.part}` : ''}
                {m.resumed ? ' · resumed' : ''}
                {m.retry ? ' · retry' : ''}
              </td>
              <td>{m.offset !== undefined ? `${m.offset.toLocaleString('en')}–${(m.offset + (m.length ?? 0)).toLocaleString('en')}` : ''}</td>
              <td>
                {m.outcome ?? ''}
                {m.error ? ` (${m.error}${m.consecutiveErrors && m.consecutiveErrors > 1 ? `, ${m.consecutiveErrors} in a row` : ''})` : ''}
              </td>
              <td>{m.reportedOffset !== undefined ? m.reportedOffset.toLocaleString('en') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
