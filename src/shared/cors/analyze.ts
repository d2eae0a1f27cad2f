// Puts classification, preflight, cache, redirects and the final CORS check together into one
// report: the contract other tools read from HAR files, plus `details` for the UI.
import { corsCheck, preflightCheck, type PreflightCheckResult } from './check';
import { classifyRequest, type Classification } from './classify';
import { exposedHeaders, type ExposeResult, type ResponseTainting } from './expose';
import { suggestFix, type FixContext } from './fix';
import { getHeader } from './headers';
import { isSameOrigin } from './origin';
import {
  cacheEntryFromPreflight,
  lookupPreflight,
  parseMaxAge,
  type CacheLookup,
  type MaxAge,
  type PreflightCache,
  type PreflightCacheEntry,
} from './preflight-cache';
import { walkRedirects, type RedirectHop, type RedirectWalk } from './redirects';
import type { CorsFailure, HeaderList, RequestFacts } from './types';

export interface ObservedPreflight {
  sent: boolean;
  status?: number;
  responseHeaders?: HeaderList;
  redirected?: boolean;
  /** When the preflight response arrived, ms since the epoch. */
  time?: number;
}

export interface ObservedResponse {
  status: number;
  headers: HeaderList;
  redirectChain?: RedirectHop[];
}

export interface PreflightCacheState {
  entries: PreflightCache;
  /** When the request started, ms since the epoch. */
  now: number;
  partition?: string;
  cacheDisabled?: boolean;
}

export interface AnalyzeInput extends RequestFacts {
  preflight?: ObservedPreflight;
  response?: ObservedResponse;
  /** The page saw a network error / status 0. */
  failed?: boolean;
  preflightCache?: PreflightCacheState;
  /**
   * The wire view never saw this request (it was off for the tab then, see src/shared/wire-scope.ts,
   * or the response was made up by the page's service worker), or (`'started-before'`) saw it go
   * out but only began after the page made it, so a preflight may have gone out unseen before:
   * no preflight observed means nothing, so none is inferred from the preflight cache either.
   */
  wireUnseen?: boolean | 'started-before';
}

/** The contract: field names are read by other tools from HAR files. */
export interface CorsReport {
  crossOrigin: boolean;
  origin: string;
  preflight: { needed: boolean; reasons: string[]; observed: boolean | 'cached' };
  outcome: 'allowed' | 'blocked' | 'unknown';
  error?: string;
  failedParameter?: string;
  fix?: string;
  note?: string;
  readableHeaders?: string[];
  hiddenHeaders?: string[];
}

export interface CorsStep {
  stage: 'request' | 'preflight' | 'cache' | 'redirect' | 'response';
  ok: boolean | null;
  text: string;
}

export interface CorsDetails {
  classification: Classification;
  steps: CorsStep[];
  failure?: CorsFailure;
  preflightCheck?: PreflightCheckResult;
  /** Max-Age of the observed preflight. */
  maxAge?: MaxAge;
  /** What the observed, passed preflight leaves in the cache (store it with storePreflight). */
  cacheEntry?: PreflightCacheEntry;
  cache?: CacheLookup;
  redirects?: RedirectWalk;
  expose?: ExposeResult;
}

export type CorsAnalysis = CorsReport & { details: CorsDetails };

/** The contract alone, without `details`, e.g. for a HAR entry. */
export function toCorsReport(analysis: CorsAnalysis): CorsReport {
  const { details: _details, ...report } = analysis;
  return report;
}

export function analyzeCors(input: AnalyzeInput): CorsAnalysis {
  const c = classifyRequest(input);
  const details: CorsDetails = { classification: c, steps: [] };
  const notes: string[] = c.note ? [c.note] : [];
  const report: CorsReport = {
    crossOrigin: c.crossOrigin,
    origin: c.origin,
    preflight: { needed: c.preflight.needed, reasons: c.preflight.reasons.map((r) => r.text), observed: !!input.preflight?.sent },
    outcome: 'unknown',
  };
  const step = (stage: CorsStep['stage'], ok: boolean | null, text: string) => details.steps.push({ stage, ok, text });
  const finish = (): CorsAnalysis => {
    if (notes.length) report.note = notes.join(' ');
    const order: Array<keyof CorsReport> = [
      'crossOrigin', 'origin', 'preflight', 'outcome', 'error', 'failedParameter', 'fix', 'note', 'readableHeaders', 'hiddenHeaders',
    ];
    const ordered = Object.fromEntries(order.filter((k) => report[k] !== undefined).map((k) => [k, report[k]]));
    return { ...(ordered as unknown as CorsReport), details };
  };
  const block = (failure: CorsFailure, ctx: FixContext): CorsAnalysis => {
    details.failure = failure;
    Object.assign(report, { outcome: 'blocked', error: failure.error, failedParameter: failure.failedParameter });
    const fix = suggestFix(failure, ctx);
    if (fix) report.fix = fix;
    return finish();
  };
  const credentialed = c.credentials === 'include';
  const fixCtx = (extra: Partial<FixContext> = {}): FixContext => ({
    url: input.url, origin: c.origin, method: c.method, credentialed, ...extra,
  });

  if (c.blocked) {
    step('request', false, c.blocked.text);
    if (c.blocked.error === 'DisallowedByMode') notes.push('Chromium rejects this in the renderer, so DevTools shows no corsErrorStatus for it.');
    return block(c.blocked, fixCtx());
  }
  if (c.mode === 'websocket') {
    report.outcome = 'allowed';
    return finish();
  }

  // Preflight: observed on the wire, served from the cache, or not seen.
  const pf = input.preflight;
  if (pf?.sent && (pf.redirected || (pf.status !== undefined && pf.responseHeaders))) {
    const headers = pf.responseHeaders ?? [];
    const result = preflightCheck({
      headers, status: pf.status ?? 0, redirected: pf.redirected, origin: c.origin, credentialed,
      method: c.method, unsafeHeaders: c.unsafeHeaders,
    });
    details.preflightCheck = result;
    if (!result.ok) {
      step('preflight', false, result.failure.text);
      return block(result.failure, fixCtx({ headers, status: pf.status }));
    }
    step('preflight', true, `The preflight passed (status ${pf.status}).`);
    if (result.note) notes.push(result.note);
    details.maxAge = parseMaxAge(getHeader(headers, 'Access-Control-Max-Age'));
    if (pf.time !== undefined) {
      const entry = cacheEntryFromPreflight({
        origin: c.origin, url: input.url, credentialed, headers, storedAt: pf.time,
        ...(input.preflightCache?.partition !== undefined ? { partition: input.preflightCache.partition } : {}),
      });
      if (entry) details.cacheEntry = entry;
    }
  } else if (pf?.sent) {
    step('preflight', null, 'An OPTIONS preflight was sent but its response was not observed.');
    if (!input.response) notes.push('The preflight response was not observed, so the verdict is open.');
  } else if (c.preflight.needed) {
    const lookup = input.preflightCache
      ? lookupPreflight(input.preflightCache.entries, {
          origin: c.origin, url: input.url, credentialed, method: c.method, unsafeHeaders: c.unsafeHeaders,
          now: input.preflightCache.now,
          ...(input.preflightCache.partition !== undefined ? { partition: input.preflightCache.partition } : {}),
          ...(input.preflightCache.cacheDisabled ? { cacheDisabled: true } : {}),
        })
      : undefined;
    if (lookup) details.cache = lookup;
    if (input.wireUnseen === 'started-before') {
      step('preflight', null, 'A preflight was needed; whether one was sent is not known: the wire view began after the page made this request.');
      notes.push('The wire view began recording the tab after the page made this request (by default netlens records a tab on the wire while its panel is open): it saw the request go out, but a preflight before it may have gone out unseen.');
    } else if (input.wireUnseen) {
      step('preflight', null, 'A preflight was needed; whether one was sent is not known: the wire view did not see this request.');
      notes.push('The wire view did not see this request go out (it was off for the tab then: by default netlens records a tab on the wire while its panel is open; or the trace has no wire view): its preflight and the headers the browser added are not known.');
    } else if (lookup?.hit) {
      report.preflight.observed = 'cached';
      step('cache', true, lookup.text);
      notes.push(`${lookup.text}.`);
    } else if (input.response) {
      report.preflight.observed = 'cached';
      const text = 'no OPTIONS was observed, yet the request reached the server: it was served from the preflight cache';
      step('cache', true, text);
      notes.push(lookup ? `${text} (the cache model says: ${lookup.text}).` : `${text}.`);
    } else {
      step('preflight', null, 'A preflight was needed but none was observed.');
      notes.push('A preflight was needed but no OPTIONS was observed (webRequest shows it only with extraHeaders).');
    }
  }

  // Redirects of the actual request.
  const chain = input.response?.redirectChain ?? [];
  let finalOrigin = c.origin;
  let corsFlag = c.corsChecked;
  let finalUrl = input.url;
  if (chain.length) {
    const walk = walkRedirects({
      url: input.url, origin: c.origin, mode: c.mode, credentialed, corsFlag, chain,
      authorization: getHeader(input.headers, 'authorization') !== null,
    });
    details.redirects = walk;
    notes.push(...walk.notes);
    if (walk.failure) {
      const hop = chain[walk.failure.hop]!;
      step('redirect', false, walk.failure.text);
      return block(walk.failure, fixCtx({ url: hop.url, origin: walk.hops[walk.failure.hop]!.origin, headers: hop.headers, status: hop.status }));
    }
    if (walk.tooManyRedirects) {
      step('redirect', false, 'Too many redirects.');
      report.outcome = 'blocked';
      return finish();
    }
    step('redirect', true, `${chain.length} redirect(s) followed.`);
    if (walk.tainted && c.preflight.needed) {
      notes.push(`Chromium preflights ${walk.finalUrl} again with Origin: null; that OPTIONS response must allow it too.`);
    }
    ({ finalOrigin, corsFlag, finalUrl } = walk);
  }

  const response = input.response;
  if (!response) {
    if (c.mode === 'no-cors' || c.mode === 'navigate') report.outcome = 'allowed';
    if (input.failed) notes.push('The page saw a network error but no response was observed, so CORS cannot be confirmed as the cause.');
    else if (report.outcome === 'unknown') notes.push('No response was observed yet, so the verdict is open.');
    return finish();
  }

  let tainting: ResponseTainting = 'basic';
  if (corsFlag && c.mode === 'cors') {
    const check = corsCheck({ headers: response.headers, origin: finalOrigin, credentialed });
    if (!check.ok) {
      step('response', false, check.failure.text);
      return block(check.failure, fixCtx({ url: finalUrl, origin: finalOrigin, headers: response.headers, status: response.status }));
    }
    step('response', true, 'The response passed the CORS check.');
    tainting = 'cors';
  } else if (c.mode === 'no-cors' && !isSameOrigin(finalUrl, c.origin)) {
    tainting = 'opaque';
  }
  report.outcome = 'allowed';
  if (input.failed) {
    notes.push('The page saw a network error although the CORS checks pass: the cause is elsewhere (connection, abort, mixed content, ORB…).');
  }
  const expose = exposedHeaders({ headers: response.headers, credentialed, tainting });
  details.expose = expose;
  report.readableHeaders = expose.readable;
  report.hiddenHeaders = expose.hidden;
  return finish();
}
