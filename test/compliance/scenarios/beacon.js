// navigator.sendBeacon scenarios.
(() => {
  const attempt = (fn) => { try { return { returned: fn() }; } catch (e) { return C.error(e); } };
  window.S = Object.assign(window.S || {}, {
    beacons() {
      const calls = [];
      return {
        string: attempt(() => navigator.sendBeacon('/api/echo?beacon=string', 'hello')),
        blob: attempt(() => navigator.sendBeacon('/api/echo?beacon=blob', new Blob(['{"a":1}'], { type: 'application/json' }))),
        form: attempt(() => { const f = new FormData(); f.append('k', 'v'); return navigator.sendBeacon('/api/echo?beacon=form', f); }),
        params: attempt(() => navigator.sendBeacon('/api/echo?beacon=params', new URLSearchParams({ a: '1' }))),
        none: attempt(() => navigator.sendBeacon('/api/echo?beacon=none')),
        tooBig: attempt(() => navigator.sendBeacon('/api/echo?beacon=big', 'x'.repeat(70 * 1024))),
        badUrl: attempt(() => navigator.sendBeacon('http://[', 'x')),
        badScheme: attempt(() => navigator.sendBeacon('ftp://example.com/', 'x')),
        noArgs: attempt(() => navigator.sendBeacon()),
        illegal: attempt(() => Navigator.prototype.sendBeacon.call({}, '/x')),
        object: attempt(() => navigator.sendBeacon({ toString() { calls.push('url'); return '/api/echo?beacon=object'; } }, { toString() { calls.push('body'); return 'from toString'; } })),
        calls,
      };
    },
  });
})();
