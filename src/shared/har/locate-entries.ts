/**
 * Where `log.entries` sits inside HAR JSON text, found without parsing the whole text, so that a
 * big trace is read a slice of entries at a time and its first rows are drawn before the rest is
 * parsed (a 100,000-entry HAR is about 65 MB; `JSON.parse` of it all takes most of a second).
 *
 * This is a scanner, not a parser: it follows strings and brackets (RFC 8259 structure) to find
 * value boundaries and checks the separators between entries; every piece it finds is still given
 * to `JSON.parse`, which validates it.
 */

export interface LocatedEntries {
  /** The HAR text with `log.entries` replaced by `[]`: small, for `JSON.parse` (pages, creator…). */
  rest: string;
  /** Offsets (UTF-16 code units) of each entry's JSON text: entry k is `text.slice(starts[k], ends[k])`. */
  starts: number[];
  ends: number[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

function skipSpace(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** `i` at an opening quote → the index after the closing one, or -1. */
function stringEnd(t: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = t.indexOf('"', from);
    if (q < 0) return -1;
    let b = q - 1;
    while (t.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** `i` at the first character of a value → the index after it, or -1 when it does not end. */
function valueEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === QUOTE) return stringEnd(t, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const d = t.charCodeAt(j);
      if (d === QUOTE) {
        j = stringEnd(t, j) - 1;
        if (j < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  for (;;) {
    const d = t.charCodeAt(j);
    if (Number.isNaN(d) || d === COMMA || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    j++;
  }
  return j > i ? j : -1;
}

/**
 * The object at `i`: where it ends, and the value of its member `name` (the last one, as
 * `JSON.parse` keeps) as [start, end); undefined when it cannot be followed. `scan`, when given,
 * finds the end of that member's value instead of `valueEnd` (so a big value is walked once).
 */
function member(t: string, i: number, name: string, scan: (t: string, i: number) => number = valueEnd): { found?: [number, number]; end: number } | undefined {
  if (t.charCodeAt(i) !== 0x7b) return undefined;
  let found: [number, number] | undefined;
  i = skipSpace(t, i + 1);
  if (t.charCodeAt(i) === 0x7d) return { end: i + 1 };
  for (;;) {
    if (t.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(t, i);
    if (keyEnd < 0) return undefined;
    let key: unknown;
    try {
      key = JSON.parse(t.slice(i, keyEnd));
    } catch {
      return undefined;
    }
    i = skipSpace(t, keyEnd);
    if (t.charCodeAt(i) !== COLON) return undefined;
    const start = skipSpace(t, i + 1);
    const end = key === name ? scan(t, start) : valueEnd(t, start);
    if (end < 0) return undefined;
    if (key === name) found = [start, end];
    i = skipSpace(t, end);
    const sep = t.charCodeAt(i);
    if (sep === 0x7d) return { found, end: i + 1 };
    if (sep !== COMMA) return undefined;
    i = skipSpace(t, i + 1);
  }
}

/**
 * Finds `log.entries` in HAR text (a leading BOM is allowed). Returns undefined when the text is
 * not an object whose `log.entries` is an array the scanner can follow; the caller then parses
 * the text whole, which reports what is wrong.
 */
export function locateHarEntries(text: string): LocatedEntries | undefined {
  let starts: number[] = [];
  let ends: number[] = [];
  /** The array at `i`: its elements' offsets (a later `entries` key starts over), → the index after it, or -1. */
  const elements = (t: string, i: number): number => {
    starts = [];
    ends = [];
    if (t.charCodeAt(i) !== 0x5b) return valueEnd(t, i);
    i = skipSpace(t, i + 1);
    if (t.charCodeAt(i) === 0x5d) return i + 1;
    for (;;) {
      const end = valueEnd(t, i);
      if (end < 0) return -1;
      starts.push(i);
      ends.push(end);
      i = skipSpace(t, end);
      const sep = t.charCodeAt(i);
      if (sep === 0x5d) return i + 1;
      if (sep !== COMMA) return -1;
      i = skipSpace(t, i + 1);
    }
  };
  const root = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  let list: [number, number] | undefined;
  // The log object is walked once: its `entries` member by `elements`, the rest skipped.
  const log = member(text, root, 'log', (t, i) => {
    list = undefined;
    const inLog = member(t, i, 'entries', elements);
    if (!inLog) return t.charCodeAt(i) === 0x7b ? -1 : valueEnd(t, i);
    list = inLog.found;
    return inLog.end;
  });
  if (!log?.found || !list || text.charCodeAt(list[0]) !== 0x5b) return undefined;
  return { rest: `${text.slice(0, list[0])}[]${text.slice(list[1])}`, starts, ends };
}

/** In the object at `i`: where the value of the first member `name` starts, or -1 (not there, or not within `t`). */
function memberStart(t: string, i: number, name: string, at?: { key: number }): number {
  if (t.charCodeAt(i) !== 0x7b) return -1;
  i = skipSpace(t, i + 1);
  while (t.charCodeAt(i) === QUOTE) {
    if (at) at.key = i;
    const keyEnd = stringEnd(t, i);
    if (keyEnd < 0) return -1;
    let key: unknown;
    try {
      key = JSON.parse(t.slice(i, keyEnd));
    } catch {
      return -1;
    }
    i = skipSpace(t, keyEnd);
    if (t.charCodeAt(i) !== COLON) return -1;
    const start = skipSpace(t, i + 1);
    if (key === name) return start;
    const end = valueEnd(t, start);
    if (end < 0) return -1;
    i = skipSpace(t, end);
    if (t.charCodeAt(i) !== COMMA) return -1;
    i = skipSpace(t, i + 1);
  }
  return -1;
}

/**
 * What lies whole within `head`, the first part of a HAR's text (the file still being read):
 * `entries`, the JSON texts of the entries, in order, possibly none; `log`, the JSON text of an
 * object of the members of `log` before its `entries` (a netlens trace's `_netlens`, with
 * `wireSince`; `pages`), `{}` when there are none. For drawing the first rows early only: it takes
 * the first `log` and `entries` keys and checks nothing after the last whole entry, so the full
 * text must still be read with `locateHarEntries`/`JSON.parse`.
 */
export function leadingHar(head: string): { log: string; entries: string[] } {
  const root = skipSpace(head, head.charCodeAt(0) === 0xfeff ? 1 : 0);
  const log = memberStart(head, root, 'log');
  const at = { key: -1 };
  const list = log < 0 ? -1 : memberStart(head, log, 'entries', at);
  const out: string[] = [];
  if (list < 0 || head.charCodeAt(list) !== 0x5b) return { log: '{}', entries: out };
  // `{"version": …, "pages": […],` up to the "entries" key: closed where its last comma is.
  const before = head.slice(log, at.key).trimEnd();
  const members = before.endsWith(',') ? `${before.slice(0, -1)}}` : '{}';
  let i = skipSpace(head, list + 1);
  while (i < head.length) {
    const end = valueEnd(head, i);
    // Cut off, or a primitive running to the end of `head` (it may go on).
    if (end < 0 || end >= head.length) break;
    out.push(head.slice(i, end));
    i = skipSpace(head, end);
    if (head.charCodeAt(i) !== COMMA) break;
    i = skipSpace(head, i + 1);
  }
  return { log: members, entries: out };
}
