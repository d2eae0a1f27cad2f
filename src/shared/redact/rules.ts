/**
 * What counts as a credential. Names are matched case-insensitively: a string rule is an exact
 * name, a RegExp is tested as is. User rules add to the built-in ones (or replace them with
 * `defaults: false`); `allow` exempts names from every name rule.
 */
export type NameRule = string | RegExp;

export interface RedactionRules {
  /** false: export as captured. Default true. */
  enabled?: boolean;
  /** Use the built-in rules below. Default true. */
  defaults?: boolean;
  /** Extra header names whose values are secret. */
  headers?: NameRule[];
  /** Extra field names (query parameters, form fields, JSON keys at any depth) whose values are secret. */
  fields?: NameRule[];
  /** Extra patterns redacted in any text: the whole match, or capture group 1 when there is one. */
  patterns?: RegExp[];
  /** Names never redacted by name rules (values are still scanned for JWTs, Bearer tokens…). */
  allow?: NameRule[];
}

/** Header names that always carry credentials. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'cookie2', 'set-cookie2'];

/** Credential-like names: *token*, *secret*, *session*, *auth* (not author/authority), password… */
const CREDENTIAL_NAME =
  /token|secret|passw(?:or)?d|passphrase|passcode|verifier|pwd|session|sessid|auth(?!or(?!i[sz]))|api[-_.]?key|access[-_.]?key|private[-_.]?key|credential|signature|csrf|xsrf|bearer|cookie|(?:^|[-_.])(?:sid|otp|pin)$|^pass$/i;

/**
 * Header names ending in `key` are keys (`Ocp-Apim-Subscription-Key`, `X-Functions-Key`,
 * `X-Master-Key`, `DD-Application-Key`), but for `Idempotency-Key` (a request's id).
 */
const KEY_HEADER = /(?:^|[-_.])(?<!idempotency-)key$/i;

/** Query parameters that are credentials by convention (Google `key=`, OAuth `code=`, signed URLs `sig=`). */
const QUERY_ONLY = /^(?:key|code|sig)$/i;

/** Non-string JSON values (numbers) are only secret under these names: a `max_tokens: 100` is not. */
const SECRET_SCALAR = /passw|pwd|passcode|secret|(?:^|[-_.])(?:pin|otp)$/i;

/** Challenges and CORS headers name credentials without carrying any. */
const DEFAULT_ALLOW: NameRule[] = ['www-authenticate', 'proxy-authenticate', /^access-control-/i, /^sec-websocket-/i];

export interface Matcher {
  header(name: string): boolean;
  field(name: string): boolean;
  query(name: string): boolean;
  /** A JSON number/boolean under this key is secret. */
  scalar(name: string): boolean;
  patterns: RegExp[];
}

function test(rules: NameRule[], name: string): boolean {
  const lower = name.toLowerCase();
  return rules.some((r) => {
    if (typeof r === 'string') return r.toLowerCase() === lower;
    r.lastIndex = 0;
    return r.test(name);
  });
}

export function createMatcher(rules: RedactionRules = {}): Matcher {
  const defaults = rules.defaults !== false;
  const allow = [...(defaults ? DEFAULT_ALLOW : []), ...(rules.allow ?? [])];
  const headers = [...(defaults ? [...SECRET_HEADERS, CREDENTIAL_NAME, KEY_HEADER] : []), ...(rules.headers ?? [])];
  const fields = [...(defaults ? [CREDENTIAL_NAME] : []), ...(rules.fields ?? [])];
  const queries = [...fields, ...(defaults ? [QUERY_ONLY] : [])];
  const scalars = [...(defaults ? [SECRET_SCALAR] : []), ...(rules.fields ?? [])];
  const patterns = (rules.patterns ?? []).map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'));
  const named = (list: NameRule[]) => (name: string) => !!name && !test(allow, name) && test(list, name);
  return { header: named(headers), field: named(fields), query: named(queries), scalar: named(scalars), patterns };
}
