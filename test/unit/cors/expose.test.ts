import { describe, expect, it } from 'vitest';
import { explainHiddenRead, exposedHeaders, type ExposeInput, type ExposeResult, type HeaderList } from '../../../src/shared/cors';

const response: HeaderList = [
  ['Content-Type', 'application/json'],
  ['Content-Length', '12'],
  ['X-Total', '3'],
  ['Set-Cookie', 'sid=1'],
  ['ETag', '"v1"'],
];
const withAceh = (value: string): HeaderList => [...response, ['Access-Control-Expose-Headers', value]];

// [case, input, expected]
const cases: Array<[string, ExposeInput, ExposeResult]> = [
  ['cors without Access-Control-Expose-Headers: safelisted only', { headers: response, credentialed: false },
    { readable: ['content-type', 'content-length'], hidden: ['x-total', 'set-cookie', 'etag'], exposeList: [], wildcard: false }],
  ['listed names become readable, case-insensitively', { headers: withAceh('x-TOTAL, ETag'), credentialed: false },
    { readable: ['content-type', 'content-length', 'x-total', 'etag'],
      hidden: ['set-cookie', 'access-control-expose-headers'], exposeList: ['x-total', 'etag'], wildcard: false }],
  ['* exposes everything but Set-Cookie without credentials', { headers: withAceh('*'), credentialed: false },
    { readable: ['content-type', 'content-length', 'x-total', 'etag', 'access-control-expose-headers'],
      hidden: ['set-cookie'], exposeList: ['*'], wildcard: true }],
  ['* is a literal name with credentials', { headers: withAceh('*'), credentialed: true },
    { readable: ['content-type', 'content-length'], hidden: ['x-total', 'set-cookie', 'etag', 'access-control-expose-headers'],
      exposeList: ['*'], wildcard: false }],
  ['listing Set-Cookie does not expose it', { headers: withAceh('Set-Cookie'), credentialed: false },
    { readable: ['content-type', 'content-length'], hidden: ['x-total', 'set-cookie', 'etag', 'access-control-expose-headers'],
      exposeList: ['set-cookie'], wildcard: false }],
  ['same-origin (basic): everything but Set-Cookie', { headers: response, credentialed: true, tainting: 'basic' },
    { readable: ['content-type', 'content-length', 'x-total', 'etag'], hidden: ['set-cookie'], exposeList: [], wildcard: false }],
  ['opaque (no-cors): nothing', { headers: response, credentialed: false, tainting: 'opaque' },
    { readable: [], hidden: ['content-type', 'content-length', 'x-total', 'set-cookie', 'etag'], exposeList: [], wildcard: false }],
];

describe('exposedHeaders', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(exposedHeaders(input)).toEqual(expected);
  });
});

const ACEH = 'Access-Control-Expose-Headers';

describe('explainHiddenRead', () => {
  it('without context: the general rule and the header to add', () => {
    expect(explainHiddenRead('X-Total')).toBe(
      'On a cross-origin response X-Total is readable only if it is CORS-safelisted (Cache-Control, Content-Language, ' +
        `Content-Length, Content-Type, Expires, Last-Modified, Pragma) or listed in ${ACEH}: add \`${ACEH}: x-total\` to the response.`,
    );
  });

  it('Set-Cookie is never readable', () => {
    expect(explainHiddenRead('set-cookie')).toBe(
      'set-cookie is never readable from script (a forbidden response header name); the browser stores the cookie itself.',
    );
  });

  it('not listed: add the header', () => {
    expect(explainHiddenRead('X-Total', { headers: response, credentialed: false })).toBe(
      'X-Total is hidden: it is not a CORS-safelisted response header (Cache-Control, Content-Language, Content-Length, ' +
        `Content-Type, Expires, Last-Modified, Pragma) and is not listed in ${ACEH}; add \`${ACEH}: x-total\` to the response.`,
    );
  });

  it('another name is listed: extend the list', () => {
    expect(explainHiddenRead('X-Total', { headers: withAceh('ETag'), credentialed: false })).toBe(
      'X-Total is hidden: it is not a CORS-safelisted response header (Cache-Control, Content-Language, Content-Length, ' +
        `Content-Type, Expires, Last-Modified, Pragma) and is not listed in ${ACEH}; change \`${ACEH}: ETag\` to ` +
        `\`${ACEH}: ETag, x-total\`.`,
    );
  });

  it('credentialed with *: list it by name', () => {
    expect(explainHiddenRead('X-Total', { headers: withAceh('*'), credentialed: true })).toBe(
      `X-Total is hidden: the request is credentialed, so \`${ACEH}: *\` is a literal name, not a wildcard; change it to ` +
        `\`${ACEH}: x-total\`.`,
    );
  });

  it('the header was never sent', () => {
    expect(explainHiddenRead('X-Page', { headers: response, credentialed: false })).toBe(
      'The response has no X-Page header at all, so the page got null; the server did not send it.',
    );
  });

  it('opaque response', () => {
    expect(explainHiddenRead('Content-Type', { headers: response, credentialed: false, tainting: 'opaque' })).toBe(
      "The response is opaque (mode 'no-cors'): no header, status or body is readable; use mode 'cors' and have the server allow it.",
    );
  });

  it('actually readable', () => {
    expect(explainHiddenRead('Content-Type', { headers: response, credentialed: false })).toBe(
      'Content-Type is readable on this response; a null read means it was made before the headers arrived or on another response.',
    );
  });
});
