import { render } from 'preact';
import { applyTheme } from '../devtools/theme';
import { Popup } from './Popup';

applyTheme();

/** The tab the popup is about: `?tabId=` (popup.html opened as a tab, tests), else the active tab. */
async function targetTab(): Promise<number | undefined> {
  const param = new URLSearchParams(location.search).get('tabId');
  if (param) return Number(param);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

void targetTab().then((tabId) => render(<Popup tabId={tabId} />, document.getElementById('app')!));
