import { bytes } from './format';
import type { StoreHealth } from '../shared/protocol';
import type { PanelStore } from './store';

/**
 * The summary under the list, as Chrome's Network panel has it: entries shown of all, bytes
 * (see entrySize) shown of all, messages shown inline, and what was lost on the way (capture
 * errors, dropped records).
 */
export function StatusBar({ store, onReload }: { store: PanelStore; onReload?: () => void }) {
  void store.revision.value;
  const shown = store.visible().length;
  const total = store.entryCount();
  const size = store.bytes();
  const health = store.health.value;
  return (
    <footer class="status-bar" data-testid="status-bar">
      <span data-testid="recording" data-on={store.recording.value} class={store.recording.value ? '' : 'warn'}>
        {store.recording.value ? 'recording' : 'recording paused'}
      </span>
      <span data-testid="count">{shown} shown</span>
      <span data-testid="total">{total} entries</span>
      {store.inline.value && (
        <span data-testid="inline-count" title="Messages shown inline (those of the shown entries that the body: terms let through)">
          {store.inlineRows().messages.toLocaleString('en')} messages inline
        </span>
      )}
      <span data-testid="bytes" title={`${size.shown} of ${size.all} bytes (transferred when declared, else the body's size)`}>
        {shown === total ? bytes(size.all) : `${bytes(size.shown)} / ${bytes(size.all)}`}
      </span>
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
      <WireSince store={store} onReload={onReload} />
      <BudgetDrops health={health} />
      {(health?.rejected ?? 0) > 0 && (
        <span class="warn" data-testid="rejected" title="Page events that did not fit the schema (malformed or forged) were not stored">
          {health!.rejected} page events rejected
        </span>
      )}
      {(health?.writeFailures ?? 0) > 0 && (
        <span class="warn" title={health!.lastWriteError}>
          {health!.writeFailures} storage writes failed (retried)
        </span>
      )}
    </footer>
  );
}

/**
 * What the tab's storage budget took, by reason: bodies dropped (the entries stay, their bodies
 * read as truncated), then entries and single messages dropped, each with its bytes.
 */
function BudgetDrops({ health }: { health: StoreHealth | undefined }) {
  const drops = health?.drops;
  if (!drops || (drops.bodies === 0 && drops.records === 0)) return null;
  const budget = health!.budget !== undefined ? bytes(health!.budget) : 'tab';
  const why = `Over the ${budget} budget of this tab (panel setting): the bodies of the oldest entries go first, then the oldest entries. Holding ${bytes(health!.stored ?? 0)} now.`;
  const gone: string[] = [];
  if (drops.entries) gone.push(`${drops.entries} ${drops.entries === 1 ? 'entry' : 'entries'}`);
  if (drops.messages) gone.push(`${drops.messages} ${drops.messages === 1 ? 'message' : 'messages'}`);
  return (
    <>
      {drops.bodies > 0 && (
        <span class="warn" data-testid="bodies-dropped" data-count={drops.bodies} data-bytes={drops.bodyBytes} title={why}>
          {drops.bodies} {drops.bodies === 1 ? 'body' : 'bodies'} dropped ({bytes(drops.bodyBytes)}, over the {budget} budget)
        </span>
      )}
      {drops.records > 0 && (
        <span class="warn" data-testid="dropped" data-entries={drops.entries} data-messages={drops.messages} data-records={drops.records} data-bytes={drops.entryBytes} title={why}>
          {gone.join(' and ') || `${drops.records} records`} dropped ({bytes(drops.entryBytes)}, over the {budget} budget)
        </span>
      )}
    </>
  );
}

/**
 * In the default wire mode (src/shared/wire-scope.ts) the wire view of a tab starts when its
 * panel connects: said, with the time, so a request from before without its preflight or
 * browser-added headers is not taken for one that had none.
 */
function WireSince({ store, onReload }: { store: PanelStore; onReload?: () => void }) {
  const wire = store.wire.value;
  if (!wire || wire.mode !== 'panel' || store.imported.value) return null;
  if (wire.source === 'devtools' && !wire.open) {
    return (
      <span
        data-testid="wire-none"
        title="The wire view (preflights, headers the browser adds, Set-Cookie) comes from DevTools' network log: open DevTools on the inspected tab (this panel inside it, or any of its panels) and it records from then on."
      >
        no wire view: DevTools is not open on this tab
      </span>
    );
  }
  const since = wire.since === undefined ? '' : new Date(wire.since).toLocaleTimeString('en-GB');
  return (
    <span
      data-testid="wire-since"
      title={
        wire.source === 'devtools'
          ? "The wire view (preflights, headers the browser adds, Set-Cookie) comes from DevTools' network log while DevTools is open on this tab, each request once it finished; earlier requests show what the page saw."
          : 'The wire view (preflights, headers the browser adds, Set-Cookie, requests scripts never saw) records this tab while a netlens panel is open on it; earlier requests show what the page saw. Settings: Wire → always records every tab at all times, at a cost to every page.'
      }
    >
      wire since {since}
      {wire.source === 'devtools' ? ' (DevTools)' : ''}
      {onReload && (
        <>
          {' '}
          <button type="button" class="link-button" data-testid="wire-reload" title="Reload the page: its first requests are then seen on the wire too" onClick={onReload}>
            reload
          </button>
        </>
      )}
    </span>
  );
}
