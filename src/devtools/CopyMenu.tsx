import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { COPY_FORMATS, copyAs, type CopyFormat } from '../shared/copy-as';
import type { Entry } from '../shared/model';
import { copyText } from './clipboard';
import { redactionNames, rulesOf } from './redaction-names';

/** What the last copy did: its label, whether the clipboard took it, the notes, its length. */
export interface CopyOutcome {
  label: string;
  ok: boolean;
  notes: string[];
  chars: number;
}

/**
 * Copies an entry in one of the COPY_FORMATS (src/shared/copy-as.ts) to the clipboard; `status`
 * is the last copy's outcome (shown with CopyStatus). Used by the detail's Copy menu and the
 * list's row menu. `wireSince`: when the tab's wire view started (see shared/entry-cors corsForEntry).
 */
export function useCopyAs(wireSince?: () => number | undefined) {
  const [status, setStatus] = useState<CopyOutcome | undefined>(undefined);
  const copy = async (entry: Entry, format: CopyFormat, label: string, related?: () => readonly Entry[]) => {
    let result;
    try {
      // A HAR entry is redacted as the export would be, with the extra names typed there.
      result = copyAs(entry, format, related?.(), wireSince?.(), rulesOf(redactionNames.peek()));
    } catch (error) {
      setStatus({ label, ok: false, notes: [`could not build the copy: ${String(error)}`], chars: 0 });
      return;
    }
    const ok = await copyText(result.text);
    setStatus({ label, ok, notes: result.notes, chars: result.text.length });
  };
  return { copy, status, clear: () => setStatus(undefined) };
}

/** A copy's outcome in a line: what was copied and how long, or that the clipboard refused; the notes after. */
export function CopyStatus({ status, testid = 'copy-status' }: { status: CopyOutcome; testid?: string }) {
  return (
    <span class={status.ok ? 'muted' : 'warn'} data-testid={testid} data-ok={String(status.ok)} title={status.notes.join('\n')}>
      {status.ok ? `${status.label.replace(/^Copy /, 'Copied ')} (${status.chars} characters)` : `${status.label} failed: the clipboard refused`}
      {status.notes.length ? ` · ${status.notes.join(' ')}` : ''}
    </span>
  );
}

/**
 * The detail's "Copy" menu: the entry as cURL, fetch, Node fetch, a HAR entry, its response or
 * its URL, written to the clipboard; what the copy could not carry is said under the menu.
 */
export function CopyMenu({ entry, related, wireSince }: { entry: Entry; related?: () => readonly Entry[]; wireSince?: () => number | undefined }) {
  const [open, setOpen] = useState(false);
  const { copy, status } = useCopyAs(wireSince);
  return (
    <span class="copy-menu">
      <button onClick={() => setOpen(!open)} data-testid="copy-open" aria-haspopup="menu" aria-expanded={open}>
        Copy ▾
      </button>
      {open && (
        <div class="menu" role="menu" data-testid="copy-menu">
          {COPY_FORMATS.map(({ format, label }) => (
            <button
              key={format}
              role="menuitem"
              onClick={() => {
                setOpen(false);
                void copy(entry, format, label, related);
              }}
              data-testid={`copy-${format}`}
            >
              {label}
            </button>
          ))}
        </div>
      )}
      {status && <CopyStatus status={status} />}
    </span>
  );
}

/**
 * The list's row menu (a right-click on a row): the same copies as the detail's Copy menu, for
 * that row's entry, at the pointer. Closes on a choice, Escape, or a press elsewhere.
 */
export function RowMenu({ entry, x, y, related, onCopy, onClose }: {
  entry: Entry;
  /** Where the pointer was, px in the viewport. */
  x: number;
  y: number;
  related?: () => readonly Entry[];
  /** Copies (see useCopyAs), so that the outcome outlives the menu. */
  onCopy(entry: Entry, format: CopyFormat, label: string, related?: () => readonly Entry[]): void;
  onClose(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [at, setAt] = useState({ left: x, top: y });
  // At once, before it is first painted: placed inside the viewport (no jump), focused, and
  // answering Escape and a press elsewhere from the moment it shows (after the next frame, a key
  // pressed as it appeared went past it).
  useLayoutEffect(() => {
    // Kept inside the viewport.
    const el = ref.current;
    if (el) setAt({ left: Math.max(0, Math.min(x, innerWidth - el.offsetWidth - 2)), top: Math.max(0, Math.min(y, innerHeight - el.offsetHeight - 2)) });
    el?.querySelector<HTMLButtonElement>('button')?.focus();
    const away = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      onClose();
    };
    document.addEventListener('pointerdown', away, true);
    document.addEventListener('keydown', key, true);
    return () => {
      document.removeEventListener('pointerdown', away, true);
      document.removeEventListener('keydown', key, true);
    };
  }, [x, y]);
  return (
    <div class="menu row-menu" role="menu" ref={ref} style={{ left: `${at.left}px`, top: `${at.top}px` }} data-testid="row-menu" data-id={entry.id}>
      {COPY_FORMATS.map(({ format, label }) => (
        <button
          key={format}
          role="menuitem"
          onClick={() => {
            onClose();
            onCopy(entry, format, label, related);
          }}
          data-testid={`row-copy-${format}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
