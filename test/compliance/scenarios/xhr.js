// XMLHttpRequest scenarios: each returns everything the page could observe.
(() => {
  const TYPES = ['readystatechange', 'loadstart', 'progress', 'load', 'error', 'abort', 'timeout', 'loadend'];
  const UPLOAD = ['loadstart', 'progress', 'load', 'error', 'abort', 'timeout', 'loadend'];

  function watch(xhr, log, { upload = false } = {}) {
    for (const t of TYPES) {
      xhr.addEventListener(t, (e) => log.push(e instanceof ProgressEvent ? [t, xhr.readyState, C.progress(e)] : [t, xhr.readyState]));
    }
    if (upload) for (const t of UPLOAD) xhr.upload.addEventListener(t, (e) => log.push([`upload:${t}`, xhr.readyState, C.progress(e)]));
  }

  function summary(xhr) {
    let response;
    const type = xhr.responseType;
    const r = xhr.response;
    if (type === '' || type === 'text') response = r;
    else if (type === 'json') response = r;
    else if (type === 'arraybuffer') response = r && { bytes: r.byteLength, head: [...new Uint8Array(r).slice(0, 4)] };
    else if (type === 'blob') response = r && { size: r.size, type: r.type, isBlob: r instanceof Blob };
    else if (type === 'document') response = r && { isDocument: r instanceof Document, title: r.title, nodeName: r.documentElement && r.documentElement.nodeName };
    return {
      readyState: xhr.readyState,
      status: xhr.status,
      statusText: xhr.statusText,
      responseURL: xhr.responseURL,
      responseType: type,
      headers: C.headers(xhr.getAllResponseHeaders()),
      contentType: xhr.getResponseHeader('content-type'),
      response,
    };
  }

  /** Runs one request to its loadend; `setup(xhr)` opens and configures it, `send(xhr)` sends it. */
  function run(setup, send = (x) => x.send(), opts = {}) {
    return new Promise((resolve) => {
      const log = [];
      const xhr = new XMLHttpRequest();
      watch(xhr, log, opts);
      setup(xhr, log);
      xhr.addEventListener('loadend', () => setTimeout(() => resolve({ log, ...summary(xhr) }), 0));
      try {
        send(xhr);
      } catch (e) {
        resolve({ log, threw: C.error(e), ...summary(xhr) });
      }
    });
  }

  const file = () => new File(['hello file'], 'a.txt', { type: 'text/plain' });
  const bodies = {
    string: () => 'plain text ✓',
    params: () => new URLSearchParams({ a: '1', b: 'two words' }),
    form: () => { const f = new FormData(); f.append('name', 'lens'); f.append('upload', file()); return f; },
    blob: () => new Blob(['{"blob":true}'], { type: 'application/json' }),
    arraybuffer: () => new Uint8Array([104, 105, 33]).buffer,
    view: () => new Uint8Array([0, 104, 105, 0]).subarray(1, 3),
    dataview: () => new DataView(new Uint8Array([111, 107]).buffer),
    document: () => new DOMParser().parseFromString('<root><a>1</a></root>', 'application/xml'),
    object: () => ({ toString: () => 'from toString' }),
    number: () => 42,
  };

  window.S = Object.assign(window.S || {}, {
    async xhrGet() {
      return run((x) => x.open('GET', '/api/echo?x=1'));
    },
    async xhrBodies() {
      const out = {};
      for (const [name, make] of Object.entries(bodies)) {
        const r = await run((x) => x.open('POST', `/api/echo?body=${name}`), (x) => x.send(make()));
        out[name] = { log: r.log, echo: C.echo(r.response) };
      }
      return out;
    },
    async xhrUpload() {
      const big = 'x'.repeat(200_000);
      return run((x) => x.open('POST', '/api/upload'), (x) => x.send(big), { upload: true });
    },
    async xhrResponseTypes() {
      const out = {};
      for (const [type, url] of [['json', '/api/items'], ['arraybuffer', '/api/bytes?n=10'], ['blob', '/api/bytes?n=7'], ['document', '/compliance-blank.html'], ['text', '/api/echo?t=1']]) {
        out[type] = await run((x) => { x.open('GET', url); x.responseType = type; });
      }
      return out;
    },
    async xhrCharsets() {
      // Bodies netlens records from the page's decoded text (legacy charsets) or parsed value.
      const url = (charset, hex) => `/api/compressed?enc=gzip&len=0&type=${encodeURIComponent(`text/plain; charset=${charset}`)}&hex=${hex}`;
      const out = {};
      for (const [name, u, type] of [
        ['1252', url('windows-1252', '616263809dff'), ''],
        ['latin1', url('iso-8859-1', '636166e9'), 'text'],
        ['koi8', url('koi8-r', 'f0d2c9d7c5d4'), ''],
        ['sjis', url('shift_jis', '82a082a2616263'), ''],
        ['bom', url('windows-1252', 'efbbbf6869'), ''],
        ['json', '/api/compressed?enc=gzip&len=0', 'json'],
      ]) {
        out[name] = await run((x) => { x.open('GET', u); x.responseType = type; });
      }
      return out;
    },
    async xhrOutcomes() {
      return {
        notFound: await run((x) => x.open('PUT', '/api/status?code=404')),
        redirect: await run((x) => x.open('GET', '/api/redirect?to=/api/echo%3Fredirected%3D1')),
        drop: await run((x) => x.open('GET', '/api/drop')),
        cors: await run((x) => x.open('GET', `${window.ORIGIN_B}/api/echo`)),
        abort: await run((x) => { x.open('GET', '/api/hang'); x.addEventListener('loadstart', () => setTimeout(() => x.abort(), 50)); }),
        timeout: await run((x) => { x.open('GET', '/api/hang'); x.timeout = 100; }),
        credentials: await run((x) => { x.open('GET', '/api/echo?cred=1', true, 'alice', 's3cret'); x.withCredentials = true; }),
        headers: await run((x) => {
          x.open('POST', '/api/echo?h=1');
          x.setRequestHeader('X-Trace', 'a');
          x.setRequestHeader('X-Trace', 'b');
          x.setRequestHeader('Content-Type', 'text/plain;charset=utf-8');
          x.setRequestHeader('Cookie', 'forbidden=1');
        }, (x) => x.send('h')),
      };
    },
    async xhrSync() {
      const log = [];
      const x = new XMLHttpRequest();
      watch(x, log);
      x.open('POST', '/api/echo?sync=1', false);
      x.setRequestHeader('X-Sync', 'yes');
      x.send('sync body');
      const ok = { log, ...summary(x), echo: C.echo(x.responseText) };
      const log2 = [];
      const y = new XMLHttpRequest();
      watch(y, log2);
      y.open('GET', '/api/drop', false);
      let threw;
      try { y.send(); } catch (e) { threw = C.error(e); }
      return { ok, failed: { log: log2, threw, ...summary(y) } };
    },
    async xhrErrors() {
      const out = {};
      const attempt = (name, fn) => { try { out[name] = { returned: String(fn()) }; } catch (e) { out[name] = C.error(e); } };
      attempt('badMethod', () => new XMLHttpRequest().open('GE T', '/x'));
      attempt('forbiddenMethod', () => new XMLHttpRequest().open('TRACE', '/x'));
      attempt('badUrl', () => new XMLHttpRequest().open('GET', 'http://['));
      attempt('oneArg', () => new XMLHttpRequest().open('GET'));
      attempt('sendBeforeOpen', () => new XMLHttpRequest().send());
      attempt('headerBeforeOpen', () => new XMLHttpRequest().setRequestHeader('a', 'b'));
      attempt('headerOneArg', () => { const x = new XMLHttpRequest(); x.open('GET', '/'); x.setRequestHeader('a'); });
      attempt('badHeaderName', () => { const x = new XMLHttpRequest(); x.open('GET', '/'); x.setRequestHeader('a b', 'c'); });
      attempt('symbolHeader', () => { const x = new XMLHttpRequest(); x.open('GET', '/'); x.setRequestHeader('a', Symbol('s')); });
      attempt('symbolMethod', () => new XMLHttpRequest().open(Symbol('m'), '/'));
      attempt('illegal', () => XMLHttpRequest.prototype.open.call({}, 'GET', '/'));
      attempt('sendTwice', () => { const x = new XMLHttpRequest(); x.open('GET', '/api/hang'); x.send(); try { x.send(); } finally { x.abort(); } });
      attempt('throwingToString', () => { const x = new XMLHttpRequest(); x.open('POST', '/api/echo'); x.send({ toString() { throw new RangeError('body toString'); } }); });
      attempt('throwingHeaderValue', () => { const x = new XMLHttpRequest(); x.open('POST', '/api/echo'); x.setRequestHeader('X-A', { toString() { throw new SyntaxError('header toString'); } }); });
      // Page code in the arguments runs exactly once, in the binding's order.
      const calls = [];
      const v = (name, value) => ({ toString() { calls.push(name); return value; } });
      const x = new XMLHttpRequest();
      x.open(v('method', 'POST'), v('url', '/api/echo?counted=1'), true, v('user', 'u'), v('password', 'p'));
      x.setRequestHeader(v('name', 'X-Counted'), v('value', '1'));
      x.send(v('body', 'counted body'));
      x.abort();
      out.calls = calls;
      const stack = (() => { try { new XMLHttpRequest().open('GE T', '/'); } catch (e) { return e.stack; } })();
      out.stackMentionsExtension = /chrome-extension:/.test(stack);
      return out;
    },
    async xhrReuse() {
      const log = [];
      const x = new XMLHttpRequest();
      watch(x, log);
      const once = (url) => new Promise((r) => { x.onloadend = () => r(x.responseText.length > 0); x.open('GET', url); x.send(); });
      const a = await once('/api/echo?reuse=1');
      const b = await once('/api/echo?reuse=2');
      return { log, a, b };
    },
    async xhrSubclass() {
      class Tracked extends XMLHttpRequest {
        constructor() { super(); this.opened = 0; }
        open(...args) { this.opened++; return super.open(...args); }
      }
      const x = new Tracked();
      const log = [];
      watch(x, log);
      await new Promise((res) => { x.onloadend = res; x.open('GET', '/api/echo?sub=1'); x.send(); });
      return {
        instance: x instanceof XMLHttpRequest && x instanceof Tracked && x instanceof EventTarget,
        proto: Object.getPrototypeOf(Tracked) === XMLHttpRequest,
        opened: x.opened,
        status: x.status,
        ctorName: x.constructor.name,
        tag: Object.prototype.toString.call(x),
        log,
      };
    },
    /** Cross-origin POST with no upload listener: must stay a simple request (no preflight). */
    async xhrCrossOriginNoUpload(tag) {
      return run((x) => x.open('POST', `${window.ORIGIN_B}/api/echo?acao=*&tag=${tag}`), (x) => x.send('simple'));
    },
    async xhrCrossOriginUploadAfterSend(tag) {
      return run((x) => x.open('POST', `${window.ORIGIN_B}/api/echo?acao=*&tag=${tag}`), (x) => { x.send('simple'); x.upload.onprogress = () => {}; });
    },
  });
})();
