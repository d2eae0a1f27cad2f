import type { CorsAnalysis } from '../shared/cors';
import type { Entry } from '../shared/model';
import { duration, shortUrl, statusText } from './format';

interface Props {
  entries: Entry[];
  selectedId?: string;
  cors: Map<string, CorsAnalysis>;
  onSelect(id: string): void;
}

export function EntryTable({ entries, selectedId, cors, onSelect }: Props) {
  return (
    <table class="entries" data-testid="entry-table">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Method</th>
          <th>URL</th>
          <th>Status</th>
          <th>Time</th>
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
            <td class="kind">{e.kind}</td>
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
          </tr>
          );
        })}
      </tbody>
    </table>
  );
}
