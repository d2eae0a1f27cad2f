import { useState } from 'preact/hooks';
import { COPY_FORMATS, copyAs, type CopyFormat } from '../shared/copy-as';
import type { Entry } from '../shared/model';
import { copyText } from './clipboard';

/**
 * The detail's "Copy" menu: the entry as cURL, fetch, Node fetch, a HAR entry, its response or
 * its URL (src/shared/copy-as.ts), written to the clipboard; what the copy could not carry is
 * said under the menu.
 */
export function CopyMenu({ entry, related }: { entry: Entry; related?: () => readonly Entry[] }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<{ label: string; ok: boolean; notes: string[]; chars: number } | undefined>(undefined);
  const copy = async (format: CopyFormat, label: string) => {
    setOpen(false);
    let result;
    try {
      result = copyAs(entry, format, related?.());
    } catch (error) {
      setStatus({ label, ok: false, notes: [`could not build the copy: ${String(error)}`], chars: 0 });
      return;
    }
    const ok = await copyText(result.text);
    setStatus({ label, ok, notes: result.notes, chars: result.text.length });
  };
  return (
    <span class="copy-menu">
      <button onClick={() => setOpen(!open)} data-testid="copy-open" aria-haspopup="menu" aria-expanded={open}>
        Copy ▾
      </button>
      {open && (
        <div class="menu" role="menu" data-testid="copy-menu">
          {COPY_FORMATS.map(({ format, label }) => (
            <button key={format} role="menuitem" onClick={() => void copy(format, label)} data-testid={`copy-${format}`}>
              {label}
            </button>
          ))}
        </div>
      )}
      {status && (
        <span class={status.ok ? 'muted' : 'warn'} data-testid="copy-status" data-ok={String(status.ok)} title={status.notes.join('\n')}>
          {status.ok ? `${status.label.replace(/^Copy /, 'Copied ')} (${status.chars} characters)` : `${status.label} failed: the clipboard refused`}
          {status.notes.length ? ` · ${status.notes.join(' ')}` : ''}
        </span>
      )}
    </span>
  );
}
