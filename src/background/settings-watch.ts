import { SETTINGS_KEY, readSettings, type Settings } from '../shared/settings';

/**
 * The user's settings as the worker needs them (per-tab budget, preserve log): read once from
 * extension local storage, then kept current through `storage.onChanged`. `changed` is called
 * after each change with the settings before it.
 */
export function watchSettings(changed: (now: Settings, before: Settings) => void) {
  let current = readSettings(undefined);
  const loaded = chrome.storage.local
    .get(SETTINGS_KEY)
    .then((got) => {
      current = readSettings(got[SETTINGS_KEY]);
    })
    .catch(() => {});
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(SETTINGS_KEY in changes)) return;
    const before = current;
    current = readSettings(changes[SETTINGS_KEY].newValue);
    changed(current, before);
  });
  return { loaded, current: () => current };
}

/** Key in extension session storage: present while this browser session has run the worker. */
const SESSION_KEY = 'netlens.session';

/**
 * The browser session, as the store needs it: `isNew()` is true until `mark()` was called in
 * this browser session (session storage starts empty when the browser starts and when the
 * extension is reloaded or updated), so every later run of the worker sees false. The store
 * starts clean in a new session: tab ids are reused after a restart, and the log of a closed
 * browser is nobody's tab.
 */
export const browserSession = {
  async isNew(): Promise<boolean> {
    const got = await chrome.storage.session?.get(SESSION_KEY);
    return !got?.[SESSION_KEY];
  },
  async mark(): Promise<void> {
    await chrome.storage.session?.set({ [SESSION_KEY]: Date.now() });
  },
};

/** Key in extension session storage: when the wire mode last became `always` in this browser session (epoch ms). */
const WIRE_ALWAYS_KEY = 'netlens.wireAlwaysSince';

/**
 * When the wire view started recording every tab (src/shared/wire-scope.ts), kept across stops of
 * the worker: undefined when the mode has been `always` since the browser session began (or is
 * not `always`).
 */
export const wireAlwaysSince = {
  async read(): Promise<number | undefined> {
    const got = await chrome.storage.session?.get(WIRE_ALWAYS_KEY).catch(() => undefined);
    const t = got?.[WIRE_ALWAYS_KEY];
    return typeof t === 'number' ? t : undefined;
  },
  /** The mode changed: `always` from `t` on, or (undefined) no longer `always`. */
  async set(t: number | undefined): Promise<void> {
    if (t === undefined) await chrome.storage.session?.remove(WIRE_ALWAYS_KEY).catch(() => {});
    else await chrome.storage.session?.set({ [WIRE_ALWAYS_KEY]: t }).catch(() => {});
  },
};
