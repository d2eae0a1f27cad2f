// Plain data shared by the CORS analyzer. No browser or Node API anywhere in cors/.

import type { HeaderList } from '../headers';

export type { HeaderList };

export type RequestMode = 'cors' | 'no-cors' | 'same-origin' | 'navigate' | 'websocket';
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/** Facts about one request, gathered by the page patches and webRequest. */
export interface RequestFacts {
  url: string;
  /** Serialized origin of the document (or any URL of it); "null" for an opaque origin. */
  documentOrigin: string;
  method: string;
  /**
   * Author headers the page set, including a Content-Type the browser derives from the body
   * (fetch adds it to the request's header list, so it counts for CORS).
   */
  headers: HeaderList;
  mode?: RequestMode;
  credentials?: CredentialsMode;
  /** An XMLHttpRequestUpload listener was registered before send(). */
  uploadListener?: boolean;
  /** The body is a ReadableStream. */
  streamBody?: boolean;
  /** xhr, fetch, eventsource, websocket, script, beacon … */
  kind?: string;
}

/** Chromium's CorsError kinds, spelled as CDP `Network.CorsError`. */
export type CorsErrorName =
  | 'DisallowedByMode'
  | 'InvalidResponse'
  | 'WildcardOriginNotAllowed'
  | 'PreflightWildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'PreflightMissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'PreflightMultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'PreflightInvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'PreflightAllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'PreflightInvalidAllowCredentials'
  | 'CorsDisabledScheme'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse'
  | 'RedirectContainsCredentials'
  | 'InsecureLocalNetwork'
  | 'InvalidLocalNetworkAccess'
  | 'LocalNetworkAccessPermissionDenied'
  | 'NoCorsRedirectModeNotFollow';

export type CorsStage = 'request' | 'preflight' | 'redirect' | 'response';

/** One failed rule, as Chromium would name it, with what a person needs to fix it. */
export interface CorsFailure {
  error: CorsErrorName;
  /** What CDP puts in `corsErrorStatus.failedParameter` ("" when Chromium passes none). */
  failedParameter: string;
  stage: CorsStage;
  /** Plain-English explanation. */
  text: string;
  /** The response header at fault, when there is one. */
  header?: string;
  /** That header's combined value as received (null: absent). */
  value?: string | null;
  /** HeaderDisallowedByPreflightResponse: every unsafe header the preflight did not allow. */
  missing?: string[];
}
