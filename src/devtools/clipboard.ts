/**
 * Text to the clipboard from the panel. Inside DevTools an extension panel is an iframe where
 * `navigator.clipboard.writeText` is refused (no clipboard-write permission policy on the
 * frame), so the first way is `document.execCommand('copy')` inside the click, with the text
 * handed over in the `copy` event (no hidden textarea to lay out: a 1 MiB body copies as fast as
 * a URL). Then a hidden textarea selected and copied, then the async API (the panel opened as a
 * tab). Resolves true when one of them reported success.
 */
export async function copyText(text: string): Promise<boolean> {
  let handed = false;
  const onCopy = (e: ClipboardEvent) => {
    if (!e.clipboardData) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
    handed = true;
  };
  document.addEventListener('copy', onCopy, true);
  try {
    if (document.execCommand('copy') && handed) return true;
  } catch {
    // Refused: try the next way.
  } finally {
    document.removeEventListener('copy', onCopy, true);
  }
  if (viaTextarea(text)) return true;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function viaTextarea(text: string): boolean {
  const before = document.activeElement as HTMLElement | null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  Object.assign(area.style, { position: 'fixed', top: '0', left: '0', opacity: '0', pointerEvents: 'none' });
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
  return ok;
}
