/**
 * WebSocket messages: pick a sub-protocol decoder from the negotiated `Sec-WebSocket-Protocol`,
 * the URL (Socket.IO's `EIO=`), what earlier messages showed (state), or the message itself; fall
 * back to JSON / text / binary views. Per-protocol details live in ws-*.ts; close codes in
 * close-codes.ts. Bounds: binary previews of 256 bytes, base64 of the first 48 KiB; JSON caps.
 */
import { toBase64 } from '../bytes';
import { hexPreview } from './hex';
import { parseJson, sniffJson } from './json';
import { previewJson } from './json-tree';
import { sniffMagic } from './magic';
import { decodeGraphqlWs, graphqlProtocolOf } from './ws-graphql';
import { decodeJsonRpc, looksLikeJsonRpc } from './ws-json-rpc';
import { decodeMqtt, looksLikeMqttConnect } from './ws-mqtt';
import { decodeSocketIo, looksLikeSocketIo } from './ws-socket-io';
import { decodeStomp, looksLikeStomp } from './ws-stomp';
import type { WsDecoded, WsMessageInput, WsProtocol, WsState } from './ws-types';

export { closeCodeInfo } from './close-codes';
export { createWsState } from './ws-state';
export type * from './ws-types';

export const WS_BASE64_BYTES = 48 * 1024;
const DETECT_MESSAGES = 50;

/** Sub-protocol from a negotiated `Sec-WebSocket-Protocol` value. */
export function protocolFromName(name: string | undefined): WsProtocol | undefined {
  const p = name?.trim().toLowerCase();
  if (p === undefined || p === '') return undefined;
  if (p === 'graphql-transport-ws') return 'graphql-transport-ws';
  if (p === 'graphql-ws') return 'graphql-ws';
  if (/^v1[0-2]\.stomp$/.test(p) || p === 'stomp') return 'stomp';
  if (p === 'mqtt' || p === 'mqttv3.1') return 'mqtt';
  if (/^json-?rpc(?:-?2\.0)?$/.test(p)) return 'json-rpc';
  return undefined;
}

function protocolFromUrl(url: string | undefined): WsProtocol | undefined {
  return url !== undefined && /[?&]EIO=\d/.test(url) ? 'socket.io' : undefined;
}

/** What one message alone shows (undefined when it could be anything). */
function recognise(data: string | Uint8Array): WsProtocol | undefined {
  if (typeof data !== 'string') return looksLikeMqttConnect(data) ? 'mqtt' : looksLikeStomp(data) ? 'stomp' : undefined;
  if (looksLikeSocketIo(data)) return 'socket.io';
  if (looksLikeStomp(data)) return 'stomp';
  if (sniffJson(data)) {
    const parsed = parseJson(data);
    if (!parsed.ok) return undefined;
    if (looksLikeJsonRpc(parsed.value)) return 'json-rpc';
    const gql = graphqlProtocolOf(parsed.value);
    if (gql === 'graphql-ws' || gql === 'graphql-transport-ws') return gql;
  }
  return undefined;
}

/**
 * The sub-protocol of a connection: negotiated name, URL, then the first messages (a GraphQL
 * `connection_init` alone fits both GraphQL protocols: the newer one is assumed until a message
 * only one of them has appears). Falls back to `json`, `text` or `binary` by what most messages are.
 */
export function detectWsProtocol(messages: Array<{ data: string | Uint8Array }>, hint: { protocol?: string; url?: string } = {}): WsProtocol {
  const named = protocolFromName(hint.protocol) ?? protocolFromUrl(hint.url);
  if (named !== undefined) return named;
  let gqlEither = false;
  let json = 0;
  let text = 0;
  let binary = 0;
  for (const { data } of messages.slice(0, DETECT_MESSAGES)) {
    const seen = recognise(data);
    if (seen !== undefined) return seen;
    if (typeof data !== 'string') binary++;
    else if (!sniffJson(data)) text++;
    else {
      const parsed = parseJson(data);
      if (!parsed.ok) text++;
      else {
        json++;
        if (graphqlProtocolOf(parsed.value) === 'either') gqlEither = true;
      }
    }
  }
  if (gqlEither) return 'graphql-transport-ws';
  if (binary > json + text) return 'binary';
  return json > 0 && json >= text ? 'json' : text > 0 ? 'text' : binary > 0 ? 'binary' : 'text';
}

export function decodeWsMessage(input: WsMessageInput, state?: WsState): WsDecoded {
  try {
    const chosen = state?.protocol ?? protocolFromName(input.protocol) ?? protocolFromUrl(input.url) ?? recognise(input.data);
    if (state !== undefined && chosen !== undefined && state.protocol === undefined && isSubProtocol(chosen)) state.protocol = chosen;
    return decodeAs(chosen, input.data, state);
  } catch (e) {
    return { ...generic(input.data), ok: false, error: `could not decode: ${String(e)}` };
  }
}

function isSubProtocol(p: WsProtocol): boolean {
  return p !== 'json' && p !== 'text' && p !== 'binary';
}

function decodeAs(protocol: WsProtocol | undefined, data: string | Uint8Array, state: WsState | undefined): WsDecoded {
  switch (protocol) {
    case 'socket.io':
      return decodeSocketIo(data, state);
    case 'graphql-ws':
    case 'graphql-transport-ws':
      return decodeGraphqlWs(data, protocol, state);
    case 'stomp':
      return decodeStomp(data);
    case 'json-rpc':
      return decodeJsonRpc(data, state);
    case 'mqtt':
      return decodeMqtt(data, state);
    default:
      return generic(data);
  }
}

/** JSON, text or binary views of a message with no known sub-protocol. */
function generic(data: string | Uint8Array): WsDecoded {
  const size = data.length;
  if (typeof data !== 'string') {
    const magic = sniffMagic(data);
    const shown = data.length > WS_BASE64_BYTES ? data.subarray(0, WS_BASE64_BYTES) : data;
    const msg: WsDecoded = {
      protocol: 'binary',
      summary: `binary ${data.length} bytes${magic !== undefined ? ` (${magic.label})` : ''}`,
      ok: true,
      size,
      raw: data,
      preview: hexPreview(data),
      base64: toBase64(shown),
      base64Truncated: shown.length < data.length,
    };
    if (magic !== undefined) {
      msg.mime = magic.mime;
      msg.label = magic.label;
    }
    return msg;
  }
  const trimmed = data.trimStart();
  if (trimmed[0] === '{' || trimmed[0] === '[') {
    const parsed = parseJson(data);
    if (parsed.ok) return { protocol: 'json', json: parsed.value, summary: previewJson(parsed.value, 120), ok: true, size, raw: data };
  }
  const line = data.length > 120 ? `${data.slice(0, 120)}…` : data;
  return { protocol: 'text', text: data, summary: line.replace(/[\r\n]+/g, ' ⏎ '), ok: true, size, raw: data };
}
