import { describe, expect, it } from 'vitest';
import { preflightCheck, type HeaderList, type PreflightCheckInput, type PreflightCheckResult } from '../../../src/shared/cors';

const O = 'http://127.0.0.1:8080';
const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const AUTH_NOTE =
  'Access-Control-Allow-Headers: * does not cover Authorization per the Fetch standard (it must be listed by name), ' +
  'but Chromium 156 still allows it and reports the deprecation issue AuthorizationCoveredByWildcard; list Authorization ' +
  "explicitly. Chromium's preflight cache never serves this case, so every such request is preflighted again.";

const input = (headers: HeaderList, over: Partial<PreflightCheckInput> = {}): PreflightCheckInput => ({
  headers, status: 204, origin: O, credentialed: false, method: 'PUT', unsafeHeaders: ['x-api-key'], ...over,
});
const fail = (error: string, failedParameter: string, text: string, extra: object = {}): PreflightCheckResult => ({
  ok: false, failure: { error: error as never, failedParameter, stage: 'preflight', text, ...extra },
});
const good: HeaderList = [[ACAO, O], [ACAM, 'GET, PUT'], [ACAH, 'X-Api-Key']];

// [case, input, expected]
const cases: Array<[string, PreflightCheckInput, PreflightCheckResult]> = [
  ['everything allowed', input(good), { ok: true, methods: ['GET', 'PUT'], headers: ['x-api-key'] }],
  ['a redirect fails before anything else', input([], { status: 301, redirected: true }),
    fail('PreflightDisallowedRedirect', '', 'The preflight (OPTIONS) request was redirected (status 301); preflights cannot follow redirects.')],
  ['404 without ACAO: Chromium checks ACAO before the status', input([], { status: 404 }),
    fail('PreflightMissingAllowOriginHeader', '', `The preflight (OPTIONS) response has no ${ACAO} header, so the browser withholds it from ${O}.`,
      { header: ACAO, value: null })],
  ['404 with ACAO', input(good, { status: 404 }),
    fail('PreflightInvalidStatus', '', 'The preflight (OPTIONS) response has status 404; it must be 2xx (200-299).')],
  ['300 is not ok either', input(good, { status: 300 }),
    fail('PreflightInvalidStatus', '', 'The preflight (OPTIONS) response has status 300; it must be 2xx (200-299).')],
  ['299 is ok', input(good, { status: 299 }), { ok: true, methods: ['GET', 'PUT'], headers: ['x-api-key'] }],
  ['ACAO mismatch', input([[ACAO, 'http://localhost']]),
    fail('PreflightAllowOriginMismatch', 'http://localhost',
      `${ACAO} is \`http://localhost\` but the request origin is ${O}; they must match byte for byte.`, { header: ACAO, value: 'http://localhost' })],
  ['multiple ACAO values', input([[ACAO, '*, *']]),
    fail('PreflightMultipleAllowOriginValues', '*, *', `${ACAO} is \`*, *\`: it must hold exactly one origin, and a space or ` +
      'comma means several values (often a proxy and the application both add the header).', { header: ACAO, value: '*, *' })],
  ['invalid ACAO value', input([[ACAO, 'localhost']]),
    fail('PreflightInvalidAllowOriginValue', 'localhost',
      `${ACAO} is \`localhost\`, which is not an origin (expected * or scheme://host[:port]).`, { header: ACAO, value: 'localhost' })],
  ['wildcard ACAO for a credentialed request', input([[ACAO, '*']], { credentialed: true }),
    fail('PreflightWildcardOriginNotAllowed', '', `The preflight (OPTIONS) response has ${ACAO}: *, which is not allowed for a ` +
      "credentialed request (credentials: 'include' or withCredentials).", { header: ACAO, value: '*' })],
  ['credentialed without ACAC on the preflight', input(good, { credentialed: true }),
    fail('PreflightInvalidAllowCredentials', '', `The request is credentialed, so ${ACAC} must be exactly \`true\`; it is missing.`,
      { header: ACAC, value: null })],
  ['ACAM that is not a list of tokens', input([[ACAO, O], [ACAM, 'GET PUT']]),
    fail('InvalidAllowMethodsPreflightResponse', '',
      `${ACAM} is \`GET PUT\`: not a comma-separated list of method names.`, { header: ACAM, value: 'GET PUT' })],
  ['ACAH that is not a list of tokens', input([[ACAO, O], [ACAM, 'PUT'], [ACAH, 'x-api-key; content-type']]),
    fail('InvalidAllowHeadersPreflightResponse', '',
      `${ACAH} is \`x-api-key; content-type\`: not a comma-separated list of header names.`,
      { header: ACAH, value: 'x-api-key; content-type' })],
  ['an invalid ACAH wins over a disallowed method (both lists parse first)', input([[ACAO, O], [ACAH, '"x", y']]),
    fail('InvalidAllowHeadersPreflightResponse', '',
      `${ACAH} is \`"x", y\`: not a comma-separated list of header names (\`"x"\` is not a token).`, { header: ACAH, value: '"x", y' })],
  ['empty list items are skipped', input([[ACAO, O], [ACAM, ' PUT,, '], [ACAH, ',x-api-key']]),
    { ok: true, methods: ['PUT'], headers: ['x-api-key'] }],
  ['method not listed', input([[ACAO, O], [ACAM, 'GET, POST']]),
    fail('MethodDisallowedByPreflightResponse', 'PUT',
      `Method PUT is not allowed by the preflight response's ${ACAM} (\`GET, POST\`).`, { header: ACAM, value: 'GET, POST' })],
  ['ACAM absent', input([[ACAO, O]]),
    fail('MethodDisallowedByPreflightResponse', 'PUT', `Method PUT is not allowed by the preflight response's ${ACAM} (absent).`,
      { header: ACAM, value: null })],
  ['the method comparison is case-sensitive', input([[ACAO, O], [ACAM, 'PATCH']], { method: 'patch', unsafeHeaders: [] }),
    fail('MethodDisallowedByPreflightResponse', 'patch', `Method patch is not allowed by the preflight response's ${ACAM} (\`PATCH\`); it lists PATCH ` +
      'but the comparison is case-sensitive and `patch` is sent as written.', { header: ACAM, value: 'PATCH' })],
  ['ACAM * without credentials', input([[ACAO, O], [ACAM, '*'], [ACAH, 'x-api-key']]),
    { ok: true, methods: ['*'], headers: ['x-api-key'] }],
  ['ACAM * is literal with credentials', input([[ACAO, O], [ACAC, 'true'], [ACAM, '*']], { credentialed: true }),
    fail('MethodDisallowedByPreflightResponse', 'PUT', `Method PUT is not allowed by the preflight response's ${ACAM} (\`*\`); * is a ` +
      'literal method name for credentialed requests.', { header: ACAM, value: '*' })],
  ['a safelisted method needs no ACAM', input([[ACAO, O], [ACAH, 'x-api-key']], { method: 'POST' }),
    { ok: true, methods: [], headers: ['x-api-key'] }],
  ['header not listed', input([[ACAO, O], [ACAM, 'PUT'], [ACAH, 'content-type']]),
    fail('HeaderDisallowedByPreflightResponse', 'x-api-key', `Request header x-api-key is not allowed by the preflight response's ` +
      `${ACAH} (\`content-type\`).`, { header: ACAH, value: 'content-type', missing: ['x-api-key'] })],
  ['two headers missing: the first (sorted) is the failed parameter', input([[ACAO, O], [ACAM, 'PUT']],
    { unsafeHeaders: ['content-type', 'x-api-key'] }),
    fail('HeaderDisallowedByPreflightResponse', 'content-type', `Request header content-type, x-api-key are not allowed by the preflight ` +
      `response's ${ACAH} (absent).`, { header: ACAH, value: null, missing: ['content-type', 'x-api-key'] })],
  ['ACAH * covers custom headers', input([[ACAO, O], [ACAM, 'PUT'], [ACAH, '*']]), { ok: true, methods: ['PUT'], headers: ['*'] }],
  ['ACAH * is literal with credentials', input([[ACAO, O], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, '*']], { credentialed: true }),
    fail('HeaderDisallowedByPreflightResponse', 'x-api-key', `Request header x-api-key is not allowed by the preflight response's ` +
      `${ACAH} (\`*\`) (* is a literal name for credentialed requests).`, { header: ACAH, value: '*', missing: ['x-api-key'] })],
  ['Authorization under ACAH *: Chromium 156 allows it, with a note', input([[ACAO, O], [ACAM, 'PUT'], [ACAH, '*']],
    { unsafeHeaders: ['authorization', 'x-api-key'] }),
    { ok: true, methods: ['PUT'], headers: ['*'], note: AUTH_NOTE, authorizationCoveredByWildcard: true }],
  ['Authorization listed by name next to *', input([[ACAO, O], [ACAM, 'PUT'], [ACAH, '*, Authorization']],
    { unsafeHeaders: ['authorization'] }),
    { ok: true, methods: ['PUT'], headers: ['*', 'authorization'] }],
];

describe('preflightCheck', () => {
  it.each(cases)('%s', (_name, given, expected) => {
    expect(preflightCheck(given)).toEqual(expected);
  });
});
