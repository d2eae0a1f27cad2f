/**
 * JSON-RPC 2.0 (https://www.jsonrpc.org/specification): request (`method` + `id`), notification
 * (`method`, no `id`), response (`result`), error (`error: {code, message, data?}`), and batches
 * (arrays of those). Request ids are remembered so a response can name its method.
 */
import { parseJson, type JsonNode } from './json';
import { jsonGet, jsonScalarText, jsonString, previewJson } from './json-tree';
import { remember } from './ws-state';
import type { JsonRpcItem, JsonRpcMessage, WsState } from './ws-types';

const MAX_ITEMS = 1000;

const ERROR_MEANINGS: Record<number, string> = {
  [-32700]: 'Parse error: invalid JSON was received by the server',
  [-32600]: 'Invalid Request: the JSON sent is not a valid Request object',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
};

export function jsonRpcErrorMeaning(code: number): string | undefined {
  if (ERROR_MEANINGS[code] !== undefined) return ERROR_MEANINGS[code];
  if (code >= -32099 && code <= -32000) return 'Server error (implementation-defined)';
  if (code >= -32768 && code <= -32000) return 'Reserved for pre-defined errors';
  return undefined;
}

/** Whether a parsed message has JSON-RPC shape (a `jsonrpc: "2.0"` member, or a batch of such). */
export function looksLikeJsonRpc(root: JsonNode): boolean {
  const first = root.type === 'array' ? root.items[0] : root;
  return first !== undefined && jsonString(jsonGet(first, 'jsonrpc')) === '2.0';
}

export function decodeJsonRpc(data: string | Uint8Array, state: WsState | undefined): JsonRpcMessage {
  const size = data.length;
  const fail = (error: string): JsonRpcMessage => ({ protocol: 'json-rpc', batch: false, items: [], summary: 'invalid message', ok: false, error, size, raw: data });
  if (typeof data !== 'string') return fail('could not decode: JSON-RPC over WebSocket uses text frames, got binary');
  const parsed = parseJson(data);
  if (!parsed.ok) return fail(parsed.error);
  const root = parsed.value;
  const batch = root.type === 'array';
  const nodes = batch ? root.items : [root];
  if (batch && nodes.length === 0) return { ...fail('could not decode: empty batch'), batch: true };
  const items = nodes.slice(0, MAX_ITEMS).map((node) => item(node, state));
  const msg: JsonRpcMessage = { protocol: 'json-rpc', batch, items, summary: '', ok: true, size, raw: data };
  const bad = items.filter((i) => i.kind === 'invalid');
  if (bad.length > 0) {
    msg.ok = false;
    msg.error = `could not decode: ${bad[0].problem}`;
  }
  if (nodes.length > MAX_ITEMS) {
    msg.ok = false;
    msg.error = `could not decode: batch of ${nodes.length} items; showing the first ${MAX_ITEMS}`;
  }
  msg.summary = batch ? `batch of ${nodes.length}: ${items.slice(0, 3).map(summarize).join(', ')}${nodes.length > 3 ? ', …' : ''}` : summarize(items[0]);
  return msg;
}

function item(node: JsonNode, state: WsState | undefined): JsonRpcItem {
  if (node.type !== 'object') return { kind: 'invalid', problem: 'item is not an object' };
  const version = jsonString(jsonGet(node, 'jsonrpc'));
  const idNode = jsonGet(node, 'id');
  const id = idNode === undefined || idNode.type === 'null' ? undefined : jsonScalarText(idNode);
  const method = jsonString(jsonGet(node, 'method'));
  const params = jsonGet(node, 'params');
  const result = jsonGet(node, 'result');
  const error = jsonGet(node, 'error');
  const out: JsonRpcItem = { kind: 'invalid' };
  if (id !== undefined) out.id = id;
  if (method !== undefined) {
    out.kind = idNode === undefined ? 'notification' : 'request';
    out.method = method;
    if (params !== undefined) out.params = params;
    if (id !== undefined) remember(state, `rpc:${id}`, method);
  } else if (error !== undefined) {
    out.kind = 'error';
    const code = jsonGet(error, 'code');
    const message = jsonString(jsonGet(error, 'message'));
    const errorData = jsonGet(error, 'data');
    out.error = {};
    if (code?.type === 'number') {
      out.error.code = code.value;
      const meaning = jsonRpcErrorMeaning(code.value);
      if (meaning !== undefined) out.error.meaning = meaning;
    }
    if (message !== undefined) out.error.message = message;
    if (errorData !== undefined) out.error.data = errorData;
  } else if (result !== undefined) {
    out.kind = 'response';
    out.result = result;
  } else {
    out.problem = 'neither "method", "result" nor "error"';
    return out;
  }
  if ((out.kind === 'response' || out.kind === 'error') && id !== undefined) {
    const requested = state?.operations.get(`rpc:${id}`);
    if (requested !== undefined) out.method = requested;
  }
  if (version !== '2.0') out.problem = version === undefined ? 'no "jsonrpc": "2.0" member (JSON-RPC 1.0?)' : `"jsonrpc" is "${version}", not "2.0"`;
  return out;
}

function summarize(i: JsonRpcItem): string {
  const id = i.id !== undefined ? ` #${i.id}` : '';
  const of = i.method !== undefined ? ` (${i.method})` : '';
  switch (i.kind) {
    case 'request':
      return `request ${i.method}${id}${i.params !== undefined ? ' ' + previewJson(i.params, 80) : ''}`;
    case 'notification':
      return `notification ${i.method}${i.params !== undefined ? ' ' + previewJson(i.params, 80) : ''}`;
    case 'response':
      return `result${id}${of} ${previewJson(i.result as JsonNode, 80)}`;
    case 'error':
      return `error${id}${of} ${i.error?.code ?? ''} ${i.error?.message ?? i.error?.meaning ?? ''}`.trimEnd();
    case 'invalid':
      return `invalid (${i.problem})`;
  }
}
