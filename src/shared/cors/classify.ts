// Is a request cross-origin, is it preflighted, and exactly why.
// https://fetch.spec.whatwg.org/#main-fetch, #http-fetch, #cors-preflight-fetch
import { combineHeaders } from './headers';
import { isForbiddenMethod, isForbiddenRequestHeader, isSafelistedMethod, normalizeMethod } from './forbidden';
import { isSameOrigin, schemeOf, serializeOrigin, webSocketHttpOrigin } from './origin';
import { describeUnsafe, MAX_TOTAL_BYTES, unsafeWhy, type UnsafeWhy } from './safelist';
import type { CorsFailure, CredentialsMode, RequestFacts, RequestMode } from './types';

export type PreflightReason =
  | { kind: 'method'; method: string; text: string }
  | { kind: 'header'; name: string; value: string; why: UnsafeWhy; text: string }
  | { kind: 'upload-listener'; text: string }
  | { kind: 'stream-body'; text: string };

export interface Classification {
  crossOrigin: boolean;
  /** The serialized request origin, as the browser sends it in Origin. */
  origin: string;
  /** Cookies / HTTP auth go with the request. */
  credentialed: boolean;
  preflight: { needed: boolean; reasons: PreflightReason[] };
  /** Access-Control-Request-Headers as the browser would send it ("" when none). */
  requestHeadersLine: string;
  /** Forbidden headers the page tried to set; the browser silently dropped them. */
  forbiddenDropped: string[];
  /** Normalized method. */
  method: string;
  mode: RequestMode;
  credentials: CredentialsMode;
  /** The response (and every redirect hop) must pass the CORS check. */
  corsChecked: boolean;
  /** Lower-cased CORS-unsafe header names, sorted: what the preflight must allow. */
  unsafeHeaders: string[];
  /** Rejected before any network activity. */
  blocked?: CorsFailure;
  note?: string;
}

const CORS_SCHEMES = ['http', 'https'];

function defaultMode(kind: string | undefined): RequestMode {
  if (kind === 'websocket') return 'websocket';
  if (kind === 'script' || kind === 'beacon') return 'no-cors';
  return 'cors';
}

function defaultCredentials(kind: string | undefined): CredentialsMode {
  return kind === 'script' || kind === 'beacon' || kind === 'websocket' ? 'include' : 'same-origin';
}

function methodText(method: string): string {
  const base = `method ${method} is not GET, HEAD or POST`;
  if (method === method.toUpperCase()) return base;
  return `${base} (the browser does not upper-case \`${method}\`; the server must allow \`${method}\` exactly)`;
}

const NO_CORS_NAMES = ['accept', 'accept-language', 'content-language', 'content-type'];

/** Author headers that reach the network: forbidden ones (and, in no-cors, non-safelisted ones) dropped. */
function filterHeaders(facts: RequestFacts, mode: RequestMode) {
  const forbidden: string[] = [];
  const noCorsDropped: string[] = [];
  const kept: Array<[string, string]> = [];
  const seen = (list: string[], n: string) => list.some((x) => x.toLowerCase() === n.toLowerCase());
  for (const [name, value] of facts.headers) {
    if (isForbiddenRequestHeader(name, value)) {
      if (!seen(forbidden, name)) forbidden.push(name);
    } else if (mode === 'no-cors' && !(NO_CORS_NAMES.includes(name.toLowerCase()) && !unsafeWhy(name, value))) {
      // https://fetch.spec.whatwg.org/#concept-headers-append, guard "request-no-cors"
      if (!seen(noCorsDropped, name)) noCorsDropped.push(name);
    } else kept.push([name, value]);
  }
  return { forbidden, noCorsDropped, kept };
}

function headerReasons(kept: Array<[string, string]>): PreflightReason[] {
  const display = new Map<string, string>();
  for (const [n] of kept) if (!display.has(n.toLowerCase())) display.set(n.toLowerCase(), n);
  const combined = combineHeaders(kept).map(([name, value]) => ({ name, value, why: unsafeWhy(name, value) }));
  const total = combined.filter((h) => !h.why).reduce((sum, h) => sum + h.value.length, 0);
  return combined.flatMap(({ name, value, why }) => {
    const reason: UnsafeWhy | null = why ?? (total > MAX_TOTAL_BYTES ? { rule: 'total-too-long', total } : null);
    if (!reason) return [];
    const text = describeUnsafe(display.get(name)!, value, reason);
    return [{ kind: 'header' as const, name, value, why: reason, text }];
  });
}

interface Parts {
  crossOrigin: boolean;
  credentialed: boolean;
  forbiddenDropped: string[];
  method: string;
  corsChecked: boolean;
  reasons?: PreflightReason[];
  unsafeHeaders?: string[];
  blocked?: CorsFailure;
  notes: string[];
}

/** One place that fixes the key order of a Classification. */
function make(facts: RequestFacts, mode: RequestMode, credentials: CredentialsMode, p: Parts): Classification {
  const reasons = p.reasons ?? [];
  const unsafeHeaders = p.unsafeHeaders ?? [];
  return {
    crossOrigin: p.crossOrigin,
    origin: serializeOrigin(facts.documentOrigin),
    credentialed: p.credentialed,
    preflight: { needed: reasons.length > 0, reasons },
    requestHeadersLine: unsafeHeaders.join(','),
    forbiddenDropped: p.forbiddenDropped,
    method: p.method,
    mode,
    credentials,
    corsChecked: p.corsChecked,
    unsafeHeaders,
    ...(p.blocked ? { blocked: p.blocked } : {}),
    ...(p.notes.length ? { note: p.notes.join(' ') } : {}),
  };
}

export function classifyRequest(facts: RequestFacts): Classification {
  const mode = facts.mode ?? defaultMode(facts.kind);
  const credentials = facts.credentials ?? defaultCredentials(facts.kind);

  if (mode === 'websocket' || facts.kind === 'websocket') {
    const origin = serializeOrigin(facts.documentOrigin);
    const note =
      `WebSocket handshakes are never CORS-checked and never preflighted: the browser sends ` +
      `Origin: ${origin} (and cookies) and the server alone decides; a refused handshake is a ` +
      `server decision (close code 1006 in the page), not a CORS error.`;
    return make(facts, 'websocket', credentials, {
      crossOrigin: origin === 'null' || webSocketHttpOrigin(facts.url) !== origin,
      credentialed: true,
      forbiddenDropped: [],
      method: 'GET',
      corsChecked: false,
      notes: [note],
    });
  }

  const dataUrl = schemeOf(facts.url) === 'data';
  const crossOrigin = !dataUrl && !isSameOrigin(facts.url, facts.documentOrigin);
  const credentialed = credentials === 'include' || (credentials === 'same-origin' && !crossOrigin);
  const { forbidden, noCorsDropped, kept } = filterHeaders(facts, mode);
  const method = normalizeMethod(facts.method);
  const notes: string[] = [];
  if (isForbiddenMethod(facts.method)) notes.push(`method ${facts.method} is forbidden: the page's call throws and nothing is sent.`);
  const parts = { crossOrigin, credentialed, forbiddenDropped: forbidden, method, corsChecked: false, notes };

  if (mode === 'same-origin' && crossOrigin) {
    const blocked: CorsFailure = {
      error: 'DisallowedByMode',
      failedParameter: '',
      stage: 'request',
      text: `The request uses mode 'same-origin' but ${facts.url} is on another origin; the browser rejects it before any network activity.`,
    };
    return make(facts, mode, credentials, { ...parts, blocked });
  }

  if (mode !== 'cors' || !crossOrigin) {
    if (mode === 'no-cors' && crossOrigin) {
      notes.push(
        `mode 'no-cors': no preflight and no CORS check; the response is opaque (status 0, no headers, no body for the page).`,
      );
      if (noCorsDropped.length) notes.push(`In no-cors mode the browser dropped: ${noCorsDropped.join(', ')}.`);
    }
    return make(facts, mode, credentials, parts);
  }

  const scheme = schemeOf(facts.url);
  if (!CORS_SCHEMES.includes(scheme)) {
    const blocked: CorsFailure = {
      error: 'CorsDisabledScheme',
      failedParameter: '',
      stage: 'request',
      text: `Cross-origin requests are only supported for http and https; the scheme ${scheme}: is not.`,
    };
    return make(facts, mode, credentials, { ...parts, blocked });
  }

  if (facts.kind === 'eventsource') {
    // Blink's EventSource sets CorsPreflightPolicy::kPreventPreflight (event_source.cc), so its own
    // Accept: text/event-stream, Cache-Control: no-cache and Last-Event-ID never cause an OPTIONS.
    // Last-Event-ID is not CORS-safelisted in the Fetch standard; the assumption here is Chromium's.
    notes.push('EventSource is never preflighted (Chromium prevents it), even with Last-Event-ID on reconnect.');
    return make(facts, mode, credentials, { ...parts, method: 'GET', corsChecked: true });
  }

  const reasons: PreflightReason[] = [];
  if (!isSafelistedMethod(method)) reasons.push({ kind: 'method', method, text: methodText(method) });
  const headerReasonList = headerReasons(kept);
  reasons.push(...headerReasonList);
  if (facts.uploadListener) {
    reasons.push({ kind: 'upload-listener', text: 'an upload listener was registered on xhr.upload before send()' });
  }
  if (facts.streamBody) reasons.push({ kind: 'stream-body', text: 'the request body is a ReadableStream' });
  const unsafeHeaders = [...new Set(headerReasonList.map((r) => (r.kind === 'header' ? r.name : '')))].sort();
  return make(facts, mode, credentials, { ...parts, corsChecked: true, reasons, unsafeHeaders });
}
