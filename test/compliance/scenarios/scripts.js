// Script elements inserted by script, every way: what runs, in which order, what
// document.currentScript is, and the load/error events, as the page observes them.
(() => {
  window.PROBE = [];
  const probe = (name, extra = '') => `/script-probe.js?name=${name}${extra}`;
  const ran = (name) => PROBE.filter((p) => p.name === name);
  const events = [];
  // Every load/error of a script element, seen from the document in the capture phase.
  for (const where of [window, document]) {
    for (const type of ['load', 'error']) {
      where.addEventListener(type, (e) => {
        if (e.target && e.target.localName === 'script') events.push(`${where === window ? 'window' : 'document'}:${type}:${e.target.dataset.name}`);
      }, true);
    }
  }
  function watch(s, name) {
    s.dataset.name = name;
    s.onload = (e) => events.push(`${name}:onload:${ran(name).length}:${e.isTrusted}:${e.bubbles}:${e.cancelable}`);
    s.onerror = (e) => events.push(`${name}:onerror:${e.constructor.name}:${e.isTrusted}:${e.bubbles}`);
    s.addEventListener('load', () => events.push(`${name}:load`));
    s.addEventListener('error', () => events.push(`${name}:error`));
    return s;
  }
  /** Resolves once `s` fired load or error (a task later, so every listener has run). */
  const ended = (s) => new Promise((r) => {
    const done = () => setTimeout(r, 0);
    s.addEventListener('load', done, { once: true });
    s.addEventListener('error', done, { once: true });
  });
  const make = (name, src = probe(name), doc = document) => {
    const s = doc.createElement('script');
    if (src) s.src = src;
    return watch(s, name);
  };
  const box = () => document.body.appendChild(document.createElement('div'));
  /** Runs `insert(script)` for a new external script and waits for its end. */
  const via = async (name, insert, script = make(name)) => {
    const end = ended(script);
    const returned = insert(script);
    const connected = script.isConnected;
    await end;
    return { connected, returnedScript: returned === script, ran: ran(name), events: events.filter((e) => e.includes(name)) };
  };

  window.S = Object.assign(window.S || {}, {
    /** async=false scripts run in insertion order whatever order they arrive in; async/defer reflect. */
    async scrOrdered() {
      const names = [['o1', 60], ['o2', 0], ['o3', 30]];
      const scripts = names.map(([name, delay]) => {
        const s = make(name, probe(name, `&delay=${delay}`));
        const before = [s.async, s.defer];
        s.async = false;
        return { s, before, after: [s.async, s.defer, s.hasAttribute('async')] };
      });
      const ends = scripts.map(({ s }) => ended(s));
      for (const { s } of scripts) document.head.appendChild(s);
      await Promise.all(ends);
      const deferred = make('d1');
      deferred.defer = true;
      const d = await via('d1', (s) => document.head.appendChild(s), deferred);
      return { props: scripts.map(({ before, after }) => ({ before, after })), order: PROBE.filter((p) => p.name[0] === 'o'), events: events.filter((e) => /o\d/.test(e)), deferred: d };
    },
    /** document.currentScript: the element for classic scripts, inline or external; null in modules and outside. */
    async scrCurrentScript() {
      const inline = document.createElement('script');
      window.inlineEl = inline;
      inline.textContent = 'window.inlineCurrent = document.currentScript === window.inlineEl;';
      document.body.appendChild(inline);
      const mod = document.createElement('script');
      mod.type = 'module';
      mod.textContent = 'window.moduleCurrent = String(document.currentScript);';
      document.body.appendChild(mod);
      const external = await via('cs', (s) => document.body.appendChild(s));
      await C.until(() => window.moduleCurrent !== undefined);
      return { inline: window.inlineCurrent, module: window.moduleCurrent, external, outside: document.currentScript };
    },
    /** 404, 500, a network error, a script that throws: error or load, in order, nothing run. */
    async scrFailures() {
      const errors = [];
      const onError = (e) => errors.push([e.message, e.filename.replace(location.origin, ''), e.lineno]);
      window.addEventListener('error', onError);
      const out = {
        notFound: await via('nf', (s) => document.body.appendChild(s), make('nf', '/missing-script.js?name=nf')),
        serverError: await via('se', (s) => document.body.appendChild(s), make('se', '/api/status?code=500&name=se')),
        dropped: await via('dr', (s) => document.body.appendChild(s), make('dr', '/api/drop?name=dr')),
        syntaxError: await via('sx', (s) => document.body.appendChild(s), make('sx', '/api/status?code=200&name=sx')),
        badUrl: await via('bu', (s) => document.body.appendChild(s), make('bu', 'http://[')),
      };
      window.removeEventListener('error', onError);
      out.errors = errors;
      return out;
    },
    /** Every DOM way to insert a created script: each runs once and fires load. */
    async scrInsertions() {
      const out = {};
      out.appendChild = await via('i-appendChild', (s) => box().appendChild(s));
      out.insertBefore = await via('i-insertBefore', (s) => { const b = box(); return b.insertBefore(s, b.appendChild(document.createElement('i'))); });
      out.replaceChild = await via('i-replaceChild', (s) => { const b = box(); return b.replaceChild(s, b.appendChild(document.createElement('i'))); });
      out.append = await via('i-append', (s) => box().append('text', s));
      out.prepend = await via('i-prepend', (s) => box().prepend(s));
      out.before = await via('i-before', (s) => box().appendChild(document.createElement('i')).before(s));
      out.after = await via('i-after', (s) => box().appendChild(document.createTextNode('t')).after(s));
      out.replaceWith = await via('i-replaceWith', (s) => box().appendChild(document.createComment('c')).replaceWith(s));
      out.replaceChildren = await via('i-replaceChildren', (s) => box().replaceChildren(s));
      out.insertAdjacentElement = await via('i-insertAdjacentElement', (s) => box().insertAdjacentElement('afterbegin', s));
      out.rangeInsertNode = await via('i-rangeInsertNode', (s) => { const r = document.createRange(); r.selectNodeContents(box()); r.insertNode(s); });
      out.fragment = await via('i-fragment', (s) => { const f = document.createDocumentFragment(); f.appendChild(s); box().append(f); });
      out.nested = await via('i-nested', (s) => { const d = document.createElement('div'); d.appendChild(document.createElement('p')).appendChild(s); document.body.insertBefore(d, null); });
      out.srcLater = await via('i-srcLater', (s) => { box().appendChild(s); s.src = probe('i-srcLater'); }, make('i-srcLater', ''));
      out.setAttributeLater = await via('i-setAttribute', (s) => { box().appendChild(s); s.setAttribute('src', probe('i-setAttribute')); }, make('i-setAttribute', ''));
      out.attrNode = await via('i-attrNode', (s) => { box().appendChild(s); const a = document.createAttribute('src'); a.value = probe('i-attrNode'); s.setAttributeNode(a); }, make('i-attrNode', ''));
      out.clone = await via('i-clone', (s) => box().appendChild(s), watch(make('ignored-original', probe('i-clone')).cloneNode(true), 'i-clone'));
      out.importNode = await via('i-importNode', (s) => box().appendChild(s), watch(document.importNode(make('ignored-import', probe('i-importNode'))), 'i-importNode'));
      out.fromOtherDocument = await via('i-otherDoc', (s) => box().appendChild(s), make('i-otherDoc', probe('i-otherDoc'), document.implementation.createHTMLDocument('')));
      class Script extends HTMLScriptElement {}
      customElements.define('probe-script', Script, { extends: 'script' });
      out.customized = await via('i-customized', (s) => box().appendChild(s), (() => { const s = new Script(); s.src = probe('i-customized'); return watch(s, 'i-customized'); })());
      out.customizedByName = await via('i-isOption', (s) => box().appendChild(s), make('i-isOption', probe('i-isOption'), { createElement: (n) => document.createElement(n, { is: 'probe-script' }) }));
      out.intoFrame = await via('i-intoFrame', (s) => document.body.appendChild(document.createElement('iframe')).contentDocument.body.appendChild(s));
      out.shadow = await via('i-shadow', (s) => box().attachShadow({ mode: 'open' }).appendChild(s));
      out.shadowAppend = await via('i-shadowAppend', (s) => box().attachShadow({ mode: 'open' }).append(s));
      out.shadowSetAttribute = await via('i-shadowSetAttribute', (s) => { box().attachShadow({ mode: 'open' }).append(s); s.setAttribute('src', probe('i-shadowSetAttribute')); }, make('i-shadowSetAttribute', ''));
      return out;
    },
    /** Scripts made by a parser: innerHTML ones never run; createContextualFragment and document.write ones do. */
    async scrParsed() {
      const out = {};
      const b = box();
      b.innerHTML = `<script>window.innerRan = true<\/script><script src="${probe('p-inner')}" data-name="p-inner"><\/script>`;
      out.innerHTML = { inlineRan: window.innerRan === true, scripts: b.querySelectorAll('script').length };
      b.insertAdjacentHTML('beforeend', '<script>window.adjacentRan = true<\/script>');
      out.insertAdjacentHTML = window.adjacentRan === true;
      const parsed = new DOMParser().parseFromString(`<script>window.domParserRan = true<\/script>`, 'text/html').querySelector('script');
      box().appendChild(parsed);
      out.domParserMoved = window.domParserRan === true;
      const range = document.createRange();
      range.selectNodeContents(box());
      const frag = range.createContextualFragment(`<script>window.contextualRan = (window.contextualRan || 0) + 1<\/script><script src="${probe('p-contextual')}" data-name="p-contextual"><\/script>`);
      out.contextualBefore = window.contextualRan === undefined;
      const ext = frag.querySelectorAll('script')[1];
      watch(ext, 'p-contextual');
      const end = ended(ext);
      range.insertNode(frag);
      out.contextualInline = window.contextualRan;
      await end;
      out.contextual = { ran: ran('p-contextual'), events: events.filter((e) => e.includes('p-contextual')), async: ext.async };
      const frag2 = document.createRange().createContextualFragment(`<script src="${probe('p-contextual2')}"><\/script>`);
      const ext2 = watch(frag2.firstChild, 'p-contextual2');
      const end2 = ended(ext2);
      box().append(frag2);
      await end2;
      out.contextualAppend = { ran: ran('p-contextual2').length };
      const iframe = document.createElement('iframe');
      document.body.appendChild(iframe);
      const doc = iframe.contentDocument;
      doc.open();
      doc.write(`<script src="${probe('p-write')}" data-name="p-write"><\/script><p>after</p>`);
      doc.close();
      await C.until(() => ran('p-write').length > 0);
      out.write = { ran: ran('p-write'), paragraph: doc.querySelectorAll('p').length };
      out.innerRanLater = ran('p-inner').length;
      return out;
    },
  });
})();
