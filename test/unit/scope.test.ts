import { describe, expect, it } from 'vitest';
import { MAX_SCOPED_SITES, excludedPatterns, modeOf, readScope, recordsKept, siteOf, withMode } from '../../src/shared/scope';

describe('recording scope', () => {
  it('a site is an http(s) origin, port included; other schemes have none', () => {
    expect(siteOf('http://127.0.0.1:8080/a/b?c#d')).toBe('http://127.0.0.1:8080');
    expect(siteOf('https://Example.COM:443/')).toBe('https://example.com');
    expect(siteOf('ws://example.com/')).toBeUndefined();
    expect(siteOf('chrome://settings')).toBeUndefined();
    expect(siteOf('file:///tmp/x.html')).toBeUndefined();
    expect(siteOf('about:blank')).toBeUndefined();
    expect(siteOf('not a url')).toBeUndefined();
    expect(siteOf(undefined)).toBeUndefined();
  });

  it('reads a stored scope defensively', () => {
    expect(readScope({ 'https://a.example': 'off', 'https://b.example': 'devtools', 'https://c.example': 'on', 'https://d.example/path': 'off', 'javascript:alert(1)': 'off', 'https://e.example': 7 })).toEqual({
      'https://a.example': 'off',
      'https://b.example': 'devtools',
    });
    expect(readScope(null)).toEqual({});
    expect(readScope('off')).toEqual({});
    const many = Object.fromEntries(Array.from({ length: MAX_SCOPED_SITES + 5 }, (_, i) => [`https://s${i}.example`, 'off']));
    expect(Object.keys(readScope(many))).toHaveLength(MAX_SCOPED_SITES);
  });

  it('modes: on by default; `on` removes a site', () => {
    let scope = withMode({}, 'https://a.example', 'off');
    expect(modeOf(scope, 'https://a.example')).toBe('off');
    expect(modeOf(scope, 'https://b.example')).toBe('on');
    expect(modeOf(scope, undefined)).toBe('on');
    expect(modeOf(scope, 'toString')).toBe('on');
    scope = withMode(scope, 'https://a.example', 'on');
    expect(scope).toEqual({});
  });

  it('content scripts leave out off sites, and devtools sites no panel looks at', () => {
    const scope = { 'https://b.example': 'devtools', 'http://127.0.0.1:8080': 'off', 'https://c.example': 'devtools' } as const;
    expect(excludedPatterns(scope, new Set())).toEqual(['http://127.0.0.1:8080/*', 'https://b.example/*', 'https://c.example/*']);
    expect(excludedPatterns(scope, new Set(['https://b.example', 'http://127.0.0.1:8080']))).toEqual(['http://127.0.0.1:8080/*', 'https://c.example/*']);
  });

  it('records are kept for on sites, never for off ones, for devtools ones only in a tab with a panel', () => {
    const scope = { 'https://off.example': 'off', 'https://dev.example': 'devtools' } as const;
    expect(recordsKept(scope, 'https://on.example', false)).toBe(true);
    expect(recordsKept(scope, undefined, false)).toBe(true);
    expect(recordsKept(scope, 'https://off.example', true)).toBe(false);
    expect(recordsKept(scope, 'https://dev.example', false)).toBe(false);
    expect(recordsKept(scope, 'https://dev.example', true)).toBe(true);
  });
});
