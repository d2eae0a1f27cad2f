import type { Entry } from '../model';
import { fromHarHeaders } from './headers';
import { foreignEntry } from './import-foreign';
import { isNetlensExtra, netlensEntry, type StandardParts } from './import-netlens';
import { leadingHar, locateHarEntries } from './locate-entries';
import { arr, obj, str, type Obj } from './read';

export interface ImportResult {
  entries: Entry[];
  /** What could not be read, in file order: the first MAX_WARNINGS only. */
  warnings: string[];
  /** Warnings past MAX_WARNINGS: counted, not kept (a 9 MB file of 3,000,000 `{}` entries would keep 3,000,000 strings). */
  moreWarnings: number;
  /** `_netlens.cors` of imported entries, by entry id (the model has no place for a CORS report). */
  cors: Map<string, unknown>;
  /** `log._netlens.wireSince` of a netlens trace: when its wire view began (epoch ms), if not all along. */
  wireSince?: number;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Warnings kept per import; the rest are counted (`moreWarnings`). */
export const MAX_WARNINGS = 1_000;

/**
 * A HAR (object or JSON text) from netlens, Chrome, Firefox, mitmproxy, Charles… → entries.
 * Never throws: what cannot be read is skipped with a warning.
 */
export function importHar(json: unknown): ImportResult {
  const job = startHarImport(json);
  while (!job.done) job.next(Infinity);
  return job.result;
}

/** An import under way: `next(n)` reads up to `n` more entries. */
export interface HarImport {
  /** Filled as entries are read; `warnings` and `cors` too. */
  readonly result: ImportResult;
  /** How many entries the HAR lists (read or not). */
  readonly total: number;
  /** True once every entry has been read (or the HAR could not be read at all). */
  readonly done: boolean;
  /** Started with `head`: the entries of the file's first part only; the whole file follows. */
  readonly head: boolean;
  /** Reads up to `n` more entries into `result` and returns them (in file order). Never throws. */
  next(n: number): Entry[];
}

/**
 * Starts reading a HAR a slice of entries at a time, so that a big trace's first rows can be
 * drawn before the rest is read. JSON text is not parsed whole: `log.entries` is located first
 * (`locateHarEntries`) and each slice of entries is parsed when it is read; an entry whose JSON
 * is malformed is skipped with a warning. Text the scanner cannot follow is parsed whole, as
 * `JSON.parse` would (and reported as "not JSON" when it is not).
 *
 * With `head`, `json` is the first part of a file still being read: only the entries lying whole
 * within it are read (see `leadingHar`), with the log's members before them (`_netlens`,
 * `pages`), to draw the first rows early; the whole file is then imported again, and that import
 * is the one to keep.
 */
export function startHarImport(json: unknown, { head = false }: { head?: boolean } = {}): HarImport {
  const result: ImportResult = { entries: [], warnings: [], moreWarnings: 0, cors: new Map() };
  const warn = (message: string) => {
    if (result.warnings.length < MAX_WARNINGS) result.warnings.push(message);
    else result.moreWarnings++;
  };
  const stopped = (): HarImport => ({ result, total: 0, done: true, head, next: () => [] });
  let root = json;
  /** The entries' JSON texts, when reading text: how many, and entries `from…to-1` joined by commas. */
  let slices: { count: number; joined(from: number, to: number): string; one(k: number): string } | undefined;
  if (head && typeof json === 'string') {
    const { log: before, entries: texts } = leadingHar(json);
    // What the log says before its entries (`_netlens`, `pages`), so the first rows are read as the whole file's will be.
    let members: unknown;
    try {
      members = JSON.parse(before);
    } catch {
      members = undefined;
    }
    root = { log: { ...(obj(members) ?? {}), entries: [] } };
    slices = { count: texts.length, joined: (from, to) => texts.slice(from, to).join(','), one: (k) => texts[k] };
  } else if (typeof json === 'string') {
    const located = locateHarEntries(json);
    const text = located ? located.rest : json;
    try {
      root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      warn(`not JSON: ${(e as Error).message}`);
      return stopped();
    }
    if (located) {
      const { starts, ends } = located;
      slices = { count: starts.length, joined: (from, to) => json.slice(starts[from], ends[to - 1]), one: (k) => json.slice(starts[k], ends[k]) };
    }
  }
  const log = obj(obj(root)?.log);
  if (!log) {
    warn('not a HAR: no "log" object');
    return stopped();
  }
  if (!Array.isArray(log.entries)) {
    warn('not a HAR: "log.entries" is not an array');
    return stopped();
  }
  const parsed: unknown[] = log.entries;
  const wireSince = Date.parse(str(obj(log._netlens)?.wireSince) ?? '');
  if (Number.isFinite(wireSince)) result.wireSince = wireSince;
  const pageUrls = new Map<string, string>();
  for (const raw of arr(log.pages)) {
    const page = obj(raw);
    const id = str(page?.id);
    const title = str(page?.title);
    if (id && title && ABSOLUTE_URL.test(title)) pageUrls.set(id, title);
  }
  const ids = new Set<string>();
  const total = slices ? slices.count : parsed.length;
  let at = 0;

  /** Entries `from…to-1` as values: one JSON.parse for the slice, or one per entry when it fails. */
  const rawSlice = (from: number, to: number): unknown[] => {
    if (!slices) return parsed.slice(from, to);
    try {
      return JSON.parse(`[${slices.joined(from, to)}]`) as unknown[];
    } catch {
      const out: unknown[] = [];
      for (let k = from; k < to; k++) {
        try {
          out.push(JSON.parse(slices.one(k)));
        } catch (e) {
          warn(`entry ${k}: not JSON: ${(e as Error).message}`);
          out.push(undefined);
        }
      }
      return out;
    }
  };

  const add = (raw: unknown, index: number, added: Entry[]) => {
    try {
      const imported = importEntry(raw, index, (m) => warn(`entry ${index}: ${m}`));
      if (!imported) return;
      const { entry, cors, foreign } = imported;
      if (ids.has(entry.id)) {
        // Renamed to an id no entry has yet (another may be called `<id>#<index>` already): the
        // panel finds entries by id, and of two with one id shows only the first.
        let renamed = `${entry.id}#${index}`;
        for (let k = 2; ids.has(renamed); k++) renamed = `${entry.id}#${index}#${k}`;
        warn(`entry ${index}: duplicate id ${entry.id}, renamed ${renamed}`);
        entry.id = renamed;
      }
      ids.add(entry.id);
      if (foreign && entry.doc !== undefined && pageUrls.has(entry.doc)) entry.frameUrl = pageUrls.get(entry.doc);
      if (cors !== undefined) result.cors.set(entry.id, cors);
      result.entries.push(entry);
      added.push(entry);
    } catch (e) {
      warn(`entry ${index}: skipped (${(e as Error)?.message ?? String(e)})`);
    }
  };

  return {
    result,
    total,
    head,
    get done() {
      return at >= total;
    },
    next(n) {
      const added: Entry[] = [];
      const to = Math.min(total, at + Math.max(1, n));
      if (at >= to) return added;
      const raws = rawSlice(at, to);
      for (let k = 0; k < raws.length; k++) {
        const index = at + k;
        // A slice's JSON failed and this entry did not parse on its own (already warned).
        if (raws[k] === undefined && slices) continue;
        add(raws[k], index, added);
      }
      at = to;
      return added;
    },
  };
}

function importEntry(raw: unknown, index: number, warn: (m: string) => void): { entry: Entry; cors?: unknown; foreign?: true } | undefined {
  const h = obj(raw);
  const request = obj(h?.request);
  if (!h || !request) {
    warn('skipped: no request');
    return undefined;
  }
  const response: Obj = obj(h.response) ?? {};
  if (!obj(h.response)) warn('no response');
  const url = str(request.url);
  if (url === undefined) warn('request has no url');
  const started = str(h.startedDateTime);
  let startTime = started === undefined ? NaN : Date.parse(started);
  if (Number.isNaN(startTime)) {
    warn(`bad startedDateTime ${JSON.stringify(h.startedDateTime)}`);
    startTime = 0;
  }
  const parts: StandardParts = {
    method: str(request.method) ?? 'GET',
    url: url ?? '',
    startTime,
    requestHeaders: fromHarHeaders(request.headers, 'request.headers', warn),
    responseHeaders: fromHarHeaders(response.headers, 'response.headers', warn),
    request,
    response,
    content: obj(response.content),
  };
  const n = obj(h._netlens);
  if (isNetlensExtra(n)) return netlensEntry(n, h, parts, warn);
  if (n) warn('unreadable _netlens fields ignored');
  return { entry: foreignEntry(h, index, parts, warn), foreign: true };
}
