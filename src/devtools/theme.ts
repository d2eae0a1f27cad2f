type ThemeName = 'light' | 'dark';

interface DevtoolsPanels {
  themeName?: string;
  setThemeChangeHandler?(handler: (name: string) => void): void;
}

const panels = (): DevtoolsPanels | undefined => (globalThis as { chrome?: { devtools?: { panels?: DevtoolsPanels } } }).chrome?.devtools?.panels;

/** DevTools' theme names ('default' | 'dark') → ours. */
const fromDevtools = (name: string | undefined): ThemeName => (name === 'dark' ? 'dark' : 'light');

/**
 * Follows DevTools' theme: `chrome.devtools.panels.themeName` ('default' or 'dark') at start and
 * its change handler where Chrome has one; `?theme=dark|light` overrides it (the panel opened as
 * a tab, tests). Sets `<html data-theme>`, which theme.css reads.
 */
export function applyTheme(): ThemeName {
  const asked = new URLSearchParams(location.search).get('theme');
  const set = (theme: ThemeName) => (document.documentElement.dataset.theme = theme);
  if (asked === 'dark' || asked === 'light') return set(asked) as ThemeName;
  const p = panels();
  const theme = fromDevtools(p?.themeName);
  set(theme);
  try {
    p?.setThemeChangeHandler?.((name) => set(fromDevtools(name)));
  } catch {
    // Older Chrome: the theme is read once, when the panel opens.
  }
  return theme;
}
