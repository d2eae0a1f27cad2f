import type { At, Ctx } from './context';
import { mask, maskAfterScheme } from './context';
import { scrubText } from './text';

/** JSON after an optional XSSI guard, JSONP callback or Socket.IO packet number. */
const JSON_START = /^\s*(?:\)\]\}',?\s*|while\s*\(1\);\s*|for\s*\(;;\);\s*|[\w$.]{1,64}\s*\(\s*|\d{1,6})?[{[]/;

export function looksLikeJson(text: string): boolean {
  return JSON_START.test(text.length > 200 ? text.slice(0, 200) : text);
}

interface Frame {
  array: boolean;
  /** Everything inside is secret (a credential-named key above). */
  secret: boolean;
  key?: string;
  expectKey: boolean;
  /** The members are headers (the object or list is under a key ending in `headers`). */
  headers: boolean;
  /** Members whose values are judged by another name (see surveyObjects). */
  aliases?: Map<string, Alias>;
  /** An array's element index, and its first element when a string (a `[name, value]` tuple). */
  index: number;
  first?: string;
}

/**
 * Members of an OAuth 2.0 authorization-code exchange or callback (RFC 6749 §4.1.2–4.1.3, PKCE's
 * RFC 7636, OIDC Session Management's `session_state`): beside one, `code` is the authorization
 * code. Elsewhere a JSON `code` is most often an error or status code (`{"code": 404}`).
 */
const OAUTH_MEMBER = /^(?:grant_?type|redirect_?ur[il]|code_?verifier|client_?id|client_?secret|session_?state)$/i;
/** The name member of a name/value pair (HAR and fetch-log headers, Postman's `key`, AWS's `Key`, Kubernetes env vars). */
const PAIR_NAME = /^(?:name|key)$/i;
/** Keys holding headers: `headers`, `requestHeaders`, `extraHTTPHeaders`. */
const HEADERS_KEY = /headers$/i;
/**
 * A GraphQL argument bound to a variable, `password: $p`, or to a list of them, `tokens: [$t]`
 * (GraphQL spec §2.6 Arguments, §2.10 Variables; a list's first variable); not a variable's
 * definition (`$p: String!`), whose name follows a `$`.
 */
const GRAPHQL_BINDING = /(?<![$\w])([A-Za-z_]\w*)\s*:\s*(?:\[\s*)*\$([A-Za-z_]\w*)/g;

/**
 * A GraphQL document with its comments (`#` to the end of the line, outside strings and block
 * strings: GraphQL spec §2.1.4) made spaces, so that `password: # the new one\n $p` binds.
 */
function withoutComments(query: string): string {
  if (!query.includes('#')) return query;
  let out = '';
  let from = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '"') {
      const block = query.startsWith('"""', i);
      const close = block ? '"""' : '"';
      let j = i + close.length;
      while (j < query.length && !query.startsWith(close, j)) j += query[j] === '\\' ? 2 : 1;
      i = j + close.length - 1;
    } else if (c === '#') {
      let j = query.indexOf('\n', i);
      if (j < 0) j = query.length;
      out += query.slice(from, i) + ' ';
      from = j;
      i = j - 1;
    }
  }
  return out + query.slice(from);
}

/**
 * The name a member's value is judged by instead of its key, and whether header rules judge it
 * too (a name/value pair's name can be a header's; an OAuth code or a GraphQL argument is none).
 */
interface Alias {
  name: string;
  header: boolean;
}

/**
 * The variables of a GraphQL operation, each with the name of an argument it is bound to in
 * `query` (lower-cased variable → argument): the argument's that `credential` accepts when one
 * does, else the first.
 */
function graphqlBindings(query: string, credential: (name: string) => boolean): Map<string, Alias> {
  const bound = new Map<string, Alias>();
  for (const [, argument, variable] of withoutComments(query).matchAll(GRAPHQL_BINDING)) {
    const key = variable.toLowerCase();
    const had = bound.get(key);
    if (had === undefined || (!credential(had.name) && credential(argument))) bound.set(key, { name: argument, header: false });
  }
  return bound;
}

/**
 * The objects of a JSON text whose members are judged by another name than their key, by where
 * they start: in `{"name": "Cookie", "value": "…"}` the value is the Cookie's
 * (`value` → `Cookie`); in `{"grant_type": "authorization_code", "code": "…"}` the code is an
 * authorization code (`code` → `authorization_code`); in a GraphQL request
 * `{"query": "… login(password: $p) …", "variables": {"p": "…"}}` the variable is the argument
 * it is bound to (`p` → `password`; graphqlBindings, `credential` choosing among several). One
 * pass over the text, before the redaction's, since a sibling may come after the value it tells
 * about. Tolerant as redactJsonText is.
 */
function surveyObjects(text: string, start: number, credential: (name: string) => boolean): Map<number, Map<string, Alias>> {
  const found = new Map<number, Map<string, Alias>>();
  /** `variablesAt`: where each `variables` object starts (a key given twice: each of them). */
  const stack: { at: number; object: boolean; expectKey: boolean; key?: string; keys: Set<string>; pairName?: string; query?: string; variablesAt?: number[] }[] = [];
  const close = () => {
    const o = stack.pop();
    if (!o?.object) return;
    const aliases = new Map<string, Alias>();
    if (o.keys.has('code') && [...o.keys].some((k) => OAUTH_MEMBER.test(k))) aliases.set('code', { name: 'authorization_code', header: false });
    if (o.pairName !== undefined && o.keys.has('value')) aliases.set('value', { name: o.pairName, header: true });
    if (aliases.size) found.set(o.at, aliases);
    if (o.query !== undefined && o.variablesAt) {
      const bound = graphqlBindings(o.query, credential);
      // Closed before their parent: their own aliases, if any, are there already.
      if (bound.size) for (const at of o.variablesAt) found.set(at, new Map([...(found.get(at) ?? []), ...bound]));
    }
  };
  const n = text.length;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x7b || c === 0x5b) {
      if (c === 0x7b && top?.object && !top.expectKey && top.key === 'variables') (top.variablesAt ??= []).push(i);
      stack.push({ at: i, object: c === 0x7b, expectKey: c === 0x7b, keys: new Set() });
    } else if (c === 0x7d || c === 0x5d) close();
    else if (c === 0x3a) {
      if (top?.object) top.expectKey = false;
    } else if (c === 0x2c) {
      if (top?.object) top.expectKey = true;
    } else if (c === 0x22) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const str = decode(text.slice(i + 1, Math.min(j, n)));
      if (top?.object && top.expectKey) {
        top.key = str;
        top.keys.add(str.toLowerCase());
      } else if (top?.object && top.key !== undefined && PAIR_NAME.test(top.key)) top.pairName = str;
      else if (top?.object && top.key === 'query') top.query = str;
      i = j;
    }
  }
  while (stack.length) close();
  return found;
}

/**
 * Redacts JSON text in place, keeping its formatting: string values under credential-named keys
 * (at any depth: everything below `"tokens": {…}` goes) become markers, other strings are scanned
 * by shape. Tolerant: a truncated or slightly broken body is handled as far as it goes.
 */
export function redactJsonText(ctx: Ctx, at: At, text: string): string {
  const start = text.search(/[{[]/);
  if (start < 0) return scrubText(ctx, at, text);
  // The prefix before the JSON (a JSONP callback, an XSSI guard) is scanned on its own.
  const out: string[] = [scrubText(ctx, at, text.slice(0, start))];
  const stack: Frame[] = [];
  let i = start;
  let copied = start;
  /** Something that is not JSON was seen (a script, a log line…): scan the whole result by shape too. */
  let odd = false;
  const n = text.length;

  const surveyed = /"(?:value|code|variables)"\s*:/i.test(text) ? surveyObjects(text, start, (name) => ctx.m.field(name)) : undefined;

  const top = () => stack[stack.length - 1];
  /** A header's name (a member of `headers`, or a pair's name): header rules as well as field rules. */
  const named = (name: string, header: boolean) => ctx.m.field(name) || (header && ctx.m.header(name));
  /** Whether the value at hand is secret, the name it is judged by, and (aliased) its own key, judged too. */
  const valueSecret = (): { secret: boolean; name: string; key?: string } => {
    const f = top();
    if (!f) return { secret: false, name: '' };
    if (f.array) {
      // `"headers": [["Authorization", "Bearer …"]]`: a tuple's second element is its first's value.
      const parent = stack[stack.length - 2];
      if (parent?.array && parent.headers && f.index === 1 && f.first !== undefined) return { secret: f.secret || named(f.first, true), name: f.first };
      return { secret: f.secret, name: f.key ?? '' };
    }
    const key = f.key ?? '';
    const alias = f.aliases?.get(key.toLowerCase());
    if (!alias) return { secret: f.secret || named(key, f.headers), name: key };
    // Judged by both: a GraphQL variable named like a credential stays one, whatever it is bound to.
    return { secret: f.secret || named(alias.name, f.headers || alias.header) || named(key, f.headers), name: alias.name, key };
  };
  const replace = (from: number, to: number, text2: string) => {
    out.push(text.slice(copied, from), text2);
    copied = to;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      // { [
      const parent = valueSecret();
      const outer = top();
      const headers = outer?.array ? outer.headers : HEADERS_KEY.test(parent.name);
      const frame: Frame = { array: c === 0x5b, secret: parent.secret, key: parent.name, expectKey: c === 0x7b, headers, index: 0 };
      const aliases = surveyed?.get(i);
      if (aliases) frame.aliases = aliases;
      stack.push(frame);
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x3a) {
      const f = top();
      if (f && !f.array) f.expectKey = false;
      i++;
    } else if (c === 0x2c) {
      const f = top();
      if (f && !f.array) {
        f.expectKey = true;
        f.key = undefined;
      } else if (f) f.index++;
      i++;
    } else if (c === 0x22) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const raw = text.slice(i + 1, Math.min(j, n));
      const end = Math.min(j + 1, n);
      const f = top();
      if (f && !f.array && f.expectKey) {
        f.key = decode(raw);
      } else {
        const { secret, name } = valueSecret();
        const value = decode(raw);
        if (f?.array && f.index === 0) f.first = value;
        // An Authorization's keeps its scheme (`"Bearer [redacted:32-64]"`), as the header's does.
        const next = !secret ? scrubText(ctx, at, value) : /authorization$/i.test(name) ? maskAfterScheme(ctx, at, name, value) : mask(ctx, at, name, value);
        if (next !== value) replace(i, end, JSON.stringify(next));
      }
      i = end;
    } else if (c <= 0x20) {
      i++;
    } else {
      let j = i;
      while (j < n && !/[\s,:{}[\]"]/.test(text[j])) j++;
      const { name, key } = valueSecret();
      const literal = text.slice(i, j);
      if (!JSON_LITERAL.test(literal)) odd = true;
      else if (/^-?\d/.test(literal)) {
        // A number goes by the name it is judged by, or (aliased) its own key.
        const by = ctx.m.scalar(name) ? name : key !== undefined && ctx.m.scalar(key) ? key : undefined;
        if (by !== undefined) replace(i, j, JSON.stringify(mask(ctx, at, by, literal)));
      }
      i = Math.max(j, i + 1);
    }
  }
  out.push(text.slice(copied));
  const result = out.join('');
  return odd ? scrubText(ctx, at, result) : result;
}

const JSON_LITERAL = /^(?:-?\d[\d.eE+-]*|true|false|null)$/;

function decode(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
