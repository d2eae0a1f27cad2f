import { isSameOrigin } from './cors/origin';
import { analyzeCors, explainHiddenRead, type AnalyzeInput, type CorsAnalysis, type CredentialsMode, type RequestMode } from './cors';
import { firstHeaderValue, hasHeader } from './headers';
import type { Entry } from './model';
import type { Header } from './protocol';
import { documentOriginOf } from './url';
import { startedBeforeWire } from './wire-check';

/**
 * The CORS view of one entry: the facts the page patch and webRequest gathered, put to the pure
 * analyzer. `lookup` finds the entry's preflight (a separate entry) when there is one.
 * `wireSince` (epoch ms; src/shared/wire-scope.ts WireState.since, a trace's `log._netlens.wireSince`):
 * when the tab's wire view started, undefined when it saw the tab all along. A request the page
 * started before it (or within WIRE_SINCE_SLACK_MS after) may have had its preflight sent
 * before the wire view could see one, so no OPTIONS seen says nothing about the preflight cache.
 */
export function corsForEntry(entry: Entry, lookup: (id: string) => Entry | undefined, wireSince?: number): CorsAnalysis | undefined {
  try {
    return analyzeEntry(entry, lookup, wireSince);
  } catch {
    return undefined;
  }
}

/**
 * A cheap test that an entry is same-origin, so not a CORS request (its analysis would say
 * `crossOrigin: false`): a URL comparison instead of the whole analysis. WebSockets, preflights
 * and other kinds are never answered here (false).
 */
export function sameOriginEntry(entry: Entry): boolean {
  if (entry.kind === 'websocket' || entry.kind === 'preflight' || entry.kind === 'other') return false;
  const documentOrigin = documentOriginOf(entry) ?? firstHeaderValue(entry.wire?.requestHeaders, 'origin');
  return documentOrigin !== undefined && isSameOrigin(entry.url, documentOrigin);
}

/**
 * Whether the wire view saw the request go out, or saw that it never did: its request headers as
 * sent (webRequest's onSendHeaders, or a HAR's request of another tool), or an error with no
 * response (blocked before sending). A view that starts at the response (the request was in
 * flight when the wire view started) did not: a preflight before it would not have been seen.
 */
function sawGoOut(wire: Entry['wire']): boolean {
  return !!wire && (wire.sendTime !== undefined || wire.requestHeaders !== undefined || (wire.error !== undefined && wire.statusCode === undefined));
}

function analyzeEntry(entry: Entry, lookup: (id: string) => Entry | undefined, wireSince: number | undefined): CorsAnalysis | undefined {
  if (entry.kind === 'preflight' || entry.kind === 'other') return undefined;
  const documentOrigin = documentOriginOf(entry) ?? firstHeaderValue(entry.wire?.requestHeaders, 'origin');
  if (!documentOrigin) return undefined;
  const meta = entry.request.meta ?? {};
  const input: AnalyzeInput = {
    url: entry.url,
    documentOrigin,
    method: entry.method,
    headers: withDerivedContentType(entry),
    mode: modeOf(entry),
    credentials: credentialsOf(entry),
    uploadListener: meta.uploadListener,
    streamBody: meta.streamBody,
    kind: entry.kind,
  };
  const pre = entry.preflightId ? lookup(entry.preflightId) : undefined;
  if (pre?.wire) {
    input.preflight = {
      sent: true,
      status: pre.wire.statusCode,
      responseHeaders: pre.wire.responseHeaders,
      redirected: pre.wire.redirects.length > 0,
      time: pre.wire.headersTime,
    };
  } else if (!sawGoOut(entry.wire)) {
    // Not on the wire, or seen only from its response on (in flight when the wire view started):
    // a preflight before it would not have been seen either.
    input.wireUnseen = true;
  } else if (startedBeforeWire(entry, wireSince)) {
    // Seen going out, but made before the wire view began: its preflight may have gone before.
    input.wireUnseen = 'started-before';
  } else {
    input.preflight = { sent: false };
  }
  const status = entry.wire?.statusCode ?? entry.response?.status;
  const headers = entry.wire?.responseHeaders ?? entry.response?.headers;
  if (status !== undefined && status > 0 && headers) {
    input.response = {
      status,
      headers,
      redirectChain: entry.wire?.redirects.map((r) => ({ url: r.url, status: r.status ?? 302, location: r.location ?? '', headers: r.headers ?? [] })),
    };
  }
  input.failed = entry.state === 'error' && !(entry.response?.status);
  try {
    return analyzeCors(input);
  } catch {
    return undefined;
  }
}

/** The page asked for a response header and got null: why, for each name it asked for. */
export function hiddenReads(entry: Entry, analysis: CorsAnalysis | undefined): { name: string; why: string }[] {
  const names = new Set<string>();
  for (const step of entry.lifecycle) {
    if (step.step === 'hidden-header-read' && typeof step.detail?.name === 'string') names.add(step.detail.name);
  }
  const headers = entry.wire?.responseHeaders ?? entry.response?.headers ?? [];
  const credentialed = analysis?.details.classification.credentialed ?? false;
  return [...names].map((name) => ({
    name,
    why: analysis?.crossOrigin
      ? explainHiddenRead(name, { headers, credentialed })
      : hasHeader(headers, name)
        ? `${name} was read before the response headers arrived.`
        : `The response has no ${name} header.`,
  }));
}


function modeOf(entry: Entry): RequestMode {
  const mode = entry.request.meta?.mode;
  if (mode === 'cors' || mode === 'no-cors' || mode === 'same-origin' || mode === 'navigate') return mode;
  if (entry.kind === 'websocket') return 'websocket';
  if (entry.kind === 'script' || entry.kind === 'jsonp') return 'no-cors';
  // sendBeacon is no-cors unless its body's type is not CORS-safelisted.
  if (entry.kind === 'beacon') {
    const type = entry.request.body?.mimeType;
    return type && !/^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i.test(type) ? 'cors' : 'no-cors';
  }
  return 'cors';
}

function credentialsOf(entry: Entry): CredentialsMode {
  const meta = entry.request.meta ?? {};
  if (entry.kind === 'xhr' || entry.kind === 'eventsource') return meta.withCredentials ? 'include' : 'same-origin';
  if (entry.kind === 'beacon') return 'include';
  const c = meta.credentials;
  return c === 'omit' || c === 'include' ? c : 'same-origin';
}

/** fetch and XHR add a Content-Type derived from the body when the page set none; it counts for CORS. */
function withDerivedContentType(entry: Entry): Header[] {
  const headers = entry.request.headers;
  if (hasHeader(headers, 'content-type')) return headers;
  const body = entry.request.body;
  if (!body) return headers;
  let type: string | undefined;
  if (body.source === 'string' || body.source === 'json') type = 'text/plain;charset=UTF-8';
  else if (body.source === 'urlsearchparams') type = 'application/x-www-form-urlencoded;charset=UTF-8';
  else if (body.source === 'formdata') type = 'multipart/form-data; boundary=----netlens';
  else if (body.source === 'blob' && body.mimeType) type = body.mimeType;
  return type ? [...headers, ['Content-Type', type]] : headers;
}
