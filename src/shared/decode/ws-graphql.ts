/**
 * GraphQL over WebSocket, both protocols (JSON text frames `{ type, id?, payload? }`):
 * - `graphql-transport-ws` (graphql-ws library): connection_init, connection_ack, ping, pong,
 *   subscribe, next, error, complete.
 * - `graphql-ws` (legacy subscriptions-transport-ws): connection_init, connection_ack,
 *   connection_error, ka, connection_terminate, start, data, error, complete, stop.
 * The operation name comes from `payload.operationName`, else from the query text; it is
 * remembered per id so `next`/`data`/`complete` can show it.
 */
import { parseJson, type JsonNode } from './json';
import { jsonGet, jsonString, previewJson } from './json-tree';
import { remember } from './ws-state';
import type { GraphqlMessage, WsState } from './ws-types';

export const GRAPHQL_TRANSPORT_TYPES = new Set(['connection_init', 'connection_ack', 'ping', 'pong', 'subscribe', 'next', 'error', 'complete']);
export const GRAPHQL_LEGACY_TYPES = new Set(['connection_init', 'connection_ack', 'connection_error', 'ka', 'connection_terminate', 'start', 'data', 'error', 'complete', 'stop']);

export function decodeGraphqlWs(data: string | Uint8Array, protocol: GraphqlMessage['protocol'], state: WsState | undefined): GraphqlMessage {
  const size = data.length;
  const fail = (error: string, type = ''): GraphqlMessage => ({ protocol, type, summary: type || 'invalid message', ok: false, error, size, raw: data });
  if (typeof data !== 'string') return fail('could not decode: GraphQL over WebSocket uses text frames, got binary');
  const parsed = parseJson(data);
  if (!parsed.ok) return fail(parsed.error);
  const root = parsed.value;
  const type = jsonString(jsonGet(root, 'type'));
  if (type === undefined) return fail('could not decode: message has no string "type"');
  const known = protocol === 'graphql-transport-ws' ? GRAPHQL_TRANSPORT_TYPES : GRAPHQL_LEGACY_TYPES;
  const idNode = jsonGet(root, 'id');
  const id = jsonString(idNode) ?? (idNode?.type === 'number' ? String(idNode.value) : undefined);
  const payload = jsonGet(root, 'payload');
  const msg: GraphqlMessage = { protocol, type, summary: type, ok: true, size, raw: data };
  if (id !== undefined) msg.id = id;
  if (payload !== undefined) msg.payload = payload;
  if (!known.has(type)) {
    msg.ok = false;
    msg.error = `could not decode: "${type}" is not a ${protocol} message type`;
  }

  if ((type === 'subscribe' || type === 'start') && payload !== undefined) {
    const query = jsonString(jsonGet(payload, 'query'));
    const op = query !== undefined ? operationOf(query) : undefined;
    const name = jsonString(jsonGet(payload, 'operationName')) ?? op?.name;
    const variables = jsonGet(payload, 'variables');
    if (query !== undefined) msg.query = query;
    if (name !== undefined) msg.operationName = name;
    if (op?.type !== undefined) msg.operationType = op.type;
    if (variables !== undefined && variables.type !== 'null') msg.variables = variables;
    if (id !== undefined && name !== undefined) remember(state, `gql:${id}`, name);
  }
  const name = msg.operationName ?? (id !== undefined ? state?.operations.get(`gql:${id}`) : undefined);
  const parts = [type];
  if (id !== undefined) parts.push(`#${id}`);
  if (name !== undefined) parts.push(name);
  if (msg.operationType !== undefined) parts.push(`(${msg.operationType})`);
  if ((type === 'next' || type === 'data' || type === 'error' || type === 'connection_error') && payload !== undefined) {
    parts.push(previewJson(payload, 100));
  }
  msg.summary = parts.join(' ');
  return msg;
}

/** `subscription OnComment($id: ID!) { … }` → { type: 'subscription', name: 'OnComment' }; `{ … }` → query. */
export function operationOf(query: string): { type?: GraphqlMessage['operationType']; name?: string } | undefined {
  const text = query.replace(/#[^\n\r]*/g, ' ');
  const m = /(?:^|[\s}])(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(text);
  if (m !== null) return m[2] !== undefined ? { type: m[1] as 'query', name: m[2] } : { type: m[1] as 'query' };
  if (/^\s*\{/.test(text)) return { type: 'query' };
  return undefined;
}

/**
 * Which GraphQL protocol a parsed message points to: only types no generic JSON protocol would
 * use count (`subscribe`/`next`, `start`/`data`/`stop` with an id; `ka`, `connection_terminate`);
 * `connection_init`/`connection_ack` fit both ("either").
 */
export function graphqlProtocolOf(root: JsonNode): GraphqlMessage['protocol'] | 'either' | undefined {
  const type = jsonString(jsonGet(root, 'type'));
  if (type === undefined) return undefined;
  if (type === 'connection_init' || type === 'connection_ack') return 'either';
  if (type === 'ka' || type === 'connection_terminate') return 'graphql-ws';
  if (jsonGet(root, 'id') === undefined) return undefined;
  if (type === 'subscribe' || type === 'next') return 'graphql-transport-ws';
  if (type === 'start' || type === 'data' || type === 'stop') return 'graphql-ws';
  return undefined;
}
