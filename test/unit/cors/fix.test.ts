import { describe, expect, it } from 'vitest';
import { corsCheck, preflightCheck, suggestFix, type CorsFailure, type FixContext, type HeaderList } from '../../../src/shared/cors';

const O = 'http://127.0.0.1:8080';
const U = 'http://localhost:9090/api/items';
const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';

function responseFix(headers: HeaderList, credentialed = false, origin = O): string {
  const r = corsCheck({ headers, origin, credentialed });
  if (r.ok) throw new Error('expected a failure');
  return suggestFix(r.failure, { url: U, origin, method: 'GET', credentialed, headers });
}

function preflightFix(headers: HeaderList, over: { status?: number; method?: string; unsafe?: string[]; cred?: boolean; redirected?: boolean } = {}) {
  const status = over.status ?? 204;
  const method = over.method ?? 'PUT';
  const credentialed = over.cred ?? false;
  const r = preflightCheck({ headers, status, origin: O, credentialed, method, unsafeHeaders: over.unsafe ?? ['x-api-key'], redirected: over.redirected });
  if (r.ok) throw new Error('expected a failure');
  return suggestFix(r.failure, { url: U, origin: O, method, credentialed, headers, status });
}

describe('suggestFix: the response', () => {
  it.each<[string, () => string, string]>([
    ['missing ACAO', () => responseFix([]),
      `add \`${ACAO}: ${O}\` to the response of GET /api/items (or \`${ACAO}: *\`, the request carries no credentials)`],
    ['missing ACAO, credentialed', () => responseFix([], true),
      `add \`${ACAO}: ${O}\` to the response of GET /api/items, and add \`${ACAC}: true\``],
    ['wildcard with credentials', () => responseFix([[ACAO, '*'], [ACAC, 'true']], true),
      `change \`${ACAO}: *\` to \`${ACAO}: ${O}\` in the response of GET /api/items (credentialed requests cannot use *) and add \`Vary: Origin\``],
    ['wildcard with credentials and no ACAC', () => responseFix([[ACAO, '*']], true),
      `change \`${ACAO}: *\` to \`${ACAO}: ${O}\` in the response of GET /api/items (credentialed requests cannot use *) and add ` +
      `\`Vary: Origin\` and \`${ACAC}: true\``],
    ['two values in one header', () => responseFix([[ACAO, `${O} http://a.test`]]),
      `change \`${ACAO}: ${O} http://a.test\` to \`${ACAO}: ${O}\` in the response of GET /api/items (one origin only: to allow ` +
      `several, echo the request's Origin when it is on your list and add \`Vary: Origin\`)`],
    ['the header twice', () => responseFix([[ACAO, '*'], [ACAO, '*']]),
      `send ${ACAO} once in the response of GET /api/items: it appears 2 times (\`*, *\`, often a proxy and the application both ` +
      `add it); keep only \`${ACAO}: *\``],
    ['the header twice with two origins', () => responseFix([[ACAO, O], [ACAO, 'http://a.test']]),
      `send ${ACAO} once in the response of GET /api/items: it appears 2 times (\`${O}, http://a.test\`, often a proxy and the ` +
      `application both add it); keep only \`${ACAO}: ${O}\``],
    ['invalid value', () => responseFix([[ACAO, '127.0.0.1:8080']]),
      `change \`${ACAO}: 127.0.0.1:8080\` to \`${ACAO}: ${O}\` in the response of GET /api/items (a full origin: scheme://host[:port], no path)`],
    ['mismatch', () => responseFix([[ACAO, `${O}/`]]), `change \`${ACAO}: ${O}/\` to \`${ACAO}: ${O}\` in the response of GET /api/items`],
    ['mismatch after a tainting redirect', () => responseFix([[ACAO, O]], false, 'null'),
      `change \`${ACAO}: ${O}\` to \`${ACAO}: *\` in the response of GET /api/items (after a cross-origin redirect the request origin is "null")`],
    ['ACAC missing', () => responseFix([[ACAO, O]], true), `add \`${ACAC}: true\` to the response of GET /api/items`],
    ['ACAC wrong', () => responseFix([[ACAO, O], [ACAC, 'TRUE']], true),
      `change \`${ACAC}: TRUE\` to \`${ACAC}: true\` in the response of GET /api/items (exactly lower-case true)`],
  ])('%s', (_name, run, expected) => {
    expect(run()).toBe(expected);
  });
});

describe('suggestFix: the preflight', () => {
  const ok: HeaderList = [[ACAO, O], ['Access-Control-Allow-Methods', 'PUT']];
  it.each<[string, () => string, string]>([
    ['missing ACAO on OPTIONS', () => preflightFix([], { status: 404 }),
      `add \`${ACAO}: ${O}\` to the OPTIONS response of /api/items (or \`${ACAO}: *\`, the request carries no credentials)`],
    ['status', () => preflightFix(ok, { status: 404 }),
      'make the OPTIONS response of /api/items return 204 instead of 404 (answer OPTIONS before authentication or routing; any 2xx works)'],
    ['redirect', () => preflightFix([], { status: 301, redirected: true }),
      'make the OPTIONS response of /api/items answer 204 itself instead of redirecting (301); preflights cannot follow redirects, ' +
      'so otherwise point the page at the final URL'],
    ['broken ACAM', () => preflightFix([[ACAO, O], ['Access-Control-Allow-Methods', 'GET PUT;']]),
      'change `Access-Control-Allow-Methods: GET PUT;` to `Access-Control-Allow-Methods: GET, PUT` in the OPTIONS response of ' +
      '/api/items (a comma-separated list of methods)'],
    ['broken ACAH', () => preflightFix([...ok, ['Access-Control-Allow-Headers', '"x-api-key"']]),
      'change `Access-Control-Allow-Headers: "x-api-key"` to `Access-Control-Allow-Headers: x-api-key` in the OPTIONS response of ' +
      '/api/items (a comma-separated list of header names)'],
    ['method missing', () => preflightFix([[ACAO, O], ['Access-Control-Allow-Methods', 'GET, POST']]),
      'change `Access-Control-Allow-Methods: GET, POST` to `Access-Control-Allow-Methods: GET, POST, PUT` in the OPTIONS response of /api/items'],
    ['ACAM absent', () => preflightFix([[ACAO, O]], { method: 'DELETE' }),
      'add `Access-Control-Allow-Methods: DELETE` to the OPTIONS response of /api/items'],
    ['lower-case patch', () => preflightFix([[ACAO, O], ['Access-Control-Allow-Methods', 'PATCH']], { method: 'patch', unsafe: [] }),
      'change `Access-Control-Allow-Methods: PATCH` to `Access-Control-Allow-Methods: PATCH, patch` in the OPTIONS response of ' +
      '/api/items (or have the page send PATCH in upper case)'],
    ['header missing, no ACAH', () => preflightFix(ok),
      'add `Access-Control-Allow-Headers: x-api-key` to the OPTIONS response of /api/items'],
    ['headers missing, ACAH present', () => preflightFix([...ok, ['Access-Control-Allow-Headers', 'content-type']],
      { unsafe: ['content-type', 'x-api-key', 'x-trace'] }),
      'change `Access-Control-Allow-Headers: content-type` to `Access-Control-Allow-Headers: content-type, x-api-key, x-trace` ' +
      'in the OPTIONS response of /api/items'],
    ['ACAH * with credentials', () => preflightFix([...ok, [ACAC, 'true'], ['Access-Control-Allow-Headers', '*']], { cred: true }),
      'change `Access-Control-Allow-Headers: *` to `Access-Control-Allow-Headers: x-api-key` in the OPTIONS response of /api/items ' +
      '(credentialed requests cannot use *)'],
  ])('%s', (_name, run, expected) => {
    expect(run()).toBe(expected);
  });
});

describe('suggestFix: requests and redirects', () => {
  const ctx: FixContext = { url: U, origin: O, method: 'GET', credentialed: false };
  const failure = (error: CorsFailure['error'], extra: Partial<CorsFailure> = {}): CorsFailure => ({
    error, failedParameter: '', stage: 'request', text: '', ...extra,
  });

  it('RedirectContainsCredentials', () => {
    expect(suggestFix(failure('RedirectContainsCredentials', { stage: 'redirect', value: 'http://u:p@other.test/b' }),
      { ...ctx, url: 'http://localhost:9090/old', status: 302 })).toBe(
      'change `Location: http://u:p@other.test/b` to `Location: http://other.test/b` in the 302 response of /old ' +
        '(CORS requests cannot follow a redirect to a URL with user:password)',
    );
  });

  it('DisallowedByMode is the page\'s doing', () => {
    expect(suggestFix(failure('DisallowedByMode'), ctx)).toBe(
      "no server change helps: the page asked for mode 'same-origin' on another origin; use mode 'cors' (the default) and have " +
        `the server send \`${ACAO}: ${O}\`, or call a same-origin URL`,
    );
  });

  it('CorsDisabledScheme', () => {
    expect(suggestFix(failure('CorsDisabledScheme'), { ...ctx, url: 'ftp://localhost/f' })).toBe(
      'serve ftp://localhost/f over http(s): the browser does not fetch ftp: URLs cross-origin',
    );
  });
});
