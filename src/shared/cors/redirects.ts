// Redirects of a CORS request, hop by hop, as Chromium's CorsURLLoader::OnReceiveRedirect does:
// CORS check of the redirect response, redirect count, Location credentials, then origin tainting.
// https://fetch.spec.whatwg.org/#http-redirect-fetch
import { corsCheck } from './check';
import { hasUrlCredentials, isSameOrigin, resolveUrl } from './origin';
import type { CorsFailure, HeaderList, RequestMode } from './types';

export const MAX_REDIRECTS = 20;

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
  headers: HeaderList;
}

export interface HopResult {
  url: string;
  status: number;
  /** Location resolved against the hop's URL. */
  location: string;
  /** Origin the request carried on this hop ("null" once tainted). */
  origin: string;
  corsChecked: boolean;
  ok: boolean;
  /** Following this hop made the request origin "null". */
  taints: boolean;
}

export interface RedirectWalk {
  hops: HopResult[];
  /** URL of the final response (or of the hop that failed). */
  finalUrl: string;
  /** Origin of the final request: "null" after a tainting hop. */
  finalOrigin: string;
  tainted: boolean;
  /** The final response must pass the CORS check. */
  corsFlag: boolean;
  failure?: CorsFailure & { hop: number };
  /** More than 20 redirects: net::ERR_TOO_MANY_REDIRECTS, which is not a CORS error. */
  tooManyRedirects?: true;
  notes: string[];
}

export interface RedirectInput {
  url: string;
  /** Serialized request origin. */
  origin: string;
  mode: RequestMode;
  credentialed: boolean;
  /** The first response needs the CORS check (cross-origin, mode cors). */
  corsFlag: boolean;
  chain: readonly RedirectHop[];
  /** The request carries Authorization (removed on a cross-origin hop). */
  authorization?: boolean;
}

export function walkRedirects(input: RedirectInput): RedirectWalk {
  const cors = input.mode === 'cors';
  let tainted = false;
  let corsFlag = input.corsFlag;
  let url = input.url;
  const hops: HopResult[] = [];
  const notes: string[] = [];
  const done = (extra: Partial<RedirectWalk> = {}): RedirectWalk => ({
    hops,
    finalUrl: url,
    finalOrigin: tainted ? 'null' : input.origin,
    tainted,
    corsFlag,
    ...extra,
    notes,
  });

  for (const [i, hop] of input.chain.entries()) {
    url = hop.url;
    const origin = tainted ? 'null' : input.origin;
    const location = resolveUrl(hop.location, hop.url);
    const result: HopResult = { url, status: hop.status, location, origin, corsChecked: cors && corsFlag, ok: true, taints: false };
    hops.push(result);
    if (result.corsChecked) {
      const check = corsCheck({ headers: hop.headers, origin, credentialed: input.credentialed }, 'redirect');
      if (!check.ok) {
        result.ok = false;
        return done({ failure: { ...check.failure, hop: i } });
      }
    }
    if (i >= MAX_REDIRECTS) {
      result.ok = false;
      notes.push(`More than ${MAX_REDIRECTS} redirects: the browser stops with net::ERR_TOO_MANY_REDIRECTS (not a CORS error).`);
      return done({ tooManyRedirects: true });
    }
    if (hasUrlCredentials(location) && ((cors && (tainted || !isSameOrigin(input.origin, location))) || corsFlag)) {
      result.ok = false;
      const failure: CorsFailure = {
        error: 'RedirectContainsCredentials',
        failedParameter: '',
        stage: 'redirect',
        text: `The redirect from ${hop.url} goes to ${location}, which contains credentials (user:password); a CORS request cannot follow it.`,
        header: 'Location',
        value: hop.location,
      };
      return done({ failure: { ...failure, hop: i } });
    }
    const crossHop = !isSameOrigin(location, hop.url);
    if (crossHop && input.authorization) {
      notes.push(`The Authorization header was removed when following the cross-origin redirect to ${location}.`);
    }
    if (!tainted && crossHop && !isSameOrigin(input.origin, hop.url)) {
      tainted = true;
      result.taints = true;
      notes.push(`After the redirect from ${hop.url} to another origin, the request origin is "null" (Origin: null).`);
    }
    if (cors && !corsFlag && (tainted || !isSameOrigin(input.origin, location))) {
      corsFlag = true;
      notes.push(`The redirect to ${location} made the request cross-origin: from here on every response needs CORS headers.`);
    }
    url = location;
  }
  return done();
}
