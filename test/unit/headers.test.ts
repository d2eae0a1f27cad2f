import { describe, expect, it } from 'vitest';
import { getHeader } from '../../src/shared/cors/headers';
import { firstHeaderValue, hasHeader, headerValue, headerValues, type HeaderList } from '../../src/shared/headers';

const headers: HeaderList = [
  ['Content-Type', 'text/plain'],
  ['Set-Cookie', 'a=1'],
  ['x-many', ' one '],
  ['X-Many', 'two'],
  ['set-cookie', 'b=2'],
];

describe('header lookup', () => {
  it('finds every value of a name in any case, in order', () => {
    expect(headerValues(headers, 'set-cookie')).toEqual(['a=1', 'b=2']);
    expect(headerValues(headers, 'SET-COOKIE')).toEqual(['a=1', 'b=2']);
    expect(headerValues(headers, 'nope')).toEqual([]);
    expect(headerValues(undefined, 'set-cookie')).toEqual([]);
  });

  it('joins them by ", " as given (untrimmed), or takes the first; undefined when absent', () => {
    expect(headerValue(headers, 'x-many')).toBe(' one , two');
    expect(headerValue(headers, 'content-type')).toBe('text/plain');
    expect(headerValue(headers, 'nope')).toBeUndefined();
    expect(headerValue(undefined, 'content-type')).toBeUndefined();
    expect(firstHeaderValue(headers, 'X-MANY')).toBe(' one ');
    expect(firstHeaderValue(headers, 'nope')).toBeUndefined();
    expect(firstHeaderValue([['A', '']], 'a')).toBe('');
  });

  it('says whether a name is there, even with an empty value', () => {
    expect(hasHeader(headers, 'CONTENT-TYPE')).toBe(true);
    expect(hasHeader([['A', '']], 'a')).toBe(true);
    expect(hasHeader(headers, 'nope')).toBe(false);
    expect(hasHeader(undefined, 'a')).toBe(false);
  });

  it("CORS's getHeader is Fetch's get: values trimmed of HTTP whitespace, null when absent", () => {
    expect(getHeader(headers, 'x-many')).toBe('one, two');
    expect(getHeader(headers, 'nope')).toBeNull();
  });
});
