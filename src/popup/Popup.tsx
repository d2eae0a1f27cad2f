import { useEffect, useState } from 'preact/hooks';
import type { PopupToBackground, ScopeState, SiteMode } from '../shared/scope';
import { holdsWebRequest } from '../devtools/wire-source';

const LABELS: Record<SiteMode, string> = {
  on: 'Record',
  off: 'Off',
  devtools: 'Only while DevTools is open on it',
};

const ask = (msg: PopupToBackground) => chrome.runtime.sendMessage(msg) as Promise<ScopeState | undefined>;

/** What the tab does now, in words: recording or not, and whether a reload is needed. */
function statusOf(s: ScopeState): { text: string; stale: boolean } {
  const records = `${s.counts.page} page records, ${s.counts.wire} wire records in this tab`;
  const wanted = s.mode === 'on' || (s.mode === 'devtools' && s.panelOpen);
  if (wanted && s.injected) return { text: `Recording. ${records}.`, stale: false };
  if (wanted) return { text: `Recording from the next load: reload the page. ${records}.`, stale: true };
  if (s.injected) return { text: `Still patched until the page reloads; nothing more is kept. ${records}.`, stale: true };
  if (s.mode === 'devtools') return { text: `Not recording: open DevTools (the netlens panel) on this tab, then reload. ${records}.`, stale: false };
  return { text: `Not recording: no page patches, no requests kept. ${records}.`, stale: false };
}

/**
 * The toolbar popup: this tab's site, whether netlens records it (always, never, or only while a
 * netlens panel is open on it) and how much this tab holds. A change applies to every tab of the
 * site from its next load (the page patches go in before the page's first script, or not at all).
 */
export function Popup({ tabId }: { tabId: number | undefined }) {
  const [state, setState] = useState<ScopeState | undefined>();
  const [error, setError] = useState('');
  const refresh = () => {
    if (tabId === undefined) return;
    ask({ type: 'scope:get', tabId }).then(setState, (e: unknown) => setError(String(e)));
  };
  useEffect(() => {
    refresh();
    // Counts move while the page runs: read them again now and then while the popup is open.
    const timer = setInterval(refresh, 1000);
    return () => clearInterval(timer);
  }, [tabId]);

  if (tabId === undefined) return <div class="popup">No tab.</div>;
  if (error) return <div class="popup" data-testid="scope-error">{error}</div>;
  if (!state) return <div class="popup">…</div>;
  const status = statusOf(state);
  const choose = (mode: SiteMode) => {
    if (!state.site) return;
    ask({ type: 'scope:set', tabId, site: state.site, mode }).then(setState, (e: unknown) => setError(String(e)));
  };
  return (
    <div class="popup" data-testid="scope" data-mode={state.mode} data-injected={String(state.injected)}>
      <h1>netlens</h1>
      {state.site ? (
        <>
          <div class="site" data-testid="scope-site">{state.site}</div>
          <fieldset>
            {(Object.keys(LABELS) as SiteMode[]).map((mode) => (
              <label key={mode}>
                <input type="radio" name="mode" data-testid={`mode-${mode}`} checked={state.mode === mode} onChange={() => choose(mode)} /> {LABELS[mode]}
              </label>
            ))}
          </fieldset>
        </>
      ) : (
        <div class="hint">This page has no per-site setting (only http and https sites do): it is recorded.</div>
      )}
      <div class={status.stale ? 'status stale' : 'status'} data-testid="scope-status">
        {status.text}
      </div>
      <div class="hint" data-testid="scope-wire" data-on={String(state.wire)}>
        {state.wire
          ? 'Wire view on: preflights and the headers the browser adds are recorded.'
          : holdsWebRequest()
            ? 'Wire view off: preflights and the headers the browser adds are recorded while a netlens panel is open on this tab (or always: the panel’s Wire setting).'
            : 'Wire view off: preflights and the headers the browser adds are recorded while DevTools is open on this tab.'}
      </div>
      {status.stale && (
        <button type="button" data-testid="scope-reload" onClick={() => void chrome.tabs.reload(tabId).then(refresh)}>
          Reload the page
        </button>
      )}
      <div class="hint">Applies to every tab of this site, from its next load.</div>
    </div>
  );
}
