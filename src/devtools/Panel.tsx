import { useEffect } from 'preact/hooks';
import { EntryDetail } from './EntryDetail';
import { EntryTable } from './EntryTable';
import { Guard } from './Guard';
import { SettingsBar } from './SettingsBar';
import { TraceBar } from './TraceBar';
import type { PanelStore } from './store';

export function Panel({ store, tabId, onClear }: { store: PanelStore; tabId?: number; onClear(): void }) {
  const revision = store.revision.value;
  const entries = store.visible();
  const selected = store.selected.value;
  useEffect(() => {
    document.title = `netlens · tab ${tabId ?? '?'}`;
  }, [tabId]);
  const trace = store.imported.value;
  return (
    <div class="panel">
      <header>
        {tabId !== undefined && !trace && (
          <button onClick={onClear} data-testid="clear">
            Clear
          </button>
        )}
        <Guard what="export">
          <TraceBar entries={store.allEntries} onImport={store.openTrace} />
        </Guard>
        {trace && (
          <span data-testid="imported" data-reading={trace.done && !trace.head ? undefined : ''}>
            Viewing an imported trace
            {trace.head ? ' (reading the file…)' : trace.done ? '' : ` (reading: ${trace.entries.length.toLocaleString('en')} of ${trace.total.toLocaleString('en')} entries)`}
            {trace.warnings.length ? ` (${trace.warnings.length} warnings)` : ''}{' '}
            {tabId !== undefined && <button onClick={store.closeTrace}>back to live</button>}
          </span>
        )}
        {tabId === undefined && !trace && <span data-testid="no-tab">Viewer: import a HAR file (from netlens, Chrome, Firefox…) to inspect it.</span>}
        <input
          type="search"
          placeholder="Filter by URL or kind"
          value={store.text.value}
          onInput={(e) => store.setText((e.target as HTMLInputElement).value)}
          data-testid="filter-text"
        />
        <label>
          <input
            type="checkbox"
            checked={store.corsOnly.value}
            onChange={(e) => store.setCorsOnly((e.target as HTMLInputElement).checked)}
            data-testid="filter-cors"
          />{' '}
          CORS failures
        </label>
        <span data-testid="count">{entries.length} entries</span>
        <SettingsBar />
        {store.captureErrors.value > 0 && (
          <span class="warn" data-testid="capture-errors">
            {store.captureErrors.value} capture errors
          </span>
        )}
        {store.pageEventsDropped.value > 0 && (
          <span class="warn" data-testid="page-dropped" title="Events the page script could not hand over: its queue was full, or posting failed">
            {store.pageEventsDropped.value} page events dropped
          </span>
        )}
        {store.dropped.value > 0 && <span class="warn" data-testid="dropped">{store.dropped.value} records dropped (cap)</span>}
        {(store.health.value?.rejected ?? 0) > 0 && (
          <span class="warn" data-testid="rejected" title="Page events that did not fit the schema (malformed or forged) were not stored">
            {store.health.value!.rejected} page events rejected
          </span>
        )}
        {store.health.value?.slim && <span class="warn" title="Extension session storage filled up: payloads are stored cut to 4 KiB">storage full: payloads cut</span>}
        {(store.health.value?.writeFailures ?? 0) > 0 && (
          <span class="warn" title={store.health.value!.lastWriteError}>
            {store.health.value!.writeFailures} storage writes failed (retried)
          </span>
        )}
      </header>
      <main class={selected ? 'has-detail' : ''}>
        <Guard what="the entry list">
          <EntryTable
            entries={entries}
            revision={revision}
            span={store.waterfallSpan}
            selectedId={selected?.id}
            corsOf={store.corsOf}
            longPollOf={store.longPollOf}
            onSelect={store.select}
            reveal={store.revealing.value}
          />
        </Guard>
        {selected && (
          <Guard key={`${store.generation.value}:${selected.id}`} what="this entry" raw={selected}>
            <EntryDetail entry={selected} revision={revision} cors={store.corsOf(selected.id)} longPoll={store.longPollOf(selected.id)} onClose={() => store.select(undefined)} related={store.allEntries} />
          </Guard>
        )}
      </main>
    </div>
  );
}
