// The CORS check and the CORS-preflight check, in Chromium's order and with its error names.
// https://fetch.spec.whatwg.org/#concept-cors-check, #cors-preflight-fetch
// Chromium: services/network/public/cpp/cors/cors.cc CheckAccess(),
//           services/network/cors/preflight_controller.cc, preflight_result.cc.
import { parseAllowList } from './allow-list';
import { getHeader } from './headers';
import { isSafelistedMethod } from './forbidden';
import { parsesAsUrl } from './origin';
import type { CorsErrorName, CorsFailure, CorsStage, HeaderList } from './types';

export const ACAO = 'Access-Control-Allow-Origin';
export const ACAC = 'Access-Control-Allow-Credentials';
export const ACAM = 'Access-Control-Allow-Methods';
export const ACAH = 'Access-Control-Allow-Headers';

export type CheckResult = { ok: true } | { ok: false; failure: CorsFailure };

export interface CorsCheckInput {
  /** Response headers (of the response, a redirect hop, or the preflight). */
  headers: HeaderList;
  /** Serialized request origin ("null" once tainted by a redirect). */
  origin: string;
  /** Credentials mode is "include" (credentials: 'include', withCredentials). */
  credentialed: boolean;
}

type OriginErrorName =
  | 'MissingAllowOriginHeader'
  | 'WildcardOriginNotAllowed'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials';

function subject(stage: CorsStage): string {
  if (stage === 'preflight') return 'The preflight (OPTIONS) response';
  if (stage === 'redirect') return 'The redirect response';
  return 'The response';
}

function mismatchHint(value: string, origin: string): string {
  if (value === `${origin}/`) return ' (remove the trailing slash)';
  if (value.toLowerCase() === origin.toLowerCase()) return ' (the comparison is case-sensitive)';
  if (origin === 'null') return ' (the request origin became "null" after a cross-origin redirect)';
  return '';
}

function originFailure(
  kind: OriginErrorName,
  value: string | null,
  input: CorsCheckInput,
  stage: CorsStage,
): CorsFailure {
  const who = subject(stage);
  const texts: Record<OriginErrorName, () => string> = {
    MissingAllowOriginHeader: () => `${who} has no ${ACAO} header, so the browser withholds it from ${input.origin}.`,
    WildcardOriginNotAllowed: () =>
      `${who} has ${ACAO}: *, which is not allowed for a credentialed request (credentials: 'include' or withCredentials).`,
    MultipleAllowOriginValues: () =>
      `${ACAO} is \`${value}\`: it must hold exactly one origin, and a space or comma means several values ` +
      `(often a proxy and the application both add the header).`,
    InvalidAllowOriginValue: () =>
      `${ACAO} is \`${value}\`, which is not an origin (expected * or scheme://host[:port]).`,
    AllowOriginMismatch: () =>
      `${ACAO} is \`${value}\` but the request origin is ${input.origin}; they must match byte for byte` +
      `${mismatchHint(value ?? '', input.origin)}.`,
    InvalidAllowCredentials: () =>
      `The request is credentialed, so ${ACAC} must be exactly \`true\`; ` +
      (value === null ? 'it is missing.' : `it is \`${value}\`.`),
  };
  const header = kind === 'InvalidAllowCredentials' ? ACAC : ACAO;
  const error = (stage === 'preflight' ? `Preflight${kind}` : kind) as CorsErrorName;
  // Chromium passes the header value as failedParameter except for Missing… and Wildcard…
  const withValue = kind !== 'MissingAllowOriginHeader' && kind !== 'WildcardOriginNotAllowed';
  return { error, failedParameter: withValue ? (value ?? '') : '', stage, text: texts[kind](), header, value };
}

/** The CORS check (Chromium CheckAccess). `stage` picks the Preflight* names and the wording. */
export function corsCheck(input: CorsCheckInput, stage: CorsStage = 'response'): CheckResult {
  const acao = getHeader(input.headers, ACAO);
  const fail = (kind: OriginErrorName, value: string | null): CheckResult => ({
    ok: false,
    failure: originFailure(kind, value, input, stage),
  });
  if (acao === '*') {
    if (input.credentialed) return fail('WildcardOriginNotAllowed', acao);
  } else if (acao === null) {
    return fail('MissingAllowOriginHeader', null);
  } else if (acao !== input.origin) {
    if (/[ ,]/.test(acao)) return fail('MultipleAllowOriginValues', acao);
    // "null" is checked before parsing because it is not a URL, yet a valid (non-matching) value.
    if (acao === 'null' || parsesAsUrl(acao)) return fail('AllowOriginMismatch', acao);
    return fail('InvalidAllowOriginValue', acao);
  }
  if (input.credentialed) {
    const acac = getHeader(input.headers, ACAC);
    if (acac !== 'true') return fail('InvalidAllowCredentials', acac);
  }
  return { ok: true };
}

export interface PreflightCheckInput extends CorsCheckInput {
  status: number;
  /** The OPTIONS request was answered with a redirect. */
  redirected?: boolean;
  /** Normalized method of the actual request. */
  method: string;
  /** Lower-cased CORS-unsafe header names of the actual request. */
  unsafeHeaders: readonly string[];
}

export type PreflightCheckResult =
  | { ok: true; methods: string[]; headers: string[]; note?: string; authorizationCoveredByWildcard?: true }
  | { ok: false; failure: CorsFailure };

const AUTH_NOTE =
  `${ACAH}: * does not cover Authorization per the Fetch standard (it must be listed by name), ` +
  `but Chromium 156 still allows it and reports the deprecation issue AuthorizationCoveredByWildcard; ` +
  `list Authorization explicitly. Chromium's preflight cache never serves this case, so every such request is preflighted again.`;

function preflightFailure(error: CorsErrorName, text: string, extra: Partial<CorsFailure> = {}): PreflightCheckResult {
  return { ok: false, failure: { error, failedParameter: '', stage: 'preflight', text, ...extra } };
}

/** The CORS-preflight check, in Chromium's order: redirect, CORS check, status, lists, method, headers. */
export function preflightCheck(input: PreflightCheckInput): PreflightCheckResult {
  if (input.redirected) {
    return preflightFailure(
      'PreflightDisallowedRedirect',
      `The preflight (OPTIONS) request was redirected${input.status ? ` (status ${input.status})` : ''}; preflights cannot follow redirects.`,
    );
  }
  // Chromium runs the CORS check before looking at the status: a 404 without
  // Access-Control-Allow-Origin reports PreflightMissingAllowOriginHeader.
  const access = corsCheck(input, 'preflight');
  if (!access.ok) return access;
  if (input.status < 200 || input.status > 299) {
    return preflightFailure(
      'PreflightInvalidStatus',
      `The preflight (OPTIONS) response has status ${input.status}; it must be 2xx (200-299).`,
    );
  }
  const acamValue = getHeader(input.headers, ACAM);
  const acam = parseAllowList(acamValue);
  if (!acam.ok) {
    return preflightFailure('InvalidAllowMethodsPreflightResponse',
      `${ACAM} is \`${acamValue}\`: not a comma-separated list of method names${badItem(acam.bad, acamValue)}.`,
      { header: ACAM, value: acamValue });
  }
  const acahValue = getHeader(input.headers, ACAH);
  const acah = parseAllowList(acahValue);
  if (!acah.ok) {
    return preflightFailure('InvalidAllowHeadersPreflightResponse',
      `${ACAH} is \`${acahValue}\`: not a comma-separated list of header names${badItem(acah.bad, acahValue)}.`,
      { header: ACAH, value: acahValue });
  }
  const methods = acam.items;
  const headers = acah.items.map((h) => h.toLowerCase());

  const wildcardMethods = !input.credentialed && methods.includes('*');
  if (!methods.includes(input.method) && !isSafelistedMethod(input.method) && !wildcardMethods) {
    return {
      ok: false,
      failure: {
        error: 'MethodDisallowedByPreflightResponse',
        failedParameter: input.method,
        stage: 'preflight',
        text: `Method ${input.method} is not allowed by the preflight response's ${ACAM} (${shown(acamValue)})` +
          `${methodHint(input.method, methods, input.credentialed)}.`,
        header: ACAM,
        value: acamValue,
      },
    };
  }

  if (!input.credentialed && headers.includes('*')) {
    if (input.unsafeHeaders.includes('authorization') && !headers.includes('authorization')) {
      return { ok: true, methods, headers, note: AUTH_NOTE, authorizationCoveredByWildcard: true };
    }
    return { ok: true, methods, headers };
  }
  const missing = input.unsafeHeaders.filter((h) => !headers.includes(h));
  if (missing.length > 0) {
    const star = headers.includes('*') ? ' (* is a literal name for credentialed requests)' : '';
    return {
      ok: false,
      failure: {
        error: 'HeaderDisallowedByPreflightResponse',
        failedParameter: missing[0]!,
        stage: 'preflight',
        text: `Request header ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not allowed by the preflight ` +
          `response's ${ACAH} (${shown(acahValue)})${star}.`,
        header: ACAH,
        value: acahValue,
        missing,
      },
    };
  }
  return { ok: true, methods, headers };
}

const shown = (value: string | null) => (value === null ? 'absent' : `\`${value}\``);
const badItem = (bad: string, value: string | null) => (bad === value ? '' : ` (\`${bad}\` is not a token)`);

function methodHint(method: string, methods: string[], credentialed: boolean): string {
  if (methods.includes(method.toUpperCase())) {
    return `; it lists ${method.toUpperCase()} but the comparison is case-sensitive and \`${method}\` is sent as written`;
  }
  if (credentialed && methods.includes('*')) return '; * is a literal method name for credentialed requests';
  return '';
}
