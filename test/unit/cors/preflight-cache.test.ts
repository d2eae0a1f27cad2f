import { describe, expect, it } from 'vitest';
import {
  cacheEntryFromPreflight,
  lookupPreflight,
  parseMaxAge,
  storePreflight,
  type CacheQuery,
  type MaxAge,
  type PreflightCacheEntry,
} from '../../../src/shared/cors';

// [header value, expected]
const maxAges: Array<[string | null, MaxAge]> = [
  [null, { seconds: 5, text: 'no Access-Control-Max-Age: cached for the default 5 s' }],
  ['600', { seconds: 600, text: 'cached for 600 s' }],
  ['+10', { seconds: 10, text: 'cached for 10 s' }],
  ['0', { seconds: 0, text: 'Access-Control-Max-Age 0: not cached' }],
  ['-1', { seconds: 0, text: 'Access-Control-Max-Age -1 is negative: not cached' }],
  ['7200', { seconds: 7200, text: 'cached for 7200 s' }],
  ['86400', { seconds: 7200, text: 'cached for 7200 s (Chromium caps 86400 s at 2 h)' }],
  ['abc', { seconds: 5, text: 'Access-Control-Max-Age `abc` is not an integer: cached for the default 5 s' }],
  ['1.5', { seconds: 5, text: 'Access-Control-Max-Age `1.5` is not an integer: cached for the default 5 s' }],
  ['600, 600', { seconds: 5, text: 'Access-Control-Max-Age `600, 600` is not an integer: cached for the default 5 s' }],
  ['99999999999999999999', { seconds: 5,
    text: 'Access-Control-Max-Age `99999999999999999999` is not an integer: cached for the default 5 s' }],
];

describe('parseMaxAge', () => {
  it.each(maxAges)('%j', (value, expected) => {
    expect(parseMaxAge(value)).toEqual(expected);
  });
});

const O = 'http://127.0.0.1:8080';
const U = 'http://localhost:9090/api/items';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const entry: PreflightCacheEntry = {
  origin: O, url: U, credentials: false, methods: ['PUT'], headers: ['x-api-key'], maxAge: 600, storedAt: T0,
};
const query = (over: Partial<CacheQuery> = {}): CacheQuery => ({
  origin: O, url: U, credentialed: false, method: 'PUT', unsafeHeaders: ['x-api-key'], now: T0 + 188_000, ...over,
});

describe('preflight cache model', () => {
  it('builds the entry a passed preflight leaves behind', () => {
    expect(cacheEntryFromPreflight({
      origin: O, url: `${U}#top`, credentialed: false, storedAt: T0,
      headers: [['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'X-Api-Key'], ['Access-Control-Max-Age', '600']],
    })).toEqual(entry);
  });

  it('stores nothing when a list does not parse', () => {
    expect(cacheEntryFromPreflight({ origin: O, url: U, credentialed: false, storedAt: T0,
      headers: [['Access-Control-Allow-Methods', 'GET PUT']] })).toBe(null);
  });

  it('a hit explains the missing OPTIONS', () => {
    expect(lookupPreflight([entry], query())).toEqual({
      hit: true, entry, expiresAt: T0 + 600_000,
      text: 'no OPTIONS was sent: served from the preflight cache (Max-Age 600 s, stored at 2026-01-01T12:00:00.000Z, 412 s left)',
    });
  });

  // [case, query, reason, text]
  const misses: Array<[string, Partial<CacheQuery>, string, string]> = [
    ['expired', { now: T0 + 600_000 }, 'expired', 'the cached preflight expired at 2026-01-01T12:10:00.000Z (Max-Age 600 s)'],
    ['credentialed request, entry made without credentials', { credentialed: true }, 'credentials',
      'the cached preflight was made without credentials and cannot serve a credentialed request'],
    ['another method', { method: 'DELETE' }, 'method', 'the cached preflight does not allow method DELETE'],
    ['another header', { unsafeHeaders: ['x-api-key', 'x-trace'] }, 'headers', 'the cached preflight does not allow x-trace'],
  ];
  it.each(misses)('miss: %s', (_name, over, reason, text) => {
    expect(lookupPreflight([entry], query(over))).toEqual({ hit: false, reason, entry, text });
  });

  it('miss: no entry for another URL or partition', () => {
    const none = { hit: false, reason: 'no-entry', text: 'no cached preflight for this origin and URL' };
    expect([lookupPreflight([entry], query({ url: `${U}?page=2` })), lookupPreflight([entry], query({ partition: 'https://top.test' }))])
      .toEqual([none, none]);
  });

  it('miss: "Disable cache" bypasses it', () => {
    expect(lookupPreflight([entry], query({ cacheDisabled: true }))).toEqual({
      hit: false, reason: 'disabled', text: 'the preflight cache is bypassed while "Disable cache" is on',
    });
  });

  it('miss: Authorization covered only by * is never served from the cache', () => {
    const star = { ...entry, headers: ['*'] };
    expect(lookupPreflight([star], query({ unsafeHeaders: ['authorization'] }))).toEqual({
      hit: false, reason: 'authorization-wildcard', entry: star,
      text: 'the cached preflight covers Authorization only by `*`, which the cache does not accept',
    });
  });

  it('a credentialed entry serves a request without credentials; a safelisted method needs no listing', () => {
    const cred = { ...entry, credentials: true };
    expect(lookupPreflight([cred], query({ method: 'POST' })).hit).toBe(true);
  });

  it('storing replaces the entry with the same key and keeps others', () => {
    const other = { ...entry, url: `${U}/2` };
    const newer = { ...entry, storedAt: T0 + 1000, maxAge: 5 };
    expect(storePreflight(storePreflight([], entry), other)).toEqual([entry, other]);
    expect(storePreflight([entry, other], newer)).toEqual([other, newer]);
  });
});
