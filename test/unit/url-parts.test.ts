import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originOf, serializedParts, urlParts } from '../../src/shared/url';
import { URL_FIELDS as FIELDS, urlSamples } from '../helpers/url-samples';

describe('urlParts', () => {
  const urls = [
    'http://a.test/api/items?i=1',
    'HTTPS://Ex%41mple.TEST:443/a/../b/./c?q=1#frag',
    'http://a.test:8080',
    'http://[::1]:80/x',
    'ws://a.test/quotes',
    'http://user:pw@a.test/p?x#',
    'data:text/plain,hi',
    'blob:http://a.test/0b3c',
    'http://a.test/\\x?a=b c',
    'http://xn--nxasmq6b.test/',
    'http://ü.test/ä?ö#ß',
    '  http://a.test/trim  ',
    'http://0x7f.1/',
  ];
  it('gives the fields new URL gives, for every URL (parsed once, then from memory)', () => {
    for (const url of urls) {
      const u = new URL(url);
      for (let twice = 0; twice < 2; twice++) {
        const parts = urlParts(url)!;
        for (const f of FIELDS) expect([url, f, parts[f]]).toEqual([url, f, u[f]]);
      }
      expect(originOf(url)).toBe(u.origin);
    }
  });

  it('is undefined for what does not parse, and originOf of nothing is undefined', () => {
    for (const bad of ['', 'not a url', '/relative/path', 'http://', 'http://a b.test/']) {
      expect(urlParts(bad)).toBeUndefined();
      expect(urlParts(bad)).toBeUndefined();
    }
    expect(originOf(undefined)).toBeUndefined();
    expect(originOf('')).toBeUndefined();
  });

  it('hands out parts nobody can change, and stays right past its memory bound', () => {
    const parts = urlParts('http://a.test/frozen')!;
    expect(() => ((parts as { pathname: string }).pathname = '/changed')).toThrow(TypeError);
    expect(urlParts('http://a.test/frozen')!.pathname).toBe('/frozen');
    for (let i = 0; i < 10_000; i++) expect(urlParts(`http://h${i}.test/p?i=${i}`)!.host).toBe(`h${i}.test`);
    expect(urlParts('http://a.test/frozen')!.pathname).toBe('/frozen');
  });
});

describe('serializedParts (URLs read without parsing)', () => {
  it('answers exactly as new URL does whenever it answers, and answers often', () => {
    let answered = 0;
    fc.assert(
      fc.property(urlSamples, (u) => {
        const fast = serializedParts(u);
        if (!fast) return;
        answered++;
        const parsed = new URL(u);
        for (const f of FIELDS) expect([u, f, fast[f]]).toEqual([u, f, parsed[f]]);
      }),
      { numRuns: 20_000 },
    );
    // Not a property that holds because nothing is answered.
    expect(answered).toBeGreaterThan(2_000);
  });

  it('answers for the URLs pages and the wire give', () => {
    for (const u of ['http://127.0.0.1:8123/api/items?i=1&t=2', 'https://api.example.com/v1/users/42', 'wss://a.test/socket#x', 'http://a.test?x=%20y', 'https://a.test/p:a@b;c=d,e']) {
      const fast = serializedParts(u);
      expect(fast, u).toBeDefined();
      const parsed = new URL(u);
      for (const f of FIELDS) expect([u, f, fast![f]]).toEqual([u, f, parsed[f]]);
    }
  });
});
