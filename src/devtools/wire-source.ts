/**
 * Whether this netlens holds the `webRequest` permission. As released it does not, and its wire
 * view comes from DevTools' network log while DevTools is open on a tab (src/devtools/devtools.ts);
 * the copy `netlens capture`, the demo and the tests load holds it (src/cli/chromium.ts
 * withWebRequest), and its wire view comes from webRequest, as the Wire setting says.
 */
export function holdsWebRequest(): boolean {
  return chrome.runtime.getManifest().permissions?.includes('webRequest') ?? false;
}
