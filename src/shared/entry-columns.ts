import { firstCallFrame } from './har/initiator';
import { firstHeaderValue } from './headers';
import type { Entry, Message } from './model';
import { urlParts } from './url';

/**
 * What the entry list shows of an entry beyond its own fields, one place per fact, shared by the
 * list's cells, its sort and the filter language (src/shared/filter-language.ts). Pure.
 */

/**
 * `text` cut to at most `max` UTF-16 units and an ellipsis (never inside a surrogate pair): what a
 * cell or tooltip shows of a string that can be megabytes (a data: URL up to Chromium's 2 MiB),
 * which the browser would otherwise lay out whole on each draw.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return `${text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)}…`;
}

/** What the Name column shows of a URL at most, and its tooltip (the detail has it whole). */
export const NAME_CHARS = 1_000;
export const TITLE_CHARS = 4_000;

/** The entry's URL as the Name column shows it: path and query (at most NAME_CHARS), and the host beside it. */
export function entryName(e: Entry): { path: string; host: string } {
  const u = urlParts(e.url);
  return u ? { path: clipText(`${u.pathname}${u.search}` || e.url, NAME_CHARS), host: u.host } : { path: clipText(e.url, NAME_CHARS), host: '' };
}

/** scheme://[userinfo@]host — the host as it stands in an already serialized (normalized) URL. */
const SERIALIZED_HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#[\]@]*)(?::\d*)?(?:[/?#]|$)/;

/**
 * The URL's host (lower case, with no port), '' when it does not parse: what `domain:` matches.
 * Read straight from a serialized URL (what the page's calls and the wire give), as `new URL`
 * would give it, without parsing; anything else is parsed.
 */
export function entryHost(e: Entry): string {
  const m = SERIALIZED_HOST.exec(e.url);
  if (m && m[1] === m[1].toLowerCase() && !m[1].includes('%')) return m[1];
  return urlParts(e.url)?.hostname ?? '';
}

/** The URL's scheme without the colon ('https', 'wss', 'data'…), '' when it does not parse. */
export function entryScheme(e: Entry): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(e.url);
  return m ? m[1].toLowerCase() : '';
}

/** The HTTP status the page saw, else the one on the wire; undefined when none (0 is none). */
export function statusCode(e: Entry): number | undefined {
  return e.response?.status || e.wire?.statusCode || undefined;
}

/** The status line's reason phrase ("OK", "Not Found"): the page's statusText, else the wire's status line. */
export function reasonPhrase(e: Entry): string {
  if (e.response?.statusText) return e.response.statusText;
  const line = e.wire?.statusLine;
  // "HTTP/1.1 404 Not Found" → "Not Found" (HTTP/2 lines carry no phrase).
  const m = line ? /^\S+\s+\d{3}\s*(.*)$/.exec(line) : null;
  return m ? m[1] : '';
}

/** The response's MIME type essence in lower case ("application/json"): the body's, else Content-Type's; '' when unknown. */
export function mimeType(e: Entry): string {
  const raw = e.response?.body?.mimeType || firstHeaderValue(e.response?.headers, 'content-type') || firstHeaderValue(e.wire?.responseHeaders, 'content-type') || '';
  return raw.split(';')[0].trim().toLowerCase();
}

/**
 * Sizes in bytes, undefined when unknown. `resource`: the response body's true size (for a
 * channel: its messages' payloads added up). `transferred`: what the response declared on the
 * wire (Content-Length of the encoded body; 0 when served from the cache). Neither counts headers:
 * the page does not see them go by.
 */
export function entrySizes(e: Entry): { transferred?: number; resource?: number } {
  let resource: number | undefined;
  const body = e.response?.body;
  if (body && body.size >= 0) resource = body.size;
  else if (e.messages.length) resource = messageBytes(e.messages);
  let transferred: number | undefined;
  if (e.wire?.fromCache) transferred = 0;
  else {
    const length = firstHeaderValue(e.wire?.responseHeaders, 'content-length') ?? firstHeaderValue(e.response?.headers, 'content-length');
    const n = length !== undefined && /^\s*\d+\s*$/.test(length) ? Number(length) : NaN;
    if (Number.isSafeInteger(n)) transferred = n;
  }
  return { transferred, resource };
}

/** Messages only grow: their sum is extended from where it was last taken (a million-message channel is summed once). */
const summed = new WeakMap<readonly Message[], { count: number; bytes: number }>();
function messageBytes(messages: readonly Message[]): number {
  let memo = summed.get(messages);
  if (!memo || memo.count > messages.length) memo = { count: 0, bytes: 0 };
  for (; memo.count < messages.length; memo.count++) {
    const size = messages[memo.count].data.size;
    if (size > 0) memo.bytes += size;
  }
  summed.set(messages, memo);
  return memo.bytes;
}

/** The one size that stands for an entry (`larger-than:`, the Size sort, totals): transferred, else resource, else 0. */
export function entrySize(e: Entry): number {
  const { transferred, resource } = entrySizes(e);
  return transferred ?? resource ?? 0;
}

/** The top frame of the JS stack that started the entry, as "file:line" with its full URL; undefined without a stack. */
export function initiatorFrame(e: Entry): { label: string; url: string; line: number } | undefined {
  if (!e.initiator) return undefined;
  const top = firstCallFrame(e.initiator);
  if (!top) return undefined;
  const line = top.lineNumber + 1;
  const file = top.url.replace(/[?#].*$/, '').split('/').pop() || top.url;
  return { label: `${file}:${line}`, url: top.url, line };
}

/** How long the entry took, ms; undefined while it runs. */
export function durationMs(e: Entry): number | undefined {
  return e.endTime === undefined ? undefined : e.endTime - e.startTime;
}
