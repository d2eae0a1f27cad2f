import { decodeQueryPart } from '../har/headers';
import type { At, Ctx } from './context';
import { mask, maskEncoded } from './context';

/**
 * Three base64url segments whose first is a JSON header (`{"` → `eyJ`); also 5-part JWE; also a
 * JWT cut after its header and (part of) its claims (`eyJ….eyJ…`, a body truncated at the cap).
 */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.(?:[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}|eyJ[A-Za-z0-9_-]*)/g;
const BEARER = /\b(Bearer\s+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const BASIC = /\b(Basic\s+)([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/g;
/**
 * Well-known token formats: GitHub, GitLab, Slack, Stripe (secret, restricted, webhook), AWS
 * access key ids (long-term and temporary), Google API keys and OAuth access tokens, OpenAI and
 * Anthropic API keys, npm and Hugging Face tokens, Mapbox secret and temporary tokens (`sk.`,
 * `tk.` and a base64url JSON part; `pk.` tokens are public by design), and CAS tickets (service,
 * proxy, proxy-granting and ticket-granting: `ST-<n>-<random>[-<host>]`, CAS protocol 3.0 §3;
 * Apereo CAS makes the random part of base64url with `-` for `_`, `ST-1-aQ7M4-yURmW6zPH…-cas01`).
 * A random part of 20 characters or more with a lower-case letter and a digit in it, so that a
 * product code such as `ST-100-BLACK-LARGE` is no ticket; the look-aheads are bounded (an
 * unbounded one took seconds on `ST-1-` repeated).
 */
const KNOWN_TOKENS =
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,}|sk-(?:proj-|ant-(?:api|admin)\d\d-|svcacct-)?[A-Za-z0-9_-]{32,}|npm_[A-Za-z0-9]{36}|hf_[A-Za-z0-9]{30,}|[st]k\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|(?:ST|PT|PGT|PGTIOU|TGT)-\d{1,20}-(?=[A-Za-z0-9-]{0,255}[a-z])(?=[A-Za-z0-9-]{0,255}\d)[A-Za-z0-9-]{20,}(?:\.[A-Za-z0-9-]+)*)\b/g;
/**
 * Secrets that are a URL's path segment in well-known APIs: a Telegram bot's token
 * (`api.telegram.org/bot<id>:<secret>/sendMessage`), a Slack incoming webhook's secret
 * (`hooks.slack.com/services/T…/B…/<secret>`), a Discord webhook's token
 * (`discord.com/api/webhooks/<id>/<token>`). Group 1 goes.
 */
const PATH_TOKENS =
  /\/bot(\d{6,12}(?::|%3A)[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])|\bhooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/([A-Za-z0-9]{16,})|\bdiscord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/([A-Za-z0-9_-]{40,})/gi;

/** `scheme://user:pass@` (the whole userinfo goes). */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>\\]+)@/gi;
/**
 * `?name=value`, `&name=value`, `;name=value` (matrix params like `;jsessionid=`), `#name=value`
 * (a fragment's parameters: OAuth's implicit flow returns `#access_token=…&token_type=…`).
 */
const QUERY_PAIR = /([?&;#])([^=&#\s"'<>;?]{1,128})=([^&#\s"'<>;?]*)/g;
/**
 * Where a script or a stylesheet holds URLs: its string literals (`"/api?token=…"`, matched one
 * after another so a quote closing a literal opens none), CSS's unquoted `url(…)`, and `http(s)`
 * or `ws(s)` URLs outside literals (comments, `sourceMappingURL=`). A literal with white space in
 * it is no URL. An escape outside a literal is taken whole first (left as it is): its quote opens
 * none (a line of `\"` with no closing quote took time in the square of its length).
 */
const CODE_URLS = /\\[\s\S]|(["'`])((?:(?!\1)[^\\\n]|\\.)*)\1|\burl\(\s*([^\s"'()]+)\s*\)|\b(?:https?|wss?):\/\/[^\s"'`<>\\()]+/gi;

/** `"name": "value"` / `"name": 123` in text that is not parsed as JSON (truncated bodies, scripts…). */
const JSONISH = /"((?:[^"\\\n]|\\.){1,128})"(\s*:\s*)(?:"((?:[^"\\\n]|\\.)*)"|(-?\d[\d.eE+-]*))/g;

/** `name: "value"` with a bare name: GraphQL arguments (`login(password: "…")`), JS and YAML. */
const BARE_KEY = /(?<![\w$."'\\-])([A-Za-z_$][\w$-]{0,127})(\s*:\s*)"((?:[^"\\\n]|\\.)*)"/g;
/** `<password>…</password>`, `<wsse:Password>…</wsse:Password>`: XML (SOAP, XML-RPC…) elements of text. */
const XML_ELEMENT = /<((?:[\w.-]+:)?([\w.-]{1,128}))(\s[^<>]*)?>([^<]*)<\/\1\s*>/g;

/** Cheap test whether any shape below could match (most strings in a body match none). */
const MAYBE = /@|=|<\/|:\s*"|\/bot\d|hooks\.slack|webhooks\/|eyJ|bearer|basic|gh[pousr]_|github_pat_|glpat-|xox|xapp-|[sr]k_|whsec_|AKIA|ASIA|AIza|ya29\.|sk-|npm_|hf_|\b(?:ST|PT|PGT|PGTIOU|TGT)-\d|"\s*:/i;

function basicLooksReal(b64: string): boolean {
  try {
    const decoded = atob(b64);
    // eslint-disable-next-line no-control-regex
    return decoded.includes(':') && !/[\x00-\x1f\x7f]/.test(decoded);
  } catch {
    return false;
  }
}

function unescapeJson(s: string): string {
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/**
 * Secrets found by their shape in any text: values masked elsewhere in the HAR, user patterns, URL userinfo, credential-named query
 * parameters, JWTs, Bearer/Basic credentials, well-known token formats, credential-named
 * `"key": value` and `key: "value"` pairs and XML elements.
 */
export function scrubText(ctx: Ctx, at: At, text: string): string {
  if (!text || (!ctx.m.patterns.length && !ctx.known && !MAYBE.test(text))) return text;
  let out = text;
  // A value masked elsewhere (a session cookie, a key sent in a header) found again here, as it
  // is or percent-encoded (then its marker is too).
  if (ctx.known) out = out.replace(ctx.known, (found) => (found.includes('%') ? maskEncoded(ctx, at, 'known secret', found, decodeQueryPart(found)) : mask(ctx, at, 'known secret', found)));
  for (const p of ctx.m.patterns) {
    out = out.replace(p, (whole: string, ...groups: unknown[]) => {
      const g1 = typeof groups[0] === 'string' ? groups[0] : undefined;
      if (g1 === undefined) return mask(ctx, at, 'pattern', whole);
      return whole.replace(g1, mask(ctx, at, 'pattern', g1));
    });
  }
  if (out.includes('@')) out = out.replace(USERINFO, (_w, scheme: string, info: string) => `${scheme}${maskEncoded(ctx, at, 'userinfo', info, decodeQueryPart(info))}@`);
  if (out.includes('=')) {
    const pairs = (s: string) =>
      s.replace(QUERY_PAIR, (whole, sep: string, rawName: string, raw: string) => {
        const name = decodeQueryPart(rawName);
        return ctx.m.query(name) ? `${sep}${rawName}=${maskEncoded(ctx, at, name, raw, decodeQueryPart(raw))}` : whole;
      });
    out = ctx.code
      ? out.replace(CODE_URLS, (whole, quote: string | undefined, literal: string | undefined, cssUrl: string | undefined) => {
          if (whole.length === 2 && whole[0] === '\\') return whole;
          if (quote !== undefined) return literal && !/\s/.test(literal) && literal.includes('=') ? `${quote}${pairs(literal)}${quote}` : whole;
          return cssUrl !== undefined ? whole.replace(cssUrl, pairs(cssUrl)) : pairs(whole);
        })
      : pairs(out);
  }
  if (out.includes('eyJ')) out = out.replace(JWT, (jwt) => mask(ctx, at, 'jwt', jwt));
  out = out.replace(BEARER, (_w, scheme: string, token: string) => scheme + mask(ctx, at, 'bearer', token));
  out = out.replace(BASIC, (whole, scheme: string, b64: string) => (basicLooksReal(b64) ? scheme + mask(ctx, at, 'basic', b64) : whole));
  out = out.replace(KNOWN_TOKENS, (token) => mask(ctx, at, 'token', token));
  if (out.includes('/')) {
    out = out.replace(PATH_TOKENS, (whole: string, ...groups: unknown[]) => {
      const secret = groups.slice(0, 3).find((g): g is string => typeof g === 'string');
      return secret ? whole.slice(0, whole.length - secret.length) + maskEncoded(ctx, at, 'token', secret, decodeQueryPart(secret)) : whole;
    });
  }
  if (out.includes('"')) {
    out = out.replace(BARE_KEY, (whole, name: string, colon: string, str: string) => {
      if (!ctx.m.field(name)) return whole;
      const value = unescapeJson(str);
      const masked = mask(ctx, at, name, value);
      return masked === value ? whole : `${name}${colon}"${masked}"`;
    });
  }
  if (out.includes('</')) {
    out = out.replace(XML_ELEMENT, (whole, tag: string, name: string, attrs: string | undefined, content: string) => {
      if (!ctx.m.field(name)) return whole;
      const masked = mask(ctx, at, name, content);
      return masked === content ? whole : `<${tag}${attrs ?? ''}>${masked}</${tag}>`;
    });
  }
  if (out.includes('"')) {
    out = out.replace(JSONISH, (whole, rawName: string, colon: string, str: string | undefined, numText: string | undefined) => {
      const name = unescapeJson(rawName);
      if (str !== undefined) {
        if (!ctx.m.field(name)) return whole;
        const value = unescapeJson(str);
        const masked = mask(ctx, at, name, value);
        return masked === value ? whole : `"${rawName}"${colon}"${masked}"`;
      }
      if (numText === undefined || !ctx.m.scalar(name)) return whole;
      return `"${rawName}"${colon}"${mask(ctx, at, name, numText)}"`;
    });
  }
  return out;
}
