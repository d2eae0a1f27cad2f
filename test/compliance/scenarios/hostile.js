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

  window.S = Object.assign(window.S || {}, {
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
  });
})();
