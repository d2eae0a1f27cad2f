import { useEffect, useRef, useState } from 'preact/hooks';
import type { ColumnId, ColumnWidths } from '../shared/list-columns';
import { CopyStatus, RowMenu, useCopyAs } from './CopyMenu';
import { chooseTab, EntryDetail } from './EntryDetail';
import { EntryTable } from './EntryTable';
import { FilterBar } from './FilterBar';
import { Guard } from './Guard';
import { loadHidden, loadWidths, saveHidden, saveWidths } from './list-prefs';
import { SettingsBar } from './SettingsBar';
import { DeepSwitch } from './DeepSwitch';
import { StatusBar } from './StatusBar';
import { TraceBar } from './TraceBar';
import type { PanelStore } from './store';
import { reloadInspected } from './connection';

export function Panel({ store, tabId, onClear, onDeep }: { store: PanelStore; tabId?: number; onClear(): void; onDeep?(on: boolean): void }) {
  const revision = store.revision.value;
  const entries = store.visible();
  const selected = store.selected.value;
  useEffect(() => {
    document.title = `netlens · tab ${tabId ?? '?'}`;
  }, [tabId]);
  const trace = store.imported.value;
  const filterInput = useRef<HTMLInputElement>(null);
  const [hidden, setHidden] = useState<ReadonlySet<ColumnId>>(loadHidden);
  const [widths, setWidths] = useState<ColumnWidths>(loadWidths);
  const [rowMenu, setRowMenu] = useState<{ id: string; x: number; y: number } | undefined>(undefined);
  const rowCopy = useCopyAs(store.wireSince);
  const rowMenuEntry = rowMenu && store.entry(rowMenu.id);
  // Ctrl/⌘+F focuses the filter; Escape closes the detail (as in DevTools' Network panel).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        filterInput.current?.focus();
        filterInput.current?.select();
      } else if (e.key === 'Escape' && !e.defaultPrevented && store.detailOpen.peek()) store.openDetail(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store]);
  return (
    <div class="panel">
      <header>
        {tabId !== undefined && !trace && (
          <button
            class={store.recording.value ? 'record on' : 'record'}
            aria-pressed={store.recording.value}
            title={store.recording.value ? 'Pause recording: requests that start from now on are left out of the list' : 'Resume recording'}
            onClick={() => store.setRecording(!store.recording.value)}
            data-testid="record"
          >
            <span class="dot" /> {store.recording.value ? 'Pause' : 'Record'}
          </button>
        )}
        {tabId !== undefined && !trace && (
          <button onClick={onClear} data-testid="clear">
            Clear
          </button>
        )}
        <label class="header-toggle" title="Show WebSocket and EventSource messages and streamed chunks in the list, in time order with the requests" data-testid="inline-toggle-label">
          <input type="checkbox" checked={store.inline.value} onChange={(e) => store.setInline((e.target as HTMLInputElement).checked)} data-testid="inline-messages" /> Messages inline
        </label>
        <Guard what="export">
          <TraceBar entries={store.allEntries} shown={store.visible} childrenOf={store.childrenOf} onImport={store.openTrace} wireSince={store.wireSince} />
        </Guard>
        {trace && (
          <span data-testid="imported" data-reading={trace.done && !trace.head ? undefined : ''}>
            Viewing an imported trace
            {trace.head ? ' (reading the file…)' : trace.done ? '' : ` (reading: ${trace.entries.length.toLocaleString('en')} of ${trace.total.toLocaleString('en')} entries)`}
            {trace.warningCount ? <ImportWarnings warnings={trace.warnings} count={trace.warningCount} /> : ''}{' '}
            {tabId !== undefined && <button onClick={store.closeTrace}>back to live</button>}
          </span>
        )}
        {tabId === undefined && !trace && <span data-testid="no-tab">Viewer: import a HAR file (from netlens, Chrome, Firefox…) to inspect it.</span>}
        <SettingsBar />
        {tabId !== undefined && !trace && onDeep && <DeepSwitch state={store.deep.value} onSet={onDeep} />}
      </header>
      <FilterBar store={store} inputRef={filterInput} />
      <main class={selected && store.detailOpen.value ? 'has-detail' : ''}>
        <Guard what="the entry list">
          <EntryTable
            entries={entries}
            revision={revision}
            entryRevision={store.entryRevision}
            span={store.waterfallSpan}
            selectedId={selected?.id}
            corsOf={store.corsOf}
            longPollOf={store.longPollOf}
            transferOf={store.transferOf}
            onSelect={store.select}
            onKey={(id, open) => (open ? store.select(id) : store.move(id))}
            reveal={store.revealing.value}
            sort={store.sort.value}
            onSort={store.setSort}
            childrenOf={store.childrenOf}
            wireChecked={!trace}
            wireFromDevtools={store.wireFromDevtools()}
            wireSince={store.wireSince()}
            inline={store.inline.value ? store.inlineRows() : undefined}
            onMessage={(id, index) => {
              chooseTab('messages');
              store.openMessage(id, index);
            }}
            focusedMessage={store.focusedMessage.value}
            onRowMenu={(id, x, y) => setRowMenu({ id, x, y })}
            hidden={hidden}
            onHide={(next) => {
              setHidden(next);
              saveHidden(next);
            }}
            widths={widths}
            onResize={(changed, done) => {
              const next = { ...widths, ...changed };
              setWidths(next);
              if (done) saveWidths(next);
            }}
          />
        </Guard>
        {selected && store.detailOpen.value && (
          <Guard key={`${store.generation.value}:${selected.id}`} what="this entry" raw={selected}>
            <EntryDetail entry={selected} revision={revision} focusedMessage={store.focusedMessage.value?.id === selected.id ? store.focusedMessage.value : undefined} cors={store.corsOf(selected.id)} longPoll={store.longPollOf(selected.id)} transfer={store.transferOf(selected.id)} onSelect={store.select} onClose={() => store.select(undefined)} related={store.allEntries} wireSince={store.wireSince} />
          </Guard>
        )}
      </main>
      {rowMenu && rowMenuEntry && <RowMenu entry={rowMenuEntry} x={rowMenu.x} y={rowMenu.y} related={store.allEntries} onCopy={(...args) => void rowCopy.copy(...args)} onClose={() => setRowMenu(undefined)} />}
      {rowCopy.status && (
        <div class="row-copy-line">
          <CopyStatus status={rowCopy.status} testid="row-copy-status" />
        </div>
      )}
      <StatusBar store={store} onReload={tabId === undefined ? undefined : () => reloadInspected(tabId)} />
    </div>
  );
}

/** A warning line shown at most this long (characters): it may quote the file. */
const WARNING_CHARS = 300;

/**
 * What the import could not read, opened from the trace's line: the warnings kept (the first
 * MAX_WARNINGS of src/shared/har/import.ts, in file order), each cut to WARNING_CHARS, and how
 * many more there were. Text only: a warning may quote the file.
 */
function ImportWarnings({ warnings, count }: { warnings: readonly string[]; count: number }) {
  return (
    <details class="import-warnings" data-testid="import-warnings">
      <summary>{` (${count.toLocaleString('en')} warning${count === 1 ? '' : 's'})`}</summary>
      <div class="list">
        <ol>
          {warnings.map((w, i) => (
            <li key={i}>{w.length > WARNING_CHARS ? `${w.slice(0, WARNING_CHARS)}…` : w}</li>
          ))}
        </ol>
        {count > warnings.length && <p>… and {(count - warnings.length).toLocaleString('en')} more, not kept.</p>}
      </div>
    </details>
  );
}
