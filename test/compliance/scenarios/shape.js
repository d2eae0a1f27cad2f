// What the patched functions look like from the page: toString, name, length, descriptors, chains.
(() => {
  const ts = Function.prototype.toString;
  function describeFn(fn) {
    if (typeof fn !== 'function') return { type: typeof fn };
    let ctor;
    try { Reflect.construct(String, [], fn); ctor = true; } catch { ctor = false; }
    let called;
    try { new fn(); called = 'constructed'; } catch (e) { called = `${e.constructor.name}: ${e.message}`; }
    return {
      toString: ts.call(fn), viaMethod: fn.toString(), concat: `${fn}`, name: fn.name, length: fn.length, isConstructor: ctor, newIt: called,
      own: Reflect.ownKeys(fn).map(String).sort(),
      ownDescriptors: Reflect.ownKeys(fn).map((k) => { const d = Object.getOwnPropertyDescriptor(fn, k); return [String(k), typeof d.value, typeof d.get, d.writable, d.enumerable, d.configurable]; }),
      hasPrototype: Object.prototype.hasOwnProperty.call(fn, 'prototype'),
      proto: Object.getPrototypeOf(fn) === Function.prototype,
      toStringIsShared: fn.toString === Function.prototype.toString,
    };
  }
  function describeDescriptor(owner, key) {
    const d = Object.getOwnPropertyDescriptor(owner, key);
    if (!d) return null;
    const out = { keys: Object.keys(d).sort(), writable: d.writable, enumerable: d.enumerable, configurable: d.configurable };
    for (const part of ['value', 'get', 'set']) if (part in d) out[part] = typeof d[part] === 'function' ? describeFn(d[part]) : typeof d[part];
    return out;
  }
  const allOwn = (owner) => Object.fromEntries(Reflect.ownKeys(owner).filter((k) => typeof k === 'string').map((k) => [k, describeDescriptor(owner, k)]));

  window.S = Object.assign(window.S || {}, {
    shapeXhr() {
      const x = new XMLHttpRequest();
      return {
        ctor: describeFn(XMLHttpRequest),
        ctorDescriptor: describeDescriptor(window, 'XMLHttpRequest'),
        proto: allOwn(XMLHttpRequest.prototype),
        statics: ['UNSENT', 'OPENED', 'HEADERS_RECEIVED', 'LOADING', 'DONE'].map((k) => [XMLHttpRequest[k], XMLHttpRequest.prototype[k], x[k]]),
        chain: (() => { const out = []; for (let p = x; p; p = Object.getPrototypeOf(p)) out.push(Object.prototype.toString.call(p) + ':' + (p.constructor && p.constructor.name)); return out; })(),
        instance: [x instanceof XMLHttpRequest, x instanceof XMLHttpRequestEventTarget, x instanceof EventTarget, x.upload instanceof XMLHttpRequestUpload],
        ownOfInstance: Reflect.ownKeys(x).map(String),
        tag: Object.prototype.toString.call(x),
        callNoNew: (() => { try { XMLHttpRequest(); return 'ok'; } catch (e) { return `${e.constructor.name}: ${e.message}`; } })(),
        illegal: (() => { try { XMLHttpRequest.prototype.send.call(1); return 'ok'; } catch (e) { return `${e.constructor.name}: ${e.message}`; } })(),
      };
    },
    shapeScript() {
      const s = document.createElement('script');
      const errorOf = (fn) => { try { fn(); return 'ok'; } catch (e) { return `${e.constructor.name}: ${e.message}`; } };
      return {
        ctor: describeFn(HTMLScriptElement),
        ctorDescriptor: describeDescriptor(window, 'HTMLScriptElement'),
        proto: allOwn(HTMLScriptElement.prototype),
        constructorLink: [s.constructor === HTMLScriptElement, HTMLScriptElement.prototype.constructor === HTMLScriptElement, s instanceof HTMLScriptElement],
        chain: Object.getPrototypeOf(HTMLScriptElement) === HTMLElement,
        supports: ['classic', 'module', 'importmap', 'speculationrules', 'nope'].map((t) => HTMLScriptElement.supports(t)),
        newIt: errorOf(() => new HTMLScriptElement()),
        callIt: errorOf(() => HTMLScriptElement()),
        cloneNode: describeDescriptor(Node.prototype, 'cloneNode'),
        importNode: describeDescriptor(Document.prototype, 'importNode'),
        createContextualFragment: describeDescriptor(Range.prototype, 'createContextualFragment'),
        frames: ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement'].map((n) => [allOwn(window[n].prototype), errorOf(() => Object.getOwnPropertyDescriptor(window[n].prototype, 'contentWindow').get.call({})), errorOf(() => Object.getOwnPropertyDescriptor(window[n].prototype, 'contentDocument').get.call(document.body))]),
        fragmentProto: allOwn(DocumentFragment.prototype),
        fragmentErrors: [() => DocumentFragment.prototype.append.call({}, 'x'), () => document.createDocumentFragment().append(document)].map(errorOf),
        detachedFrame: (() => { const f = document.createElement('iframe'); return [f.contentWindow, f.contentDocument]; })(),
        cloneErrors: [() => Node.prototype.cloneNode.call({}), () => document.importNode(document), () => document.importNode({}), () => document.createRange().createContextualFragment.call({}, '')].map(errorOf),
        subclass: (() => {
          class Mine extends HTMLScriptElement {}
          customElements.define('shape-script', Mine, { extends: 'script' });
          const m = new Mine();
          return [m instanceof Mine, m instanceof HTMLScriptElement, m.localName, m.outerHTML, Object.getPrototypeOf(Mine) === HTMLScriptElement, errorOf(() => new Mine())];
        })(),
      };
    },
    shapeFetch() {
      return {
        fetch: describeFn(fetch),
        descriptor: describeDescriptor(window, 'fetch'),
        selfIsWindow: self.fetch === window.fetch && globalThis.fetch === fetch,
        beacon: describeDescriptor(Navigator.prototype, 'sendBeacon'),
        ownBeacon: Object.prototype.hasOwnProperty.call(navigator, 'sendBeacon'),
        toString: describeDescriptor(Function.prototype, 'toString'),
        toStringOfToString: ts.call(ts),
        toStringErrors: [{}, null, 1, Symbol.iterator].map((v) => { try { return ts.call(v); } catch (e) { return `${e.constructor.name}: ${e.message}`; } }),
        toStringOfProxy: ts.call(new Proxy(function named() {}, {})),
        toStringOfBound: ts.call(fetch.bind(window)),
        boundName: fetch.bind(window).name,
        classToString: ts.call(class A { m() {} }),
        nativeCheck: /\{\s*\[native code\]\s*\}/.test(ts.call(XMLHttpRequest.prototype.open)),
        windowKeys: Object.keys(window).filter((k) => /netlens|__/i.test(k)),
        symbols: Object.getOwnPropertySymbols(window).map(String),
        responseProto: allOwn(Response.prototype),
        streamProto: allOwn(ReadableStream.prototype),
        readerProto: allOwn(ReadableStreamDefaultReader.prototype),
        byobProto: allOwn(ReadableStreamBYOBReader.prototype),
        asyncIteratorAlias: ReadableStream.prototype.values === ReadableStream.prototype[Symbol.asyncIterator],
        asyncIteratorProto: allOwn(Object.getPrototypeOf(new ReadableStream().values())),
        readerInstance: (() => { const r = new ReadableStream().getReader(); return [r instanceof ReadableStreamDefaultReader, Object.prototype.toString.call(r), r.read.name, r.read.length]; })(),
      };
    },
  });
})();
