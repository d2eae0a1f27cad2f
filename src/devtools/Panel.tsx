import { useEffect } from 'preact/hooks';
import { EntryDetail } from './EntryDetail';
import { EntryTable } from './EntryTable';
import type { PanelStore } from './store';

export function Panel({ store, tabId, onClear }: { store: PanelStore; tabId?: number; onClear(): void }) {
  const entries = store.entries.value;
  const selected = store.selected.value;
  useEffect(() => {
    document.title = `netlens · tab ${tabId ?? '?'}`;
  }, [tabId]);
  if (tabId === undefined) {
    return <p data-testid="no-tab">No inspected tab: open netlens from DevTools, or pass ?tabId=N.</p>;
  }
  return (
    <div class="panel">
      <header>
        <button onClick={onClear} data-testid="clear">
          Clear
        </button>
        <span data-testid="count">{entries.length} entries</span>
        {store.captureErrors.value > 0 && <span class="warn">{store.captureErrors.value} capture errors</span>}
        {store.dropped.value > 0 && <span class="warn">{store.dropped.value} records dropped (cap)</span>}
      </header>
      <main>
        <EntryTable entries={entries} selectedId={selected?.id} onSelect={store.select} />
        {selected && <EntryDetail entry={selected} />}
      </main>
    </div>
  );
}
