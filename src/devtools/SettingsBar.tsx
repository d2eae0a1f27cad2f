import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { WireMode } from '../shared/wire-scope';
import { holdsWebRequest } from './wire-source';
import { DEFAULT_SETTINGS, MAX_BODY_CAP, MAX_TAB_BUDGET, MIN_TAB_BUDGET, SETTINGS_KEY, readSettings, validBodyCap, validTabBudget, type Settings } from '../shared/settings';

const MiB = 1024 * 1024;

/**
 * The capture settings: preserve log and the per-tab budget apply at once; the body cap to pages
 * loaded (or reloaded) after a change.
 */
export function SettingsBar() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  useEffect(() => {
    void browser.storage.local.get(SETTINGS_KEY).then((got) => setSettings(readSettings(got[SETTINGS_KEY])));
  }, []);
  const save = (next: Settings) => {
    setSettings(next);
    void browser.storage.local.set({ [SETTINGS_KEY]: next });
  };
  return (
    <>
    <label title="Keep the log of earlier pages when this tab navigates (otherwise a navigation clears it)">
      <input type="checkbox" checked={settings.preserveLog} onChange={(e) => save({ ...settings, preserveLog: (e.target as HTMLInputElement).checked })} data-testid="setting-preserve-log" /> Preserve log
    </label>{' '}
    <label title="Bodies larger than this are kept up to the cap, with their true size (applies to pages loaded after a change)">
      Body cap{' '}
      <input
        type="number"
        min={0}
        max={MAX_BODY_CAP / 1024}
        value={Math.round(settings.bodyCap / 1024)}
        onChange={(e) => {
          const bodyCap = Math.round(Number((e.target as HTMLInputElement).value) * 1024);
          if (validBodyCap(bodyCap)) save({ ...settings, bodyCap });
        }}
        data-testid="setting-body-cap"
        style={{ width: '6em' }}
      />{' '}
      KiB
    </label>{' '}
    <label title="What one tab's records may take in storage; past it the bodies of the oldest entries go first, then the oldest entries (applies at once)">
      Tab budget{' '}
      <input
        type="number"
        min={MIN_TAB_BUDGET / MiB}
        max={MAX_TAB_BUDGET / MiB}
        value={Math.round(settings.tabBudget / MiB)}
        onChange={(e) => {
          const tabBudget = Math.round(Number((e.target as HTMLInputElement).value) * MiB);
          if (validTabBudget(tabBudget)) save({ ...settings, tabBudget });
        }}
        data-testid="setting-tab-budget"
        style={{ width: '6em' }}
      />{' '}
      MiB
    </label>{' '}
    {holdsWebRequest() ? (
      <label title="Which tabs the wire view (webRequest: preflights, headers the browser adds, Set-Cookie) records: only tabs with a netlens panel open (from when it opens), or every tab at all times. Every tab costs every page some speed, like keeping DevTools' Network panel open everywhere.">
        Wire{' '}
        <select value={settings.wire} onChange={(e) => save({ ...settings, wire: (e.target as HTMLSelectElement).value as WireMode })} data-testid="setting-wire">
          <option value="panel">while a panel is open</option>
          <option value="always">always, every tab</option>
        </select>
      </label>
    ) : (
      <span
        data-testid="setting-wire-devtools"
        title="The wire view (preflights, headers the browser adds, Set-Cookie) comes from DevTools' own network log while DevTools is open on a tab: netlens holds no webRequest permission, which would slow every request of every tab. netlens capture records it headless."
      >
        Wire: from DevTools
      </span>
    )}
    </>
  );
}
