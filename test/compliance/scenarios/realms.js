// Function.prototype.toString of one realm called on the functions of another (frames, popups):
// what fingerprinting scripts compare. Every function, getter and setter of the interfaces
// netlens patches, in both directions, for every kind of same-origin realm a page can open.
(() => {
  /** [owner name, owner] pairs of a realm: its global and the prototypes netlens could patch. */
  function owners(w) {
    const list = [['window', w]];
    for (const name of ['XMLHttpRequest', 'XMLHttpRequestEventTarget', 'XMLHttpRequestUpload', 'Response', 'Request', 'Headers', 'ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'WebSocket', 'EventSource', 'EventTarget', 'Node', 'Element', 'Document', 'CharacterData', 'DocumentType', 'Range', 'HTMLScriptElement', 'Navigator', 'Function', 'Blob', 'FormData', 'HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement', 'DocumentFragment', 'ShadowRoot']) {
      if (w[name]) list.push([name, w[name]], [`${name}.prototype`, w[name].prototype]);
    }
    list.push(['asyncIterator', Object.getPrototypeOf(new w.ReadableStream().values())]);
    return list;
  }
  /** Every function reachable as an own value, getter or setter of `owner`, by a stable key. */
  function functions(owner, prefix, out) {
    for (const key of Reflect.ownKeys(owner)) {
      const d = Object.getOwnPropertyDescriptor(owner, key);
      for (const part of ['value', 'get', 'set']) if (typeof d[part] === 'function') out.push([`${prefix}.${String(key)}:${part}`, d[part]]);
    }
    return out;
  }
  /** toString of realm `by` on every function of realm `of`. */
  function printed(by, of) {
    const ts = by.Function.prototype.toString;
    const out = {};
    for (const [name, owner] of owners(of)) {
      for (const [key, fn] of functions(owner, name, [])) {
        try {
          out[key] = ts.call(fn);
        } catch (e) {
          out[key] = `threw ${e.name}`;
        }
      }
    }
    return out;
  }
  const loaded = (iframe) => new Promise((r) => iframe.addEventListener('load', r, { once: true }));

  window.S = Object.assign(window.S || {}, {
    /** Both directions between this window and a new realm opened by `open()`; `named` counts the entries. */
    async realm(kind) {
      let other;
      if (kind === 'about:blank') {
        const f = document.createElement('iframe');
        document.body.appendChild(f);
        other = f.contentWindow; // At once: no load awaited, no page script ran in it.
      } else if (kind === 'srcdoc') {
        const f = document.createElement('iframe');
        f.srcdoc = '<p>srcdoc</p>';
        const l = loaded(f);
        document.body.appendChild(f);
        await l;
        other = f.contentWindow;
      } else if (kind === 'same-origin src') {
        const f = document.createElement('iframe');
        f.src = '/compliance-blank.html';
        const l = loaded(f);
        document.body.appendChild(f);
        await l;
        other = f.contentWindow;
      } else if (kind === 'innerHTML') {
        const d = document.body.appendChild(document.createElement('div'));
        d.innerHTML = '<iframe></iframe>';
        other = d.firstChild.contentWindow;
      } else if (kind === 'nested') {
        const f = document.createElement('iframe');
        document.body.appendChild(f);
        const inner = f.contentDocument.createElement('iframe');
        f.contentDocument.body.appendChild(inner);
        other = inner.contentWindow;
      } else if (kind === 'sandboxed, no scripts') {
        const f = document.createElement('iframe');
        f.setAttribute('sandbox', 'allow-same-origin');
        document.body.appendChild(f);
        other = f.contentWindow;
      } else if (kind === 'popup') {
        other = window.open('', '_blank');
        if (!other) return { blocked: true };
      }
      const there = printed(other, window);
      const here = printed(window, other);
      if (kind === 'popup') other.close();
      return { there, here, count: Object.keys(there).length + Object.keys(here).length };
    },
  });
})();
