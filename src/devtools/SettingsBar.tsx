import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type Settings } from '../shared/protocol';

/** The capture settings; they apply to pages loaded (or reloaded) after a change. */
export function SettingsBar() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  useEffect(() => {
    void browser.storage.local.get(SETTINGS_KEY).then((got) => setSettings({ ...DEFAULT_SETTINGS, ...(got[SETTINGS_KEY] as Partial<Settings> | undefined) }));
  }, []);
  const save = (next: Settings) => {
    setSettings(next);
    void browser.storage.local.set({ [SETTINGS_KEY]: next });
  };
  return (
    <label title="Bodies larger than this are kept up to the cap, with their true size (applies to pages loaded after a change)">
      Body cap{' '}
      <input
        type="number"
        min={0}
        max={32768}
        value={Math.round(settings.bodyCap / 1024)}
        onChange={(e) => {
          const kib = Number((e.target as HTMLInputElement).value);
          if (Number.isFinite(kib) && kib >= 0 && kib <= 32768) save({ ...settings, bodyCap: Math.round(kib * 1024) });
        }}
        data-testid="setting-body-cap"
        style={{ width: '6em' }}
      />{' '}
      KiB
    </label>
  );
}
