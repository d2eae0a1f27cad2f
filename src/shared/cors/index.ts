export type { CorsErrorName, CorsFailure, CorsStage, CredentialsMode, HeaderList, RequestFacts, RequestMode } from './types';
export { classifyRequest, type Classification, type PreflightReason } from './classify';
export { ACAC, ACAH, ACAM, ACAO, corsCheck, preflightCheck } from './check';
export type { CheckResult, CorsCheckInput, PreflightCheckInput, PreflightCheckResult } from './check';
export { suggestFix, type FixContext } from './fix';
export { ACEH, explainHiddenRead, exposedHeaders, SAFELISTED_RESPONSE_HEADERS } from './expose';
export type { ExposeInput, ExposeResult, ResponseTainting } from './expose';
export {
  cacheEntryFromPreflight,
  DEFAULT_MAX_AGE,
  lookupPreflight,
  MAX_MAX_AGE,
  parseMaxAge,
  storePreflight,
} from './preflight-cache';
export type { CacheLookup, CacheMiss, CacheQuery, MaxAge, PreflightCache, PreflightCacheEntry } from './preflight-cache';
export { MAX_REDIRECTS, walkRedirects } from './redirects';
export type { HopResult, RedirectHop, RedirectInput, RedirectWalk } from './redirects';
export { analyzeCors, toCorsReport } from './analyze';
export type {
  AnalyzeInput,
  CorsAnalysis,
  CorsDetails,
  CorsReport,
  CorsStep,
  ObservedPreflight,
  ObservedResponse,
  PreflightCacheState,
} from './analyze';
export { describeUnsafe, mimeEssence, rangeProblem, unsafeWhy, type UnsafeWhy } from './safelist';
export { isForbiddenMethod, isForbiddenRequestHeader, isSafelistedMethod, normalizeMethod } from './forbidden';
