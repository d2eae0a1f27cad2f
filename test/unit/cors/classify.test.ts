import { describe, expect, it } from 'vitest';
import { classifyRequest, type Classification, type UnsafeWhy } from '../../../src/shared/cors';
import { O, U, base } from './fixtures';


const oneHeader = (name: string, value: string, why: UnsafeWhy, text: string): Classification => {
  const lower = name.toLowerCase();
  return base({
    preflight: { needed: true, reasons: [{ kind: 'header', name: lower, value, why, text }] },
    requestHeadersLine: lower,
    unsafeHeaders: [lower],
  });
};

const long = (n: number, c = 'a') => c.repeat(n);

// [name, value, why (null: safelisted), text]
const headerCases: Array<[string, string, UnsafeWhy | null, string]> = [
  ['Accept', 'application/json', null, ''],
  ['Accept', 'text/html, */*;q=0.8', null, ''],
  ['Accept', 'a"b', { rule: 'unsafe-byte', byte: `0x22 '"'` }, `header Accept: value has the unsafe byte 0x22 '"'`],
  ['Accept', 'a\x7fb', { rule: 'unsafe-byte', byte: '0x7F' }, 'header Accept: value has the unsafe byte 0x7F'],
  ['Accept', 'a{b}', { rule: 'unsafe-byte', byte: `0x7B '{'` }, `header Accept: value has the unsafe byte 0x7B '{'`],
  ['Accept', 'a\tb', null, ''],
  ['Accept', long(128), null, ''],
  ['Accept', long(129), { rule: 'too-long', bytes: 129 }, 'header Accept: value is 129 bytes, over the 128-byte limit for safelisted values'],
  ['Accept-Language', 'en-US,fr;q=0.5', null, ''],
  ['Accept-Language', 'en_US', { rule: 'disallowed-byte', byte: `0x5F '_'` },
    `header Accept-Language: value has the byte 0x5F '_'; only 0-9 A-Z a-z space * , - . ; = are allowed`],
  ['Content-Language', 'de-DE', null, ''],
  ['Content-Language', 'de/x', { rule: 'disallowed-byte', byte: `0x2F '/'` },
    `header Content-Language: value has the byte 0x2F '/'; only 0-9 A-Z a-z space * , - . ; = are allowed`],
  ['Content-Type', 'text/plain', null, ''],
  ['Content-Type', 'text/plain;charset=utf-8', null, ''],
  ['Content-Type', 'multipart/form-data; boundary=----WebKitFormBoundaryX1', null, ''],
  ['Content-Type', 'APPLICATION/X-WWW-FORM-URLENCODED', null, ''],
  ['Content-Type', 'application/json', { rule: 'content-type-essence', essence: 'application/json' },
    'header Content-Type: application/json is not application/x-www-form-urlencoded, multipart/form-data or text/plain'],
  ['Content-Type', 'Application/JSON; charset=utf-8', { rule: 'content-type-essence', essence: 'application/json' },
    'header Content-Type: application/json is not application/x-www-form-urlencoded, multipart/form-data or text/plain'],
  ['Content-Type', 'text/plain; charset="utf-8"', { rule: 'unsafe-byte', byte: `0x22 '"'` },
    `header Content-Type: value has the unsafe byte 0x22 '"'`],
  ['Content-Type', 'text', { rule: 'content-type-unparsable' }, 'header Content-Type: value `text` does not parse as a MIME type'],
  ['Content-Type', '/plain', { rule: 'content-type-unparsable' }, 'header Content-Type: value `/plain` does not parse as a MIME type'],
  ['Range', 'bytes=0-', null, ''],
  ['Range', 'bytes=0-5', null, ''],
  ['Range', 'BYTES=10-20', null, ''],
  ['Range', 'bytes=-5', { rule: 'range', problem: 'it is a suffix range' },
    'header Range: `bytes=-5` is not a single byte range with a start (it is a suffix range)'],
  ['Range', 'bytes=0-1,3-4', { rule: 'range', problem: 'it has more than one range' },
    'header Range: `bytes=0-1,3-4` is not a single byte range with a start (it has more than one range)'],
  ['Range', 'bytes=5-2', { rule: 'range', problem: 'its start is after its end' },
    'header Range: `bytes=5-2` is not a single byte range with a start (its start is after its end)'],
  ['Range', 'bytes= 0-5', { rule: 'range', problem: 'it contains whitespace' },
    'header Range: `bytes= 0-5` is not a single byte range with a start (it contains whitespace)'],
  ['Range', 'items=0-5', { rule: 'range', problem: 'it is not of the form bytes=start-[end]' },
    'header Range: `items=0-5` is not a single byte range with a start (it is not of the form bytes=start-[end])'],
  ['DPR', '1.5', null, ''],
  ['DPR', 'abc', { rule: 'client-hint', expected: 'a number like 2 or 1.5' },
    'header DPR: `abc` is not a valid value for this client hint (expected a number like 2 or 1.5)'],
  ['Width', '640', null, ''],
  ['Width', '6.4', { rule: 'client-hint', expected: 'whole digits like 640' },
    'header Width: `6.4` is not a valid value for this client hint (expected whole digits like 640)'],
  ['Viewport-Width', '1280', null, ''],
  ['Device-Memory', '0.5', null, ''],
  ['RTT', '50', null, ''],
  ['Downlink', '1.5', null, ''],
  ['ECT', '4g', null, ''],
  ['ECT', '4G', { rule: 'client-hint', expected: 'one of slow-2g, 2g, 3g, 4g' },
    'header ECT: `4G` is not a valid value for this client hint (expected one of slow-2g, 2g, 3g, 4g)'],
  ['Save-Data', 'ON', null, ''],
  ['Save-Data', 'off', { rule: 'client-hint', expected: 'on' },
    'header Save-Data: `off` is not a valid value for this client hint (expected on)'],
  ['Intervention', '<https://www.chromestatus.com/feature/1>; level="warning"', null, ''],
  ['X-Api-Key', 'k1', { rule: 'name' }, 'header X-Api-Key is not a CORS-safelisted header name'],
  ['Authorization', 'Bearer t', { rule: 'name' }, 'header Authorization is not a CORS-safelisted header name'],
  ['Cache-Control', 'no-cache', { rule: 'name' }, 'header Cache-Control is not a CORS-safelisted header name'],
  ['Last-Event-ID', '42', { rule: 'name' }, 'header Last-Event-ID is not a CORS-safelisted header name'],
];

describe('classifyRequest: one header at a time', () => {
  it.each(headerCases)('%s: %j', (name, value, why, text) => {
    const result = classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers: [[name, value]] });
    expect(result).toEqual(why ? oneHeader(name, value, why, text) : base());
  });
});

describe('classifyRequest: the 1024-byte total', () => {
  const names = ['Accept', 'Accept-Language', 'Content-Language', 'Intervention', 'Width', 'Viewport-Width', 'RTT', 'DPR'];
  const full: Array<[string, string]> = names.map((n, i) => [n, long(128, i < 4 ? 'a' : '1')]);

  it('exactly 1024 bytes of safelisted values is still simple', () => {
    expect(classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers: full })).toEqual(base());
  });

  it('one byte more makes every safelisted header unsafe', () => {
    const headers: Array<[string, string]> = [...full, ['Save-Data', 'on']];
    const lower = headers.map(([n]) => n.toLowerCase());
    expect(classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers })).toEqual(base({
      preflight: {
        needed: true,
        reasons: headers.map(([n, v]) => ({
          kind: 'header', name: n.toLowerCase(), value: v, why: { rule: 'total-too-long', total: 1026 },
          text: `header ${n}: safelisted header values total 1026 bytes, over 1024, so all of them count as unsafe`,
        })),
      },
      requestHeadersLine: [...lower].sort().join(','),
      unsafeHeaders: [...lower].sort(),
    }));
  });

  it('unsafe values do not count towards the total', () => {
    const headers: Array<[string, string]> = [['X-Big', long(2000)], ['Accept', 'text/plain']];
    expect(classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers }))
      .toEqual(oneHeader('X-Big', long(2000), { rule: 'name' }, 'header X-Big is not a CORS-safelisted header name'));
  });

  it('repeated names are combined with ", " before the 128-byte check', () => {
    const headers: Array<[string, string]> = [['Accept', long(64)], ['accept', long(64)]];
    const value = `${long(64)}, ${long(64)}`;
    expect(classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers })).toEqual(oneHeader('Accept', value,
      { rule: 'too-long', bytes: 130 }, 'header Accept: value is 130 bytes, over the 128-byte limit for safelisted values'));
  });
});

// [method as written, normalized, preflight reason text or null]
const methodCases: Array<[string, string, string | null]> = [
  ['get', 'GET', null],
  ['Post', 'POST', null],
  ['head', 'HEAD', null],
  ['put', 'PUT', 'method PUT is not GET, HEAD or POST'],
  ['delete', 'DELETE', 'method DELETE is not GET, HEAD or POST'],
  ['options', 'OPTIONS', 'method OPTIONS is not GET, HEAD or POST'],
  ['PATCH', 'PATCH', 'method PATCH is not GET, HEAD or POST'],
  ['patch', 'patch',
    'method patch is not GET, HEAD or POST (the browser does not upper-case `patch`; the server must allow `patch` exactly)'],
];

describe('classifyRequest: methods', () => {
  it.each(methodCases)('%s', (written, method, text) => {
    const result = classifyRequest({ url: U, documentOrigin: O, method: written, headers: [] });
    expect(result).toEqual(base({
      method,
      preflight: text ? { needed: true, reasons: [{ kind: 'method', method, text }] } : { needed: false, reasons: [] },
    }));
  });
});
