import { describe, expect, it } from 'vitest';
import { closeCodeInfo } from '../../../src/shared/decode/close-codes';
import { jsonToPlain } from '../../../src/shared/decode/json-tree';
import { createWsState, decodeWsMessage, detectWsProtocol } from '../../../src/shared/decode/websocket';
import type { JsonNode } from '../../../src/shared/decode/json';

const enc = new TextEncoder();
const plain = (nodes: JsonNode[] | undefined) => nodes?.map((n) => jsonToPlain(n));

describe('closeCodeInfo', () => {
  it.each([
    [1000, 'Normal Closure', 'standard', true, true],
    [1001, 'Going Away', 'standard', true, false],
    [1004, 'Reserved', 'reserved', false, false],
    [1005, 'No Status Rcvd', 'reserved', false, false],
    [1006, 'Abnormal Closure', 'reserved', false, false],
    [1011, 'Internal Error', 'standard', true, false],
    [1014, 'Bad Gateway', 'standard', true, false],
    [1015, 'TLS handshake', 'reserved', false, false],
    [1016, 'Unassigned', 'invalid', false, false],
    [2999, 'Unassigned', 'invalid', false, false],
    [3000, 'Unauthorized', 'iana-registered', true, true],
    [3333, 'Library/framework code', 'iana-registered', true, true],
    [4000, 'Application code', 'private', true, true],
    [4999, 'Application code', 'private', true, true],
    [0, 'Unused', 'unused', false, false],
    [999, 'Unused', 'unused', false, false],
    [5000, 'Invalid', 'invalid', false, false],
    [-1, 'Invalid', 'invalid', false, false],
  ])('%i → %s', (code, name, range, sendable, allowedFromScript) => {
    expect(closeCodeInfo(code)).toMatchObject({ code, name, range, sendable, allowedFromScript });
  });

  it('meanings: reserved codes say they are never sent; ranges say who defines them', () => {
    expect(closeCodeInfo(1006).meaning).toContain('never sent in a close frame');
    expect(closeCodeInfo(1005).meaning).toContain('never sent in a close frame');
    expect(closeCodeInfo(3999).meaning).toBe('registered (IANA) for libraries/frameworks; this code has no registered name');
    expect(closeCodeInfo(4123).meaning).toBe('application-defined (private)');
    expect(closeCodeInfo(4409, 'graphql-transport-ws')).toMatchObject({ name: 'Subscriber for this id already exists', range: 'private' });
  });
});

describe('Socket.IO v5 / Engine.IO v4', () => {
  it('handshake, ping/pong, probe', () => {
    const state = createWsState();
    const open = decodeWsMessage({ data: '0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' }, state);
    expect(open).toMatchObject({ protocol: 'socket.io', engine: 'open', summary: 'open sid=lv_VI97HAXpY6yYWAAAC ping 25000/20000 ms', ok: true });
    expect(state.protocol).toBe('socket.io');
    expect(decodeWsMessage({ data: '2' }, state)).toMatchObject({ engine: 'ping', summary: 'ping' });
    expect(decodeWsMessage({ data: '3' }, state)).toMatchObject({ engine: 'pong', summary: 'pong' });
    expect(decodeWsMessage({ data: '2probe' }, state)).toMatchObject({ engine: 'ping', engineData: 'probe', summary: 'ping probe' });
    expect(decodeWsMessage({ data: '5' }, state)).toMatchObject({ engine: 'upgrade' });
    expect(decodeWsMessage({ data: '6' }, state)).toMatchObject({ engine: 'noop' });
    expect(decodeWsMessage({ data: '1' }, state)).toMatchObject({ engine: 'close' });
  });

  it('CONNECT, EVENT with ack id and namespace, ACK, CONNECT_ERROR, DISCONNECT', () => {
    const url = 'wss://example.com/socket.io/?EIO=4&transport=websocket';
    const d = (data: string) => decodeWsMessage({ data, url });
    expect(d('40')).toMatchObject({ packet: 'CONNECT', namespace: '/', summary: 'CONNECT' });
    expect(d('40/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}')).toMatchObject({ packet: 'CONNECT', namespace: '/admin', summary: 'CONNECT /admin {"sid":"oSO0OpakMV_3jnilAAAA"}' });
    const ev = d('42/chat,13["message",{"text":"hi"},2]');
    expect(ev).toMatchObject({ protocol: 'socket.io', engine: 'message', packet: 'EVENT', namespace: '/chat', ackId: 13, event: 'message', ok: true });
    expect(ev.protocol === 'socket.io' && plain(ev.args)).toEqual([{ text: 'hi' }, 2]);
    expect(ev.summary).toBe('EVENT "message" /chat ack 13 [{"text":"hi"},2]');
    const ack = d('4313["ok"]');
    expect(ack).toMatchObject({ packet: 'ACK', ackId: 13, summary: 'ACK ack 13 ["ok"]' });
    expect(d('44{"message":"Not authorized","data":{"code":401}}')).toMatchObject({ packet: 'CONNECT_ERROR', summary: 'CONNECT_ERROR "Not authorized"' });
    expect(d('41/admin,')).toMatchObject({ packet: 'DISCONNECT', namespace: '/admin', summary: 'DISCONNECT /admin' });
  });

  it('BINARY_EVENT: attachments, placeholders, and the binary frames that follow', () => {
    const state = createWsState();
    const ev = decodeWsMessage({ data: '452-["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]' }, state);
    expect(ev).toMatchObject({ packet: 'BINARY_EVENT', event: 'upload', attachments: 2, placeholders: 2, summary: expect.stringMatching(/^BINARY_EVENT "upload" .* \(2 attachments\)$/) });
    const first = decodeWsMessage({ data: new Uint8Array([1, 2, 3]) }, state);
    expect(first).toMatchObject({ protocol: 'socket.io', attachment: { index: 0, total: 2, event: 'upload' }, summary: 'attachment 1/2 of "upload" (3 bytes)' });
    expect(decodeWsMessage({ data: new Uint8Array([4]) }, state)).toMatchObject({ attachment: { index: 1, total: 2 } });
    expect(decodeWsMessage({ data: new Uint8Array([5]) }, state)).toMatchObject({ summary: 'binary message (1 bytes)' });
    expect(decodeWsMessage({ data: '461-3[{"_placeholder":true,"num":0}]' }, state)).toMatchObject({ packet: 'BINARY_ACK', ackId: 3, attachments: 1, placeholders: 1 });
  });

  it('malformed packets are errors with the raw text', () => {
    const state = createWsState();
    state.protocol = 'socket.io';
    expect(decodeWsMessage({ data: '42{"not":"array"}' }, state)).toMatchObject({ ok: false, error: 'could not decode: EVENT payload must be an array', raw: '42{"not":"array"}' });
    expect(decodeWsMessage({ data: '42[1' }, state)).toMatchObject({ ok: false, error: expect.stringContaining('could not decode: unexpected end of input') });
    expect(decodeWsMessage({ data: 'x' }, state)).toMatchObject({ ok: false, error: 'could not decode: not an Engine.IO packet (no type digit 0–6)' });
    expect(decodeWsMessage({ data: '45["x"]' }, state)).toMatchObject({ ok: false, error: 'could not decode: binary packet without an attachment count' });
  });
});

describe('GraphQL over WebSocket', () => {
  it('graphql-transport-ws: init/ack, subscribe with operation, next/complete named by id, ping/pong', () => {
    const state = createWsState();
    const m = (data: string) => decodeWsMessage({ data, protocol: 'graphql-transport-ws' }, state);
    expect(m('{"type":"connection_init","payload":{"token":"x"}}')).toMatchObject({ protocol: 'graphql-transport-ws', type: 'connection_init', summary: 'connection_init', ok: true });
    expect(m('{"type":"connection_ack"}')).toMatchObject({ type: 'connection_ack' });
    const sub = m('{"id":"1","type":"subscribe","payload":{"query":"subscription OnComment($id: ID!) { commentAdded(id: $id) { text } }","variables":{"id":"7"}}}');
    expect(sub).toMatchObject({ type: 'subscribe', id: '1', operationName: 'OnComment', operationType: 'subscription', summary: 'subscribe #1 OnComment (subscription)' });
    expect(sub.protocol === 'graphql-transport-ws' && sub.variables && jsonToPlain(sub.variables)).toEqual({ id: '7' });
    expect(m('{"id":"1","type":"next","payload":{"data":{"commentAdded":{"text":"hi"}}}}')).toMatchObject({ summary: 'next #1 OnComment {"data":{"commentAdded":{"text":"hi"}}}' });
    expect(m('{"id":"1","type":"complete"}')).toMatchObject({ summary: 'complete #1 OnComment' });
    expect(m('{"type":"ping"}')).toMatchObject({ type: 'ping', ok: true });
    expect(m('{"type":"pong"}')).toMatchObject({ type: 'pong', ok: true });
    expect(m('{"id":"2","type":"error","payload":[{"message":"boom"}]}')).toMatchObject({ type: 'error', summary: 'error #2 [{"message":"boom"}]' });
    expect(m('{"type":"start"}')).toMatchObject({ ok: false, error: 'could not decode: "start" is not a graphql-transport-ws message type' });
  });

  it('legacy graphql-ws (subscriptions-transport-ws): start/data/stop/ka, operationName from payload', () => {
    const state = createWsState();
    const m = (data: string) => decodeWsMessage({ data, protocol: 'graphql-ws' }, state);
    expect(m('{"id":"a","type":"start","payload":{"query":"query Q { me { id } }","operationName":"Me"}}')).toMatchObject({
      protocol: 'graphql-ws',
      operationName: 'Me',
      operationType: 'query',
      summary: 'start #a Me (query)',
    });
    expect(m('{"id":"a","type":"data","payload":{"data":{"me":{"id":1}}}}')).toMatchObject({ summary: 'data #a Me {"data":{"me":{"id":1}}}' });
    expect(m('{"type":"ka"}')).toMatchObject({ type: 'ka', ok: true });
    expect(m('{"id":"a","type":"stop"}')).toMatchObject({ type: 'stop', summary: 'stop #a Me' });
    expect(m('not json')).toMatchObject({ ok: false, error: 'could not decode: unexpected "n" at line 1, column 1', raw: 'not json' });
  });
});

describe('STOMP 1.2', () => {
  it('CONNECT (no escaping), SEND with JSON body, MESSAGE with content-length and NUL in the body', () => {
    expect(decodeWsMessage({ data: 'CONNECT\naccept-version:1.2\nhost:mq.example\nheart-beat:10000,10000\npasscode:a\\cb\n\n\u0000', protocol: 'v12.stomp' })).toMatchObject({
      protocol: 'stomp',
      ok: true,
      frames: [{ command: 'CONNECT', headers: [['accept-version', '1.2'], ['host', 'mq.example'], ['heart-beat', '10000,10000'], ['passcode', 'a\\cb']] }],
      summary: 'CONNECT mq.example versions 1.2 heart-beat 10000,10000',
    });
    const send = decodeWsMessage({ data: 'SEND\r\ndestination:/queue/a\r\ncontent-type:application/json\r\nx-note:a\\cb\\nc\r\n\r\n{"n":1}\u0000\n\n', protocol: 'v12.stomp' });
    expect(send).toMatchObject({ ok: true, frames: [{ command: 'SEND', headers: [['destination', '/queue/a'], ['content-type', 'application/json'], ['x-note', 'a:b\nc']], body: '{"n":1}', bodyBytes: 7 }] });
    expect(send.summary).toBe('SEND /queue/a {"n":1}');
    const bin = decodeWsMessage({ data: new Uint8Array([...enc.encode('MESSAGE\ndestination:/topic/x\nsubscription:0\ncontent-length:3\n\n'), 1, 0, 2, 0]) }, undefined);
    expect(bin).toMatchObject({ protocol: 'stomp', ok: true, frames: [{ command: 'MESSAGE', bodyBytes: 3, bodyPreview: { shown: 3 } }], summary: 'MESSAGE /topic/x #0 (3 bytes)' });
  });

  it('heart-beats, several frames, missing NUL, bad escapes', () => {
    expect(decodeWsMessage({ data: '\n', protocol: 'v12.stomp' })).toMatchObject({ ok: true, frames: [{ heartbeat: true }], summary: 'heart-beat' });
    expect(decodeWsMessage({ data: 'RECEIPT\nreceipt-id:77\n\n\u0000\nERROR\nmessage:bad\n\noops\u0000', protocol: 'v12.stomp' })).toMatchObject({
      frames: [{ command: 'RECEIPT' }, { command: 'ERROR', body: 'oops' }],
      summary: 'RECEIPT #77 · ERROR "bad" "oops"',
    });
    expect(decodeWsMessage({ data: 'SEND\ndestination:/q\n\nbody', protocol: 'v12.stomp' })).toMatchObject({ ok: false, error: 'could not decode: frame not terminated by NUL', frames: [{ body: 'body' }] });
    expect(decodeWsMessage({ data: 'SEND\nx:a\\tb\n\n\u0000', protocol: 'v12.stomp' })).toMatchObject({ ok: false, error: 'could not decode: undefined escape sequence in header "x"' });
    expect(decodeWsMessage({ data: 'HELLO\n\n\u0000', protocol: 'v12.stomp' })).toMatchObject({ ok: false, error: 'could not decode: unknown command "HELLO"' });
  });
});

describe('JSON-RPC 2.0', () => {
  it('request, response named by the request, notification, error with meaning, batch', () => {
    const state = createWsState();
    const m = (data: string) => decodeWsMessage({ data }, state);
    expect(m('{"jsonrpc":"2.0","method":"eth_subscribe","params":["newHeads"],"id":1}')).toMatchObject({
      protocol: 'json-rpc',
      batch: false,
      items: [{ kind: 'request', id: '1', method: 'eth_subscribe' }],
      summary: 'request eth_subscribe #1 ["newHeads"]',
    });
    expect(m('{"jsonrpc":"2.0","result":"0x9ce5","id":1}')).toMatchObject({ items: [{ kind: 'response', id: '1', method: 'eth_subscribe' }], summary: 'result #1 (eth_subscribe) "0x9ce5"' });
    expect(m('{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0x9ce5"}}')).toMatchObject({ items: [{ kind: 'notification', method: 'eth_subscription' }] });
    expect(m('{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":"x"}')).toMatchObject({
      items: [{ kind: 'error', id: 'x', error: { code: -32601, message: 'Method not found', meaning: 'Method not found' } }],
      summary: 'error #x -32601 Method not found',
    });
    const batch = m('[{"jsonrpc":"2.0","method":"a","id":2},{"jsonrpc":"2.0","method":"b"},{"foo":1}]');
    expect(batch).toMatchObject({ batch: true, ok: false, error: 'could not decode: neither "method", "result" nor "error"', items: [{ kind: 'request' }, { kind: 'notification' }, { kind: 'invalid' }] });
    expect(batch.summary).toBe('batch of 3: request a #2, notification b, invalid (neither "method", "result" nor "error")');
  });
});

describe('MQTT over WebSocket', () => {
  const str = (s: string) => [0, s.length, ...enc.encode(s)];
  const packet = (first: number, body: number[]) => [first, body.length, ...body];

  it('CONNECT, CONNACK, SUBSCRIBE, SUBACK, PUBLISH (text, JSON), PINGREQ/RESP, DISCONNECT', () => {
    const state = createWsState();
    const m = (bytes: number[]) => decodeWsMessage({ data: new Uint8Array(bytes), protocol: 'mqtt' }, state);
    const connect = m(packet(0x10, [...str('MQTT'), 4, 0xc2, 0, 60, ...str('client-1'), ...str('user'), ...str('secret')]));
    expect(connect).toMatchObject({
      protocol: 'mqtt',
      ok: true,
      packets: [{ type: 'CONNECT', fields: { protocolName: 'MQTT', version: '3.1.1', cleanStart: true, keepAlive: 60, clientId: 'client-1', username: 'user', passwordBytes: 6 } }],
      summary: 'CONNECT client-1 MQTT 3.1.1 keep-alive 60s',
    });
    expect(JSON.stringify(connect.protocol === 'mqtt' && connect.packets)).not.toContain('secret');
    expect(m(packet(0x20, [0, 0]))).toMatchObject({ packets: [{ type: 'CONNACK', fields: { sessionPresent: false, returnCode: 0, reason: 'accepted' } }], summary: 'CONNACK accepted' });
    expect(m(packet(0x82, [0, 1, ...str('a/b'), 1, ...str('c/#'), 0]))).toMatchObject({ summary: 'SUBSCRIBE #1 a/b (qos 1), c/# (qos 0)' });
    expect(m(packet(0x90, [0, 1, 1, 0x80]))).toMatchObject({ summary: 'SUBACK #1 granted qos 1, failure 0x80' });
    const pub = m(packet(0x33, [...str('sensors/t'), 0, 12, ...enc.encode('{"t":21.5}')]));
    expect(pub).toMatchObject({ packets: [{ type: 'PUBLISH', fields: { qos: 1, retain: true, dup: false, topic: 'sensors/t', packetId: 12 }, payload: { bytes: 10, text: '{"t":21.5}' } }] });
    expect(pub.summary).toBe('PUBLISH sensors/t qos1 retain #12 {"t":21.5}');
    const two = m([...packet(0xc0, []), ...packet(0xd0, []), ...packet(0xe0, [])]);
    expect(two).toMatchObject({ packets: [{ type: 'PINGREQ' }, { type: 'PINGRESP' }, { type: 'DISCONNECT' }], summary: 'PINGREQ · PINGRESP · DISCONNECT' });
  });

  it('MQTT 5: properties skipped, reason codes named; binary payloads previewed', () => {
    const state = createWsState();
    const m = (bytes: number[]) => decodeWsMessage({ data: new Uint8Array(bytes), protocol: 'mqtt' }, state);
    m(packet(0x10, [...str('MQTT'), 5, 0x02, 0, 30, 0, ...str('c5')]));
    expect(state.mqttVersion).toBe(5);
    expect(m(packet(0x20, [1, 0x87, 0]))).toMatchObject({ packets: [{ fields: { sessionPresent: true, reason: 'not authorized' } }] });
    expect(m(packet(0x30, [...str('bin'), 2, 0x01, 0x00, 0xff, 0x00, 0x01]))).toMatchObject({ packets: [{ fields: { topic: 'bin', propertiesLength: 2 }, payload: { bytes: 3, preview: { shown: 3 } } }] });
  });

  it('malformed: remaining length beyond the frame, bad varint, text frame', () => {
    expect(decodeWsMessage({ data: new Uint8Array([0x30, 10, 0, 1]), protocol: 'mqtt' })).toMatchObject({ ok: false, error: 'could not decode: PUBLISH packet truncated (packet needs 10 bytes, frame has 2)' });
    expect(decodeWsMessage({ data: new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), protocol: 'mqtt' })).toMatchObject({ ok: false, error: 'could not decode: malformed variable byte integer in the fixed header' });
    expect(decodeWsMessage({ data: 'hello', protocol: 'mqtt' })).toMatchObject({ ok: false, error: 'could not decode: MQTT over WebSocket uses binary frames, got text' });
  });
});

describe('whole results', () => {
  const n = (value: number) => ({ type: 'number', value });
  const s = (value: string) => ({ type: 'string', value });

  it('Socket.IO EVENT', () => {
    const data = '42["chat",{"text":"hi"},7]';
    expect(decodeWsMessage({ data, url: 'ws://h/socket.io/?EIO=4&transport=websocket' })).toEqual({
      protocol: 'socket.io',
      ok: true,
      size: 26,
      raw: data,
      engine: 'message',
      packet: 'EVENT',
      namespace: '/',
      event: 'chat',
      args: [{ type: 'object', entries: [{ key: 'text', value: s('hi') }] }, n(7)],
      summary: 'EVENT "chat" [{"text":"hi"},7]',
    });
  });

  it('graphql-transport-ws subscribe', () => {
    const data = '{"id":"9","type":"subscribe","payload":{"query":"subscription { ticks }"}}';
    expect(decodeWsMessage({ data, protocol: 'graphql-transport-ws' })).toEqual({
      protocol: 'graphql-transport-ws',
      type: 'subscribe',
      id: '9',
      payload: { type: 'object', entries: [{ key: 'query', value: s('subscription { ticks }') }] },
      query: 'subscription { ticks }',
      operationType: 'subscription',
      summary: 'subscribe #9 (subscription)',
      ok: true,
      size: data.length,
      raw: data,
    });
  });

  it('STOMP SEND', () => {
    const data = 'SEND\ndestination:/queue/a\n\nhello\u0000';
    expect(decodeWsMessage({ data, protocol: 'v12.stomp' })).toEqual({
      protocol: 'stomp',
      frames: [{ command: 'SEND', headers: [['destination', '/queue/a']], body: 'hello', bodyBytes: 5 }],
      summary: 'SEND /queue/a "hello"',
      ok: true,
      size: 33,
      raw: data,
    });
  });

  it('JSON-RPC notification', () => {
    const data = '{"jsonrpc":"2.0","method":"tick","params":[1]}';
    expect(decodeWsMessage({ data })).toEqual({
      protocol: 'json-rpc',
      batch: false,
      items: [{ kind: 'notification', method: 'tick', params: { type: 'array', items: [n(1)] } }],
      summary: 'notification tick [1]',
      ok: true,
      size: data.length,
      raw: data,
    });
  });

  it('MQTT PUBLISH qos 0', () => {
    const data = new Uint8Array([0x30, 7, 0, 2, 0x61, 0x2f, 0x68, 0x69, 0x21]);
    expect(decodeWsMessage({ data, protocol: 'mqtt' })).toEqual({
      protocol: 'mqtt',
      packets: [{ type: 'PUBLISH', flags: 0, length: 7, fields: { qos: 0, retain: false, dup: false, topic: 'a/' }, payload: { bytes: 3, text: 'hi!' } }],
      summary: 'PUBLISH a/ qos0 "hi!"',
      ok: true,
      size: 9,
      raw: data,
    });
  });
});

describe('generic messages and detection', () => {
  it('JSON, text and binary views', () => {
    expect(decodeWsMessage({ data: '{"op":"hello","n":12345678901234567890}' })).toMatchObject({ protocol: 'json', summary: '{"op":"hello","n":12345678901234567890}' });
    expect(decodeWsMessage({ data: 'hello\nworld' })).toEqual({ protocol: 'text', text: 'hello\nworld', summary: 'hello ⏎ world', ok: true, size: 11, raw: 'hello\nworld' });
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(decodeWsMessage({ data: bytes })).toEqual({
      protocol: 'binary',
      summary: 'binary 8 bytes (PNG image)',
      ok: true,
      size: 8,
      raw: bytes,
      mime: 'image/png',
      label: 'PNG image',
      preview: { dump: '00000000  89 50 4e 47 0d 0a 1a 0a                           |.PNG....|', shown: 8, total: 8, truncated: false },
      base64: 'iVBORw0KGgo=',
      base64Truncated: false,
    });
  });

  it('detectWsProtocol: negotiated name, URL, then messages', () => {
    expect(detectWsProtocol([], { protocol: 'graphql-ws' })).toBe('graphql-ws');
    expect(detectWsProtocol([], { protocol: 'v12.stomp, v11.stomp'.split(',')[0] })).toBe('stomp');
    expect(detectWsProtocol([], { url: 'ws://h/socket.io/?EIO=4&transport=websocket' })).toBe('socket.io');
    expect(detectWsProtocol([{ data: '0{"sid":"x","upgrades":[]}' }, { data: '40' }])).toBe('socket.io');
    expect(detectWsProtocol([{ data: '{"type":"connection_init"}' }, { data: '{"type":"connection_ack"}' }])).toBe('graphql-transport-ws');
    expect(detectWsProtocol([{ data: '{"type":"connection_init"}' }, { data: '{"id":"1","type":"start","payload":{}}' }])).toBe('graphql-ws');
    expect(detectWsProtocol([{ data: '{"jsonrpc":"2.0","method":"x","id":1}' }])).toBe('json-rpc');
    expect(detectWsProtocol([{ data: 'CONNECTED\nversion:1.2\n\n\u0000' }])).toBe('stomp');
    expect(detectWsProtocol([{ data: new Uint8Array([0x10, 12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 0]) }])).toBe('mqtt');
    expect(detectWsProtocol([{ data: '{"type":"ping"}' }, { data: '{"a":1}' }])).toBe('json');
    expect(detectWsProtocol([{ data: 'hi' }, { data: 'there' }])).toBe('text');
    expect(detectWsProtocol([{ data: new Uint8Array([1]) }])).toBe('binary');
  });

  it('an app protocol with {"type":"ping"} is not taken for GraphQL', () => {
    expect(decodeWsMessage({ data: '{"type":"ping"}' })).toMatchObject({ protocol: 'json' });
  });
});
