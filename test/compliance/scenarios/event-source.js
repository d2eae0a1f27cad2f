// EventSource scenarios against the local SSE endpoint (/sse, /api/sse): each returns what the
// page could observe, never what network timing decides.
(() => {
  const STANDARD = ['open', 'message', 'error'];

  function eventFacts(es, e) {
    const out = { type: e.type, readyState: es.readyState, trusted: e.isTrusted, ctor: e.constructor.name, target: e.target === es, phase: e.eventPhase };
    if (e instanceof MessageEvent) Object.assign(out, { data: e.data, lastEventId: e.lastEventId, origin: e.origin === new URL(es.url).origin, ports: e.ports.length, source: e.source });
    return out;
  }

  /** Logs every event of `types` until `stop(log)` holds, then closes; resolves with the log. */
  function run(es, types, stop) {
    return new Promise((resolve) => {
      const log = [];
      const check = () => {
        if (!stop(log, es)) return;
        es.close();
        // After close(): no event may follow, and readyState is CLOSED at once.
        log.push(['closed', es.readyState]);
        setTimeout(() => resolve(log), 0);
      };
      for (const t of types) es.addEventListener(t, (e) => { log.push(eventFacts(es, e)); check(); });
    });
  }
  const messages = (log) => log.filter((e) => e.type && e.type !== 'open' && e.type !== 'error').length;
  const attempt = (fn) => {
    try {
      return { returned: fn() };
    } catch (e) {
      return { threw: C.error(e) };
    }
  };
  const facts = (es) => ({ url: es.url, readyState: es.readyState, withCredentials: es.withCredentials, statics: [es.CONNECTING, es.OPEN, es.CLOSED] });

  window.S = Object.assign(window.S || {}, {
    /** Named events (`event: tick`) reach only their listeners; unlistened names reach nobody. */
    async esNamed() {
      const es = new EventSource('/sse?n=4&named=1&unlistened=ghost');
      const out = { initial: facts(es) };
      es.onmessage = (e) => (out.lastHandler = e.data.length);
      out.log = await run(es, [...STANDARD, 'tick', 'ghost'], (log) => messages(log) >= 4);
      out.after = facts(es);
      return out;
    },
    /** The server ends the stream: error with CONNECTING, then a reconnect resuming from Last-Event-ID. */
    async esReconnect() {
      const es = new EventSource('/sse?n=2&end=1&retry=20&tag=reconnect');
      const log = await run(es, STANDARD, (l) => messages(l) >= 4);
      return { log, readyState: es.readyState };
    },
    /** A dropped connection (network error) reconnects too. */
    async esDrop() {
      const es = new EventSource('/sse?n=1&drop=1&retry=20');
      return run(es, STANDARD, (l) => messages(l) >= 2);
    },
    /** close() inside the error handler that announced the reconnection: CLOSED, nothing follows. */
    async esCloseDuringReconnect(tag) {
      const es = new EventSource(`/sse?n=1&end=1&retry=1&tag=${tag}`);
      const log = [];
      for (const t of STANDARD) es.addEventListener(t, (e) => log.push(eventFacts(es, e)));
      await new Promise((resolve) => es.addEventListener('error', () => {
        log.push(['in error handler', es.readyState]);
        es.close();
        log.push(['after close', es.readyState]);
        es.close();
        resolve();
      }));
      window.closedDuringReconnect = () => ({ log, readyState: es.readyState });
      return { log, readyState: es.readyState };
    },
    /** Failures that end the source for good: 404, wrong MIME type, CORS. */
    async esFailures() {
      const out = {};
      const fail = async (name, ...args) => {
        const es = new EventSource(...args);
        out[name] = await run(es, STANDARD, (l) => l.some((e) => e.type === 'error'));
      };
      await fail('notFound', '/sse?status=404');
      await fail('notEventStream', '/api/echo');
      await fail('cors', `${window.ORIGIN_B}/sse?n=1`);
      await fail('credentialsNotAllowed', `${window.ORIGIN_B}/api/sse?n=1&acao=${encodeURIComponent(location.origin)}`, { withCredentials: true });
      const ok = new EventSource(`${window.ORIGIN_B}/api/sse?n=2&acao=${encodeURIComponent(location.origin)}&acac=true`, { withCredentials: true });
      out.credentialed = { facts: facts(ok), log: await run(ok, STANDARD, (l) => messages(l) >= 2) };
      return out;
    },
    /** The init dictionary: withCredentials read once, converted to boolean; constructor errors. */
    async esConstruct() {
      const out = {};
      const reads = [];
      const init = { get withCredentials() { reads.push('withCredentials'); return 'yes'; } };
      const a = new EventSource('/sse?n=0', init);
      out.truthy = facts(a);
      out.reads = reads;
      a.close();
      const b = new EventSource('/sse?n=0', { withCredentials: 0 });
      out.falsy = b.withCredentials;
      b.close();
      const urlCalls = [];
      const c = new EventSource({ toString: () => (urlCalls.push('url'), '/sse?n=0&obj=1') });
      out.urlObject = [c.url.endsWith('/sse?n=0&obj=1'), urlCalls];
      c.close();
      out.badUrl = attempt(() => new EventSource('http://['));
      out.noArgs = attempt(() => new EventSource());
      out.noNew = attempt(() => EventSource('/sse'));
      out.badInit = attempt(() => new EventSource('/sse', 1));
      const boom = new Error('getter boom');
      try { new EventSource('/sse', { get withCredentials() { throw boom; } }); } catch (e) { out.sameError = e === boom; out.stackMentionsExtension = /chrome-extension:/.test(e.stack); }
      out.closeTwice = attempt(() => { const d = new EventSource('/sse?n=0'); d.close(); d.close(); return d.readyState; });
      out.illegalClose = attempt(() => EventSource.prototype.close.call({}));
      return out;
    },
    /** onX handlers keep their place among listeners; replacing one keeps it, null removes it. */
    async esHandlerOrder() {
      const es = new EventSource('/sse?n=2');
      const log = [];
      es.addEventListener('message', () => log.push('listener-before'));
      es.onmessage = (e) => log.push(`handler:${e.lastEventId}`);
      es.addEventListener('message', () => log.push('listener-after'));
      es.onopen = () => log.push(`onopen:${es.readyState}`);
      es.onerror = () => log.push('onerror');
      es.onmessage = (e) => log.push(`handler2:${e.lastEventId}`);
      const object = { handleEvent: (e) => log.push(`object:${e.lastEventId}`) };
      es.addEventListener('message', object);
      es.addEventListener('message', object, { capture: true });
      es.addEventListener('message', () => log.push('once'), { once: true });
      await new Promise((r) => es.addEventListener('message', (e) => e.lastEventId === '2' && r()));
      es.close();
      return { log, handlers: [typeof es.onopen, typeof es.onmessage, typeof es.onerror], readyState: es.readyState };
    },
    /** class X extends EventSource. */
    async esSubclass() {
      class Source extends EventSource {
        constructor(url, init) {
          super(url, init);
          this.made = new.target.name;
          this.seen = [];
          this.addEventListener('message', (e) => this.seen.push(e.data));
        }
        close() {
          this.closedBy = 'subclass';
          return super.close();
        }
      }
      const es = new Source('/sse?n=2', { withCredentials: true });
      const out = {
        instance: [es instanceof Source, es instanceof EventSource, es instanceof EventTarget],
        ctor: es.constructor === Source,
        proto: Object.getPrototypeOf(Source) === EventSource,
        tag: Object.prototype.toString.call(es),
        own: Object.keys(es),
        facts: facts(es),
        statics: [Source.CONNECTING, Source.OPEN, Source.CLOSED],
      };
      await C.until(() => es.seen.length >= 2);
      es.close();
      out.seen = es.seen;
      out.closedBy = es.closedBy;
      out.readyState = es.readyState;
      return out;
    },
  });
})();
