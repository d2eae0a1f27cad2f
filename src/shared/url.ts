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
    parts = parse(url);
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

function parse(url: string): UrlParts | null {
  try {
    const u = new URL(url);
    return Object.freeze({ href: u.href, origin: u.origin, protocol: u.protocol, host: u.host, hostname: u.hostname, pathname: u.pathname, search: u.search, hash: u.hash });
  } catch {
    return null;
  }
}

/** The serialized origin of a URL ("null" for opaque ones), or undefined when it does not parse. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return urlParts(url)?.origin;
}
