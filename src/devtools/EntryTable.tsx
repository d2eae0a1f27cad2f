import type { CorsAnalysis } from '../shared/cors';
import type { LongPollGroup } from '../shared/long-polling';
import type { Entry } from '../shared/model';
import { duration, shortUrl, statusText } from './format';

interface Props {
  entries: Entry[];
  selectedId?: string;
  cors: Map<string, CorsAnalysis>;
  longPolls: Map<string, LongPollGroup>;
  onSelect(id: string): void;
}

/** Where each entry sits on the shared time axis, as percentages of the visible span. */
export function waterfall(entries: Entry[], now: number) {
  let min = Infinity;
  let max = -Infinity;
  for (const e of entries) {
    min = Math.min(min, e.startTime);
    max = Math.max(max, e.endTime ?? now);
  }
  const span = Math.max(1, max - min);
  return (e: Entry) => ({
    left: ((e.startTime - min) / span) * 100,
    width: Math.max(0.4, (((e.endTime ?? now) - e.startTime) / span) * 100),
  });
}

export function EntryTable({ entries, selectedId, cors, longPolls, onSelect }: Props) {
  const place = waterfall(entries, Date.now());
  return (
    <table class="entries" data-testid="entry-table">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Method</th>
          <th>URL</th>
          <th>Status</th>
          <th>Time</th>
          <th class="waterfall">Waterfall</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const verdict = cors.get(e.id);
          const blocked = verdict?.outcome === 'blocked';
          return (
          <tr
            key={e.id}
            data-testid="entry-row"
            data-id={e.id}
            data-kind={e.kind}
            data-method={e.method}
            data-url={e.url}
            data-status={statusText(e)}
            data-state={e.state}
            data-cors={verdict ? verdict.outcome : ''}
            class={`${e.id === selectedId ? 'selected' : ''} state-${e.state}${blocked ? ' cors-blocked' : ''}`}
            onClick={() => onSelect(e.id)}
          >
            <td class="kind">
              {e.kind}
              {longPolls.has(e.id) && (
                <span class="badge poll" data-testid="long-poll" title={`long polling: ${longPolls.get(e.id)!.entryIds.length} requests to ${longPolls.get(e.id)!.key}`}>
                  poll
                </span>
              )}
            </td>
            <td>{e.method}</td>
            <td class="url" title={e.url}>
              {shortUrl(e.url)}
            </td>
            <td>
              {statusText(e)}
              {blocked && (
                <span class="badge cors" title={`CORS: ${verdict.error ?? 'blocked'}`}>
                  CORS
                </span>
              )}
            </td>
            <td>{duration(e)}</td>
            <td class="waterfall">
              <span class={`bar kind-${e.kind}`} style={{ left: `${place(e).left}%`, width: `${place(e).width}%` }} />
            </td>
          </tr>
          );
        })}
      </tbody>
    </table>
  );
}
