/**
 * A parsed URL's parts as the WHATWG URL Standard serializes them (`href`, `origin`, `protocol`,
 * `host`, `hostname`, `pathname`, `search`, `hash`), or undefined when it does not parse.
 *
 * Memoized: one entry's URL is read by many views in a row (its origin when it starts, the
 * long-poll key, the upload recogniser, the CORS verdict, the Name column…), each a full parse
 * with `new URL`. The last URLS_KEPT distinct URLs are kept (all are dropped when it fills);
 * the parts are frozen plain strings, so nobody can change what the next caller reads.
 */
export function urlParts(url: string): UrlParts | undefined {
  let parts = parsed.get(url);
  if (parts === undefined) {
    if (parsed.size >= URLS_KEPT) parsed.clear();
    parts = serializedParts(url) ?? parse(url);
    parsed.set(url, parts);
  }
  return parts ?? undefined;
}

export interface UrlParts {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

const URLS_KEPT = 4_096;
const parsed = new Map<string, UrlParts | null>();

/**
 * A URL already in the form the URL Standard serializes it to, of a special scheme with a network
 * host: `scheme://host[:port][/path][?query][#fragment]` with a lower-case http, https, ws or wss,
 * a lower-case ASCII domain (not IDNA: no `xn--` label) or a dotted-quad IPv4 address, a port that
 * is not the scheme's default, written without leading zeros, and a path, query and fragment of
 * characters that neither the standard nor Chromium's parser changes (no percent-escape or dot
 * segment in the path, no quote, backslash, space or non-ASCII anywhere).
 *
 * This is what the page's calls and the wire give (both serialize), and such a URL's parts are its
 * own substrings: `new URL` would give the same, about ten times slower (it was most of the time
 * the panel spent applying a record, one parse per new URL). Anything else (undefined) is left to
 * the parser. test/unit/url-parts.test.ts holds both to the same answer on generated URLs, and
 * test/e2e/url-parts.test.ts to Chromium's.
 */
const SERIALIZED = /^(https?|wss?):\/\/([a-z0-9.-]+)(?::([1-9][0-9]{0,4}))?(\/[A-Za-z0-9\-._~!$&()*+,;=:@/]*)?(\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?(#[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?$/;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };
/** A domain's last label that makes the standard read the host as an IPv4 address (a number, or hex). */
const NUMERIC_LABEL = /(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)\.?$/;
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

export function serializedParts(url: string): UrlParts | undefined {
  const m = SERIALIZED.exec(url);
  if (!m) return undefined;
  const [, scheme, hostname, port, path = '', query = '', fragment = ''] = m;
  if (hostname.startsWith('.') || hostname.includes('..') || hostname.includes('xn--')) return undefined;
  if (NUMERIC_LABEL.test(hostname) && !DOTTED_QUAD.test(hostname)) return undefined;
  if (port !== undefined && (Number(port) > 65_535 || port === DEFAULT_PORT[scheme])) return undefined;
  // Dot segments (`/.`, `/..`) are resolved by the parser (the pattern keeps `%`, which Chromium
  // decodes for some characters, out of the path).
  if (path.includes('/.') || badEscape(query) || badEscape(fragment)) return undefined;
  const host = port === undefined ? hostname : `${hostname}:${port}`;
  const origin = `${scheme}://${host}`;
  const pathname = path || '/';
  return Object.freeze({
    href: path ? url : `${origin}/${query}${fragment}`,
    origin,
    protocol: `${scheme}:`,
    host,
    hostname,
    pathname,
    search: query.length > 1 ? query : '',
    hash: fragment.length > 1 ? fragment : '',
  });
}

/** A `%` not followed by two hex digits. */
const badEscape = (s: string) => /%(?![0-9A-Fa-f]{2})/.test(s);

function parse(url: string): UrlParts | null {
  try {
    const u = new URL(url);
    return Object.freeze({ href: u.href, origin: u.origin, protocol: u.protocol, host: u.host, hostname: u.hostname, pathname: u.pathname, search: u.search, hash: u.hash });
  } catch {
    return null;
  }
}

/**
 * `url` without its fragment: what goes on the wire (webRequest reports ws: URLs as they are,
 * page URLs are already absolute; DevTools' log has no fragment whatever a Location said).
 */
export function normUrl(url: string): string {
  const hash = url.indexOf('#');
  return hash >= 0 ? url.slice(0, hash) : url;
}

/** The serialized origin of a URL ("null" for opaque ones), or undefined when it does not parse. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return urlParts(url)?.origin;
}

/**
 * The origin of the document a record or entry comes from: its `frameOrigin` when known (a srcdoc
 * frame's URL, about:srcdoc, says "null", its origin is its parent's), else its URL's; undefined
 * when neither is known (a wire-only entry).
 */
export function documentOriginOf(place: { frameUrl?: string; frameOrigin?: string }): string | undefined {
  return place.frameOrigin ?? originOf(place.frameUrl);
}
