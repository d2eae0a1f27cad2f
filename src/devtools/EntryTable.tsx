import type { Entry } from '../shared/model';
import { duration, shortUrl, statusText } from './format';

interface Props {
  entries: Entry[];
  selectedId?: string;
  onSelect(id: string): void;
}

export function EntryTable({ entries, selectedId, onSelect }: Props) {
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
        {entries.map((e) => (
          <tr
            key={e.id}
            data-testid="entry-row"
            data-id={e.id}
            data-kind={e.kind}
            data-method={e.method}
            data-url={e.url}
            data-status={statusText(e)}
            data-state={e.state}
            class={`${e.id === selectedId ? 'selected' : ''} state-${e.state}`}
            onClick={() => onSelect(e.id)}
          >
            <td class="kind">{e.kind}</td>
            <td>{e.method}</td>
            <td class="url" title={e.url}>
              {shortUrl(e.url)}
            </td>
            <td>{statusText(e)}</td>
            <td>{duration(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
