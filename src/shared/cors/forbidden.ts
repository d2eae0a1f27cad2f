// https://fetch.spec.whatwg.org/#forbidden-request-header and #forbidden-method

const FORBIDDEN_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
  // Dropped from the standard in 2020, still forbidden in Chromium.
  'user-agent',
]);

const FORBIDDEN_PREFIXES = ['proxy-', 'sec-', 'access-control-request-'];

const METHOD_OVERRIDE_NAMES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/** CONNECT, TRACE, TRACK in any case. */
export function isForbiddenMethod(method: string): boolean {
  const upper = method.toUpperCase();
  return upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK';
}

/** Headers page script cannot set: setRequestHeader / Headers silently ignore them. */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_NAMES.has(lower)) return true;
  if (FORBIDDEN_PREFIXES.some((p) => lower.startsWith(p))) return true;
  // X-HTTP-Method(-Override) / X-Method-Override naming a forbidden method.
  if (METHOD_OVERRIDE_NAMES.has(lower)) {
    return value.split(',').some((m) => isForbiddenMethod(m.trim()));
  }
  return false;
}

const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

/** https://fetch.spec.whatwg.org/#concept-method-normalize — `patch` stays `patch`. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.includes(upper) ? upper : method;
}

/** https://fetch.spec.whatwg.org/#cors-safelisted-method (on a normalized method). */
export function isSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}
