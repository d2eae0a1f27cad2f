import type { Har, HarEntry, HarNetlens } from '../har/types';
import { scrubBody, scrubEncoded, scrubStream, scrubUrl } from './body';
import type { At, Ctx } from './context';
import { mask } from './context';
import { redactCookieList, redactHeaderList, scrubSubprotocols } from './headers';
import type { RedactionFinding } from './marker';
import { createMatcher, type RedactionRules } from './rules';
import { scrubText } from './text';

type Obj = Record<string, unknown>;

/** Fields the structured passes already handled, so the final sweep skips these (large) strings. */
type Done = WeakMap<object, Set<string>>;

function markDone(done: Done, o: object, key: string): void {
  const keys = done.get(o);
  if (keys) keys.add(key);
  else done.set(o, new Set([key]));
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A redacted copy of a HAR (the input is left alone), and what was removed. Works on any HAR:
 * ours, or one imported from elsewhere. Idempotent: markers are never redacted again.
 */
export function applyRedaction(har: Har, rules: RedactionRules = {}): { har: Har; findings: RedactionFinding[] } {
  const copy = JSON.parse(JSON.stringify(har)) as Har;
  const findings: RedactionFinding[] = [];
  if (rules.enabled === false) return { har: copy, findings };
  const m = createMatcher(rules);
  const pageCtx: Ctx = { m, findings };
  const log = copy.log;
  if (!isObj(log)) return { har: copy, findings };
  const known = knownSecrets(log.entries, m);
  if (known) pageCtx.known = known;
  if (Array.isArray(log.pages)) {
    log.pages.forEach((p, k) => {
      if (!isObj(p)) return;
      const done: Done = new WeakMap();
      // A page's title is its document's URL (a fragment may hold an OAuth token).
      if (typeof p.title === 'string') {
        p.title = scrubUrl(pageCtx, { where: 'page', path: `log.pages[${k}].title` }, p.title);
        markDone(done, p, 'title');
      }
      deepScrub(pageCtx, { where: 'page', path: `log.pages[${k}]` }, p, done);
    });
  }
  if (Array.isArray(log.entries)) {
    log.entries.forEach((e, k) => {
      if (!isObj(e)) return;
      const id = isObj(e._netlens) && typeof e._netlens.id === 'string' ? e._netlens.id : `#${k}`;
      redactEntry({ m, findings, entryId: id, known }, e, new WeakMap());
    });
  }
  const wireSince = log._netlens?.wireSince;
  log._netlens = { format: log._netlens?.format ?? 1, redacted: true, ...(typeof wireSince === 'string' ? { wireSince } : {}) };
  return { har: copy, findings };
}

/**
 * A value that is a credential wherever it appears: 12 characters or more, no spaces, two of
 * lower case, upper case and digits (a random token, a UUID), not a date (`2024-05-01T12:00Z`).
 */
function tokenLike(s: string): boolean {
  if (s.length < 12 || /\s/.test(s) || /^\d{4}-\d\d-\d\d/.test(s)) return false;
  return Number(/[a-z]/.test(s)) + Number(/[A-Z]/.test(s)) + Number(/\d/.test(s)) >= 2;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The values name rules mark secret in the headers, cookies and query parameters of every entry
 * (an Authorization token, a session cookie, an `api_key=`) that look like credentials
 * (tokenLike), as one pattern, as they are and percent-encoded: found again anywhere else in the
 * HAR (a URL's path, a body or message under another name, an error quoting them) they go there
 * too (scrubText). Undefined when there is none.
 */
function knownSecrets(entries: unknown, m: Ctx['m']): RegExp | undefined {
  if (!Array.isArray(entries)) return undefined;
  const ctx: Ctx = { m, findings: [], secrets: new Set() };
  const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
  for (const e of entries as Obj[]) {
    if (!isObj(e)) continue;
    const req = isObj(e.request) ? e.request : {};
    const res = isObj(e.response) ? e.response : {};
    const n = isObj(e._netlens) ? e._netlens : {};
    const lists = [req.headers, res.headers, n.requestHeaders, isObj(n.response) ? n.response.headers : undefined];
    if (isObj(n.handshake)) lists.push(n.handshake.requestHeaders, n.handshake.responseHeaders);
    for (const list of lists) redactHeaderList(ctx, '', copy(list));
    redactCookieList(ctx, '', copy(req.cookies));
    redactCookieList(ctx, '', copy(res.cookies));
    if (Array.isArray(req.queryString)) {
      for (const q of req.queryString as unknown[]) if (isObj(q) && typeof q.value === 'string' && m.query(String(q.name))) ctx.secrets!.add(q.value);
    }
  }
  const values = new Set<string>();
  for (const s of ctx.secrets!) {
    if (!tokenLike(s)) continue;
    values.add(s);
    values.add(encodeURIComponent(s));
  }
  if (!values.size) return undefined;
  // Longest first, so a value that holds another goes whole.
  return new RegExp([...values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
}

function messages(ctx: Ctx, done: Done, path: string, list: unknown, sse: boolean): void {
  if (!Array.isArray(list)) return;
  list.forEach((msg: Obj, k) => {
    if (!isObj(msg) || typeof msg.data !== 'string') return;
    const at: At = { where: 'message', path: `${path}[${k}].data` };
    const extras = isObj(msg._netlens) ? msg._netlens : {};
    const binary = sse ? extras.encoding === 'base64' : msg.opcode === 2;
    msg.data = binary ? scrubEncoded(ctx, at, msg.data) : scrubBody(ctx, at, msg.data);
    markDone(done, msg, 'data');
    if (typeof msg.eventId === 'string') msg.eventId = scrubText(ctx, { where: 'message', path: `${path}[${k}].eventId` }, msg.eventId);
  });
}

function redactEntry(ctx: Ctx, e: HarEntry, done: Done): void {
  const req = e.request as HarEntry['request'] | undefined;
  const res = e.response as HarEntry['response'] | undefined;
  if (isObj(req)) {
    if (typeof req.url === 'string') req.url = scrubUrl(ctx, { where: 'url', path: 'request.url' }, req.url);
    redactHeaderList(ctx, 'request.headers', req.headers);
    redactCookieList(ctx, 'request.cookies', req.cookies);
    if (Array.isArray(req.queryString)) {
      req.queryString.forEach((q, k) => {
        if (!isObj(q) || typeof q.value !== 'string') return;
        const at: At = { where: 'query', path: `request.queryString[${k}]` };
        // As the URL's value (scrubPairs): by name, else by what it holds (JSON, a URL…).
        q.value = ctx.m.query(String(q.name)) ? mask(ctx, at, String(q.name), q.value) : scrubBody(ctx, at, q.value);
      });
    }
    const pd = req.postData;
    if (isObj(pd)) {
      const at: At = { where: 'body', path: 'request.postData.text' };
      if (typeof pd.text === 'string') pd.text = pd._encoding === 'base64' ? scrubEncoded(ctx, at, pd.text, pd.mimeType) : scrubBody(ctx, at, pd.text, pd.mimeType);
      markDone(done, pd, 'text');
      if (Array.isArray(pd.params)) {
        pd.params.forEach((p, k) => {
          if (!isObj(p) || typeof p.value !== 'string') return;
          const pat: At = { where: 'param', path: `request.postData.params[${k}]` };
          // A file's text by its type, whatever the field's name (as in the multipart text).
          const mime = typeof p.contentType === 'string' ? p.contentType : undefined;
          if (p.fileName !== undefined) p.value = scrubBody(ctx, pat, p.value, mime);
          else p.value = ctx.m.field(String(p.name)) ? mask(ctx, pat, String(p.name), p.value) : scrubBody(ctx, pat, p.value, mime);
        });
      }
    }
  }
  if (isObj(res)) {
    redactHeaderList(ctx, 'response.headers', res.headers);
    redactCookieList(ctx, 'response.cookies', res.cookies);
    urlField(ctx, done, res, 'redirectURL', 'response.redirectURL');
    const c = res.content;
    if (isObj(c) && typeof c.text === 'string') {
      const at: At = { where: 'body', path: 'response.content.text' };
      c.text = c.encoding === 'base64' ? scrubEncoded(ctx, at, c.text, c.mimeType) : scrubBody(ctx, at, c.text, c.mimeType);
      markDone(done, c, 'text');
    }
  }
  messages(ctx, done, '_webSocketMessages', e._webSocketMessages, false);
  messages(ctx, done, '_eventSourceMessages', e._eventSourceMessages, true);
  const mime = isObj(res) && isObj(res.content) && typeof res.content.mimeType === 'string' ? res.content.mimeType : undefined;
  if (isObj(e._netlens)) redactNetlens(ctx, done, e._netlens, mime);
  deepScrub(ctx, { where: 'other', path: '' }, e, done);
}

/** A field holding a URL (a redirect's target, a document's): scanned as a URL, as `request.url` is. */
function urlField(ctx: Ctx, done: Done, o: object, key: string, path: string): void {
  const rec = o as Obj;
  if (typeof rec[key] !== 'string') return;
  rec[key] = scrubUrl(ctx, { where: 'url', path }, rec[key]);
  markDone(done, o, key);
}

/**
 * A stream's pieces (`_netlens.chunks`, `rawStream`) as one text of the body's type (see
 * scrubStream); binary chunks (opcode 2) each on its own, as messages are.
 */
function stream(ctx: Ctx, done: Done, path: string, list: unknown, field: 'data' | 'text', mime: string | undefined): void {
  if (!Array.isArray(list)) return;
  const pieces = list.filter((c): c is Obj => isObj(c) && typeof c[field] === 'string');
  const texts = pieces.filter((c) => c.opcode !== 2);
  const next = scrubStream(ctx, { where: 'message', path }, texts.map((c) => c[field] as string), mime);
  texts.forEach((c, k) => (c[field] = next[k]));
  for (const c of pieces) {
    if (c.opcode === 2) c[field] = scrubEncoded(ctx, { where: 'message', path }, c[field] as string);
    markDone(done, c, field);
  }
}

function redactNetlens(ctx: Ctx, done: Done, n: HarNetlens, mime: string | undefined): void {
  redactHeaderList(ctx, '_netlens.requestHeaders', n.requestHeaders);
  if (isObj(n.response)) {
    redactHeaderList(ctx, '_netlens.response.headers', n.response.headers);
    urlField(ctx, done, n.response, 'url', '_netlens.response.url');
  }
  urlField(ctx, done, n, 'frameUrl', '_netlens.frameUrl');
  if (isObj(n.wire) && Array.isArray(n.wire.redirects)) {
    n.wire.redirects.forEach((r, k) => {
      if (!isObj(r)) return;
      redactHeaderList(ctx, `_netlens.wire.redirects[${k}].headers`, r.headers);
      urlField(ctx, done, r, 'url', `_netlens.wire.redirects[${k}].url`);
      urlField(ctx, done, r, 'location', `_netlens.wire.redirects[${k}].location`);
    });
  }
  // The sub-protocols the page asked for and the one the server chose (see scrubSubprotocols).
  const protocolAt: At = { where: 'other', path: '_netlens.protocol' };
  if (typeof n.protocol === 'string') {
    n.protocol = scrubSubprotocols(ctx, protocolAt, n.protocol.split(',')).join(',');
    markDone(done, n, 'protocol');
  }
  if (isObj(n.meta) && Array.isArray(n.meta.protocols) && n.meta.protocols.every((p) => typeof p === 'string')) {
    n.meta.protocols = scrubSubprotocols(ctx, { where: 'meta', path: '_netlens.meta.protocols' }, n.meta.protocols);
    markDone(done, n.meta, 'protocols');
  }
  if (isObj(n.meta) && typeof n.meta.user === 'string') n.meta.user = mask(ctx, { where: 'meta', path: '_netlens.meta.user' }, 'user', n.meta.user);
  if (isObj(n.jsonp)) redactJsonp(ctx, done, n.jsonp);
  stream(ctx, done, '_netlens.chunks', n.chunks, 'data', mime);
  stream(ctx, done, '_netlens.rawStream', n.rawStream, 'text', 'text/event-stream');
  messages(ctx, done, '_netlens.unsentMessages', n.unsentMessages, false);
  if (isObj(n.handshake)) {
    redactHeaderList(ctx, '_netlens.handshake.requestHeaders', n.handshake.requestHeaders);
    redactHeaderList(ctx, '_netlens.handshake.responseHeaders', n.handshake.responseHeaders);
  }
}

/**
 * A JSONP payload: the callback's value (format 2) is redacted as the JSON body it is; the text
 * kept in `payloadInfo.data` (not whole JSON) and a format-1 Payload wrapper as bodies.
 */
function redactJsonp(ctx: Ctx, done: Done, j: NonNullable<HarNetlens['jsonp']>): void {
  const wrapper = (p: Obj, path: string) => {
    if (typeof p.data !== 'string') return;
    const at: At = { where: 'body', path };
    const mime = typeof p.mimeType === 'string' ? p.mimeType : undefined;
    p.data = p.encoding === 'base64' ? scrubEncoded(ctx, at, p.data, mime) : scrubBody(ctx, at, p.data, mime);
    markDone(done, p, 'data');
  };
  if (isObj(j.payloadInfo)) wrapper(j.payloadInfo, '_netlens.jsonp.payloadInfo.data');
  else if (isObj(j.payload)) {
    wrapper(j.payload, '_netlens.jsonp.payload.data');
    return;
  }
  if (!('payload' in j) || !isObj(j.payloadInfo)) return;
  const text = JSON.stringify(j.payload);
  const next = scrubBody(ctx, { where: 'body', path: '_netlens.jsonp.payload' }, text, 'application/json');
  if (next !== text) {
    try {
      j.payload = JSON.parse(next);
      markDone(done, j, 'payload');
    } catch {
      // Not JSON after scrubbing: the shape-only scrub below handles each string.
    }
  }
}

/** Every other string in the entry (initiator, lifecycle, errors, CORS report…), by shape only. */
function deepScrub(ctx: Ctx, at: At, value: unknown, done: Done): unknown {
  if (typeof value === 'string') return scrubText(ctx, at, value);
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) value[k] = deepScrub(ctx, { where: at.where, path: `${at.path}[${k}]` }, value[k], done);
  } else if (isObj(value)) {
    const skip = done.get(value);
    for (const key of Object.keys(value)) {
      if (skip?.has(key)) continue;
      value[key] = deepScrub(ctx, { where: at.where, path: at.path ? `${at.path}.${key}` : key }, value[key], done);
    }
  }
  return value;
}
