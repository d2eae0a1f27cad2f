// The smallest server-side change that makes a failed check pass, in plain words with exact headers.
import { headerValues } from '../headers';
import { repairAllowList } from './allow-list';
import { ACAC, ACAH, ACAM, ACAO } from './check';
import { getHeader } from './headers';
import { pathOf, schemeOf, withoutCredentials } from './origin';
import type { CorsFailure, HeaderList } from './types';

export interface FixContext {
  /** URL whose response must change: the request URL, or the redirect hop's URL. */
  url: string;
  /** Serialized request origin ("null" after a tainting redirect). */
  origin: string;
  /** Method of the actual request. */
  method: string;
  credentialed: boolean;
  /** Headers of the response at fault. */
  headers?: HeaderList;
  /** Status of the response at fault (preflight or redirect hop). */
  status?: number;
}

const h = (name: string, value: string) => `\`${name}: ${value}\``;

function target(f: CorsFailure, ctx: FixContext): string {
  const path = pathOf(ctx.url);
  if (f.stage === 'preflight') return `the OPTIONS response of ${path}`;
  if (f.stage === 'redirect') return `the ${ctx.status ?? 'redirect'} response of ${path}`;
  return `the response of ${ctx.method} ${path}`;
}

/** What Access-Control-Allow-Origin should say for this request. */
function wantedOrigin(ctx: FixContext): string {
  return ctx.origin === 'null' && !ctx.credentialed ? '*' : ctx.origin;
}

function credentialsTail(ctx: FixContext): string {
  if (!ctx.credentialed || getHeader(ctx.headers ?? [], ACAC) === 'true') return '';
  return `, and add ${h(ACAC, 'true')}`;
}

function nullHint(ctx: FixContext): string {
  if (ctx.origin !== 'null') return '';
  const caveat = ctx.credentialed ? '; allowing null admits every sandboxed page, so better avoid the cross-origin redirect' : '';
  return ` (after a cross-origin redirect the request origin is "null"${caveat})`;
}

function changeList(name: string, current: string | null, add: string[], where: string): string {
  if (current === null) return `add ${h(name, add.join(', '))} to ${where}`;
  const kept = current.split(',').map((s) => s.trim()).filter((s) => s && s !== '*');
  return `change ${h(name, current)} to ${h(name, [...kept, ...add].join(', '))} in ${where}`;
}

export function suggestFix(f: CorsFailure, ctx: FixContext): string {
  const where = target(f, ctx);
  const want = wantedOrigin(ctx);
  const value = f.value ?? '';
  const kind = f.error.replace(/^Preflight(?!InvalidStatus|DisallowedRedirect)/, '');
  switch (kind) {
    case 'MissingAllowOriginHeader': {
      const alt = !ctx.credentialed && want !== '*' ? ` (or ${h(ACAO, '*')}, the request carries no credentials)` : '';
      return `add ${h(ACAO, want)} to ${where}${alt}${nullHint(ctx)}${credentialsTail(ctx)}`;
    }
    case 'WildcardOriginNotAllowed':
      return `change ${h(ACAO, '*')} to ${h(ACAO, ctx.origin)} in ${where} (credentialed requests cannot use *) ` +
        `and add ${h('Vary', 'Origin')}${credentialsTail(ctx) ? ` and ${h(ACAC, 'true')}` : ''}`;
    case 'MultipleAllowOriginValues': {
      const n = headerValues(ctx.headers, ACAO).length;
      if (n > 1) {
        const same = new Set(value.split(',').map((v) => v.trim()));
        const only = [...same][0]!;
        const keep = same.size === 1 && (only === want || (only === '*' && !ctx.credentialed)) ? only : want;
        return `send ${ACAO} once in ${where}: it appears ${n} times (\`${value}\`, often a proxy and the ` +
          `application both add it); keep only ${h(ACAO, keep)}${credentialsTail(ctx)}`;
      }
      return `change ${h(ACAO, value)} to ${h(ACAO, want)} in ${where} (one origin only: to allow several, ` +
        `echo the request's Origin when it is on your list and add ${h('Vary', 'Origin')})${credentialsTail(ctx)}`;
    }
    case 'InvalidAllowOriginValue':
      return `change ${h(ACAO, value)} to ${h(ACAO, want)} in ${where} (a full origin: scheme://host[:port], no path)` +
        credentialsTail(ctx);
    case 'AllowOriginMismatch':
      return `change ${h(ACAO, value)} to ${h(ACAO, want)} in ${where}${nullHint(ctx)}${credentialsTail(ctx)}`;
    case 'InvalidAllowCredentials':
      return f.value === null || f.value === undefined
        ? `add ${h(ACAC, 'true')} to ${where}`
        : `change ${h(ACAC, value)} to ${h(ACAC, 'true')} in ${where} (exactly lower-case true)`;
    case 'PreflightInvalidStatus':
      return `make ${where} return 204 instead of ${ctx.status ?? 'its current status'} ` +
        `(answer OPTIONS before authentication or routing; any 2xx works)`;
    case 'PreflightDisallowedRedirect':
      return `make ${where} answer 204 itself instead of redirecting${ctx.status ? ` (${ctx.status})` : ''}; ` +
        `preflights cannot follow redirects, so otherwise point the page at the final URL`;
    case 'InvalidAllowMethodsPreflightResponse':
      return `change ${h(ACAM, value)} to ${h(ACAM, repairAllowList(value))} in ${where} (a comma-separated list of methods)`;
    case 'InvalidAllowHeadersPreflightResponse':
      return `change ${h(ACAH, value)} to ${h(ACAH, repairAllowList(value))} in ${where} (a comma-separated list of header names)`;
    case 'MethodDisallowedByPreflightResponse': {
      const lower = ctx.method !== ctx.method.toUpperCase() ? ` (or have the page send ${ctx.method.toUpperCase()} in upper case)` : '';
      const star = ctx.credentialed && /(^|,)\s*\*\s*(,|$)/.test(value) ? ' (credentialed requests cannot use *)' : '';
      return changeList(ACAM, f.value ?? null, [ctx.method], where) + star + lower;
    }
    case 'HeaderDisallowedByPreflightResponse': {
      const star = ctx.credentialed && /(^|,)\s*\*\s*(,|$)/.test(value) ? ' (credentialed requests cannot use *)' : '';
      return changeList(ACAH, f.value ?? null, f.missing ?? [f.failedParameter], where) + star;
    }
    case 'RedirectContainsCredentials':
      return `change ${h('Location', value)} to ${h('Location', withoutCredentials(value))} in ${where} ` +
        `(CORS requests cannot follow a redirect to a URL with user:password)`;
    case 'DisallowedByMode':
      return `no server change helps: the page asked for mode 'same-origin' on another origin; use mode 'cors' ` +
        `(the default) and have the server send ${h(ACAO, want)}, or call a same-origin URL`;
    case 'CorsDisabledScheme':
      return `serve ${ctx.url} over http(s): the browser does not fetch ${schemeOf(ctx.url)}: URLs cross-origin`;
    default:
      return '';
  }
}
