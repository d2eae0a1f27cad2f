import { exportHar } from '../har/export';
import type { Entry } from '../model';
import { applyRedaction } from './apply';
import type { RedactionFinding } from './marker';
import type { RedactionRules } from './rules';

/**
 * What an export with these rules will remove, entry by entry: the same pass as the export runs,
 * so the preview and the file agree.
 */
export function planRedaction(entries: readonly Entry[], rules: RedactionRules = {}, options: { cors?: (entry: Entry) => unknown } = {}): RedactionFinding[] {
  if (rules.enabled === false) return [];
  const har = exportHar(entries, { redact: false, cors: options.cors });
  return applyRedaction(har, rules).findings;
}
