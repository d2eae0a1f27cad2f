/**
 * Text to the clipboard from the panel. Inside DevTools an extension panel is an iframe where
 * `navigator.clipboard.writeText` is refused (no clipboard-write permission policy on the
 * frame), so the first way is the one DevTools-hosted pages use: a hidden, focused textarea and
 * `document.execCommand('copy')` inside the click. The async API is the fallback (the panel
 * opened as a tab). Resolves true when one of them reported success.
 */
export async function copyText(text: string): Promise<boolean> {
  const before = document.activeElement as HTMLElement | null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '0';
  area.style.opacity = '0';
  area.style.pointerEvents = 'none';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  before?.focus?.();
  if (ok) return true;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
