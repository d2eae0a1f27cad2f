// Access-Control-Max-Age and a pure model of Chromium's preflight cache, so a missing OPTIONS can
// be explained instead of called a mystery.
// https://fetch.spec.whatwg.org/#concept-cache; Chromium services/network/cors/preflight_cache.cc
// and preflight_result.cc. Chromium keys entries by (origin, URL, network isolation key, target
// IP address space); an entry made without credentials never serves a credentialed request, and
// the cache is skipped entirely while DevTools' "Disable cache" is on.
import { parseAllowList } from './allow-list';
import { ACAH, ACAM } from './check';
import { getHeader } from './headers';
import { isSafelistedMethod } from './forbidden';
import type { HeaderList } from './types';

export const DEFAULT_MAX_AGE = 5;
/** Chromium caps Max-Age at 2 hours. */
export const MAX_MAX_AGE = 7200;
const INT64_MAX = 2n ** 63n - 1n;

export interface MaxAge {
  seconds: number;
  text: string;
}

/**
 * Absent → 5 s. Not an integer → 5 s too: both the Fetch standard ("if max-age is failure or
 * null, set it to 5") and Chromium's ParseAccessControlMaxAge. Negative → 0 (not cached).
 * Above 7200 → 7200.
 */
export function parseMaxAge(value: string | null | undefined): MaxAge {
  if (value === null || value === undefined) {
    return { seconds: DEFAULT_MAX_AGE, text: `no Access-Control-Max-Age: cached for the default ${DEFAULT_MAX_AGE} s` };
  }
  const m = /^([+-]?)(\d+)$/.exec(value);
  if (!m || BigInt(m[2]!) > INT64_MAX) {
    return { seconds: DEFAULT_MAX_AGE, text: `Access-Control-Max-Age \`${value}\` is not an integer: cached for the default ${DEFAULT_MAX_AGE} s` };
  }
  if (m[1] === '-' && BigInt(m[2]!) > 0n) {
    return { seconds: 0, text: `Access-Control-Max-Age ${value} is negative: not cached` };
  }
  const n = Number(m[2]);
  if (n >= MAX_MAX_AGE) {
    const capped = n > MAX_MAX_AGE ? ` (Chromium caps ${value} s at 2 h)` : '';
    return { seconds: MAX_MAX_AGE, text: `cached for ${MAX_MAX_AGE} s${capped}` };
  }
  return { seconds: n, text: n === 0 ? 'Access-Control-Max-Age 0: not cached' : `cached for ${n} s` };
}

export interface PreflightCacheEntry {
  origin: string;
  url: string;
  /** Network isolation key (top-frame site…) when the caller knows it. */
  partition?: string;
  /** Made for a credentialed request: `*` entries are then literal. */
  credentials: boolean;
  /** Access-Control-Allow-Methods as listed (case kept). */
  methods: string[];
  /** Access-Control-Allow-Headers, lower-cased. */
  headers: string[];
  maxAge: number;
  /** Milliseconds since the epoch. */
  storedAt: number;
}

export type PreflightCache = readonly PreflightCacheEntry[];

function cacheUrl(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

function sameKey(e: PreflightCacheEntry, k: { origin: string; url: string; partition?: string }): boolean {
  return e.origin === k.origin && cacheUrl(e.url) === cacheUrl(k.url) && (e.partition ?? '') === (k.partition ?? '');
}

/** The entry a passed preflight leaves behind; null if its lists do not parse (no entry). */
export function cacheEntryFromPreflight(args: {
  origin: string;
  url: string;
  partition?: string;
  credentialed: boolean;
  headers: HeaderList;
  storedAt: number;
}): PreflightCacheEntry | null {
  const methods = parseAllowList(getHeader(args.headers, ACAM));
  const headers = parseAllowList(getHeader(args.headers, ACAH));
  if (!methods.ok || !headers.ok) return null;
  return {
    origin: args.origin,
    url: cacheUrl(args.url),
    ...(args.partition !== undefined ? { partition: args.partition } : {}),
    credentials: args.credentialed,
    methods: methods.items,
    headers: headers.items.map((h) => h.toLowerCase()),
    maxAge: parseMaxAge(getHeader(args.headers, 'Access-Control-Max-Age')).seconds,
    storedAt: args.storedAt,
  };
}

/** A new cache with `entry` replacing any entry of the same key. */
export function storePreflight(cache: PreflightCache, entry: PreflightCacheEntry): PreflightCache {
  return [...cache.filter((e) => !sameKey(e, entry)), entry];
}

export interface CacheQuery {
  origin: string;
  url: string;
  partition?: string;
  credentialed: boolean;
  method: string;
  unsafeHeaders: readonly string[];
  /** Milliseconds since the epoch, when the request started. */
  now: number;
  /** DevTools "Disable cache" (Chromium then bypasses the preflight cache). */
  cacheDisabled?: boolean;
}

export type CacheMiss = 'disabled' | 'no-entry' | 'expired' | 'credentials' | 'method' | 'headers' | 'authorization-wildcard';

export type CacheLookup =
  | { hit: true; entry: PreflightCacheEntry; expiresAt: number; text: string }
  | { hit: false; reason: CacheMiss; entry?: PreflightCacheEntry; text: string };

const iso = (ms: number) => new Date(ms).toISOString();

export function lookupPreflight(cache: PreflightCache, q: CacheQuery): CacheLookup {
  if (q.cacheDisabled) {
    return { hit: false, reason: 'disabled', text: 'the preflight cache is bypassed while "Disable cache" is on' };
  }
  const entry = cache.find((e) => sameKey(e, q));
  if (!entry) return { hit: false, reason: 'no-entry', text: 'no cached preflight for this origin and URL' };
  const expiresAt = entry.storedAt + entry.maxAge * 1000;
  const miss = (reason: CacheMiss, text: string): CacheLookup => ({ hit: false, reason, entry, text });
  if (q.now >= expiresAt) {
    return miss('expired', `the cached preflight expired at ${iso(expiresAt)} (Max-Age ${entry.maxAge} s)`);
  }
  if (q.credentialed && !entry.credentials) {
    return miss('credentials', 'the cached preflight was made without credentials and cannot serve a credentialed request');
  }
  const star = !entry.credentials;
  if (!entry.methods.includes(q.method) && !isSafelistedMethod(q.method) && !(star && entry.methods.includes('*'))) {
    return miss('method', `the cached preflight does not allow method ${q.method}`);
  }
  // Chromium's cache applies the spec rule: `*` never covers Authorization.
  if (star && entry.headers.includes('*')) {
    if (q.unsafeHeaders.includes('authorization') && !entry.headers.includes('authorization')) {
      return miss('authorization-wildcard', 'the cached preflight covers Authorization only by `*`, which the cache does not accept');
    }
  } else {
    const missing = q.unsafeHeaders.filter((h) => !entry.headers.includes(h));
    if (missing.length) return miss('headers', `the cached preflight does not allow ${missing.join(', ')}`);
  }
  return {
    hit: true,
    entry,
    expiresAt,
    text: `no OPTIONS was sent: served from the preflight cache (Max-Age ${entry.maxAge} s, stored at ` +
      `${iso(entry.storedAt)}, ${Math.ceil((expiresAt - q.now) / 1000)} s left)`,
  };
}
