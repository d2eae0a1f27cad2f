import { describe, expect, it } from 'vitest';
import { walkRedirects, type RedirectHop, type RedirectInput } from '../../../src/shared/cors';

const A = 'http://127.0.0.1:8080';
const B = 'http://localhost:9090';
const C = 'http://other.test:7070';
const ACAO = 'Access-Control-Allow-Origin';

const hop = (url: string, location: string, headers: RedirectHop['headers'] = [], status = 302): RedirectHop => ({
  url, status, location, headers,
});
const walk = (url: string, chain: RedirectHop[], over: Partial<RedirectInput> = {}) =>
  walkRedirects({ url, origin: A, mode: 'cors', credentialed: false, corsFlag: url.startsWith(B) || url.startsWith(C), chain, ...over });

describe('walkRedirects', () => {
  it('same-origin to cross-origin: the first hop is not checked, the next response is', () => {
    expect(walk(`${A}/start`, [hop(`${A}/start`, `${B}/api`)])).toEqual({
      hops: [{ url: `${A}/start`, status: 302, location: `${B}/api`, origin: A, corsChecked: false, ok: true, taints: false }],
      finalUrl: `${B}/api`, finalOrigin: A, tainted: false, corsFlag: true,
      notes: [`The redirect to ${B}/api made the request cross-origin: from here on every response needs CORS headers.`],
    });
  });

  it('cross-origin to another origin taints the origin to "null"', () => {
    expect(walk(`${B}/a`, [hop(`${B}/a`, `${C}/b`, [[ACAO, A]])])).toEqual({
      hops: [{ url: `${B}/a`, status: 302, location: `${C}/b`, origin: A, corsChecked: true, ok: true, taints: true }],
      finalUrl: `${C}/b`, finalOrigin: 'null', tainted: true, corsFlag: true,
      notes: [`After the redirect from ${B}/a to another origin, the request origin is "null" (Origin: null).`],
    });
  });

  it('a redirect within the cross-origin server does not taint; relative Locations resolve', () => {
    const result = walk(`${B}/a`, [hop(`${B}/a`, '/b', [[ACAO, '*']], 307)]);
    expect([result.finalUrl, result.finalOrigin, result.tainted, result.hops[0]!.location]).toEqual([`${B}/b`, A, false, `${B}/b`]);
  });

  it('each hop must pass the CORS check', () => {
    expect(walk(`${B}/a`, [hop(`${B}/a`, `${B}/b`)])).toEqual({
      hops: [{ url: `${B}/a`, status: 302, location: `${B}/b`, origin: A, corsChecked: true, ok: false, taints: false }],
      finalUrl: `${B}/a`, finalOrigin: A, tainted: false, corsFlag: true,
      failure: {
        error: 'MissingAllowOriginHeader', failedParameter: '', stage: 'redirect', header: ACAO, value: null, hop: 0,
        text: `The redirect response has no ${ACAO} header, so the browser withholds it from ${A}.`,
      },
      notes: [],
    });
  });

  it('after tainting, the next hop needs ACAO null or *', () => {
    const result = walk(`${B}/a`, [hop(`${B}/a`, `${C}/b`, [[ACAO, A]]), hop(`${C}/b`, `${C}/c`, [[ACAO, A]])]);
    expect([result.failure, result.hops[1]!.origin]).toEqual([{
      error: 'AllowOriginMismatch', failedParameter: A, stage: 'redirect', header: ACAO, value: A, hop: 1,
      text: `${ACAO} is \`${A}\` but the request origin is null; they must match byte for byte (the request origin ` +
        'became "null" after a cross-origin redirect).',
    }, 'null']);
  });

  it('a Location with user:password fails with RedirectContainsCredentials', () => {
    const result = walk(`${B}/a`, [hop(`${B}/a`, 'http://user:pw@other.test:7070/b', [[ACAO, A]])]);
    expect(result.failure).toEqual({
      error: 'RedirectContainsCredentials', failedParameter: '', stage: 'redirect', header: 'Location',
      value: 'http://user:pw@other.test:7070/b', hop: 0,
      text: `The redirect from ${B}/a goes to http://user:pw@other.test:7070/b, which contains credentials (user:password); ` +
        'a CORS request cannot follow it.',
    });
  });

  it('same-origin redirect with credentials in a same-origin Location is allowed', () => {
    const result = walk(`${A}/a`, [hop(`${A}/a`, 'http://u:p@127.0.0.1:8080/b')]);
    expect(result.failure).toBe(undefined);
  });

  it('more than 20 redirects stop with ERR_TOO_MANY_REDIRECTS, not a CORS error', () => {
    const chain = Array.from({ length: 21 }, (_, i) => hop(`${B}/${i}`, `${B}/${i + 1}`, [[ACAO, '*']]));
    const result = walk(`${B}/0`, chain);
    expect([result.tooManyRedirects, result.failure, result.hops.length, result.notes]).toEqual([
      true, undefined, 21, ['More than 20 redirects: the browser stops with net::ERR_TOO_MANY_REDIRECTS (not a CORS error).'],
    ]);
    expect(walk(`${B}/0`, chain.slice(0, 20)).tooManyRedirects).toBe(undefined);
  });

  it('notes that Authorization is removed on a cross-origin hop', () => {
    const result = walk(`${A}/a`, [hop(`${A}/a`, `${B}/b`)], { authorization: true });
    expect(result.notes[0]).toBe(`The Authorization header was removed when following the cross-origin redirect to ${B}/b.`);
  });

  it("mode 'no-cors' never checks hops", () => {
    const result = walk(`${B}/a`, [hop(`${B}/a`, `${C}/b`)], { mode: 'no-cors', corsFlag: false });
    expect([result.failure, result.hops[0]!.corsChecked, result.corsFlag]).toEqual([undefined, false, false]);
  });
});
