/**
 * The local server behind the demo site and the tests: the same handlers on two ports (two
 * origins, for CORS), static pages, JSON/echo APIs, SSE, NDJSON, JSONP, uploads and WebSocket.
 * CORS response headers are set from query parameters (`acao`, `acac`, `acam`, `acah`, `aceh`,
 * `maxAge`, `pfStatus`) so one endpoint serves every CORS scenario.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { WebSocketServer } from 'ws';
import { handleUpload } from './upload-server';

export interface Origins {
  a: string;
  b: string;
  ports: [number, number];
  close(): Promise<void>;
  /** Requests seen, newest last (for tests). */
  log: { method: string; url: string; origin?: string; headers: Record<string, string | string[] | undefined> }[];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function corsHeaders(url: URL, res: ServerResponse, preflight: boolean) {
  const q = url.searchParams;
  // `pf_<name>` overrides for the preflight alone; the value `__none__` leaves the header out.
  const pick = (name: string) => {
    const v = preflight ? (q.get(`pf_${name}`) ?? q.get(name)) : q.get(name);
    return v === '__none__' ? null : v;
  };
  const acao = pick('acao');
  if (acao !== null) res.setHeader('Access-Control-Allow-Origin', acao);
  const acac = pick('acac');
  if (acac !== null) res.setHeader('Access-Control-Allow-Credentials', acac);
  if (preflight) {
    const acam = pick('acam');
    if (acam !== null) res.setHeader('Access-Control-Allow-Methods', acam);
    const acah = pick('acah');
    if (acah !== null) res.setHeader('Access-Control-Allow-Headers', acah);
    const maxAge = pick('maxAge');
    if (maxAge !== null) res.setHeader('Access-Control-Max-Age', maxAge);
  } else {
    const aceh = pick('aceh');
    if (aceh !== null) res.setHeader('Access-Control-Expose-Headers', aceh);
  }
}

function json(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Netlens-Fixture': 'yes', ...extra });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse, staticDirs: string[], origins: () => Origins) {
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const path = url.pathname;
  const q = url.searchParams;
  origins().log.push({ method: req.method ?? '', url: url.href, origin: req.headers.origin, headers: req.headers });
  const isPreflight = req.method === 'OPTIONS' && !!req.headers['access-control-request-method'];
  if (path.startsWith('/api/') || path.startsWith('/cors')) corsHeaders(url, res, isPreflight);
  if (isPreflight) {
    res.writeHead(Number(q.get('pfStatus') ?? 204));
    res.end();
    return;
  }
  const delay = Number(q.get('delay') ?? 0);
  if (delay) await new Promise((r) => setTimeout(r, delay));

  if (path.startsWith('/api/upload/') && (await handleUpload(req, res, url))) return;
  if (path === '/api/echo' || path === '/cors') {
    const body = await readBody(req);
    const status = Number(q.get('status') ?? 200);
    json(res, status, { method: req.method, path, query: Object.fromEntries(q), headers: req.headers, body: body.toString('utf8'), size: body.length }, { 'X-Secret-Header': 'hidden-unless-exposed', 'Cache-Control': 'no-store' });
    return;
  }
  if (path === '/api/items') {
    json(res, 200, { items: [{ id: 1, name: 'lens' }, { id: 2, name: 'prism' }], big: 12345678901234567890n.toString() });
    return;
  }
  if (path === '/api/redirect') {
    res.writeHead(Number(q.get('code') ?? 302), { Location: q.get('to') ?? '/api/echo' });
    res.end();
    return;
  }
  if (path === '/api/status') {
    res.writeHead(Number(q.get('code') ?? 500), { 'Content-Type': 'text/plain' });
    res.end(`status ${q.get('code') ?? 500}`);
    return;
  }
  if (path === '/api/bytes') {
    const n = Number(q.get('n') ?? 1024);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(n) });
    const chunk = Buffer.alloc(Math.min(n, 65536), 0x61);
    let left = n;
    const pump = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(left, chunk.length));
        left -= part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
    return;
  }
  if (path === '/api/upload') {
    const body = await readBody(req);
    json(res, 200, { received: body.length, contentType: req.headers['content-type'] });
    return;
  }
  if (path === '/api/hang') {
    req.on('close', () => res.end());
    return; // Never answers: for timeouts and aborts.
  }
  if (path === '/api/drop') {
    req.socket.destroy(); // A network error.
    return;
  }
  if (path === '/sse' || path === '/api/sse') {
    sse(req, res, q);
    return;
  }
  if (path === '/api/ndjson') {
    const n = Number(q.get('n') ?? 5);
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
    let i = 0;
    const timer = setInterval(() => {
      res.write(`${JSON.stringify({ i, token: `tok${i}` })}\n`);
      if (++i >= n) {
        clearInterval(timer);
        res.end();
      }
    }, Number(q.get('every') ?? 20));
    req.on('close', () => clearInterval(timer));
    return;
  }
  if (path === '/api/jsonp' || path === '/jsonp') {
    const param = ['callback', 'cb', 'jsonp', 'jsoncallback'].find((p) => q.has(p));
    const name = param ? q.get(param)! : 'callback';
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    if (q.get('mode') === 'nocall') res.end('/* no callback */');
    else if (q.get('mode') === 'throw') res.end(`${name}({"ok":true}); throw new Error("after");`);
    else if (q.get('mode') === 'args') res.end(`${name}({"big":12345678901234567890,"k":[1,2]}, "two", null);`);
    else res.end(`/**/ typeof ${name} === 'function' && ${name}({"items":[1,2,3],"q":${JSON.stringify(q.get('q') ?? '')}});`);
    return;
  }
  if (await httpCaptureRoutes(req, res, url)) return;
  if (detailRoutes(req, res, url)) return;
  serveStatic(path, res, staticDirs);
}

function sse(req: IncomingMessage, res: ServerResponse, q: URLSearchParams) {
  const lastId = req.headers['last-event-id'];
  // `resumeAt`: a reconnection (it sends Last-Event-ID) is redirected there (307).
  const resumeAt = q.get('resumeAt');
  if (lastId && resumeAt) {
    res.writeHead(307, { Location: resumeAt, 'Cache-Control': 'no-store' });
    res.end();
    return;
  }
  res.writeHead(Number(q.get('status') ?? 200), { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
  const n = Number(q.get('n') ?? 3);
  const script: string[] = [`retry: ${q.get('retry') ?? 500}\n\n`, ': a comment\n\n'];
  const start = lastId ? Number(lastId) + 1 : 1;
  for (let i = start; i < start + n; i++) {
    const named = q.get('named') === '1' && i % 2 === 0;
    script.push(`${named ? 'event: tick\n' : ''}id: ${i}\ndata: line one of ${i}\ndata: line two\n\n`);
  }
  if (q.get('unlistened')) script.push(`event: ${q.get('unlistened')}\ndata: nobody listens\n\n`);
  let i = 0;
  const timer = setInterval(() => {
    if (i < script.length) res.write(script[i++]);
    else {
      clearInterval(timer);
      if (q.get('drop') === '1' && !lastId) req.socket.destroy();
      else if (q.get('end') === '1') res.end();
    }
  }, Number(q.get('every') ?? 20));
  req.on('close', () => clearInterval(timer));
}

function serveStatic(path: string, res: ServerResponse, dirs: string[]) {
  const rel = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(/^(\.\.[/\\])+/, '');
  for (const dir of dirs) {
    const file = join(dir, rel);
    if (file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      createReadStream(file).pipe(res);
      return;
    }
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}

/**
 * WebSocket on every path, except `/ws-reject`: that handshake is answered with a plain HTTP
 * error (`?status=`, default 400 Bad Request) instead of 101, for failed-handshake tests.
 */
function attachWebSocket(server: Server) {
  const wss = new WebSocketServer({
    server,
    verifyClient: ({ req }, done) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws-reject') return done(true);
      const status = Number(url.searchParams.get('status') ?? 400);
      done(false, status >= 400 && status <= 599 ? status : 400);
    },
    handleProtocols: (protocols) => {
      for (const p of ['graphql-transport-ws', 'chat.v1', 'stomp', 'mqtt']) if (protocols.has(p)) return p;
      return false;
    },
  });
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (text === 'close-me') return ws.close(4001, 'asked to close');
      if (text === 'server-error') return ws.terminate();
      ws.send(data, { binary: isBinary });
    });
    if (url.searchParams.get('hello')) ws.send(JSON.stringify({ hello: url.searchParams.get('hello') }));
    if (url.searchParams.get('binary')) ws.send(Buffer.from([0, 1, 2, 250, 255]));
  });
  return wss;
}

export async function startServers(staticDirs: string[], ports: [number, number] = [0, 0]): Promise<Origins> {
  const servers: Server[] = [];
  const origins = {} as Origins;
  origins.log = [];
  for (const port of ports) {
    // Long URLs and headers (up to what Chromium sends) reach the handlers: Node's default cap of
    // 16 KiB on a request's head would answer 431 first.
    const server = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
      handle(req, res, staticDirs, () => origins).catch(() => {
        res.writeHead(500);
        res.end();
      });
    });
    attachWebSocket(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    servers.push(server);
  }
  const [pa, pb] = servers.map((s) => (s.address() as AddressInfo).port);
  origins.a = `http://127.0.0.1:${pa}`;
  origins.b = `http://localhost:${pb}`;
  origins.ports = [pa, pb];
  origins.close = async () => {
    await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
  };
  return origins;
}

// ---- Endpoints for the HTTP capture tests (appended; the ones above are unchanged) ----

export const COMPRESSED_JSON = '{"big":12345678901234567890,"a":1,"a":2,"z":0,"b":1.10}';

/** Bytes actually handed to the socket per `key`, for "a body nobody reads is not pulled" checks. */
const flushedBytes = new Map<string, number>();
/** The connections `/api/partial` holds open, per `key`, for `/api/partial-cut` to cut. */
const heldSockets = new Map<string, Socket>();

async function httpCaptureRoutes(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const q = url.searchParams;
  if (url.pathname === '/api/counted-bytes') {
    // Like /api/bytes, but counts what the client really pulled (write() honours backpressure).
    const key = q.get('key') ?? 'default';
    const n = Number(q.get('n') ?? 1024);
    res.writeHead(200, { 'Content-Type': q.get('type') ?? 'application/octet-stream', 'Content-Length': String(n), 'Cache-Control': 'no-store' });
    const chunk = Buffer.alloc(Math.min(n, 16384), 0x62);
    let left = n;
    flushedBytes.set(key, 0);
    const pump = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(left, chunk.length));
        left -= part.length;
        const more = res.write(part, () => flushedBytes.set(key, (flushedBytes.get(key) ?? 0) + part.length));
        if (!more) return void res.once('drain', pump);
      }
      res.end();
    };
    req.on('close', () => (left = 0));
    pump();
    return true;
  }
  if (url.pathname === '/api/sse-burst') {
    // `n` events written at once (the capture bench): the page's own parsing and dispatch is the load.
    const n = Number(q.get('n') ?? 100);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    let out = 'retry: 60000\n\n';
    for (let i = 1; i <= n; i++) out += `id: ${i}\ndata: event ${i} of the burst\n\n`;
    res.write(out);
    return true;
  }
  if (url.pathname === '/api/compressed') {
    // The same bytes, gzip or br (`enc`), with or without Content-Length (`len=0`: chunked).
    // The JSON keeps what a re-serialisation loses: a big number, a duplicate key, key order.
    const hex = q.get('hex');
    const raw = hex !== null ? Buffer.from(hex, 'hex') : Buffer.from(q.get('body') ?? COMPRESSED_JSON, 'utf8');
    const enc = q.get('enc') ?? 'gzip';
    const body = enc === 'br' ? brotliCompressSync(raw) : enc === 'gzip' ? gzipSync(raw) : raw;
    const headers: Record<string, string> = { 'Content-Type': q.get('type') ?? 'application/json', 'Cache-Control': 'no-store' };
    if (enc === 'br' || enc === 'gzip') headers['Content-Encoding'] = enc;
    if (q.get('len') !== '0') headers['Content-Length'] = String(body.length);
    res.writeHead(200, headers);
    if (q.get('len') === '0') {
      res.write(body.subarray(0, 5));
      setTimeout(() => res.end(body.subarray(5)), 20);
    } else res.end(body);
    return true;
  }
  if (url.pathname === '/api/partial') {
    // `n` bytes of a body said to be `cl` bytes long (Content-Length; `cl=none`: chunked), then
    // nothing until the client goes away or `/api/partial-cut?key=` cuts the connection.
    const n = Number(q.get('n') ?? 1000);
    const cl = q.get('cl') ?? String(n * 5);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store', ...(cl === 'none' ? {} : { 'Content-Length': cl }) });
    res.write(Buffer.alloc(n, 0x70));
    heldSockets.set(q.get('key') ?? 'default', req.socket);
    req.on('close', () => heldSockets.delete(q.get('key') ?? 'default'));
    return true;
  }
  if (url.pathname === '/api/partial-cut') {
    heldSockets.get(q.get('key') ?? 'default')?.destroy();
    res.writeHead(204, { 'Cache-Control': 'no-store' });
    res.end();
    return true;
  }
  if (url.pathname === '/api/counted') {
    json(res, 200, { flushed: flushedBytes.get(q.get('key') ?? 'default') ?? 0 });
    return true;
  }
  if (url.pathname === '/api/chunked') {
    // `n` text chunks of `size` bytes, `every` ms apart, no Content-Length: progress events.
    // `drop=1` breaks the connection after the last chunk.
    const n = Number(q.get('n') ?? 3);
    const size = Number(q.get('size') ?? 10);
    res.writeHead(200, { 'Content-Type': q.get('type') ?? 'text/plain', 'Cache-Control': 'no-store' });
    let i = 0;
    const timer = setInterval(() => {
      res.write(`${String(i).padStart(size, '-')}`);
      if (++i >= n) {
        clearInterval(timer);
        // drop=1: the connection breaks after the last chunk (a network error mid-body).
        if (q.get('drop') === '1') req.socket.destroy();
        else res.end();
      }
    }, Number(q.get('every') ?? 30));
    req.on('close', () => clearInterval(timer));
    return true;
  }
  return false;
}

/** Recorded-looking LLM streams, one per provider shape (`shape`), as their APIs send them. */
const LLM_STREAMS: Record<string, { type: string; events: string[] }> = {
  openai: {
    type: 'text/event-stream; charset=utf-8',
    events: [
      ...['', 'Hello', ' from', ' a', ' model', '.'].map((content, i) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }] })}\n\n`),
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      // stream_options.include_usage: the tokens in a last chunk with no choices.
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } })}\n\n`,
      'data: [DONE]\n\n',
    ],
  },
  anthropic: {
    type: 'text/event-stream; charset=utf-8',
    events: [
      `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', model: 'claude-sonnet-4-5', role: 'assistant', content: [] } })}\n\n`,
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'In French, then.' } })}\n\n`,
      ...['Bonjour', ' le', ' monde'].map((text) => `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`),
      // A tool call, its input streamed as pieces of JSON.
      `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } })}\n\n`,
      ...['{"city": ', '"Paris"}'].map((partial_json) => `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json } })}\n\n`),
      `event: message_stop\ndata: ${JSON.stringify({ type: 'message_stop' })}\n\n`,
    ],
  },
};

/**
 * Routes for the panel's detail tests: `/api/llm?shape=openai|anthropic` streams an LLM-style
 * response one event per write (`every` ms apart); `/api/reflect?type=…&body=…` (or `b64=…`)
 * answers with exactly that body and Content-Type, for images and hostile markup.
 */
function detailRoutes(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const q = url.searchParams;
  if (url.pathname === '/api/llm') {
    const stream = LLM_STREAMS[q.get('shape') ?? 'openai'] ?? LLM_STREAMS.openai;
    res.writeHead(200, { 'Content-Type': stream.type, 'Cache-Control': 'no-store' });
    let i = 0;
    const timer = setInterval(() => {
      res.write(stream.events[i]);
      if (++i >= stream.events.length) {
        clearInterval(timer);
        res.end();
      }
    }, Number(q.get('every') ?? 10));
    req.on('close', () => clearInterval(timer));
    return true;
  }
  if (url.pathname === '/api/reflect') {
    const b64 = q.get('b64');
    const body = b64 !== null ? Buffer.from(b64, 'base64') : Buffer.from(q.get('body') ?? '', 'utf8');
    res.writeHead(200, { 'Content-Type': q.get('type') ?? 'text/plain', 'Cache-Control': 'no-store', 'X-Reflected': q.get('header') ?? '' });
    res.end(body);
    return true;
  }
  if (url.pathname === '/api/server-timing') {
    // Each `st` one Server-Timing header, `tao` a Timing-Allow-Origin (the Timing tab's section).
    const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
    if (q.getAll('st').length) headers['Server-Timing'] = q.getAll('st');
    if (q.has('tao')) headers['Timing-Allow-Origin'] = q.get('tao')!;
    res.writeHead(200, headers);
    res.end('{"ok":true}');
    return true;
  }
  return false;
}
