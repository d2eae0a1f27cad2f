import type { Entry } from '../shared/model';
import { statusCode } from '../shared/entry-columns';
import { unfinished } from '../shared/kind-chips';
import { recogniseTransfers } from '../shared/transfers';

/** A few lines a person reads after a capture: counts by kind, failures, HTTP error statuses, CORS blocks, uploads. */
export function summarize(entries: Entry[], cors?: (e: Entry) => { outcome: string; error?: string; fix?: string } | undefined): string[] {
  const byKind = new Map<string, number>();
  for (const e of entries) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  const lines = [`${entries.length} entries: ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`];
  const failed = entries.filter(unfinished);
  if (failed.length) lines.push(`${failed.length} failed:`);
  for (const e of failed.slice(0, 20)) lines.push(`  ${e.state.padEnd(7)} ${e.kind} ${e.method} ${e.url}${e.error ? ` (${e.error})` : ''}`);
  // Answered, with an error status (the panel's "Failed" chip counts these too).
  const refused = entries.filter((e) => !unfinished(e) && (statusCode(e) ?? 0) >= 400);
  if (refused.length) lines.push(`${refused.length} answered with an HTTP error status:`);
  for (const e of refused.slice(0, 20)) lines.push(`  ${String(statusCode(e)).padEnd(7)} ${e.kind} ${e.method} ${e.url}`);
  if (cors) {
    const blocked = entries.map((e) => [e, cors(e)] as const).filter(([, r]) => r?.outcome === 'blocked');
    if (blocked.length) lines.push(`${blocked.length} CORS ${blocked.length === 1 ? 'failure' : 'failures'}:`);
    for (const [e, r] of blocked.slice(0, 20)) lines.push(`  ${e.method} ${e.url}: ${r?.error ?? 'blocked'}${r?.fix ? ` — fix: ${r.fix}` : ''}`);
  }
  const transfers = recogniseTransfers(entries);
  if (transfers.length) lines.push(`${transfers.length} resumable uploads:`);
  for (const t of transfers.slice(0, 20)) {
    const size = t.totalSize === undefined ? `${t.confirmed.toLocaleString('en')} B confirmed` : `${t.confirmed.toLocaleString('en')} of ${t.totalSize.toLocaleString('en')} B${t.complete ? ', complete' : ''}`;
    const trouble = [t.retries && `${t.retries} retried`, t.failedChunks && `${t.failedChunks} failed`, ...t.issues.map((i) => `${i.kind}: ${i.message}`)].filter(Boolean);
    lines.push(`  ${t.protocol} ${t.fileName ?? t.target}: ${t.chunks} chunks, ${size}${trouble.length ? ` (${trouble.join('; ')})` : ''}`);
  }
  return lines;
}

export function line(e: Entry): string {
  const status = statusCode(e) ?? '';
  return `${e.kind.padEnd(11)} ${e.method.padEnd(6)} ${String(status).padEnd(4)} ${e.state.padEnd(7)} ${e.url}`;
}
