// What hostile or unusual pages do that the other scenario files do not: listeners that stop an
// event for everyone after them, responses read in odd orders. Each returns what the page could
// observe; the test compares netlens's records separately.
(() => {
  const stackOf = (p) => p.then(() => 'resolved', (e) => (e && typeof e.stack === 'string' ? { lines: e.stack.split('\n').length, ours: e.stack.includes('chrome-extension:') } : String(e)));

  /** Runs an XHR GET to its end, noticed by polling readyState (the page's own listeners may stop every event). */
  function xhrStopped(url, setup) {
    return new Promise((resolve) => {
      const x = new XMLHttpRequest();
      const log = [];
      setup(x, log);
      x.open('GET', url);
      x.send();
      const timer = setInterval(() => {
        if (x.readyState !== 4) return;
        clearInterval(timer);
        setTimeout(() => resolve({ log, status: x.status, length: x.responseText.length }), 0);
      }, 10);
    });
  }

  /** Whether the body has arrived in full: a clone read to its end (the original stays unread). */
  const arrived = (response) => response.clone().arrayBuffer();

  /** The whole stack of a rejection (compared as it is: the scenario's frames are the same in both browsers). */
  const stackText = (p) => p.then(() => 'resolved', (e) => (e && typeof e.stack === 'string' ? e.stack : String(e)));

  /** Reads a reader to its end (BYOB: into fresh views of `byob` bytes), decoded. */
  const drain = async (reader, byob = 0) => {
    let text = '';
    for (;;) {
      const { done, value } = await (byob ? reader.read(new Uint8Array(byob)) : reader.read());
      if (done) return text;
      text += new TextDecoder().decode(value);
    }
  };

  const readAll = async (stream) => {
    const reader = stream.getReader();
    let text = '';
    for (;;) { const { done, value } = await reader.read(); if (done) return text; text += new TextDecoder().decode(value); }
  };

  window.S = Object.assign(window.S || {}, {
    /** Bodies of unknown length read through a clone only, or through both branches at once. */
    async hostileClones(tag) {
      const url = (name) => `/api/chunked?n=3&size=5&clone=${name}&tag=${tag}`;
      const out = {};
      out.onlyClone = await (await fetch(url('only'))).clone().text();
      const late = await fetch(url('late'));
      await new Promise((r) => setTimeout(r, 50));
      out.late = await late.clone().json().catch((e) => e.name);
      const both = await fetch(url('both'));
      const copy = both.clone();
      out.both = await Promise.all([readAll(both.body), readAll(copy.body)]);
      const second = await fetch(url('second'));
      const a = second.clone();
      const b = a.clone();
      out.second = [await b.text(), await second.text(), await a.text()];
      return out;
    },
    /**
     * Rejections made within a call of a body method or pipeTo (a body used or locked, a body
     * already there that does not parse, a destination that is none): the same stack, no frame of
     * an extension in it.
     */
    async hostileStacks(tag) {
      const out = {};
      const used = await fetch(`/api/echo?stacks=used&tag=${tag}`);
      await used.text();
      out.textTwice = await stackOf(used.text());
      out.jsonTwice = await stackOf(used.json());
      out.blobTwice = await stackOf(used.blob());
      out.illegal = await stackOf(Response.prototype.text.call({}));
      out.madeJson = await stackOf(new Response('{').json());
      out.madeForm = await stackOf(new Response('a=1').formData());
      const small = await fetch(`/api/compressed?enc=none&body=%7B&type=application/json&tag=${tag}`);
      await arrived(small);
      out.arrivedJson = await stackOf(small.json());
      const form = await fetch(`/api/compressed?enc=none&body=%7B&type=multipart/form-data&tag=${tag}`);
      await arrived(form);
      out.arrivedForm = await stackOf(form.formData());
      const locked = new ReadableStream();
      locked.getReader();
      out.pipeLocked = await stackOf(locked.pipeTo(new WritableStream()));
      out.pipeNowhere = await stackOf(new ReadableStream().pipeTo({}));
      const body = (await fetch(`/api/chunked?n=2&size=4&stacks=pipe&tag=${tag}`)).body;
      out.pipeBodyNowhere = await stackOf(body.pipeTo({}));
      await body.cancel();
      // A body the page holds a reader of: text() rejects, and the page goes on reading its own way.
      const held = await fetch(`/api/chunked?n=3&size=4&stacks=held&tag=${tag}`);
      const reader = held.body.getReader();
      out.heldText = await stackOf(held.text());
      let text = '';
      for (;;) { const { done, value } = await reader.read(); if (done) break; text += new TextDecoder().decode(value); }
      out.heldRead = text;
      return out;
    },
    /**
     * A reader the page misuses: read() after releaseLock(), a BYOB read() with no usable view
     * (zero-length, detached, none, min 0), read() or next() on a receiver of another kind. Each
     * rejects within the call, the stream untouched: the page then reads the body to its end
     * through another reader, or the same one. The whole stacks are compared.
     */
    async hostileReaderMisuse(tag) {
      const out = {};
      const released = await fetch(`/api/chunked?n=3&size=4&misuse=released&tag=${tag}`);
      const first = released.body.getReader();
      const head = new TextDecoder().decode((await first.read()).value);
      first.releaseLock();
      out.released = await stackText(first.read());
      out.releasedRest = head + (await drain(released.body.getReader()));
      // Released while a read waits (a read raced against a timeout, then given up): that read
      // rejects, made within the page's own releaseLock(); the page reads on with a new reader.
      const slow = await fetch(`/api/chunked?n=3&size=4&every=500&misuse=pending&tag=${tag}`);
      const racing = slow.body.getReader();
      const slowHead = new TextDecoder().decode((await racing.read()).value);
      const pending = racing.read();
      racing.releaseLock();
      out.pendingReleased = await stackText(pending);
      out.pendingRest = slowHead + (await drain(slow.body.getReader()));
      const own = new ReadableStream().getReader();
      own.releaseLock();
      out.ownReleased = await stackText(own.read());
      const byob = await fetch(`/api/chunked?n=3&size=4&misuse=byob&tag=${tag}`);
      const reader = byob.body.getReader({ mode: 'byob' });
      out.zero = await stackText(reader.read(new Uint8Array(0)));
      const gone = new Uint8Array(8);
      structuredClone(gone.buffer, { transfer: [gone.buffer] });
      out.detached = await stackText(reader.read(gone));
      out.notView = await stackText(reader.read({}));
      out.noView = await stackText(reader.read());
      out.minZero = await stackText(reader.read(new Uint8Array(4), { min: 0 }));
      out.byobRest = await drain(reader, 64);
      const ownBytes = new ReadableStream({ type: 'bytes' }).getReader({ mode: 'byob' });
      out.ownZero = await stackText(ownBytes.read(new Uint8Array(0)));
      out.notReader = await stackText(ReadableStreamDefaultReader.prototype.read.call({}));
      out.notByobReader = await stackText(ReadableStreamBYOBReader.prototype.read.call(new ReadableStream().getReader(), new Uint8Array(1)));
      const iterator = Object.getPrototypeOf(new ReadableStream().values());
      out.notIterator = await stackText(iterator.next.call({}));
      out.notIteratorReturn = await stackText(iterator.return.call({}));
      return out;
    },
    /**
     * json() and formData() of a body of no declared length that has arrived in full before the
     * page reads it (the native parses it within the call), and does not parse. formData()'s whole
     * stack is compared, json()'s message.
     */
    async hostileArrivedParse(tag) {
      const out = {};
      const json = await fetch(`/api/compressed?enc=none&len=0&body=%7B&type=application/json&parse=json&tag=${tag}`);
      await C.sleep(300);
      // json(): the message only. Its frames are the one difference left, for cost (fetch.ts
      // throughBytes: the native's has the page's frames, ours none).
      out.json = (await stackText(json.json())).split('\n')[0];
      const form = await fetch(`/api/compressed?enc=none&len=0&body=%7B&type=multipart/form-data&parse=form&tag=${tag}`);
      await C.sleep(300);
      out.form = await stackText(form.formData());
      const text = await fetch(`/api/compressed?enc=none&len=0&body=%7B%7D&type=application/json&parse=ok&tag=${tag}`);
      await C.sleep(300);
      out.ok = await text.json();
      // Not there yet: parsed later, outside the call.
      out.early = await stackText((await fetch(`/api/compressed?enc=none&len=0&body=%7B&type=application/json&parse=early&tag=${tag}`)).json());
      return out;
    },
    /** Upload listeners the page adds only after send(), same-origin and cross-origin (simple: no preflight). */
    async hostileUploadAfterSend(tag) {
      const run = (url) => new Promise((resolve) => {
        const x = new XMLHttpRequest();
        const log = [];
        x.open('POST', url);
        x.send('x'.repeat(300000));
        for (const t of ['loadstart', 'progress', 'load', 'error', 'loadend']) x.upload.addEventListener(t, () => log.push(`upload:${t}`));
        x.onloadend = () => setTimeout(() => resolve({ log: log.filter((e, i) => e !== 'upload:progress' || log[i - 1] !== e), status: x.status }), 0);
      });
      return { same: await run(`/api/upload?late=same&tag=${tag}`), cross: await run(`${window.ORIGIN_B}/api/echo?acao=*&late=cross&tag=${tag}`) };
    },
    /** Listeners added before open() that stop every later listener of the event (stopImmediatePropagation). */
    async hostileXhrStops(tag) {
      return {
        all: await xhrStopped(`/api/echo?stop=all&tag=${tag}`, (x, log) => {
          for (const t of ['readystatechange', 'progress', 'load', 'loadend']) x.addEventListener(t, (e) => { log.push(`${t}:${x.readyState}`); e.stopImmediatePropagation(); });
        }),
        loadend: await xhrStopped(`/api/echo?stop=loadend&tag=${tag}`, (x, log) => {
          x.onloadend = (e) => { log.push('loadend'); e.stopImmediatePropagation(); };
        }),
        upload: await new Promise((resolve) => {
          const x = new XMLHttpRequest();
          const log = [];
          x.open('POST', `/api/upload?stop=upload&tag=${tag}`);
          for (const t of ['loadstart', 'progress', 'load', 'loadend']) x.upload.addEventListener(t, (e) => { log.push(`upload:${t}`); e.stopImmediatePropagation(); });
          x.onloadend = () => setTimeout(() => resolve({ log, status: x.status }), 0);
          x.send('x'.repeat(100000));
        }),
      };
    },
    /**
     * Errors thrown within a call of a patched function (the Response and WebSocket constructors,
     * XHR open and abort, a page getter the Response constructor runs) under a small
     * Error.stackTraceLimit: as many frames of the page's as without netlens.
     */
    hostileStackLimit() {
      const throws = {
        status: () => new Response('x', { status: 99 }),
        getter: () => new Response('x', { get status() { throw new Error('getter'); } }),
        socket: () => new WebSocket('nope'),
        method: () => new XMLHttpRequest().open('bad method', '/'),
        abort: () => XMLHttpRequest.prototype.abort.call({}),
      };
      const deep = (f, n) => (n ? deep(f, n - 1) : f());
      const saved = Error.stackTraceLimit;
      const out = {};
      try {
        for (const limit of [0, 1, 2, 3, 1.5]) {
          Error.stackTraceLimit = limit;
          for (const [name, f] of Object.entries(throws)) {
            try { deep(f, 4); out[`${name}:${limit}`] = 'ok'; } catch (e) { out[`${name}:${limit}`] = e.stack; }
          }
        }
      } finally {
        Error.stackTraceLimit = saved;
      }
      return out;
    },
    /**
     * Errors thrown within a patched call, their stack not read yet: a formatter the page sets only
     * then (Error.prepareStackTrace) gets their call sites, and a getter the page put on
     * Function.prototype.prepareStackTrace runs only as the page reads a stack, as without netlens.
     */
    hostileLateFormatter() {
      const throws = {
        send: () => new XMLHttpRequest().send(),
        method: () => new XMLHttpRequest().open('bad method', '/'),
        status: () => new Response('x', { status: 99 }),
        socket: () => new WebSocket('ftp://example.com/'),
      };
      const out = {};
      for (const [name, f] of Object.entries(throws)) {
        let error;
        try { (function pageCaller() { f(); })(); } catch (e) { error = e; }
        Error.prepareStackTrace = (_, sites) => sites.map((site) => `${site.getFunctionName()}:${site.getLineNumber()}`);
        try {
          out[name] = error.stack;
        } finally {
          delete Error.prepareStackTrace;
        }
      }
      let getterRuns = 0;
      Object.defineProperty(Function.prototype, 'prepareStackTrace', { configurable: true, get() { getterRuns++; return undefined; } });
      try {
        for (const f of Object.values(throws)) try { f(); } catch { /* not read */ }
        out.getterRuns = getterRuns;
      } finally {
        delete Function.prototype.prepareStackTrace;
      }
      return out;
    },
  });
})();
