import type { Entry } from '../model';
import { fromHarHeaders } from './headers';
import { foreignEntry } from './import-foreign';
import { isNetlensExtra, netlensEntry, type StandardParts } from './import-netlens';
import { arr, obj, str, type Obj } from './read';

export interface ImportResult {
  entries: Entry[];
  warnings: string[];
  /** `_netlens.cors` of imported entries, by entry id (the model has no place for a CORS report). */
  cors: Map<string, unknown>;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A HAR (object or JSON text) from netlens, Chrome, Firefox, mitmproxy, Charles… → entries.
 * Never throws: what cannot be read is skipped with a warning.
 */
export function importHar(json: unknown): ImportResult {
  const result: ImportResult = { entries: [], warnings: [], cors: new Map() };
  const warn = (message: string) => result.warnings.push(message);
  let root = json;
  if (typeof json === 'string') {
    try {
      root = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
    } catch (e) {
      warn(`not JSON: ${(e as Error).message}`);
      return result;
    }
  }
  const log = obj(obj(root)?.log);
  if (!log) {
    warn('not a HAR: no "log" object');
    return result;
  }
  if (!Array.isArray(log.entries)) {
    warn('not a HAR: "log.entries" is not an array');
    return result;
  }
  const pageUrls = new Map<string, string>();
  for (const raw of arr(log.pages)) {
    const page = obj(raw);
    const id = str(page?.id);
    const title = str(page?.title);
    if (id && title && ABSOLUTE_URL.test(title)) pageUrls.set(id, title);
  }
  const ids = new Set<string>();
  log.entries.forEach((raw, index) => {
    try {
      const imported = importEntry(raw, index, (m) => warn(`entry ${index}: ${m}`));
      if (!imported) return;
      const { entry, cors, foreign } = imported;
      if (ids.has(entry.id)) {
        warn(`entry ${index}: duplicate id ${entry.id}, renamed`);
        entry.id = `${entry.id}#${index}`;
      }
      ids.add(entry.id);
      if (foreign && entry.doc !== undefined && pageUrls.has(entry.doc)) entry.frameUrl = pageUrls.get(entry.doc);
      if (cors !== undefined) result.cors.set(entry.id, cors);
      result.entries.push(entry);
    } catch (e) {
      warn(`entry ${index}: skipped (${(e as Error)?.message ?? String(e)})`);
    }
  });
  return result;
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
    requestHeaders: fromHarHeaders(request.headers),
    responseHeaders: fromHarHeaders(response.headers),
    request,
    response,
    content: obj(response.content),
  };
  const n = obj(h._netlens);
  if (isNetlensExtra(n)) return netlensEntry(n, h, parts, warn);
  if (n) warn('unreadable _netlens fields ignored');
  return { entry: foreignEntry(h, index, parts, warn), foreign: true };
}
