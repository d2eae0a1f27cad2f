import { bytes } from './format';
import type { PanelStore } from './store';

/**
 * The summary under the list, as Chrome's Network panel has it: entries shown of all, bytes
 * (see entrySize) shown of all, messages shown inline, and what was lost on the way (capture
 * errors, dropped records).
 */
export function StatusBar({ store }: { store: PanelStore }) {
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
      {store.dropped.value > 0 && (
        <span class="warn" data-testid="dropped">
          {store.dropped.value} records dropped (cap)
        </span>
      )}
      {(health?.rejected ?? 0) > 0 && (
        <span class="warn" data-testid="rejected" title="Page events that did not fit the schema (malformed or forged) were not stored">
          {health!.rejected} page events rejected
        </span>
      )}
      {health?.slim && <span class="warn" title="Extension session storage filled up: payloads are stored cut to 4 KiB">storage full: payloads cut</span>}
      {(health?.writeFailures ?? 0) > 0 && (
        <span class="warn" title={health!.lastWriteError}>
          {health!.writeFailures} storage writes failed (retried)
        </span>
      )}
    </footer>
  );
}
