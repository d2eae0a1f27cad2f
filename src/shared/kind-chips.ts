import { statusCode } from './entry-columns';
import type { MatchContext } from './filter-language';
import type { Entry } from './model';

/**
 * The kind chips beside the filter box (Chrome's resource-type buttons, in our kinds). Chips
 * chosen together let an entry through when any of them does (OR), and combine with the query
 * (AND); none chosen is "All".
 */
export const KIND_CHIPS = [
  { id: 'fetch-xhr', label: 'Fetch/XHR' },
  { id: 'ws', label: 'WS' },
  { id: 'sse', label: 'SSE' },
  { id: 'jsonp', label: 'JSONP' },
  { id: 'beacon', label: 'Beacon' },
  { id: 'preflight', label: 'Preflight' },
  { id: 'failed', label: 'Failed' },
  { id: 'cors-errors', label: 'CORS errors' },
] as const;
export type KindChip = (typeof KIND_CHIPS)[number]['id'];

/** The exchange did not complete: a network error, an abort, a timeout. */
export const unfinished = (e: Entry): boolean => e.state === 'error' || e.state === 'aborted' || e.state === 'timeout';

/**
 * An entry is `failed` when the exchange did not complete (unfinished) or its HTTP status is 400
 * or more.
 */
export function chipPredicate(chips: readonly KindChip[], ctx: MatchContext): (e: Entry) => boolean {
  if (chips.length === 0) return () => true;
  // Cheap kind tests before the CORS verdict.
  const ordered = [...chips].sort((a, b) => Number(a === 'cors-errors') - Number(b === 'cors-errors'));
  const tests = ordered.map((chip): ((e: Entry) => boolean) => {
    switch (chip) {
      case 'fetch-xhr':
        return (e) => e.kind === 'fetch' || e.kind === 'xhr';
      case 'ws':
        return (e) => e.kind === 'websocket';
      case 'sse':
        return (e) => e.kind === 'eventsource';
      case 'jsonp':
        return (e) => e.kind === 'jsonp';
      case 'beacon':
        return (e) => e.kind === 'beacon';
      case 'preflight':
        return (e) => e.kind === 'preflight';
      case 'failed':
        return (e) => unfinished(e) || (statusCode(e) ?? 0) >= 400;
      case 'cors-errors':
        return (e) => ctx.blocked(e);
    }
  });
  return (e) => tests.some((test) => test(e));
}

/** True when chips `next` let through no entry chips `prev` do not (All → some; fewer of the same). */
export function chipsNarrow(prev: readonly KindChip[], next: readonly KindChip[]): boolean {
  if (prev.length === 0) return true;
  return next.length > 0 && next.every((c) => prev.includes(c));
}
