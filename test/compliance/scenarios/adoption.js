// A new same-origin window reached by the page before netlens's page script runs there (issue
// #15, "Hiding"): netlens patches it on the spot from the parent (placeholders, see
// src/content/page/patch.ts adoptWindow), and the window's own script later takes them over. What
// the page can see of its functions must stay native, at once and after the window's document
// replaced its initial about:blank one: identity, descriptors, toString in both realms, realms of
// promises, responses and errors, constructor links, stacks.
(() => {
  const loaded = (f) => new Promise((r) => f.addEventListener('load', r, { once: true }));
  const descriptor = (owner, key) => {
    const d = Object.getOwnPropertyDescriptor(owner, key);
    return d && { writable: d.writable, enumerable: d.enumerable, configurable: d.configurable, value: typeof d.value, get: typeof d.get, set: typeof d.set };
  };
  const ownStack = (e) => (e && typeof e.stack === 'string' ? e.stack.includes('chrome-extension:') : 'no stack');
  /** The realm an error or object belongs to, among `w` and this window. */
  const realm = (w, value, name) => (value instanceof w[name] ? 'child' : value instanceof window[name] ? 'parent' : 'none');
  async function settle(promise) {
    try {
      return { value: await promise };
    } catch (error) {
      return { error };
    }
  }

  /** What the page sees of `w` and of the functions it took from it (`taken`); `calls`: also use them. */
  async function look(w, taken, calls) {
    const ts = w.Function.prototype.toString;
    const out = {
      same: {
        fetch: taken.fetch === w.fetch,
        WebSocket: taken.WebSocket === w.WebSocket,
        open: taken.open === w.XMLHttpRequest.prototype.open,
        send: taken.send === w.WebSocket.prototype.send,
        toString: taken.toString === w.Function.prototype.toString,
        link: w.WebSocket.prototype.constructor === w.WebSocket,
        takenLink: taken.WebSocket.prototype.constructor === taken.WebSocket,
      },
      descriptors: [descriptor(w, 'fetch'), descriptor(w, 'WebSocket'), descriptor(w, 'open'), descriptor(w.XMLHttpRequest.prototype, 'open'), descriptor(w.WebSocket.prototype, 'send'), descriptor(w.Function.prototype, 'toString'), descriptor(w.HTMLIFrameElement.prototype, 'contentWindow')],
      printed: [ts.call(taken.fetch), Function.prototype.toString.call(taken.fetch), ts.call(taken.WebSocket), ts.call(taken.open), ts.call(ts), Function.prototype.toString.call(ts), ts.call(Object.getOwnPropertyDescriptor(w.HTMLIFrameElement.prototype, 'contentWindow').get)],
      shape: [taken.fetch.name, taken.fetch.length, 'prototype' in taken.fetch, Object.getPrototypeOf(taken.fetch) === w.Function.prototype, taken.WebSocket.name, taken.WebSocket.length, taken.WebSocket.prototype === w.WebSocket.prototype, Object.getPrototypeOf(taken.WebSocket) === w.EventTarget],
      keys: Object.getOwnPropertyNames(w).filter((k) => !/^\d+$/.test(k)).length,
    };
    if (!calls) return out;
    // fetch, called as the page would call what it took (no receiver): its promise, response and
    // errors are the window's own.
    const fetch = taken.fetch;
    const good = fetch('/api/echo?from=adoption');
    const response = await settle(good);
    out.fetch = { promise: realm(w, good, 'Promise'), response: response.value ? realm(w, response.value, 'Response') : C.error(response.error), text: response.value ? C.echo(await response.value.text()).query : null };
    const bad = fetch('http://[');
    const badResult = await settle(bad);
    out.badUrl = { promise: realm(w, bad, 'Promise'), error: C.error(badResult.error), realm: realm(w, badResult.error, 'TypeError'), ours: ownStack(badResult.error) };
    const receiver = await settle(fetch.call({}, '/api/echo'));
    const ownReceiver = await settle(fetch.call(w, '/api/echo?from=adoption-receiver'));
    out.ownReceiver = ownReceiver.value ? realm(w, ownReceiver.value, 'Response') : C.error(ownReceiver.error);
    out.receiver = { error: C.error(receiver.error), realm: realm(w, receiver.error, 'TypeError') };
    const getterThrows = await settle(fetch({ toString() { throw new w.RangeError('page'); } }));
    out.getterThrows = { error: C.error(getterThrows.error), realm: realm(w, getterThrows.error, 'RangeError') };
    // WebSocket: instances, constructor links, errors.
    try {
      new taken.WebSocket('nope');
    } catch (error) {
      out.badSocket = { error: C.error(error), realm: realm(w, error, 'DOMException'), ours: ownStack(error) };
    }
    try {
      taken.WebSocket(`ws://${location.host}/x`);
    } catch (error) {
      out.callSocket = { error: C.error(error), realm: realm(w, error, 'TypeError') };
    }
    const ws = new taken.WebSocket(`ws://${location.host}/adoption`);
    out.socket = { proto: Object.getPrototypeOf(ws) === w.WebSocket.prototype, ctor: ws.constructor === taken.WebSocket, instance: ws instanceof taken.WebSocket, parentInstance: ws instanceof WebSocket };
    ws.close();
    class Sub extends taken.WebSocket {}
    const sub = new Sub(`ws://${location.host}/adoption-sub`);
    out.subclass = { proto: Object.getPrototypeOf(sub) === Sub.prototype, instance: sub instanceof taken.WebSocket };
    sub.close();
    // XMLHttpRequest, through the prototype method taken before.
    const xhr = new w.XMLHttpRequest();
    taken.open.call(xhr, 'GET', '/api/echo?from=adoption-xhr');
    out.xhr = { readyState: xhr.readyState, proto: Object.getPrototypeOf(xhr) === w.XMLHttpRequest.prototype };
    try {
      taken.open.call(xhr, 'BAD METHOD', '/');
    } catch (error) {
      out.xhr.badMethod = { error: C.error(error), realm: realm(w, error, 'DOMException'), ours: ownStack(error) };
    }
    return out;
  }

  /** This window's own `open`, which netlens hooks to reach the popups it opens. */
  function openShape() {
    const out = { name: window.open.name, length: window.open.length, descriptor: descriptor(window, 'open'), printed: Function.prototype.toString.call(window.open) };
    try {
      window.open('http://[', '_blank');
    } catch (error) {
      out.bad = { error: C.error(error), realm: error instanceof DOMException, ours: ownStack(error) };
    }
    try {
      Reflect.apply(window.open, {}, ['', '_blank']);
    } catch (error) {
      out.receiver = { error: C.error(error), ours: ownStack(error) };
    }
    return out;
  }

  /** A new window of `kind`, taken at once; whether its document will replace the initial one. */
  function make(kind) {
    const frame = (setup) => {
      const f = document.createElement('iframe');
      setup?.(f);
      const l = loaded(f);
      document.body.appendChild(f);
      return { f, l };
    };
    if (kind === 'about:blank') return { w: frame().f.contentWindow };
    if (kind === 'sandboxed, no scripts') return { w: frame((f) => f.setAttribute('sandbox', 'allow-same-origin')).f.contentWindow };
    if (kind === 'srcdoc') {
      const { f, l } = frame((f) => (f.srcdoc = '<p>srcdoc</p>'));
      return { w: f.contentWindow, l };
    }
    if (kind === 'same-origin src') {
      const { f, l } = frame((f) => (f.src = '/compliance-blank.html'));
      return { w: f.contentWindow, l };
    }
    if (kind === 'contentDocument.defaultView') {
      const { f, l } = frame((f) => (f.src = '/compliance-blank.html'));
      return { w: f.contentDocument.defaultView, l };
    }
    if (kind === 'innerHTML') {
      const d = document.body.appendChild(document.createElement('div'));
      d.innerHTML = '<iframe src="/compliance-blank.html"></iframe>';
      return { w: d.firstChild.contentWindow, l: loaded(d.firstChild) };
    }
    if (kind === 'nested') {
      const outer = frame().f;
      const inner = outer.contentDocument.createElement('iframe');
      inner.src = '/compliance-blank.html';
      const l = loaded(inner);
      outer.contentDocument.body.appendChild(inner);
      return { w: inner.contentWindow, l };
    }
    if (kind === 'frames[i]') {
      const { l } = frame((f) => (f.src = '/compliance-blank.html'));
      return { w: frames[frames.length - 1], l };
    }
    if (kind === 'popup') return { w: window.open('', '_blank'), popup: true };
    throw new Error(kind);
  }

  window.S = Object.assign(window.S || {}, {
    async adoption(kind) {
      const { w, l, popup } = make(kind);
      if (!w) return { blocked: true };
      const taken = { fetch: w.fetch, WebSocket: w.WebSocket, open: w.XMLHttpRequest.prototype.open, send: w.WebSocket.prototype.send, toString: w.Function.prototype.toString };
      // At once, before netlens's script could run there; calls only where no document replaces
      // this one (a navigation would cancel them, at a time the network decides).
      const atOnce = await look(w, taken, !l);
      const after = l ? await l.then(() => look(w, taken, true)) : undefined;
      if (popup) w.close();
      return { atOnce, after, open: popup ? openShape() : undefined };
    },
  });
})();
