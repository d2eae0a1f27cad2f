// Shared by every scenario file: plain browser JavaScript, injected as is in both browsers.
window.C = {
  progress: (e) => ({ loaded: e.loaded, total: e.total, lengthComputable: e.lengthComputable }),
  error: (e) => (e && typeof e === 'object' ? { type: e.constructor && e.constructor.name, name: e.name, message: e.message, code: e.code, stack: typeof e.stack === 'string' ? e.stack.split('\n').length : undefined } : { value: String(e) }),
  /** Headers without the ones that change between runs. */
  headers: (raw) => raw.split('\r\n').filter((l) => l && !/^(date|keep-alive|connection):/i.test(l)).join('\n'),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  /** Waits for a state, not a time: resolves once check() holds, or after `ms` at most (the comparison then shows what differs). */
  until: async (check, ms = 10000) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await C.sleep(10);
  },
  /** What the echo server said, without the parts that differ between two browsers. */
  echo: (text) => {
    const e = JSON.parse(text);
    const h = e.headers;
    const boundary = /boundary=(\S+)/.exec(h['content-type'] || '');
    let body = e.body;
    if (boundary) body = body.split(boundary[1]).join('BOUNDARY');
    return { method: e.method, query: e.query, contentType: (h['content-type'] || '').replace(/boundary=\S+/, 'boundary=B'), body, size: e.size, custom: Object.keys(h).filter((k) => k.startsWith('x-') || k.startsWith('sec-fetch-') || ['referer', 'origin', 'accept', 'accept-language', 'cache-control', 'pragma', 'content-length', 'range', 'priority'].includes(k)).sort().map((k) => [k, h[k]]), authorization: h.authorization };
  },
};
