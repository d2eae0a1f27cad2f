import type { Entry } from '../model';
import { applyRedaction } from '../redact/apply';
import type { RedactionRules } from '../redact/rules';
import { harTransfers } from '../transfers';
import { toHarEntry } from './export-entry';
import { sameHarHeaders } from './headers';
import { sawWire, wireFromDevtools } from '../wire-check';
import { harPages } from './pages';
import { NETLENS_HAR_FORMAT, type Har, type HarEntry } from './types';

export interface ExportOptions {
  /** netlens version for `log.creator.version`. */
  version?: string;
  browser?: { name: string; version: string };
  /** The CORS analyzer's report for an entry, stored as `_netlens.cors`. */
  cors?: (entry: Entry) => unknown;
  /** Redaction rules; on with the default rules unless `false` (or rules with `enabled: false`). */
  redact?: RedactionRules | false;
  /** When the tab's wire view started (epoch ms): entries before it are not checked for `_netlens.notOnWire` (see shared/wire-check). */
  wireSince?: number;
}

/** Entries (from the timeline) → a HAR 1.2 log, redacted unless told otherwise. */
export function exportHar(entries: readonly Entry[], options: ExportOptions = {}): Har {
  const redact = options.redact !== false && options.redact?.enabled !== false;
  const transfers = harTransfers(entries);
  // A trace with no wire view at all (imported from elsewhere) has nothing to check against.
  const wireChecked = sawWire(entries);
  const fromDevtools = wireChecked && wireFromDevtools(entries);
  const har: Har = {
    log: {
      version: '1.2',
      creator: { name: 'netlens', version: options.version ?? 'dev' },
      // Before the entries: a reader of the file's first part (the panel's import draws its first
      // rows early) has it with them.
      _netlens: { format: NETLENS_HAR_FORMAT, redacted: false },
      pages: harPages(entries),
      entries: entries.map((e) => toHarEntry(e, { cors: options.cors, transfer: (entry) => transfers.get(entry.id), wireChecked, wireFromDevtools: fromDevtools, wireSince: options.wireSince })),
    },
  };
  // Not known yet (the far future: nothing was checked): from now, so a re-export checks nothing before it either.
  if (options.wireSince !== undefined) har.log._netlens!.wireSince = new Date(Number.isFinite(options.wireSince) ? options.wireSince : Date.now()).toISOString();
  if (options.browser) har.log.browser = { ...options.browser };
  if (!redact) return har;
  const redacted = applyRedaction(har, options.redact || undefined).har;
  for (const e of redacted.log.entries) dropRedactedTwins(e);
  return redacted;
}

/**
 * The page's request or response headers (`_netlens.requestHeaders`, `_netlens.response.headers`)
 * are written when they differ from the wire's (`request.headers`, `response.headers`); redacted,
 * two different values of one length (`[redacted:16-32]`) read the same, and the page's list
 * says nothing the wire's does not: left out, as an export of the imported file leaves it out.
 */
function dropRedactedTwins(e: HarEntry): void {
  const n = e._netlens;
  if (!n) return;
  if (n.requestHeaders && sameHarHeaders(n.requestHeaders, e.request.headers)) delete n.requestHeaders;
  if (n.response?.headers && sameHarHeaders(n.response.headers, e.response.headers)) delete n.response.headers;
}
