/**
 * WebSocket close codes: the IANA "WebSocket Close Code Number Registry" (RFC 6455 §7.4, §11.7)
 * and ranges, plus what a page's `close(code)` may send (WHATWG WebSockets: only 1000 and
 * 3000–4999), plus names some sub-protocols give their private codes (graphql-transport-ws).
 */

export type CloseCodeRange = 'unused' | 'standard' | 'reserved' | 'iana-registered' | 'private' | 'invalid';

export interface CloseCodeInfo {
  code: number;
  /** Registered name, e.g. `Normal Closure`; for ranges, what the range is for. */
  name: string;
  meaning: string;
  range: CloseCodeRange;
  /** False for 1004/1005/1006/1015 and anything outside 1000–4999: never sent in a close frame. */
  sendable: boolean;
  /** Whether `WebSocket.close(code)` in a page accepts it (1000, 3000–4999). */
  allowedFromScript: boolean;
}

const STANDARD: Record<number, [name: string, meaning: string]> = {
  1000: ['Normal Closure', 'the purpose for which the connection was established has been fulfilled'],
  1001: ['Going Away', 'an endpoint is going away (server going down, or the page navigated away)'],
  1002: ['Protocol error', 'an endpoint is terminating the connection due to a protocol error'],
  1003: ['Unsupported Data', 'an endpoint received a type of data it cannot accept (e.g. binary on a text-only endpoint)'],
  1004: ['Reserved', 'reserved; the specific meaning might be defined in the future; never sent in a close frame'],
  1005: ['No Status Rcvd', 'reserved: no status code was present in the close frame; never sent in a close frame'],
  1006: ['Abnormal Closure', 'reserved: the connection closed without a close frame (network error, crash); never sent in a close frame'],
  1007: ['Invalid frame payload data', 'a message was inconsistent with its type (e.g. non-UTF-8 data in a text message)'],
  1008: ['Policy Violation', 'a message violated the endpoint\'s policy (generic code when no other fits)'],
  1009: ['Message Too Big', 'a message was too big to process'],
  1010: ['Mandatory Ext.', 'the client expected the server to negotiate one or more extensions, and it did not'],
  1011: ['Internal Error', 'the server met an unexpected condition that prevented it from fulfilling the request'],
  1012: ['Service Restart', 'the service is restarting; the client may reconnect'],
  1013: ['Try Again Later', 'the service is overloaded or temporarily unavailable; the client may reconnect later'],
  1014: ['Bad Gateway', 'a gateway or proxy received an invalid response from the upstream server'],
  1015: ['TLS handshake', 'reserved: the TLS handshake failed (e.g. certificate not verified); never sent in a close frame'],
};

const NOT_SENT = new Set([1004, 1005, 1006, 1015]);

/** Individually registered codes in 3000–3999 (IANA registry). */
const REGISTERED_3000: Record<number, string> = {
  3000: 'Unauthorized',
  3003: 'Forbidden',
  3008: 'Timeout',
};

/** Private codes given names by sub-protocols (by negotiated Sec-WebSocket-Protocol). */
const PROTOCOL_CODES: Record<string, Record<number, string>> = {
  'graphql-transport-ws': {
    4400: 'Bad Request (invalid message)',
    4401: 'Unauthorized (subscribe before connection_ack)',
    4403: 'Forbidden',
    4406: 'Subprotocol not acceptable',
    4408: 'Connection initialisation timeout',
    4409: 'Subscriber for this id already exists',
    4429: 'Too many initialisation requests',
    4500: 'Internal server error',
    4504: 'Connection acknowledgement timeout',
  },
};

export function closeCodeInfo(code: number, protocol?: string): CloseCodeInfo {
  const allowedFromScript = code === 1000 || (code >= 3000 && code <= 4999);
  if (!Number.isInteger(code) || code < 0 || code > 65535) {
    return { code, name: 'Invalid', meaning: 'not a 16-bit close code', range: 'invalid', sendable: false, allowedFromScript: false };
  }
  if (code <= 999) {
    return { code, name: 'Unused', meaning: 'codes 0–999 are not used (invalid in a close frame)', range: 'unused', sendable: false, allowedFromScript };
  }
  const standard = STANDARD[code];
  if (standard !== undefined) {
    const sendable = !NOT_SENT.has(code);
    return { code, name: standard[0], meaning: standard[1], range: sendable ? 'standard' : 'reserved', sendable, allowedFromScript };
  }
  if (code <= 2999) {
    return {
      code,
      name: 'Unassigned',
      meaning: 'reserved for the WebSocket protocol, its revisions and extensions; not assigned (invalid in a close frame)',
      range: 'invalid',
      sendable: false,
      allowedFromScript,
    };
  }
  if (code <= 3999) {
    const registered = REGISTERED_3000[code];
    return {
      code,
      name: registered ?? 'Library/framework code',
      meaning: `registered (IANA) for libraries/frameworks${registered !== undefined ? '' : '; this code has no registered name'}`,
      range: 'iana-registered',
      sendable: true,
      allowedFromScript,
    };
  }
  if (code <= 4999) {
    const named = protocol !== undefined ? PROTOCOL_CODES[protocol.toLowerCase()]?.[code] : undefined;
    return {
      code,
      name: named ?? 'Application code',
      meaning: `application-defined (private)${named !== undefined ? `; ${protocol}: ${named}` : ''}`,
      range: 'private',
      sendable: true,
      allowedFromScript,
    };
  }
  return { code, name: 'Invalid', meaning: 'codes above 4999 are not defined (invalid in a close frame)', range: 'invalid', sendable: false, allowedFromScript };
}
