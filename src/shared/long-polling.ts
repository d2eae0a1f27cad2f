import { parseUrlencoded } from './decode/urlencoded';
import type { Entry } from './model';
import type { Payload } from './protocol';
import { urlParts } from './url';

/**
 * Long polling (COMET): the page asks the same endpoint again and again, each request hangs until
 * the server has something to say, and the answer is a message. Seen as separate exchanges, it
 * hides a channel; grouped, the responses read like the messages of a socket.
 *
 * A group: ≥ `minRun` requests with the same method and URL (volatile parameters removed), each
 * started within `maxGapMs` after the previous one ended (never overlapping), and most of them
 * held open for at least `minHoldMs` (plain polling answers at once and waits between requests).
 */
export interface LongPollMessage {
  t: number;
  entryId: string;
  status?: number;
  body?: Payload;
}

export interface LongPollGroup {
  /** `METHOD url-without-volatile-params`. */
  key: string;
  entryIds: string[];
  /** The responses that carried something, in order. */
  messages: LongPollMessage[];
}

export interface LongPollOptions {
  maxGapMs?: number;
  minHoldMs?: number;
  minRun?: number;
}

const EXCHANGE_KINDS = new Set(['xhr', 'fetch', 'jsonp', 'script', 'other']);
/** Parameters that change on every request without changing what is asked for. */
const VOLATILE_NAME = /^(?:_+|t|ts|time|timestamp|now|rand|random|rnd|r|nocache|cachebuster|cache_buster|bust|seq|sequence|cursor|since|after|last|lastid|last_id|last_event_id|offset|ack|index|idx|pos|position|counter|count|n|nonce|req|reqid|request_id|id|etag|callback|cb|jsonp|jsoncallback)$/i;
/** Values that look like a clock or a counter: long digit runs, UUID-ish tokens. */
const VOLATILE_VALUE = /^(?:\d{6,}|\d+\.\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function stableUrl(url: string): string {
  const u = urlParts(url);
  if (!u) return url;
  const kept: [string, string][] = [];
  // The query as application/x-www-form-urlencoded (URL spec), split by our own parser:
  // URLSearchParams's iterator costs several times the URL parse, on every entry of a big trace.
  for (const { name, value } of parseUrlencoded(u.search.slice(1)).pairs) {
    if (VOLATILE_NAME.test(name) || VOLATILE_VALUE.test(value)) continue;
    kept.push([name, value]);
  }
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = kept.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
  return `${u.origin}${u.pathname}${query ? `?${query}` : ''}`;
}

/** The long-polling key of an entry (`METHOD stable-url`), or undefined for kinds that cannot poll. */
export function longPollKey(e: Entry): string | undefined {
  return EXCHANGE_KINDS.has(e.kind) ? `${e.method.toUpperCase()} ${stableUrl(e.url)}` : undefined;
}

/** Requests in a row a long-polling group takes at least (LongPollOptions.minRun's default). */
export const LONG_POLL_MIN_RUN = 3;

export function groupLongPolling(entries: Entry[], options: LongPollOptions = {}): LongPollGroup[] {
  const byKey = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = longPollKey(e);
    if (key === undefined) continue;
    const list = byKey.get(key);
    if (list) list.push(e);
    else byKey.set(key, [e]);
  }
  const groups: LongPollGroup[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.startTime - b.startTime);
    groups.push(...groupsOfKey(key, list, options));
  }
  const startOf = new Map<string, number>();
  for (const g of groups) startOf.set(g.entryIds[0], 0);
  for (const e of entries) if (startOf.has(e.id)) startOf.set(e.id, e.startTime);
  return groups.sort((a, b) => startOf.get(a.entryIds[0])! - startOf.get(b.entryIds[0])!);
}

/**
 * The long-polling groups among entries of one key, `list` sorted by start time, from `list[from]`
 * on (`from` must start a run: see `runStart`; default 0, the whole list). Independent of every
 * other key: a view can regroup just the keys whose entries changed, and of a key just the runs
 * from the first changed entry's on.
 */
export function groupsOfKey(key: string, list: readonly Entry[], options: LongPollOptions = {}, from = 0): LongPollGroup[] {
  const minHold = options.minHoldMs ?? 1000;
  const minRun = options.minRun ?? LONG_POLL_MIN_RUN;
  const groups: LongPollGroup[] = [];
  if (list.length - from < minRun) return groups;
  // Runs by index: most are a single request (a URL asked for once, or requests that overlap).
  let start = from;
  for (let i = from + 1; i <= list.length; i++) {
    if (i < list.length && inRun(list[i - 1], list[i], options)) continue;
    if (i - start >= minRun) {
      const run = list.slice(start, i);
      if (mostlyHeld(run, minHold)) groups.push(toGroup(key, run));
    }
    start = i;
  }
  return groups;
}

/** Whether `e` continues the run of `prev` (sequential: `prev` ended, and `e` started within the gap after it). */
function inRun(prev: Entry, e: Entry, options: LongPollOptions): boolean {
  const gap = prev.endTime === undefined ? Number.NaN : e.startTime - prev.endTime;
  return gap >= -1 && gap <= (options.maxGapMs ?? 1000);
}

/** Where the run holding `list[i]` starts (runs depend only on neighbours: see groupsOfKey). */
export function runStart(list: readonly Entry[], i: number, options: LongPollOptions = {}): number {
  while (i > 0 && inRun(list[i - 1], list[i], options)) i--;
  return i;
}

function mostlyHeld(run: Entry[], minHold: number): boolean {
  const finished = run.filter((e) => e.endTime !== undefined);
  if (!finished.length) return false;
  const held = finished.filter((e) => e.endTime! - e.startTime >= minHold).length;
  return held * 2 >= finished.length;
}

function toGroup(key: string, run: Entry[]): LongPollGroup {
  const messages: LongPollMessage[] = [];
  for (const e of run) {
    if (e.endTime === undefined || e.state !== 'done') continue;
    const body = e.response?.body;
    const status = e.response?.status;
    const empty = !body || body.size === 0 || (body.encoding === 'text' && body.data === '');
    if (empty || status === 204) continue;
    messages.push({ t: e.endTime, entryId: e.id, status, body });
  }
  return { key, entryIds: run.map((e) => e.id), messages };
}
