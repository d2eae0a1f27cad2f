// fetch scenarios: each returns everything the page could observe.
(() => {
  async function response(r, read = 'text') {
    const out = {
      ok: r.ok, status: r.status, statusText: r.statusText, url: r.url, redirected: r.redirected, type: r.type,
      headers: [...r.headers].filter(([n]) => !/^(date|keep-alive|connection)$/.test(n)),
      bodyUsed: r.bodyUsed, bodyIsStream: r.body instanceof ReadableStream,
    };
    if (read === 'text') out.text = await r.text();
    if (read === 'echo') out.echo = C.echo(await r.text());
    out.bodyUsedAfter = r.bodyUsed;
    return out;
  }
  const settle = async (p, read) => { try { return { resolved: await response(await p, read) }; } catch (e) { return { rejected: C.error(e) }; } };

  const bodies = {
    string: () => 'plain text ✓',
    params: () => new URLSearchParams({ a: '1', b: 'two words' }),
    form: () => { const f = new FormData(); f.append('name', 'lens'); f.append('upload', new File(['hello file'], 'a.txt', { type: 'text/plain' })); return f; },
    blob: () => new Blob(['{"blob":true}'], { type: 'application/json' }),
    arraybuffer: () => new Uint8Array([104, 105, 33]).buffer,
    view: () => new Uint8Array([0, 104, 105, 0]).subarray(1, 3),
    object: () => ({ toString: () => 'from toString' }),
    stream: () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close(); } }),
  };

  window.S = Object.assign(window.S || {}, {
    async fetchBasics() {
      return {
        get: await settle(fetch('/api/echo?x=1'), 'echo'),
        viaWindow: await settle(window.fetch('/api/echo?x=2'), 'echo'),
        url: await settle(fetch(new URL('/api/echo?x=3', location.href)), 'echo'),
        notFound: await settle(fetch('/api/status?code=404', { method: 'PUT' })),
        redirect: await settle(fetch('/api/redirect?to=/api/echo%3Fredirected%3D1'), 'echo'),
        manual: await settle(fetch('/api/redirect?to=/api/echo', { redirect: 'manual' }), 'none'),
        redirectError: await settle(fetch('/api/redirect?to=/api/echo', { redirect: 'error' })),
        head: await settle(fetch('/api/echo', { method: 'HEAD' })),
        json: await (await fetch('/api/items')).json(),
        bytes: (await (await fetch('/api/bytes?n=300000')).arrayBuffer()).byteLength,
        headers: await settle(fetch('/api/echo?h=1', { method: 'POST', headers: [['X-Trace', 'a'], ['X-Trace', 'b'], ['Content-Type', 'text/plain']], body: 'h' }), 'echo'),
        headersObject: await settle(fetch('/api/echo?h=2', { headers: new Headers({ 'X-One': '1' }) }), 'echo'),
        cors: await settle(fetch(`${window.ORIGIN_B}/api/echo`)),
        noCors: await settle(fetch(`${window.ORIGIN_B}/api/echo`, { mode: 'no-cors' }), 'none'),
        corsOk: await settle(fetch(`${window.ORIGIN_B}/api/echo?acao=*`), 'echo'),
        drop: await settle(fetch('/api/drop')),
        referrer: await settle(fetch('/api/echo?o=ref', { referrer: '/custom-referrer' }), 'echo'),
        noReferrer: await settle(fetch('/api/echo?o=noref', { referrerPolicy: 'no-referrer' }), 'echo'),
        priority: await settle(fetch('/api/echo?o=prio', { priority: 'high' }), 'echo'),
        noCache: await settle(fetch('/api/echo?o=nocache', { cache: 'no-cache' }), 'echo'),
        integrity: await settle(fetch('/api/echo?o=sri', { integrity: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })),
        keepalive: await settle(fetch('/api/echo?o=keepalive', { method: 'POST', body: 'k', keepalive: true }), 'echo'),
        keepaliveTooBig: await settle(fetch('/api/echo?o=keepalive-big', { method: 'POST', body: 'x'.repeat(70 * 1024), keepalive: true })),
        sameOriginOnly: await settle(fetch(`${window.ORIGIN_B}/api/echo`, { mode: 'same-origin' })),
        omit: await settle(fetch('/api/echo?o=omit', { credentials: 'omit' }), 'echo'),
        range: await settle(fetch('/api/bytes?n=100', { headers: { Range: 'bytes=0-9' } })),
      };
    },
    async fetchBodies() {
      const out = {};
      for (const [name, make] of Object.entries(bodies)) {
        out[name] = await settle(fetch(`/api/echo?body=${name}`, { method: 'POST', body: make(), duplex: 'half' }), 'echo');
      }
      return out;
    },
    async fetchRequests() {
      const req = new Request('/api/echo?req=1', { method: 'POST', body: 'request body', headers: { 'X-Req': '1' } });
      const first = await settle(fetch(req), 'echo');
      const used = req.bodyUsed;
      const again = await settle(fetch(req));
      const withInit = await settle(fetch(new Request('/api/echo?req=2', { method: 'POST', body: 'old' }), { body: 'new body', headers: { 'X-Init': '1' } }), 'echo');
      const form = new FormData();
      form.append('f', 'v');
      const formReq = await settle(fetch(new Request('/api/echo?req=3', { method: 'POST', body: form })), 'echo');
      const blobReq = await settle(fetch(new Request('/api/echo?req=4', { method: 'PUT', body: new Blob(['blob!']) })), 'echo');
      return { first, used, again, withInit, formReq, blobReq };
    },
    async fetchAborts() {
      const out = {};
      let c = new AbortController();
      const p1 = fetch('/api/hang', { signal: c.signal });
      setTimeout(() => c.abort(), 30);
      out.beforeResponse = await settle(p1);
      c = new AbortController();
      c.abort();
      out.alreadyAborted = await settle(fetch('/api/echo', { signal: c.signal }));
      c = new AbortController();
      const reason = { why: 'mine' };
      const p2 = fetch('/api/hang', { signal: c.signal });
      c.abort(reason);
      try { await p2; } catch (e) { out.customReasonSame = e === reason; }
      c = new AbortController();
      const r = await fetch('/api/ndjson?n=50&every=20', { signal: c.signal });
      const reader = r.body.getReader();
      await reader.read();
      c.abort();
      try { for (;;) { const { done } = await reader.read(); if (done) break; } out.duringBody = 'ended'; } catch (e) { out.duringBody = C.error(e); }
      out.timeout = await settle(fetch('/api/hang', { signal: AbortSignal.timeout(50) }));
      return out;
    },
    async fetchErrors() {
      const out = {};
      const attempt = async (name, fn) => {
        let p;
        try { p = fn(); } catch (e) { out[name] = { threw: C.error(e) }; return; }
        out[name] = { isPromise: p instanceof Promise, ...(await settle(p, 'none')) };
      };
      await attempt('noArgs', () => fetch());
      await attempt('badUrl', () => fetch('http://['));
      await attempt('credentialsInUrl', () => fetch('http://a:b@127.0.0.1/'));
      await attempt('getWithBody', () => fetch('/api/echo', { method: 'GET', body: 'x' }));
      await attempt('badMethod', () => fetch('/api/echo', { method: 'GE T' }));
      await attempt('forbiddenMethod', () => fetch('/api/echo', { method: 'CONNECT' }));
      await attempt('illegal', () => fetch.call({}, '/api/echo'));
      await attempt('badMode', () => fetch('/api/echo', { mode: 'navigate' }));
      await attempt('symbol', () => fetch(Symbol('s')));
      const boom = new Error('iteration boom');
      await attempt('throwingHeaders', () => fetch('/api/echo', { headers: { [Symbol.iterator]() { throw boom; } } }));
      try { await fetch('/api/echo', { headers: { [Symbol.iterator]() { throw boom; } } }); } catch (e) { out.sameError = e === boom; out.stackMentionsExtension = /chrome-extension:/.test(e.stack); }
      await attempt('throwingBodyGetter', () => fetch('/api/echo', { method: 'POST', get body() { throw new TypeError('body getter'); } }));
      await attempt('throwingToString', () => fetch({ toString() { throw new RangeError('url toString'); } }));
      // Page code in the arguments runs exactly once, in the binding's order.
      const calls = [];
      const init = {};
      for (const key of ['method', 'headers', 'body', 'mode', 'credentials', 'cache', 'redirect', 'signal']) {
        Object.defineProperty(init, key, { enumerable: true, get() { calls.push(key); return { method: 'POST', headers: { 'X-Counted': '1' }, body: 'counted', mode: 'cors', credentials: 'same-origin', cache: 'no-store', redirect: 'follow', signal: undefined }[key]; } });
      }
      out.counted = await settle(fetch({ toString() { calls.push('url'); return '/api/echo?counted=1'; } }, init), 'echo');
      out.calls = calls;
      // A body that only looks like a Blob (a Proxy of one): sent as the browser sends it.
      out.proxyBody = await settle(fetch('/api/echo?proxy=1', { method: 'POST', body: new Proxy(new Blob(['x']), {}) }), 'echo');
      return out;
    },
    /** A rejection the page does not handle still reaches unhandledrejection, once, with the same reason. */
    async fetchUnhandled() {
      const seen = [];
      const onUnhandled = (e) => { seen.push(['unhandled', e.reason && e.reason.message, e.promise instanceof Promise]); e.preventDefault(); };
      addEventListener('unhandledrejection', onUnhandled);
      fetch('/api/drop');
      fetch('/api/drop').catch(() => seen.push(['caught']));
      fetch('http://[');
      await C.until(() => seen.length >= 3);
      // A second report of the same rejection would come right after the first.
      await C.sleep(100);
      removeEventListener('unhandledrejection', onUnhandled);
      return seen.sort((a, b) => String(a).localeCompare(String(b)));
    },
    /** Bodies of unknown or large size, read every way a page reads them (netlens only observes). */
    async fetchLargeBodies() {
      const url = '/api/chunked?n=4&size=300000&every=5';
      const out = {};
      out.arrayBuffer = (await (await fetch(url)).arrayBuffer()).byteLength;
      out.text = (await (await fetch(url)).text()).length;
      out.bytes = (await (await fetch(url)).bytes()).byteLength;
      out.blob = (await (await fetch(url)).blob()).size;
      out.json = await (await fetch('/api/echo?json=1')).json().then((j) => j.method);
      // Bodies of unknown size, json() and text() (netlens decodes the bytes it recorded): the same
      // value, and for a body that is not JSON the same SyntaxError (message, stack lines).
      out.chunkedJson = await (await fetch('/api/chunked?n=1&size=1')).json();
      out.chunkedText = await (await fetch('/api/chunked?n=2&size=4&type=text/plain;charset=utf-8')).text();
      out.notJson = await (await fetch('/api/chunked?n=2&size=5')).json().then(() => 'resolved', C.error);
      out.notJsonStack = await (await fetch('/api/chunked?n=1&size=5')).json().catch((e) => e.stack);
      let total = 0;
      const reader = (await fetch(url)).body.getReader();
      for (;;) { const { done, value } = await reader.read(); if (done) break; total += value.byteLength; value.fill(0); }
      out.reader = total;
      total = 0;
      for await (const chunk of (await fetch(url)).body) total += chunk.byteLength;
      out.asyncIteration = total;
      out.piped = (await new Response((await fetch(url)).body.pipeThrough(new TransformStream())).arrayBuffer()).byteLength;
      const [a, b] = (await fetch(url)).body.tee();
      out.tee = (await new Response(a).arrayBuffer()).byteLength + (await new Response(b).arrayBuffer()).byteLength;
      const byob = (await fetch(url)).body.getReader({ mode: 'byob' });
      total = 0;
      for (;;) { const { done, value } = await byob.read(new Uint8Array(65536)); if (done) break; total += value.byteLength; }
      out.byob = total;
      // A connection that breaks mid-body: the same rejection for every way of reading.
      const broken = '/api/chunked?n=2&size=3000&every=10&drop=1';
      // text() once the connection has broken: the error is made in the call (a stack with the
      // caller's frames), in both browsers, instead of a race with the network. A clone read to
      // its end says when it has broken.
      const brokenResponse = await fetch(broken);
      out.brokenClone = await new Response(brokenResponse.clone().body).arrayBuffer().then(() => 'resolved', C.error);
      out.brokenText = await brokenResponse.text().then(() => 'resolved', C.error);
      const r2 = (await fetch(broken)).body.getReader();
      out.brokenReader = await (async () => { try { for (;;) { if ((await r2.read()).done) return 'done'; } } catch (e) { return C.error(e); } })();
      const seen = [];
      const onUnhandled = (e) => { seen.push(e.reason && e.reason.message); e.preventDefault(); };
      addEventListener('unhandledrejection', onUnhandled);
      (await fetch(broken)).arrayBuffer();
      await C.until(() => seen.length >= 1);
      const r3 = (await fetch(broken)).body.getReader();
      // Read once the connection has broken (reader.closed rejects; the reads stay unhandled):
      // whether a chunk still lands before the error is a network race, natively too.
      out.brokenClosed = await r3.closed.then(() => 'closed', C.error);
      r3.read(); r3.read(); r3.read();
      await C.until(() => seen.length >= 4);
      await C.sleep(100);
      removeEventListener('unhandledrejection', onUnhandled);
      out.unhandled = seen;
      return out;
    },
    async fetchStreams() {
      const r = await fetch('/api/ndjson?n=5&every=30');
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      let reads = 0;
      for (;;) { const { done, value } = await reader.read(); if (done) break; reads++; text += decoder.decode(value, { stream: true }); }
      const clone = await fetch('/api/echo?clone=1');
      const c2 = clone.clone();
      const [t1, t2] = await Promise.all([clone.text(), c2.text()]);
      const byob = (await fetch('/api/bytes?n=100')).body.getReader({ mode: 'byob' });
      const chunk = await byob.read(new Uint8Array(200));
      const sse = await fetch('/api/sse?n=2&end=1');
      // A body that never ends still gives its first bytes: netlens reads along, it does not buffer.
      const open = (await fetch('/api/sse?n=1')).body.getReader();
      const first = await open.read();
      await open.cancel();
      // How many reads a body takes is the network's chunking, not ours: record only that reads
      // happened and what they added up to.
      return { lines: text.trim().split('\n'), read: reads > 0, same: t1 === t2, byob: chunk.value.byteLength > 0, sse: (await sse.text()).split('\n\n').length, openFirstRead: !first.done && first.value.byteLength > 0 };
    },
  });
})();
