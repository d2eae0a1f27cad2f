/**
 * MQTT 3.1 / 3.1.1 / 5.0 control packets over WebSocket (binary frames; a frame may hold several
 * packets). Fixed header: type (high nibble) + flags, then the Remaining Length varint (1–4 bytes,
 * 7 bits each, low first). Decoded: CONNECT, CONNACK, PUBLISH (topic, QoS, payload), PUBACK/REC/
 * REL/COMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH.
 * MQTT 5 properties are skipped by their length (count reported). Passwords are never shown.
 * Bounds: ≤ 256 packets per frame, ≤ 256 topics per (UN)SUBSCRIBE; payloads previewed, text ≤ 64 KiB.
 */
import { decodeUtf8 } from '../bytes';
import { hexPreview } from './hex';
import { parseJson, sniffJson } from './json';
import { previewJson } from './json-tree';
import { looksBinary } from './magic';
import type { MqttMessage, MqttPacket, WsState } from './ws-types';

const TYPES = ['reserved', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];
const MAX_PACKETS = 256;
const MAX_TOPICS = 256;
const MAX_TEXT = 64 * 1024;

const CONNACK_V3 = ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];
const REASON_V5: Record<number, string> = {
  0x00: 'success', 0x04: 'disconnect with will message', 0x10: 'no matching subscribers', 0x11: 'no subscription existed',
  0x18: 'continue authentication', 0x19: 're-authenticate', 0x80: 'unspecified error', 0x81: 'malformed packet',
  0x82: 'protocol error', 0x83: 'implementation specific error', 0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid', 0x86: 'bad user name or password', 0x87: 'not authorized', 0x88: 'server unavailable',
  0x89: 'server busy', 0x8a: 'banned', 0x8b: 'server shutting down', 0x8c: 'bad authentication method', 0x8d: 'keep alive timeout',
  0x8e: 'session taken over', 0x8f: 'topic filter invalid', 0x90: 'topic name invalid', 0x91: 'packet identifier in use',
  0x92: 'packet identifier not found', 0x93: 'receive maximum exceeded', 0x94: 'topic alias invalid', 0x95: 'packet too large',
  0x96: 'message rate too high', 0x97: 'quota exceeded', 0x98: 'administrative action', 0x99: 'payload format invalid',
  0x9a: 'retain not supported', 0x9b: 'QoS not supported', 0x9c: 'use another server', 0x9d: 'server moved',
  0x9e: 'shared subscriptions not supported', 0x9f: 'connection rate exceeded', 0xa0: 'maximum connect time',
  0xa1: 'subscription identifiers not supported', 0xa2: 'wildcard subscriptions not supported',
};

/** A binary frame starting with an MQTT CONNECT (protocol name `MQTT` or `MQIsdp`). */
export function looksLikeMqttConnect(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x10) return false;
  let i = 1;
  while (i < 5 && (bytes[i] & 0x80) !== 0) i++;
  const at = i + 1;
  const len = (bytes[at] << 8) | bytes[at + 1];
  const name = String.fromCharCode(...bytes.subarray(at + 2, at + 2 + Math.min(len, 6)));
  return (len === 4 && name === 'MQTT') || (len === 6 && name === 'MQIsdp');
}

class Reader {
  constructor(
    readonly b: Uint8Array,
    public i: number,
    readonly end: number,
  ) {}
  left(): number {
    return this.end - this.i;
  }
  u8(): number {
    if (this.i >= this.end) throw new RangeError('packet too short');
    return this.b[this.i++];
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  bytes(n: number): Uint8Array {
    if (this.i + n > this.end) throw new RangeError('packet too short');
    const out = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return out;
  }
  string(): string {
    return decodeUtf8(this.bytes(this.u16())).text;
  }
  varint(): number {
    let value = 0;
    for (let k = 0; k < 4; k++) {
      const byte = this.u8();
      value += (byte & 0x7f) * 128 ** k;
      if ((byte & 0x80) === 0) return value;
    }
    throw new RangeError('malformed variable byte integer');
  }
  /** MQTT 5 properties: skipped; returns their length in bytes. */
  properties(): number {
    const len = this.varint();
    this.bytes(len);
    return len;
  }
}

export function decodeMqtt(data: string | Uint8Array, state: WsState | undefined): MqttMessage {
  const size = data.length;
  const packets: MqttPacket[] = [];
  const msg: MqttMessage = { protocol: 'mqtt', packets, summary: '', ok: true, size, raw: data };
  if (typeof data === 'string') {
    msg.ok = false;
    msg.error = 'could not decode: MQTT over WebSocket uses binary frames, got text';
    msg.summary = 'text frame (not MQTT)';
    return msg;
  }
  let i = 0;
  while (i < data.length && packets.length < MAX_PACKETS) {
    const head = new Reader(data, i, data.length);
    let length: number;
    let first: number;
    try {
      first = head.u8();
      length = head.varint();
    } catch (e) {
      msg.ok = false;
      msg.error = `could not decode: ${(e as Error).message} in the fixed header`;
      break;
    }
    const type = TYPES[first >> 4];
    const packet: MqttPacket = { type, flags: first & 0x0f, length, fields: {} };
    packets.push(packet);
    const end = head.i + length;
    if (end > data.length) {
      packet.error = `packet needs ${length} bytes, frame has ${data.length - head.i}`;
      msg.ok = false;
      msg.error = `could not decode: ${type} packet truncated (${packet.error})`;
      break;
    }
    try {
      readBody(packet, new Reader(data, head.i, end), state);
    } catch (e) {
      packet.error = (e as Error).message;
      msg.ok = false;
      msg.error = `could not decode: ${type}: ${packet.error}`;
    }
    i = end;
  }
  if (packets.length >= MAX_PACKETS && i < data.length && msg.ok) {
    msg.ok = false;
    msg.error = `could not decode: more than ${MAX_PACKETS} packets in one frame`;
  }
  msg.summary = packets.length === 0 ? 'empty frame' : packets.map(summarize).join(' · ');
  return msg;
}

function v5(state: WsState | undefined): boolean {
  return state?.mqttVersion === 5;
}

function reason(code: number, version5: boolean): string {
  return version5 ? (REASON_V5[code] ?? `reason 0x${code.toString(16)}`) : (CONNACK_V3[code] ?? `code ${code}`);
}

function readBody(p: MqttPacket, r: Reader, state: WsState | undefined): void {
  const f = p.fields;
  switch (p.type) {
    case 'CONNECT': {
      const name = r.string();
      const level = r.u8();
      const flags = r.u8();
      f.protocolName = name;
      f.protocolLevel = level;
      f.version = level === 5 ? '5.0' : level === 4 ? '3.1.1' : level === 3 ? '3.1' : `level ${level}`;
      if (state !== undefined && (level === 3 || level === 4 || level === 5)) state.mqttVersion = level;
      f.cleanStart = (flags & 0x02) !== 0;
      f.keepAlive = r.u16();
      if (level === 5) f.propertiesLength = r.properties();
      f.clientId = r.string();
      if (flags & 0x04) {
        if (level === 5) r.properties();
        f.willTopic = r.string();
        f.willPayloadBytes = r.bytes(r.u16()).length;
        f.willQos = (flags >> 3) & 3;
        f.willRetain = (flags & 0x20) !== 0;
      }
      if (flags & 0x80) f.username = r.string();
      if (flags & 0x40) f.passwordBytes = r.bytes(r.u16()).length;
      return;
    }
    case 'CONNACK': {
      const version5 = v5(state) || r.left() > 2;
      f.sessionPresent = (r.u8() & 1) === 1;
      const code = r.u8();
      f.returnCode = code;
      f.reason = reason(code, version5);
      if (version5 && r.left() > 0) f.propertiesLength = r.properties();
      return;
    }
    case 'PUBLISH': {
      const qos = (p.flags >> 1) & 3;
      f.qos = qos;
      f.retain = (p.flags & 1) === 1;
      f.dup = (p.flags & 8) === 8;
      f.topic = r.string();
      if (qos > 0) f.packetId = r.u16();
      if (v5(state)) f.propertiesLength = r.properties();
      const body = r.bytes(r.left());
      p.payload = { bytes: body.length };
      if (body.length > 0 && !looksBinary(body)) {
        const { text, invalid } = decodeUtf8(body.length > MAX_TEXT ? body.subarray(0, MAX_TEXT) : body);
        if (!invalid) {
          p.payload.text = text;
          if (sniffJson(text)) {
            const json = parseJson(text);
            if (json.ok) p.payload.json = json.value;
          }
          return;
        }
      }
      if (body.length > 0) p.payload.preview = hexPreview(body);
      return;
    }
    case 'PUBACK':
    case 'PUBREC':
    case 'PUBREL':
    case 'PUBCOMP':
    case 'UNSUBACK':
      f.packetId = r.u16();
      if (r.left() > 0 && p.type !== 'UNSUBACK') {
        const code = r.u8();
        f.reasonCode = code;
        f.reason = reason(code, true);
        if (r.left() > 0) f.propertiesLength = r.properties();
      } else if (r.left() > 0) {
        f.propertiesLength = r.properties();
        f.reasonCodes = Array.from(r.bytes(r.left()));
      }
      return;
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE': {
      f.packetId = r.u16();
      if (v5(state)) f.propertiesLength = r.properties();
      const topics: Array<{ topic: string; qos: number }> = [];
      const names: string[] = [];
      while (r.left() > 0 && topics.length + names.length < MAX_TOPICS) {
        const topic = r.string();
        if (p.type === 'SUBSCRIBE') topics.push({ topic, qos: r.u8() & 3 });
        else names.push(topic);
      }
      if (p.type === 'SUBSCRIBE') f.subscriptions = topics;
      else f.topics = names;
      return;
    }
    case 'SUBACK': {
      f.packetId = r.u16();
      if (v5(state)) f.propertiesLength = r.properties();
      f.returnCodes = Array.from(r.bytes(Math.min(r.left(), MAX_TOPICS)));
      return;
    }
    case 'DISCONNECT':
    case 'AUTH':
      if (r.left() > 0) {
        const code = r.u8();
        f.reasonCode = code;
        f.reason = reason(code, true);
        if (r.left() > 0) f.propertiesLength = r.properties();
      }
      return;
    case 'PINGREQ':
    case 'PINGRESP':
      return;
    default:
      throw new RangeError('reserved packet type 0');
  }
}

function summarize(p: MqttPacket): string {
  const f = p.fields;
  const id = f.packetId !== undefined ? ` #${f.packetId}` : '';
  switch (p.type) {
    case 'CONNECT':
      return `CONNECT ${f.clientId === '' ? '(no client id)' : String(f.clientId ?? '')} MQTT ${String(f.version ?? '')} keep-alive ${String(f.keepAlive ?? '')}s`;
    case 'CONNACK':
      return `CONNACK ${String(f.reason ?? '')}${f.sessionPresent === true ? ' (session present)' : ''}`;
    case 'PUBLISH': {
      const body = p.payload?.json !== undefined ? previewJson(p.payload.json, 80) : p.payload?.text !== undefined ? JSON.stringify(p.payload.text.slice(0, 80)) : `(${p.payload?.bytes ?? 0} bytes)`;
      return `PUBLISH ${String(f.topic ?? '')} qos${String(f.qos ?? 0)}${f.retain === true ? ' retain' : ''}${id} ${body}`;
    }
    case 'SUBSCRIBE':
      return `SUBSCRIBE${id} ${((f.subscriptions as Array<{ topic: string; qos: number }>) ?? []).map((s) => `${s.topic} (qos ${s.qos})`).join(', ')}`;
    case 'UNSUBSCRIBE':
      return `UNSUBSCRIBE${id} ${((f.topics as string[]) ?? []).join(', ')}`;
    case 'SUBACK':
      return `SUBACK${id} ${((f.returnCodes as number[]) ?? []).map((c) => (c < 3 ? `granted qos ${c}` : `failure 0x${c.toString(16)}`)).join(', ')}`;
    default:
      return `${p.type}${id}${f.reason !== undefined ? ` ${String(f.reason)}` : ''}${p.error !== undefined ? ` (${p.error})` : ''}`;
  }
}
