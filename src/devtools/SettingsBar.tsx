import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { DEFAULT_SETTINGS, MAX_BODY_CAP, SETTINGS_KEY, readSettings, validBodyCap, type Settings } from '../shared/settings';

/** The capture settings; they apply to pages loaded (or reloaded) after a change. */
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
    </label>
  );
}
