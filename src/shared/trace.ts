import { toCorsReport } from './cors';
import { corsForEntry } from './entry-cors';
import { exportHar } from './har/export';
import type { Har } from './har/types';
import type { Entry } from './model';
import type { RedactionRules } from './redact/rules';

export const NETLENS_VERSION = '0.1.0';

/** Entries → the HAR netlens writes, with the CORS report on every cross-origin entry. */
export function buildHar(entries: readonly Entry[], opts: { redact: boolean; rules?: RedactionRules; browser?: { name: string; version: string }; wireSince?: number }): Har {
  const byId = new Map(entries.map((e) => [e.id, e]));
  return exportHar(entries, {
    version: NETLENS_VERSION,
    browser: opts.browser,
    redact: opts.redact ? opts.rules : false,
    cors: (e) => corsReportOf(e, byId, opts.wireSince),
    wireSince: opts.wireSince,
  });
}

/** The CORS report of a cross-origin entry (undefined otherwise); `wireSince` as corsForEntry takes it. */
export function corsReportOf(entry: Entry, byId: Map<string, Entry>, wireSince?: number) {
  const analysis = corsForEntry(entry, (id) => byId.get(id), wireSince);
  return analysis && analysis.crossOrigin ? toCorsReport(analysis) : undefined;
}
