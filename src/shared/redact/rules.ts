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

/**
 * Credential-like names: *token*, *secret*, *auth* (not author/authority), password…, a session
 * (see SESSION), SAML's and WS-Federation's sign-in responses (`SAMLResponse`, the artifact
 * `SAMLart` that fetches one, `wresult`; not `SAMLRequest`, a request to sign in, nor `RelayState`,
 * the SP's opaque round-trip state, each carrying no credential).
 */
const CREDENTIAL_NAME =
  /token|secret|passw(?:or)?d|passphrase|passcode|verifier|pwd|sessid|auth(?!or(?!i[sz]))|api[-_.]?key|access[-_.]?key|private[-_.]?key|credential|signature|csrf|xsrf|bearer|cookie|(?:^|[-_.])(?:sid|otp|pin)$|^pass$|^saml(?:response|art)$|^wresult$/i;

/**
 * `session` names a credential when it names the session itself or its identifier: last in the
 * name (`session`, `laravel_session`, `rack.session`) or followed only by what the identifier is
 * called (`sessionid`, `sessionIdentifier`, `session_uuid`, `session_token`, `sessionKey`,
 * `ASP.NET_SessionId`; `PHPSESSID` is `sessid`), and classic ASP's `ASPSESSIONID` and the
 * suffix its name carries (`ASPSESSIONIDQAQBRCTA`). Any other word after it describes the session, not carries it: `sessionStorage`,
 * `session_state` (OIDC Session Management's salted hash, no credential), `sessionCount`,
 * `sessionTimeout`, `end_session_endpoint`.
 */
const SESSION = /session(?:[-_.]?(?:id(?:entifier)?|uuid|guid|key|token|secret|cookie|ticket|hash|value|data))?$|^aspsessionid/i;

/**
 * Names, in snake case (`cardCvv` → `card_cvv`), of secrets typed by the user or printed on a card,
 * often sent as JSON numbers: card security codes (CVV2, CVC2, CSC) and card numbers (PCI DSS's
 * sensitive authentication and cardholder data), one-time and recovery codes (`otp_code`,
 * `mfaCode`, `verification_code`, `pinCode`, `backup_code`), and OAuth's device flow
 * `device_code` (RFC 8628: with the client id it is redeemed for tokens). Not other codes:
 * `status_code`, `country_code`, `promo_code`, `user_code` (the one a user types on the
 * verification page, useless without the device code).
 */
const TYPED_SECRET =
  /(?:^|_)(?:cvv2?|cvc2?|csc|totp|hotp)$|(?:^|_)(?:card|cc|credit_card)_?(?:number|num|no)$|(?:^|_)(?:otp|totp|mfa|2fa|tfa|sms|verification|verify|one_?time|pin|security|recovery|backup|reset|device)_?code$/;

/**
 * Names that describe a credential's place, not hold one (OAuth 2.0 Authorization Server
 * Metadata, RFC 8414, and OpenID Connect Discovery 1.0: `token_endpoint`, `authorization_endpoint`,
 * `token_endpoint_auth_methods_supported`, `id_token_signing_alg_values_supported`). Their values
 * (URLs, lists of method names) are still scanned by shape.
 */
const DESCRIBES_CREDENTIAL = /(?:endpoint|supported)$/i;

const snakeCase = (name: string) => name.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase().replace(/[-.]/g, '_');

/** The built-in field rule: see CREDENTIAL_NAME, SESSION, TYPED_SECRET, DESCRIBES_CREDENTIAL. */
function credentialNamed(name: string): boolean {
  if (DESCRIBES_CREDENTIAL.test(name)) return false;
  return CREDENTIAL_NAME.test(name) || SESSION.test(name) || TYPED_SECRET.test(snakeCase(name));
}

/**
 * Header names ending in `key` are keys (`Ocp-Apim-Subscription-Key`, `X-Functions-Key`,
 * `X-Master-Key`, `DD-Application-Key`), but for `Idempotency-Key` (a request's id).
 */
const KEY_HEADER = /(?:^|[-_.])(?<!idempotency-)key$/i;

/** Query parameters that are credentials by convention (Google `key=`, OAuth `code=`, signed URLs `sig=`). */
const QUERY_ONLY = /^(?:key|code|sig)$/i;

/** Non-string JSON values (numbers) are only secret under these names (and TYPED_SECRET's): a `max_tokens: 100` is not. */
const SECRET_SCALAR = /passw|pwd|passcode|secret|(?:^|[-_.])(?:pin|otp)$/i;

function secretScalar(name: string): boolean {
  return SECRET_SCALAR.test(name) || TYPED_SECRET.test(snakeCase(name));
}

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

/** A user's rule, or a built-in one written as a test. */
type Rule = NameRule | ((name: string) => boolean);

function test(rules: Rule[], name: string): boolean {
  const lower = name.toLowerCase();
  return rules.some((r) => {
    if (typeof r === 'string') return r.toLowerCase() === lower;
    if (typeof r === 'function') return r(name);
    r.lastIndex = 0;
    return r.test(name);
  });
}

export function createMatcher(rules: RedactionRules = {}): Matcher {
  const defaults = rules.defaults !== false;
  const allow = [...(defaults ? DEFAULT_ALLOW : []), ...(rules.allow ?? [])];
  const headers: Rule[] = [...(defaults ? [...SECRET_HEADERS, credentialNamed, KEY_HEADER] : []), ...(rules.headers ?? [])];
  const fields: Rule[] = [...(defaults ? [credentialNamed] : []), ...(rules.fields ?? [])];
  const queries: Rule[] = [...fields, ...(defaults ? [QUERY_ONLY] : [])];
  const scalars: Rule[] = [...(defaults ? [secretScalar] : []), ...(rules.fields ?? [])];
  const patterns = (rules.patterns ?? []).map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'));
  const named = (list: Rule[]) => (name: string) => !!name && !test(allow, name) && test(list, name);
  return { header: named(headers), field: named(fields), query: named(queries), scalar: named(scalars), patterns };
}
