/**
 * Synthetic panel input, as one plain-JavaScript source so the same generator runs in Node (the
 * store bench) and inside the panel page (the browser bench) without shipping records over CDP.
 *
 * `records(seq0, from, n)`: the records of `n` exchanges numbered `from…`: same-origin fetches
 * (page start/end, wire send/completed, wire first for every other one), every 10th a
 * cross-origin PUT with its preflight (every other one blocked), every 50th a long poll.
 * `wsRecords(seq0, n)`: a WebSocket entry with `n` messages (JSON, both directions).
 */
export const SYNTHETIC_JS = String.raw`
function records(seq0, from, n) {
  var out = [];
  var seq = seq0;
  var page = function (ev) { out.push({ seq: ++seq, tabId: 1, frameId: 0, doc: 'bench', frameUrl: 'http://a.test/', ev: ev }); };
  var net = function (ev) {
    ev.type = 'wire'; ev.frameId = 0; if (!ev.method) ev.method = 'GET'; if (!ev.resourceType) ev.resourceType = 'xmlhttprequest';
    out.push({ seq: ++seq, tabId: 1, frameId: 0, ev: ev });
  };
  for (var i = from; i < from + n; i++) {
    var t = 1.7e12 + i * 10;
    var id = 'f' + i;
    if (i % 50 === 7) {
      page({ type: 'start', id: id, t: t, kind: 'fetch', method: 'GET', url: 'http://a.test/poll?ts=' + (1e6 + i), headers: [] });
      page({ type: 'end', id: id, t: t + 1500, outcome: 'ok' });
    } else if (i % 10 === 3) {
      var url = 'http://b.test/api/items/' + i;
      var allowed = i % 20 === 3;
      page({ type: 'start', id: id, t: t, kind: 'fetch', method: 'PUT', url: url, headers: [['Content-Type', 'application/json'], ['X-Request-Id', String(i)]] });
      net({ phase: 'send', requestId: 'p' + i, method: 'OPTIONS', url: url, t: t + 1, requestHeaders: [['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', 'content-type,x-request-id'], ['Origin', 'http://a.test']] });
      net({ phase: 'headers', requestId: 'p' + i, method: 'OPTIONS', url: url, t: t + 2, statusCode: 204, statusLine: 'HTTP/1.1 204 No Content',
        responseHeaders: allowed ? [['Access-Control-Allow-Origin', 'http://a.test'], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'content-type,x-request-id']] : [['Access-Control-Allow-Origin', 'http://a.test']] });
      if (allowed) {
        net({ phase: 'send', requestId: 'r' + i, method: 'PUT', url: url, t: t + 3, requestHeaders: [['Origin', 'http://a.test'], ['Content-Type', 'application/json']] });
        net({ phase: 'completed', requestId: 'r' + i, method: 'PUT', url: url, t: t + 5, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', responseHeaders: [['Access-Control-Allow-Origin', 'http://a.test'], ['Content-Type', 'application/json']] });
        page({ type: 'response', id: id, t: t + 5, status: 200, statusText: 'OK', headers: [['content-type', 'application/json']] });
        page({ type: 'end', id: id, t: t + 6, outcome: 'ok' });
      } else {
        page({ type: 'end', id: id, t: t + 6, outcome: 'error', error: 'TypeError: Failed to fetch' });
      }
    } else {
      var u = 'http://a.test/api/items?i=' + i;
      var start = { type: 'start', id: id, t: t, kind: 'fetch', method: 'GET', url: u, headers: [['Accept', 'application/json']] };
      var send = { phase: 'send', requestId: 'r' + i, url: u, t: t + 1, requestHeaders: [['Accept', 'application/json'], ['User-Agent', 'bench']] };
      if (i % 2) { net(send); page(start); } else { page(start); net(send); }
      net({ phase: 'completed', requestId: 'r' + i, url: u, t: t + 3, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', responseHeaders: [['Content-Type', 'application/json'], ['Content-Length', '17']] });
      page({ type: 'response', id: id, t: t + 3, status: 200, statusText: 'OK', headers: [['content-type', 'application/json']] });
      page({ type: 'body', id: id, t: t + 4, which: 'response', body: { encoding: 'text', data: '{"id":' + i + ',"ok":true}', size: 20, truncated: false, mimeType: 'application/json' } });
      page({ type: 'end', id: id, t: t + 4, outcome: 'ok' });
    }
  }
  return out;
}
function wsRecords(seq0, from, n) {
  var out = [];
  var seq = seq0;
  var rec = function (ev) { out.push({ seq: ++seq, tabId: 1, frameId: 0, doc: 'bench', frameUrl: 'http://a.test/', ev: ev }); };
  if (from === 0) {
    rec({ type: 'start', id: 'ws', t: 1.7e12, kind: 'websocket', method: 'GET', url: 'ws://a.test/quotes', headers: [] });
    rec({ type: 'step', id: 'ws', t: 1.7e12 + 1, step: 'open' });
  }
  for (var i = from; i < from + n; i++) {
    var data = i % 10 === 0 ? '{"op":"subscribe","symbol":"S' + (i % 97) + '"}' : '{"symbol":"S' + (i % 97) + '","price":' + (100 + (i % 1000) / 10) + ',"seq":' + i + '}';
    rec({ type: 'message', id: 'ws', t: 1.7e12 + 2 + i / 100, dir: i % 10 === 0 ? 'send' : 'receive', data: { encoding: 'text', data: data, size: data.length, truncated: false } });
  }
  return out;
}
`;

type Rec = import('../src/shared/protocol').TabRecord;
const api = new Function(`${SYNTHETIC_JS}; return { records: records, wsRecords: wsRecords };`)() as {
  records(seq0: number, from: number, n: number): Rec[];
  wsRecords(seq0: number, from: number, n: number): Rec[];
};
export const syntheticRecords = api.records;
export const syntheticWsRecords = api.wsRecords;

/** A Chrome-style HAR (JSON text) of `n` small fetches: what a user imports from another tool. */
export function chromeStyleHar(n: number): string {
  const entries = Array.from({ length: n }, (_, i) => ({
    startedDateTime: new Date(1.7e12 + i * 10).toISOString(),
    time: 3,
    request: { method: 'GET', url: `http://a.test/api/items?i=${i}`, httpVersion: 'HTTP/1.1', headers: [{ name: 'Accept', value: 'application/json' }], queryString: [{ name: 'i', value: String(i) }], cookies: [], headersSize: -1, bodySize: 0 },
    response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: 'application/json' }], cookies: [], content: { size: 17, mimeType: 'application/json', text: `{"id":${i},"ok":1}` }, redirectURL: '', headersSize: -1, bodySize: 17 },
    cache: {},
    timings: { send: 0, wait: 2, receive: 1 },
    _resourceType: 'fetch',
  }));
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, pages: [], entries } });
}
