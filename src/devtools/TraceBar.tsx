import { useMemo, useRef, useState } from 'preact/hooks';
import { startHarImport, type HarImport } from '../shared/har';
import type { Entry } from '../shared/model';
import { planRedaction } from '../shared/redact';
import type { RedactionRules } from '../shared/redact/rules';
import { buildHar, corsReportOf } from '../shared/trace';
import { redactionNames, rulesOf, setRedactionNames } from './redaction-names';

/** A HAR file bigger than this (bytes) has its first entries drawn from this much of it while the rest is read. */
const HEAD_BYTES = 1 << 20;

/**
 * Export (redacted by default, with a preview of what goes; everything, or only the entries the
 * filter shows) and import of HAR traces. `entries` and `shown` are called only when needed
 * (preview, download): a big session is not copied per update.
 */
/** `wireSince`: when the live tab's wire view started, or the imported trace's (see shared/wire-check notOnWire); undefined: all along. */
export function TraceBar({ entries: everything, shown, childrenOf, onImport, wireSince }: { entries(): readonly Entry[]; shown(): readonly Entry[]; childrenOf(id: string): readonly Entry[]; onImport(job: HarImport): void; wireSince(): number | undefined }) {
  const [open, setOpen] = useState(false);
  const [redact, setRedact] = useState(true);
  const [onlyShown, setOnlyShown] = useState(false);
  /** What the export holds: every entry, or those shown (with what sits under them: preflights, an upload's requests), in timeline order. */
  const allEntries = (): readonly Entry[] => {
    const all = everything();
    if (!onlyShown) return all;
    const keep = new Set<string>();
    for (const e of shown()) {
      keep.add(e.id);
      for (const c of childrenOf(e.id)) keep.add(c.id);
    }
    return all.filter((e) => keep.has(e.id));
  };
  const extra = redactionNames.value;
  const rules = useMemo<RedactionRules>(() => rulesOf(extra), [extra]);
  const findings = useMemo(() => {
    if (!open || !redact) return [];
    const entries = allEntries();
    const byId = new Map(entries.map((e) => [e.id, e]));
    try {
      return planRedaction(entries, rules, { cors: (e) => corsReportOf(e, byId, wireSince()) });
    } catch (error) {
      return [{ where: 'other' as const, name: `could not build the preview: ${String(error)}`, path: '', sample: '' }];
    }
  }, [open, redact, rules, onlyShown]);

  const download = () => {
    const entries = allEntries();
    const har = buildHar(entries, { redact, rules, wireSince: wireSince() });
    const url = URL.createObjectURL(new Blob([JSON.stringify(har, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `netlens-${new Date().toISOString().replace(/[:.]/g, '-')}.har`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setOpen(false);
  };

  /** The latest file chosen: an earlier one still being read is dropped. */
  const latest = useRef(0);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const mine = ++latest.current;
    // A big file takes a while to read whole (about a second for 65 MB): its first entries are
    // shown from its first part meanwhile.
    if (file.size > HEAD_BYTES) {
      const head = await file.slice(0, HEAD_BYTES).text();
      if (mine !== latest.current) return;
      onImport(startHarImport(head, { head: true }));
    }
    const text = await file.text();
    if (mine === latest.current) onImport(startHarImport(text));
  };

  return (
    <span class="trace-bar">
      <button onClick={() => setOpen(!open)} data-testid="export-open">
        Export HAR…
      </button>
      <label class="button">
        Import HAR
        <input type="file" accept=".har,application/json" hidden data-testid="import-file" onChange={(e) => void onFile((e.target as HTMLInputElement).files?.[0])} />
      </label>
      {open && (
        <div class="export-dialog" data-testid="export-dialog">
          <label>
            <input type="checkbox" checked={redact} onChange={(e) => setRedact((e.target as HTMLInputElement).checked)} data-testid="export-redact" /> Redact secrets
            (on by default)
          </label>
          <label>
            <input type="checkbox" checked={onlyShown} onChange={(e) => setOnlyShown((e.target as HTMLInputElement).checked)} data-testid="export-shown" /> Only the
            entries the filter shows ({shown().length}, with their preflights and uploads' requests)
          </label>
          <label>
            Also redact these header/field names:{' '}
            <input value={extra} onInput={(e) => setRedactionNames((e.target as HTMLInputElement).value)} placeholder="x-tenant, account_id" data-testid="export-rules" />
          </label>
          <p>{redact ? `${findings.length} values will be replaced by [redacted:…] markers:` : 'Nothing will be redacted: the trace may carry credentials.'}</p>
          <ul class="findings" data-testid="export-findings">
            {findings.slice(0, 200).map((f, i) => (
              <li key={i}>
                {f.where} <b>{f.name}</b> <span class="muted">{f.sample}</span>
              </li>
            ))}
          </ul>
          <button onClick={download} data-testid="export-download">
            Download {allEntries().length} entries
          </button>
        </div>
      )}
    </span>
  );
}
