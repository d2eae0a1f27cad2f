import { describe, expect, it } from 'vitest';
import { corsCheck, type CheckResult, type HeaderList } from '../../../src/shared/cors';

const O = 'http://127.0.0.1:8080';
const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';

const fail = (error: string, failedParameter: string, text: string, header: string, value: string | null): CheckResult => ({
  ok: false,
  failure: { error: error as never, failedParameter, stage: 'response', text, header, value },
});

// [case, headers, credentialed, expected]
const cases: Array<[string, HeaderList, boolean, CheckResult]> = [
  ['ACAO missing', [], false,
    fail('MissingAllowOriginHeader', '', `The response has no ${ACAO} header, so the browser withholds it from ${O}.`, ACAO, null)],
  ['ACAO * without credentials', [[ACAO, '*']], false, { ok: true }],
  ['ACAO * with credentials', [[ACAO, '*'], [ACAC, 'true']], true,
    fail('WildcardOriginNotAllowed', '', `The response has ${ACAO}: *, which is not allowed for a credentialed request ` +
      "(credentials: 'include' or withCredentials).", ACAO, '*')],
  ['ACAO equal to the origin', [[ACAO, O]], false, { ok: true }],
  ['ACAO padded with whitespace (trimmed by HTTP parsing)', [[ACAO, `  ${O} `]], false, { ok: true }],
  ['two origins in one value', [[ACAO, `${O}, http://other.test`]], false,
    fail('MultipleAllowOriginValues', `${O}, http://other.test`, `${ACAO} is \`${O}, http://other.test\`: it must hold ` +
      'exactly one origin, and a space or comma means several values (often a proxy and the application both add the header).',
      ACAO, `${O}, http://other.test`)],
  ['the header sent twice with the same origin', [[ACAO, O], [ACAO.toLowerCase(), O]], false,
    fail('MultipleAllowOriginValues', `${O}, ${O}`, `${ACAO} is \`${O}, ${O}\`: it must hold exactly one origin, and a space ` +
      'or comma means several values (often a proxy and the application both add the header).', ACAO, `${O}, ${O}`)],
  ['`not a url` has a space, so it reports multiple values first', [[ACAO, 'not a url']], false,
    fail('MultipleAllowOriginValues', 'not a url', `${ACAO} is \`not a url\`: it must hold exactly one origin, and a space or ` +
      'comma means several values (often a proxy and the application both add the header).', ACAO, 'not a url')],
  ['empty value', [[ACAO, '']], false,
    fail('InvalidAllowOriginValue', '', `${ACAO} is \`\`, which is not an origin (expected * or scheme://host[:port]).`, ACAO, '')],
  ['a bare host', [[ACAO, 'example.com']], false,
    fail('InvalidAllowOriginValue', 'example.com',
      `${ACAO} is \`example.com\`, which is not an origin (expected * or scheme://host[:port]).`, ACAO, 'example.com')],
  ['null is valid but does not match', [[ACAO, 'null']], false,
    fail('AllowOriginMismatch', 'null', `${ACAO} is \`null\` but the request origin is ${O}; they must match byte for byte.`,
      ACAO, 'null')],
  ['trailing slash', [[ACAO, `${O}/`]], false,
    fail('AllowOriginMismatch', `${O}/`, `${ACAO} is \`${O}/\` but the request origin is ${O}; they must match byte for ` +
      'byte (remove the trailing slash).', ACAO, `${O}/`)],
  ['different case', [[ACAO, 'HTTP://127.0.0.1:8080']], false,
    fail('AllowOriginMismatch', 'HTTP://127.0.0.1:8080', `${ACAO} is \`HTTP://127.0.0.1:8080\` but the request origin is ` +
      `${O}; they must match byte for byte (the comparison is case-sensitive).`, ACAO, 'HTTP://127.0.0.1:8080')],
  ['another origin', [[ACAO, 'http://localhost:8080']], false,
    fail('AllowOriginMismatch', 'http://localhost:8080', `${ACAO} is \`http://localhost:8080\` but the request origin is ` +
      `${O}; they must match byte for byte.`, ACAO, 'http://localhost:8080')],
  ['credentials without ACAC', [[ACAO, O]], true,
    fail('InvalidAllowCredentials', '', `The request is credentialed, so ${ACAC} must be exactly \`true\`; it is missing.`, ACAC, null)],
  ['credentials with ACAC True', [[ACAO, O], [ACAC, 'True']], true,
    fail('InvalidAllowCredentials', 'True', `The request is credentialed, so ${ACAC} must be exactly \`true\`; it is \`True\`.`,
      ACAC, 'True')],
  ['credentials with ACAC true', [[ACAO, O], [ACAC, 'true']], true, { ok: true }],
  ['ACAC is ignored without credentials', [[ACAO, O], [ACAC, 'nope']], false, { ok: true }],
];

describe('corsCheck', () => {
  it.each(cases)('%s', (_name, headers, credentialed, expected) => {
    expect(corsCheck({ headers, origin: O, credentialed })).toEqual(expected);
  });

  it('an origin tainted to "null" is matched by ACAO null', () => {
    expect(corsCheck({ headers: [[ACAO, 'null']], origin: 'null', credentialed: false })).toEqual({ ok: true });
  });

  it('says why a tainted origin does not match', () => {
    expect(corsCheck({ headers: [[ACAO, O]], origin: 'null', credentialed: false }, 'redirect')).toEqual({
      ok: false,
      failure: {
        error: 'AllowOriginMismatch', failedParameter: O, stage: 'redirect', header: ACAO, value: O,
        text: `${ACAO} is \`${O}\` but the request origin is null; they must match byte for byte (the request origin became ` +
          '"null" after a cross-origin redirect).',
      },
    });
  });
});
