// URL and origin helpers. They rely on the WHATWG `URL` class only, a language-level global in
// every place netlens runs (page, service worker, panel, Node CLI) — no DOM or Node API.

import { urlParts } from '../url';

function parse(input: string, base?: string): URL | null {
  try {
    return new URL(input, base);
  } catch {
    return null;
  }
}

/**
 * https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin — "null" for opaque origins.
 * Accepts an origin ("http://a:8080") or any URL of it.
 */
export function serializeOrigin(urlOrOrigin: string): string {
  if (urlOrOrigin === 'null') return 'null';
  return urlParts(urlOrOrigin)?.origin ?? 'null';
}

/** Same origin: equal tuple origins; an opaque ("null") origin is never same-origin here. */
export function isSameOrigin(a: string, b: string): boolean {
  const oa = serializeOrigin(a);
  return oa !== 'null' && oa === serializeOrigin(b);
}

/** The http(s) origin a ws(s) URL would have, for comparing a WebSocket with its page. */
export function webSocketHttpOrigin(url: string): string {
  const u = parse(url);
  if (!u) return 'null';
  if (u.protocol === 'ws:' || u.protocol === 'wss:') {
    return serializeOrigin(`${u.protocol === 'ws:' ? 'http:' : 'https:'}//${u.host}`);
  }
  return u.origin;
}

export function schemeOf(url: string): string {
  return parse(url)?.protocol.slice(0, -1) ?? '';
}

export function hasUrlCredentials(url: string): boolean {
  const u = parse(url);
  return !!u && (u.username !== '' || u.password !== '');
}

/** Resolve a Location value against the URL that answered with it. */
export function resolveUrl(location: string, base: string): string {
  return parse(location, base)?.href ?? location;
}

/** "/api/items" — what a person calls the resource in a sentence. */
export function pathOf(url: string): string {
  return parse(url)?.pathname ?? url;
}

/**
 * Chromium validates an Access-Control-Allow-Origin value with GURL; a WHATWG URL parse is the
 * closest pure equivalent (both need a scheme; both reject "" and "example.com").
 */
export function parsesAsUrl(value: string): boolean {
  return parse(value) !== null;
}

/** The same URL without user:password. */
export function withoutCredentials(url: string): string {
  const u = parse(url);
  if (!u) return url;
  u.username = '';
  u.password = '';
  return u.href;
}
