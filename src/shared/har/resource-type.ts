import { headerValue } from '../headers';
import type { Entry, EntryKind } from '../model';
import type { Header } from '../protocol';
import type { HarResourceType } from './types';

/** Chrome DevTools' resource type names (`_resourceType`) for our entry kinds. */
const CHROME_BY_KIND: Record<EntryKind, HarResourceType> = {
  xhr: 'xhr',
  fetch: 'fetch',
  websocket: 'websocket',
  eventsource: 'eventsource',
  jsonp: 'script',
  script: 'script',
  beacon: 'ping',
  preflight: 'preflight',
  other: 'other',
};

/** webRequest `ResourceType` → Chrome name, for entries seen only on the wire (or imported). */
const CHROME_BY_WEBREQUEST: Record<string, HarResourceType> = {
  main_frame: 'document',
  sub_frame: 'document',
  stylesheet: 'stylesheet',
  script: 'script',
  image: 'image',
  font: 'font',
  media: 'media',
  xmlhttprequest: 'xhr',
  ping: 'ping',
  csp_report: 'csp-violation-report',
  websocket: 'websocket',
  webtransport: 'webtransport',
  webbundle: 'webbundle',
  object: 'other',
  other: 'other',
};

const WEBREQUEST_BY_CHROME: Record<string, string> = {
  document: 'main_frame',
  stylesheet: 'stylesheet',
  script: 'script',
  image: 'image',
  font: 'font',
  media: 'media',
  xhr: 'xmlhttprequest',
  fetch: 'xmlhttprequest',
  eventsource: 'xmlhttprequest',
  preflight: 'xmlhttprequest',
  ping: 'ping',
  'csp-violation-report': 'csp_report',
  websocket: 'websocket',
};

const KIND_BY_CHROME: Record<string, EntryKind> = {
  xhr: 'xhr',
  fetch: 'fetch',
  websocket: 'websocket',
  eventsource: 'eventsource',
  script: 'script',
  ping: 'beacon',
  preflight: 'preflight',
};

export function chromeResourceType(entry: Entry): HarResourceType {
  if (entry.kind === 'other' && entry.wire) return CHROME_BY_WEBREQUEST[entry.wire.resourceType] ?? 'other';
  return CHROME_BY_KIND[entry.kind];
}

export interface ImportedType {
  kind: EntryKind;
  /** webRequest type for the wire view. */
  webRequestType: string;
}

/**
 * What an entry of another tool's HAR was: Chrome says so in `_resourceType`; Firefox, Charles
 * and mitmproxy don't, so guess from the messages, the upgrade and the fetch metadata.
 */
export function importedType(facts: {
  resourceType: unknown;
  method: string;
  url: string;
  requestHeaders: Header[];
  responseHeaders: Header[];
  status: number;
  hasWebSocketMessages: boolean;
  hasEventSourceMessages: boolean;
}): ImportedType {
  const { resourceType, method, url, requestHeaders, responseHeaders, status } = facts;
  if (typeof resourceType === 'string' && resourceType) {
    const chrome = resourceType.toLowerCase();
    return { kind: KIND_BY_CHROME[chrome] ?? 'other', webRequestType: WEBREQUEST_BY_CHROME[chrome] ?? 'other' };
  }
  const upgrade = headerValue(responseHeaders, 'upgrade')?.toLowerCase();
  if (facts.hasWebSocketMessages || /^wss?:/i.test(url) || (status === 101 && upgrade === 'websocket')) {
    return { kind: 'websocket', webRequestType: 'websocket' };
  }
  const accept = headerValue(requestHeaders, 'accept')?.toLowerCase() ?? '';
  if (facts.hasEventSourceMessages || accept.includes('text/event-stream')) return { kind: 'eventsource', webRequestType: 'xmlhttprequest' };
  if (method.toUpperCase() === 'OPTIONS' && headerValue(requestHeaders, 'access-control-request-method')) {
    return { kind: 'preflight', webRequestType: 'xmlhttprequest' };
  }
  const dest = headerValue(requestHeaders, 'sec-fetch-dest')?.toLowerCase();
  return { kind: 'other', webRequestType: dest ? (WEBREQUEST_BY_FETCH_DEST[dest] ?? 'other') : 'other' };
}

const WEBREQUEST_BY_FETCH_DEST: Record<string, string> = {
  document: 'main_frame',
  iframe: 'sub_frame',
  frame: 'sub_frame',
  style: 'stylesheet',
  script: 'script',
  image: 'image',
  font: 'font',
  audio: 'media',
  video: 'media',
  track: 'media',
  empty: 'xmlhttprequest',
  report: 'csp_report',
};
