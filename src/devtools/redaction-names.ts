import { signal } from '@preact/signals';
import type { RedactionRules } from '../shared/redact/rules';

const KEY = 'netlens.export.redact-names';
/** What the box may hold: a user's list of names, not a document. */
const MAX_CHARS = 4_000;

function load(): string {
  try {
    const raw = localStorage.getItem(KEY);
    return typeof raw === 'string' ? raw.slice(0, MAX_CHARS) : '';
  } catch {
    return '';
  }
}

/**
 * The extra header/field names to redact, as typed in *Export HAR…* ("x-tenant, account_id"):
 * one list for the panel, used by the export and by *Copy as HAR entry*, remembered in the
 * panel's localStorage (per user profile) as the list's columns are.
 */
export const redactionNames = signal(load());

export function setRedactionNames(text: string): void {
  redactionNames.value = text.slice(0, MAX_CHARS);
  try {
    localStorage.setItem(KEY, redactionNames.value);
  } catch {
    // Storage unavailable: remembered for this session only.
  }
}

/** `text` (names split at commas and white space) as redaction rules for headers and fields alike. */
export function rulesOf(text: string): RedactionRules {
  const names = text.split(/[\s,]+/).filter(Boolean);
  return { headers: names, fields: names };
}
