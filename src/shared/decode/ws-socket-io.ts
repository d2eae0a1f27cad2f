/**
 * Engine.IO v4 packets over WebSocket (one packet per frame: a type digit, then data; binary
 * frames are raw binary messages) carrying Socket.IO v5 packets:
 *   <type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]
 * e.g. `42["chat",{"text":"hi"}]`, `40/admin,{"token":"…"}`, `4313["ok"]`, `451-["up",{"_placeholder":true,"num":0}]`.
 * A BINARY_EVENT/ACK announcing N attachments is followed by N binary frames (tracked in state).
 */
import { hexPreview } from './hex';
import { parseJson, type JsonNode } from './json';
import { jsonGet, jsonString, previewJson } from './json-tree';
import type { EngineIoType, SocketIoMessage, SocketIoType, WsState } from './ws-types';

const ENGINE: EngineIoType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const PACKET: SocketIoType[] = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'];

/** Whether a text frame is clearly Engine.IO/Socket.IO: the open handshake, or a packet with a JSON payload. */
export function looksLikeSocketIo(text: string): boolean {
  return /^0\{"sid":/.test(text) || /^4[0-6](?:\d{1,6}-)?(?:\/[^,]*,)?\d*[[{]/.test(text);
}

export function decodeSocketIo(data: string | Uint8Array, state: WsState | undefined): SocketIoMessage {
  const size = typeof data === 'string' ? data.length : data.length;
  const msg = (fields: Partial<SocketIoMessage> & Pick<SocketIoMessage, 'engine' | 'summary'>): SocketIoMessage => ({
    protocol: 'socket.io',
    ok: true,
    size,
    raw: data,
    ...fields,
  });

  if (typeof data !== 'string') {
    const pending = state?.socketIo.pending;
    if (pending === undefined) return msg({ engine: 'message', summary: `binary message (${data.length} bytes)` });
    const index = pending.received++;
    if (pending.received >= pending.total && state !== undefined) state.socketIo.pending = undefined;
    const about = pending.event !== undefined ? ` of "${pending.event}"` : '';
    return msg({
      engine: 'message',
      attachment: { index, total: pending.total, ...(pending.event !== undefined ? { event: pending.event } : {}), preview: hexPreview(data) },
      summary: `attachment ${index + 1}/${pending.total}${about} (${data.length} bytes)`,
    });
  }

  const engine = ENGINE[data.charCodeAt(0) - 0x30];
  if (engine === undefined || data.length === 0) {
    return { ...msg({ engine: 'message', summary: 'not an Engine.IO packet' }), ok: false, error: 'could not decode: not an Engine.IO packet (no type digit 0–6)' };
  }
  const rest = data.slice(1);
  if (engine === 'open') {
    const open = parseJson(rest);
    if (!open.ok) return { ...msg({ engine, engineData: rest, summary: 'open (bad handshake)' }), ok: false, error: open.error };
    const sid = jsonString(jsonGet(open.value, 'sid'));
    const interval = jsonGet(open.value, 'pingInterval');
    const timeout = jsonGet(open.value, 'pingTimeout');
    const timing = interval?.type === 'number' && timeout?.type === 'number' ? ` ping ${interval.value}/${timeout.value} ms` : '';
    return msg({ engine, open: open.value, summary: `open sid=${sid ?? '?'}${timing}` });
  }
  if (engine !== 'message') {
    const m = msg({ engine, summary: rest === '' ? engine : `${engine} ${rest.slice(0, 60)}` });
    if (rest !== '') m.engineData = rest;
    return m;
  }
  return decodePacket(rest, msg, state);
}

function decodePacket(
  s: string,
  msg: (fields: Partial<SocketIoMessage> & Pick<SocketIoMessage, 'engine' | 'summary'>) => SocketIoMessage,
  state: WsState | undefined,
): SocketIoMessage {
  const packet = PACKET[s.charCodeAt(0) - 0x30];
  if (packet === undefined) {
    const m = msg({ engine: 'message', engineData: s, summary: `message ${s.slice(0, 80)}` });
    return m;
  }
  let i = 1;
  const out: Partial<SocketIoMessage> & Pick<SocketIoMessage, 'engine' | 'summary'> = { engine: 'message', packet, summary: '' };
  if (packet === 'BINARY_EVENT' || packet === 'BINARY_ACK') {
    const dash = s.indexOf('-', i);
    const count = dash === -1 ? NaN : Number(s.slice(i, dash));
    if (!Number.isInteger(count) || dash - i > 6) {
      return { ...msg({ ...out, summary: packet }), ok: false, error: 'could not decode: binary packet without an attachment count' };
    }
    out.attachments = count;
    i = dash + 1;
  }
  out.namespace = '/';
  if (s[i] === '/') {
    const comma = s.indexOf(',', i);
    const end = comma === -1 ? s.length : comma;
    out.namespace = s.slice(i, end);
    i = comma === -1 ? end : end + 1;
  }
  let digits = i;
  while (digits < s.length && digits - i < 16 && s.charCodeAt(digits) >= 0x30 && s.charCodeAt(digits) <= 0x39) digits++;
  if (digits > i) {
    out.ackId = Number(s.slice(i, digits));
    i = digits;
  }
  const body = s.slice(i);
  let payload: JsonNode | undefined;
  if (body !== '') {
    const parsed = parseJson(body);
    if (!parsed.ok) return { ...msg({ ...out, summary: `${packet} (bad payload)` }), ok: false, error: parsed.error };
    payload = parsed.value;
  }
  const ns = out.namespace !== '/' ? ` ${out.namespace}` : '';
  const ack = out.ackId !== undefined ? ` ack ${out.ackId}` : '';
  switch (packet) {
    case 'EVENT':
    case 'BINARY_EVENT':
    case 'ACK':
    case 'BINARY_ACK': {
      if (payload?.type !== 'array') {
        return { ...msg({ ...out, summary: packet }), ok: false, error: `could not decode: ${packet} payload must be an array` };
      }
      const items = payload.items;
      const isEvent = packet === 'EVENT' || packet === 'BINARY_EVENT';
      if (isEvent) {
        const name = items[0];
        if (name?.type !== 'string' && name?.type !== 'number') {
          return { ...msg({ ...out, summary: packet }), ok: false, error: 'could not decode: event name missing' };
        }
        out.event = name.type === 'string' ? name.value : String(name.value);
        out.args = items.slice(1);
      } else {
        out.args = items;
      }
      const argsText = out.args.length > 0 ? ' ' + previewJson({ type: 'array', items: out.args }, 100) : '';
      const what = isEvent ? `${packet} "${out.event}"` : packet;
      if (out.attachments !== undefined) {
        out.placeholders = countPlaceholders(payload);
        if (out.attachments > 0 && state !== undefined) {
          state.socketIo.pending = { total: out.attachments, received: 0, ...(out.event !== undefined ? { event: out.event } : {}) };
        }
      }
      const extra = out.attachments !== undefined ? ` (${out.attachments} attachment${out.attachments === 1 ? '' : 's'})` : '';
      out.summary = `${what}${ns}${ack}${argsText}${extra}`;
      return msg(out);
    }
    case 'CONNECT':
    case 'CONNECT_ERROR': {
      if (payload !== undefined) out.data = payload;
      const reason = packet === 'CONNECT_ERROR' ? (jsonString(jsonGet(payload, 'message')) ?? jsonString(payload)) : undefined;
      const detail = reason !== undefined ? ` "${reason}"` : payload !== undefined ? ' ' + previewJson(payload, 80) : '';
      out.summary = `${packet}${ns}${detail}`;
      return msg(out);
    }
    case 'DISCONNECT':
      out.summary = `DISCONNECT${ns}`;
      return msg(out);
  }
}

/** `{ "_placeholder": true, "num": n }` objects in a binary packet's payload. */
function countPlaceholders(node: JsonNode, depth = 0): number {
  if (depth > 64) return 0;
  if (node.type === 'array') return node.items.reduce((n, item) => n + countPlaceholders(item, depth + 1), 0);
  if (node.type !== 'object') return 0;
  const flag = jsonGet(node, '_placeholder');
  if (flag?.type === 'boolean' && flag.value && jsonGet(node, 'num')?.type === 'number') return 1;
  return node.entries.reduce((n, e) => n + countPlaceholders(e.value, depth + 1), 0);
}
