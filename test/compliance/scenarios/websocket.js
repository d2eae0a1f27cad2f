// WebSocket scenarios against the local echo server: each returns what the page could observe,
// never what network timing decides (no timestamps, no counts of partial states).
(() => {
  const WS = () => `${location.origin.replace(/^http/, 'ws')}/ws`;
  const EVENTS = ['open', 'message', 'error', 'close'];

  /** What an event carries that netlens could change. */
  function eventFacts(ws, e) {
    const out = { type: e.type, readyState: ws.readyState, trusted: e.isTrusted, ctor: e.constructor.name, target: e.target === ws, current: e.currentTarget === ws, phase: e.eventPhase };
    if (e.type === 'message') {
      const d = e.data;
      out.data = typeof d === 'string' ? d : d instanceof ArrayBuffer ? { arraybuffer: [...new Uint8Array(d)] } : d instanceof Blob ? { blob: d.size, type: d.type } : String(d);
      out.origin = e.origin === location.origin.replace(/^http/, 'ws');
      out.lastEventId = e.lastEventId;
    }
    if (e.type === 'close') Object.assign(out, { code: e.code, reason: e.reason, wasClean: e.wasClean });
    return out;
  }

  /** Resolves once `ws` has closed; `log` gets every event, through listeners and onX handlers. */
  function watch(ws, log) {
    for (const t of EVENTS) ws.addEventListener(t, (e) => log.push(['listener', eventFacts(ws, e)]));
    return new Promise((resolve) => ws.addEventListener('close', () => setTimeout(resolve, 0)));
  }
  const opened = (ws) => new Promise((resolve) => (ws.readyState === 1 ? resolve() : ws.addEventListener('open', () => resolve(), { once: true })));
  const nextMessage = (ws) => new Promise((resolve) => ws.addEventListener('message', (e) => resolve(e.data), { once: true }));
  const attempt = (fn) => {
    try {
      const v = fn();
      return { returned: v === undefined ? 'undefined' : v };
    } catch (e) {
      return { threw: C.error(e) };
    }
  };
  const facts = (ws) => ({ url: ws.url, readyState: ws.readyState, protocol: ws.protocol, extensions: ws.extensions, binaryType: ws.binaryType, bufferedAmount: ws.bufferedAmount });

  window.S = Object.assign(window.S || {}, {
    /** binaryType blob ↔ arraybuffer while messages flow; invalid values are ignored. */
    async wsBinaryType() {
      const ws = new WebSocket(WS());
      const out = { initial: ws.binaryType, received: [] };
      ws.binaryType = 'nonsense';
      out.afterInvalid = ws.binaryType;
      await opened(ws);
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      for (const type of ['blob', 'arraybuffer', 'blob', 'arraybuffer']) {
        ws.binaryType = type;
        const got = nextMessage(ws);
        ws.send(bytes);
        const d = await got;
        out.received.push(d instanceof Blob ? { type, blob: [...new Uint8Array(await d.arrayBuffer())], isBlob: true, blobType: d.type } : { type, arraybuffer: [...new Uint8Array(d)], isBuffer: d instanceof ArrayBuffer });
      }
      // Switched between the send and the echo: the type at delivery decides.
      ws.binaryType = 'blob';
      const late = nextMessage(ws);
      ws.send(bytes.buffer);
      ws.binaryType = 'arraybuffer';
      const d = await late;
      out.switchedInFlight = d instanceof ArrayBuffer ? 'arraybuffer' : d instanceof Blob ? 'blob' : typeof d;
      const closed = new Promise((r) => ws.addEventListener('close', r));
      ws.close();
      await closed;
      return out;
    },
    /** send() while CONNECTING throws InvalidStateError; sends after close() only grow bufferedAmount. */
    async wsSendStates() {
      const ws = new WebSocket(WS());
      const out = { connecting: facts(ws) };
      out.sendConnecting = attempt(() => ws.send('too early'));
      out.sendNoArgs = attempt(() => ws.send());
      out.afterConnecting = facts(ws);
      await opened(ws);
      out.open = facts(ws);
      // bufferedAmount grows synchronously by the bytes queued (UTF-8 for strings).
      ws.send('é'.repeat(100));
      out.bufferedAfterText = ws.bufferedAmount >= 200;
      out.sendBlob = attempt(() => ws.send(new Blob(['abc'])));
      out.sendView = attempt(() => ws.send(new Uint16Array([1, 2, 3]).subarray(1)));
      out.sendObject = attempt(() => ws.send({ toString: () => 'from toString' }));
      const closed = new Promise((r) => ws.addEventListener('close', (e) => r({ code: e.code, wasClean: e.wasClean })));
      ws.close();
      const before = ws.bufferedAmount;
      out.sendClosing = attempt(() => ws.send('12345'));
      out.bufferedGrewBy = ws.bufferedAmount - before;
      out.closing = facts(ws).readyState;
      out.closed = await closed;
      const before2 = ws.bufferedAmount;
      out.sendClosed = attempt(() => ws.send(new Uint8Array(7)));
      out.bufferedGrewByClosed = ws.bufferedAmount - before2;
      return out;
    },
    /** close() codes and reasons: what is accepted, what throws, what the server echoes back. */
    async wsCloseCodes() {
      const out = {};
      const invalid = [[1001], [999], [2999], [5000], [0], ['abc'], [1000, 'x'.repeat(124)], [1000, 'é'.repeat(62)], [4000, { toString: () => 'reason from toString' }]];
      const ws = new WebSocket(WS());
      await opened(ws);
      out.invalid = invalid.map((args) => ({ args: args.map((a) => (typeof a === 'string' ? a.length : typeof a)), ...attempt(() => ws.close(...args)), readyState: ws.readyState }));
      ws.close();
      for (const args of [[], [1000], [1000, 'normal'], [4000, 'app'], [4999, 'é'.repeat(61)], [3000, ''], [1000.9, 'fraction']]) {
        const s = new WebSocket(WS());
        const log = [];
        const done = watch(s, log);
        await opened(s);
        const r = attempt(() => s.close(...args));
        const after = s.readyState;
        s.close(4001, 'again');
        await done;
        out[JSON.stringify(args)] = { r, after, log };
      }
      // Closed while CONNECTING: error, then close 1006.
      const early = new WebSocket(WS());
      const log = [];
      const done = watch(early, log);
      early.close(4002, 'early');
      out.early = { readyState: early.readyState };
      await done;
      out.early.log = log;
      // The server closes with 4001 'asked to close'.
      const server = new WebSocket(WS());
      const slog = [];
      const sdone = watch(server, slog);
      await opened(server);
      server.send('close-me');
      await sdone;
      out.byServer = slog;
      return out;
    },
    /** Protocols: a string, an array, any iterable, duplicates and invalid tokens; page code runs once. */
    async wsProtocols() {
      const out = {};
      const make = async (name, ...args) => {
        let ws;
        try {
          ws = new WebSocket(...args);
        } catch (e) {
          out[name] = { threw: C.error(e) };
          return;
        }
        const log = [];
        const done = watch(ws, log);
        await C.until(() => ws.readyState !== 0);
        const f = facts(ws);
        ws.close();
        await done;
        out[name] = { facts: f, log: log.map((l) => l[1].type) };
      };
      await make('none', WS());
      await make('string', WS(), 'chat.v1');
      await make('array', WS(), ['nope', 'chat.v1']);
      await make('unsupported', WS(), ['nope']);
      await make('set', WS(), new Set(['chat.v1']));
      await make('empty', WS(), []);
      await make('duplicate', WS(), ['chat.v1', 'chat.v1']);
      await make('invalidToken', WS(), ['a b']);
      await make('emptyToken', WS(), ['']);
      await make('badScheme', 'ftp://127.0.0.1/');
      await make('badUrl', 'ws://[');
      await make('httpScheme', location.origin + '/ws?http');
      await make('fragment', WS() + '#frag');
      await make('noArgs');
      const calls = [];
      const counted = { [Symbol.iterator]() { calls.push('iterator'); let i = 0; return { next: () => (calls.push('next'), i++ ? { done: true } : { done: false, value: { toString: () => (calls.push('toString'), 'chat.v1') } }) }; } };
      await make('iterable', WS(), counted);
      out.calls = calls;
      const urlCalls = [];
      await make('urlObject', { toString: () => (urlCalls.push('url'), WS()) });
      out.urlCalls = urlCalls;
      try { WebSocket(WS()); } catch (e) { out.noNew = C.error(e); }
      return out;
    },
    /** Events in order: onX handlers interleave with listeners by registration order. */
    async wsEventOrder() {
      const ws = new WebSocket(WS() + '?hello=there');
      const log = [];
      ws.addEventListener('open', () => log.push('open:listener-before'));
      for (const t of EVENTS) ws[`on${t}`] = (e) => log.push(`${t}:handler${e.type === 'message' ? `:${e.data}` : ''}`);
      for (const t of EVENTS) ws.addEventListener(t, (e) => log.push(`${t}:listener${e.type === 'close' ? `:${e.code}:${e.wasClean}` : ''}`));
      // Replacing a handler keeps its place; removing and re-adding moves it to the end.
      ws.onmessage = (e) => log.push(`message:handler2:${e.data}`);
      ws.addEventListener('message', () => log.push('message:listener-last'));
      const capture = { handleEvent: (e) => log.push(`${e.type}:object`) };
      ws.addEventListener('message', capture);
      ws.addEventListener('message', capture);
      const closed = new Promise((r) => ws.addEventListener('close', () => setTimeout(r, 0)));
      await opened(ws);
      await new Promise((r) => ws.addEventListener('message', r, { once: true }));
      ws.onopen = null;
      const handlers = EVENTS.map((t) => typeof ws[`on${t}`]);
      // The server drops the connection: error then close 1006, not clean.
      ws.send('server-error');
      await closed;
      return { log, handlers, readyState: ws.readyState };
    },
    /** class X extends WebSocket: constructor, overrides, events, instanceof. */
    async wsSubclass() {
      class Socket extends WebSocket {
        constructor(url, protocols) {
          super(url, protocols);
          this.sent = [];
          this.created = new.target.name;
        }
        send(data) {
          this.sent.push(data);
          return super.send(`[${data}]`);
        }
        static get kind() {
          return 'mine';
        }
      }
      const ws = new Socket(WS(), 'chat.v1');
      const out = {
        instance: [ws instanceof Socket, ws instanceof WebSocket, ws instanceof EventTarget],
        ctor: ws.constructor === Socket,
        proto: Object.getPrototypeOf(Socket) === WebSocket && Object.getPrototypeOf(Socket.prototype) === WebSocket.prototype,
        tag: Object.prototype.toString.call(ws),
        own: Object.keys(ws),
        created: ws.created,
        statics: [Socket.CONNECTING, Socket.OPEN, Socket.CLOSING, Socket.CLOSED, Socket.kind],
      };
      await opened(ws);
      const got = nextMessage(ws);
      ws.send('hi');
      out.echo = await got;
      out.sent = ws.sent;
      out.protocol = ws.protocol;
      const closed = new Promise((r) => ws.addEventListener('close', (e) => r(e.code)));
      ws.close(4005);
      out.closedWith = await closed;
      const direct = Reflect.construct(WebSocket, [WS()], Socket);
      out.reflect = [direct instanceof Socket, direct.created, direct.url === WS()];
      direct.close();
      return out;
    },
  });
})();
