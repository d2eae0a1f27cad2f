import { isToken } from './headers';

export type AllowList = { ok: true; items: string[] } | { ok: false; bad: string };

/**
 * Access-Control-Allow-Methods / -Headers: a comma-separated list of tokens; empty items are
 * skipped, anything else that is not a token fails the whole header (Chromium's
 * ParseAccessControlAllowList; https://fetch.spec.whatwg.org/#http-new-header-syntax).
 * An absent header is an empty list.
 */
export function parseAllowList(value: string | null): AllowList {
  if (value === null) return { ok: true, items: [] };
  const items: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.replace(/^[\t ]+|[\t ]+$/g, '');
    if (item === '') continue;
    if (!isToken(item)) return { ok: false, bad: item };
    items.push(item);
  }
  return { ok: true, items };
}

/** What a broken list was probably meant to be: its words as tokens, comma-separated. */
export function repairAllowList(value: string): string {
  const words = value.split(/[\s,;]+/).map((w) => w.replace(/^["']|["']$/g, '')).filter((w) => w && isToken(w));
  return [...new Set(words)].join(', ');
}
