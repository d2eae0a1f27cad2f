/** Shapes shared by the WebSocket message decoders (websocket.ts and ws-*.ts). */
import type { HexPreview } from './hex';
import type { JsonNode } from './json';

export type WsProtocol =
  | 'socket.io'
  | 'graphql-ws'
  | 'graphql-transport-ws'
  | 'stomp'
  | 'json-rpc'
  | 'mqtt'
  | 'json'
  | 'text'
  | 'binary';

export interface WsMessageInput {
  data: string | Uint8Array;
  /** Negotiated `Sec-WebSocket-Protocol`, if any. */
  protocol?: string;
  /** The socket's URL (Socket.IO is recognised by `EIO=` in it). */
  url?: string;
}

/** Per-connection memory: makes later messages readable (ack → method, attachment → event). */
export interface WsState {
  protocol?: WsProtocol;
  socketIo: { pending?: { event?: string; total: number; received: number } };
  /** graphql: operation id → operation name; JSON-RPC: request id → method. Bounded. */
  operations: Map<string, string>;
  mqttVersion?: 3 | 4 | 5;
}

interface Base {
  /** One line for a message list. */
  summary: string;
  ok: boolean;
  error?: string;
  size: number;
  raw: string | Uint8Array;
}

export type EngineIoType = 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop';
export type SocketIoType = 'CONNECT' | 'DISCONNECT' | 'EVENT' | 'ACK' | 'CONNECT_ERROR' | 'BINARY_EVENT' | 'BINARY_ACK';

export interface SocketIoMessage extends Base {
  protocol: 'socket.io';
  engine: EngineIoType;
  /** Engine.IO payload that is not a Socket.IO packet (open handshake, `probe`, plain message). */
  engineData?: string;
  open?: JsonNode;
  packet?: SocketIoType;
  namespace?: string;
  ackId?: number;
  event?: string;
  args?: JsonNode[];
  /** CONNECT / CONNECT_ERROR payload. */
  data?: JsonNode;
  /** BINARY_*: attachments announced, and `{_placeholder: true, num}` objects found in the payload. */
  attachments?: number;
  placeholders?: number;
  /** A binary frame carrying attachment `index` (0-based) of a preceding BINARY_EVENT/ACK. */
  attachment?: { index: number; total: number; event?: string; preview: HexPreview };
}

export interface GraphqlMessage extends Base {
  protocol: 'graphql-ws' | 'graphql-transport-ws';
  type: string;
  id?: string;
  operationName?: string;
  operationType?: 'query' | 'mutation' | 'subscription';
  query?: string;
  variables?: JsonNode;
  payload?: JsonNode;
}

export interface StompFrame {
  /** Empty for a heart-beat (a lone EOL). */
  command: string;
  headers: Array<[string, string]>;
  body: string;
  bodyJson?: JsonNode;
  bodyPreview?: HexPreview;
  bodyBytes: number;
  heartbeat?: true;
}

export interface StompMessage extends Base {
  protocol: 'stomp';
  frames: StompFrame[];
}

export interface JsonRpcItem {
  kind: 'request' | 'notification' | 'response' | 'error' | 'invalid';
  id?: string;
  method?: string;
  params?: JsonNode;
  result?: JsonNode;
  error?: { code?: number; message?: string; data?: JsonNode; meaning?: string };
  /** Why an item is `invalid`, or a protocol remark (`jsonrpc` missing…). */
  problem?: string;
}

export interface JsonRpcMessage extends Base {
  protocol: 'json-rpc';
  batch: boolean;
  items: JsonRpcItem[];
}

export interface MqttPacket {
  type: string;
  /** Fixed-header flags (low nibble). */
  flags: number;
  length: number;
  fields: Record<string, string | number | boolean | string[] | Array<{ topic: string; qos: number }> | number[]>;
  payload?: { text?: string; json?: JsonNode; preview?: HexPreview; bytes: number };
  error?: string;
}

export interface MqttMessage extends Base {
  protocol: 'mqtt';
  packets: MqttPacket[];
}

export interface JsonWsMessage extends Base {
  protocol: 'json';
  json: JsonNode;
}

export interface TextWsMessage extends Base {
  protocol: 'text';
  text: string;
}

export interface BinaryWsMessage extends Base {
  protocol: 'binary';
  mime?: string;
  label?: string;
  preview: HexPreview;
  /** Base64 of the first `WS_BASE64_BYTES` bytes. */
  base64: string;
  base64Truncated: boolean;
}

export type WsDecoded =
  | SocketIoMessage
  | GraphqlMessage
  | StompMessage
  | JsonRpcMessage
  | MqttMessage
  | JsonWsMessage
  | TextWsMessage
  | BinaryWsMessage;
