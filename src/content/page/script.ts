import type { Payload } from '../../shared/protocol';
import { textPayload } from './body';
import type { Sink } from './channel';
import {
  NativeString,
  NativeURL,
  SafeWeakMap,
  SafeWeakSet,
  R,
  S,
  addEventListener,
  append,
  arrayIsArray,
  at,
  fnToString,
  getter,
  globalObject,
  hasOwn,
  join,
  jsonStringify,
  put,
  queueMicrotask,
  reTest,
  setTimeoutNative,
  withValue,
} from './natives';
import { createSafeJson } from './safe-json';
import type { Uninstall } from './patch';
import { adoptInsertedFrames, frameCount, patchAccessor, patchMethod, proxy, sharedState } from './patch';
import { stackHere } from './util';
import { eventTypeOf, isTrusted, watchConstruction } from './events';

const SP = HTMLScriptElement.prototype;
const srcOf = getter<string>(SP, 'src');
const typeOf = getter<string>(SP, 'type');
const noModuleOf = getter<boolean>(SP, 'noModule');
const isConnected = getter<boolean>(Node.prototype, 'isConnected');
const ownerDocumentOf = getter<Document | null>(Node.prototype, 'ownerDocument');
const defaultViewOf = getter<object | null>(Document.prototype, 'defaultView');
const nodeTypeOf = getter<number>(Node.prototype, 'nodeType');
const localNameOf = getter<string>(Element.prototype, 'localName');
const namespaceOf = getter<string | null>(Element.prototype, 'namespaceURI');
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const textContentOf = getter<string | null>(Node.prototype, 'textContent');
const elementHasAttributes = Element.prototype.hasAttributes;
const hasAttributes = (el: object) => R.apply(elementHasAttributes, el, []) as boolean;
const elementQueryAll = Element.prototype.querySelectorAll;
const fragmentQueryAll = DocumentFragment.prototype.querySelectorAll;
const nodeListLength = getter<number>(NodeList.prototype, 'length');
const nodeListItem = NodeList.prototype.item;
const documentScripts = getter<HTMLCollection>(Document.prototype, 'scripts');
const collectionLength = getter<number>(HTMLCollection.prototype, 'length');
const collectionItem = HTMLCollection.prototype.item;
const urlSearch = getter<string>(NativeURL.prototype, 'search');
const decode = decodeURIComponent;
const targetOf = getter<object | null>(Event.prototype, 'target');
const currentScriptOf = getter<object | null>(Document.prototype, 'currentScript');
const test = reTest;
/** application/x-www-form-urlencoded value → text, with natives only. */
const formDecode = (s: string) => decode(join(S.split(s, '+'), ' '));

const JS_TYPE = /^(?:|module|(?:text|application)\/(?:x-)?(?:java|ecma)script|text\/jscript|text\/livescript|text\/javascript1\.[0-5])$/i;
/** Query parameters that name a JSONP callback by convention. */
const CALLBACK_PARAM = /^(?:_?callback|cb|jsonp|jsoncallback|jsonpcallback|json_callback|jsonp_callback|callbackname|callback_name|jsonpcb|jcb)$/i;
const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*){0,7}$/;
const PAYLOAD_CAP = 256 * 1024;
/** `via` of a script recorded by the catch-all, at its load/error. */
const LATE = 'load-event';

interface Callback {
  param: string;
  path: string;
}

interface Wrapped {
  owner: object;
  key: string;
  desc: PropertyDescriptor;
  original: Function;
  wrapper: Function;
  /** Scripts still loading that will call this callback. */
  waiting: ScriptState[];
}

interface ScriptState {
  id: string;
  script: object;
  callback?: Callback;
  wrapped?: Wrapped;
  called: boolean;
  threw?: string;
  done: boolean;
  /** Seen only at its load/error (the catch-all): its callback, if any, has already run unseen. */
  late: boolean;
}

/**
 * Script elements inserted by script (JSONP and plain dynamic scripts). A script the HTML parser
 * made (the page's own markup, innerHTML, insertAdjacentHTML, DOMParser) is "already started"
 * and never runs when page code moves it (HTML § prepare the script element, step 5), so only
 * scripts page code made runnable are candidates:
 * - document.createElement / createElementNS, and `new` of a customized built-in (the
 *   HTMLScriptElement constructor);
 * - Range.createContextualFragment, whose parser leaves its scripts runnable (HTML § fragment
 *   parsing for createContextualFragment: "already started" unset);
 * - clones (cloneNode, importNode) of a candidate: cloning copies the flag;
 * - document.write / writeln, by the document's scripts before and after the call.
 * A candidate is recorded, in real time, when a proxied insertion method (appendChild,
 * insertBefore, append, before, replaceWith, Range.insertNode…, a fragment carrying it too) or
 * the src setter connects it with a src. Any other way it starts (setAttribute('src'), an Attr
 * node, a method we do not proxy) is caught by one catch-all: our load/error listeners (capture
 * phase on window and document, and on each candidate itself for shadow trees and other
 * documents) see the candidate end, and record it then (`via: 'load-event'`: its start is the
 * time of that event, and a JSONP callback has already run unseen). Candidates are shared by the
 * tab's same-origin realms (sharedState), so a script made in one frame and run in another's
 * document is recorded once, by the realm that first sees it start.
 *
 * JSONP: the callback named in the URL is resolved on window and, while the script loads, its
 * property holds a proxy of the page's function. The proxy puts the original back before calling
 * it (same this, arguments, return value and exceptions), so during the call and after it the
 * page sees exactly its own function; at load/error the original is put back too if the page
 * did not change the property meanwhile.
 */
export function installScript(sink: Sink): Uninstall {
  /**
   * Candidates (scripts page code made runnable, see above) not yet seen starting, shared by the
   * same-origin realms of the tab: a script made in one may be inserted into another's document.
   */
  const candidates = sharedState('script-candidates', () => ({ set: new SafeWeakSet<object>(), count: 0 }));
  const created = candidates.set;
  const note = (el: object) => {
    if (!created.has(el)) {
      created.add(el);
      candidates.count++;
      // The catch-all on the element too: its load/error never reaches our document listeners
      // from a shadow tree or from another document.
      R.apply(addEventListener, el, ['load', first]);
      R.apply(addEventListener, el, ['error', first]);
    }
  };
  /** Scripts already recorded (or started inline): never recorded twice. */
  const started = new SafeWeakSet<object>();

  const forget = (script: object) => {
    if (created.has(script)) {
      created.delete(script);
      candidates.count--;
    }
  };

  const collect = (args: unknown[]): object[] | undefined => {
    let out: object[] | undefined;
    const add = (node: object) => {
      out ??= [];
      append(out, node);
    };
    for (let i = 0; i < args.length; i++) {
      const node = args[i];
      if (node === null || typeof node !== 'object') continue;
      if (created.has(node)) {
        add(node);
        continue;
      }
      // A brand check, not instanceof (the page's Symbol.hasInstance, a Proxy's traps).
      const type = nodeTypeOrZero(node);
      if (type !== 1 && type !== 11) continue;
      const list = R.apply(type === 1 ? elementQueryAll : fragmentQueryAll, node, ['script']) as NodeList;
      const n = nodeListLength(list);
      for (let j = 0; j < n; j++) {
        const s = R.apply(nodeListItem, list, [j]) as object;
        if (created.has(s)) add(s);
      }
    }
    return out;
  };

  const consider = (script: object, via: string) => {
    // A document without a browsing context (createHTMLDocument, a template's content) runs no script.
    if (started.has(script) || !isConnected(script) || !defaultViewOf(ownerDocumentOf(script))) return;
    const src = srcOf(script);
    if (!src) {
      // Inline text runs at insertion, and then a later src does nothing.
      if (textContentOf(script)) {
        started.add(script);
        forget(script);
      }
      return;
    }
    started.add(script);
    forget(script);
    const type = S.trim(typeOf(script));
    if (!test(JS_TYPE, type) || noModuleOf(script)) return;
    record(script, src, via);
  };

  const record = (script: object, url: string, via: string) => {
    const callback = findCallback(url);
    const late = via === LATE;
    const state: ScriptState = { id: sink.nextId(callback ? 'jsonp' : 'script'), script, callback, wrapped: undefined, called: false, threw: undefined, done: false, late };
    sink.emit({
      type: 'start',
      id: state.id,
      t: sink.now(),
      kind: callback ? 'jsonp' : 'script',
      method: 'GET',
      url,
      headers: [],
      meta: { via, ...(callback ? { callback: callback.path, callbackParam: callback.param } : {}) },
      stack: stackHere(),
    });
    if (callback && !late) {
      wrap(state);
      // Pages often define the callback right after inserting the script: try again before it
      // can possibly run (it needs at least a network round trip and a task).
      if (!state.wrapped) {
        queueMicrotask(() => wrap(state));
        setTimeoutNative(() => wrap(state), 0);
      }
    }
    const onEnd = (event: Event) => {
      if (!isTrusted(event)) return;
      finish(state, eventTypeOf(event) === 'load');
    };
    ending.set(script, onEnd);
    // Fallback for a script that ends up in another document than ours.
    R.apply(addEventListener, script, ['load', onEnd]);
    R.apply(addEventListener, script, ['error', onEnd]);
  };

  // The page's function must be back before any page listener sees the load/error: ours on
  // document (load, which never reaches window) and window (error), capturing, registered before
  // any page script ran, are the first listeners of these events.
  const ending = new SafeWeakMap<object, (event: Event) => void>();
  /** Our first listener of every script's load/error (see `wheres`), and the catch-all. */
  function first(event: Event) {
    const target = targetOf(event);
    if (!target) return;
    if (!ending.has(target) && created.has(target) && isTrusted(event)) {
      // The catch-all: a candidate that started in a way no proxy of ours saw.
      try {
        consider(target, LATE);
      } catch (error) {
        sink.fail('script:load-event', error);
      }
    }
    const onEnd = ending.get(target);
    if (onEnd) onEnd(event);
  }
  const wheres: object[] = [globalObject, document];
  for (let i = 0; i < wheres.length; i++) {
    R.apply(addEventListener, wheres[i], ['load', first, true]);
    R.apply(addEventListener, wheres[i], ['error', first, true]);
  }

  /** One proxy per callback property, shared by every script waiting on the same name. */
  const shared = new SafeWeakMap<Function, Wrapped>();

  const wrap = (state: ScriptState) => {
    if (state.wrapped || state.done || state.called || !state.callback) return;
    try {
      const found = resolvePath(state.callback.path);
      if (!found || typeof found.desc.value !== 'function') return;
      const existing = shared.get(found.desc.value as Function);
      if (existing) {
        append(existing.waiting, state);
        state.wrapped = existing;
        return;
      }
      if (!found.desc.writable && !found.desc.configurable) return;
      const original = found.desc.value as Function;
      const w: Wrapped = { ...found, original, wrapper: original, waiting: [state] };
      w.wrapper = proxy(original, {
        apply(target, thisArg, args: unknown[]) {
          const mine = callerOf(w);
          if (!mine) return R.apply(target, thisArg, args);
          mine.called = true;
          remove(w.waiting, mine);
          // The page's own function is back before it runs: inside the call and after it the
          // page sees exactly what it stored.
          if (!w.waiting.length) unwrap(w);
          // What the callback received: its one argument, or the list of them when several.
          const count = args.length;
          const payload = payloadOf(count > 1 ? args : at(args, 0));
          const path = mine.callback!.path;
          try {
            const result = R.apply(target, thisArg, args);
            sink.emit({ type: 'jsonp', id: mine.id, t: sink.now(), callback: path, called: true, args: count, payload });
            return result;
          } catch (error) {
            mine.threw = errorText(error);
            sink.emit({ type: 'jsonp', id: mine.id, t: sink.now(), callback: path, called: true, args: count, payload, threw: mine.threw });
            throw error;
          }
        },
      });
      if (R.defineProperty(found.owner, found.key, withValue(found.desc, w.wrapper))) {
        shared.set(w.wrapper, w);
        state.wrapped = w;
      }
    } catch (error) {
      sink.fail('script:wrap', error);
    }
  };

  /** The script whose response is calling: document.currentScript, or the only one waiting. */
  const callerOf = (w: Wrapped): ScriptState | undefined => {
    const current = currentScriptOf(document);
    const waiting = w.waiting;
    for (let i = 0; i < waiting.length; i++) if (waiting[i].script === current) return waiting[i];
    return current === null && waiting.length === 1 ? waiting[0] : undefined;
  };

  const release = (state: ScriptState) => {
    const w = state.wrapped;
    if (!w) return;
    remove(w.waiting, state);
    if (!w.waiting.length) unwrap(w);
  };

  const finish = (state: ScriptState, loaded: boolean) => {
    if (state.done) return;
    state.done = true;
    try {
      release(state);
      const t = sink.now();
      if (!loaded) {
        // A JSONP script that failed (404, network error) never called its callback.
        if (state.callback && !state.called) sink.emit({ type: 'jsonp', id: state.id, t, callback: state.callback.path, called: false });
        sink.emit({ type: 'end', id: state.id, t, outcome: 'error', error: 'script failed to load' });
        return;
      }
      if (state.callback && !state.called && !state.late) {
        if (state.wrapped) {
          sink.emit({ type: 'jsonp', id: state.id, t, callback: state.callback.path, called: false });
          sink.emit({ type: 'end', id: state.id, t, outcome: 'error', error: 'JSONP callback was not called' });
          return;
        }
        sink.emit({ type: 'step', id: state.id, t, step: 'callback-not-found', detail: { callback: state.callback.path } });
      }
      if (state.threw) sink.emit({ type: 'end', id: state.id, t, outcome: 'error', error: `JSONP callback threw: ${state.threw}` });
      else sink.emit({ type: 'end', id: state.id, t, outcome: 'ok' });
    } catch (error) {
      sink.fail('script:finish', error);
    }
  };

  const insertion = (owner: object, key: string, via: string) =>
    patchMethod<(...args: unknown[]) => unknown>(owner, key, () => ({
      apply(target, self, args: unknown[]) {
        const frames = frameCount();
        if (candidates.count <= 0) {
          const result = R.apply(target, self, args);
          adoptInsertedFrames(frames);
          return result;
        }
        let inserted: object[] | undefined;
        try {
          inserted = collect(args);
        } catch (error) {
          sink.fail(`script:${via}`, error);
        }
        const result = R.apply(target, self, args);
        adoptInsertedFrames(frames);
        if (inserted) {
          for (let i = 0; i < inserted.length; i++) {
            try {
              consider(inserted[i], via);
            } catch (error) {
              sink.fail(`script:${via}`, error);
            }
          }
        }
        return result;
      },
    }));

  const write = (key: 'write' | 'writeln') =>
    patchMethod<Document['write']>(Document.prototype, key, () => ({
      apply(target, doc: Document, args: unknown[]) {
        const frames = frameCount();
        let before: SafeWeakSet<object> | undefined;
        try {
          for (let i = 0; i < args.length; i++) {
            const a = args[i];
            if (typeof a === 'string' && test(/<script/i, a)) {
              before = scriptSet(doc);
              break;
            }
          }
        } catch (error) {
          sink.fail('script:write', error);
        }
        const result = R.apply(target, doc, args);
        adoptInsertedFrames(frames);
        if (before) {
          try {
            const all = documentScripts(doc);
            const n = collectionLength(all);
            for (let i = 0; i < n; i++) {
              const s = R.apply(collectionItem, all, [i]) as object;
              if (!before.has(s)) consider(s, `document.${key}`);
            }
          } catch (error) {
            sink.fail('script:write', error);
          }
        }
        return result;
      },
    }));

  const N = Node.prototype;
  const E = Element.prototype;
  const D = Document.prototype;
  /** Scripts the page creates: watched until they are inserted. */
  const noteCreated = <F extends Function>(): ProxyHandler<F> => ({
      apply(target, doc, args: unknown[]) {
        const el = R.apply(target, doc, args) as object;
        if (isHtmlScript(el)) note(el);
        return el;
      },
  });
  /** Every script in what a call returned (a fragment, an element, a script): candidates. */
  const noteAllIn = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    if (isHtmlScript(node)) return note(node);
    const type = nodeTypeOrZero(node);
    if (type !== 1 && type !== 11) return;
    const list = R.apply(type === 1 ? elementQueryAll : fragmentQueryAll, node, ['script']) as NodeList;
    const n = nodeListLength(list);
    for (let i = 0; i < n; i++) {
      const el = R.apply(nodeListItem, list, [i]) as object;
      if (isHtmlScript(el)) note(el);
    }
  };
  /** The scripts of `copy` whose originals in `source` are candidates: candidates too (a clone keeps the flag). */
  const noteClones = (source: unknown, copy: unknown) => {
    if (source === null || typeof source !== 'object' || copy === null || typeof copy !== 'object') return;
    if (created.has(source)) return note(copy);
    const type = nodeTypeOrZero(source);
    if ((type !== 1 && type !== 11) || nodeTypeOrZero(copy) !== type) return;
    const query = type === 1 ? elementQueryAll : fragmentQueryAll;
    const from = R.apply(query, source, ['script']) as NodeList;
    const to = R.apply(query, copy, ['script']) as NodeList;
    const n = nodeListLength(from);
    // A shallow clone has none of them.
    if (nodeListLength(to) !== n) return;
    for (let i = 0; i < n; i++) if (created.has(R.apply(nodeListItem, from, [i]) as object)) note(R.apply(nodeListItem, to, [i]) as object);
  };
  const cloning = <F extends Function>(sourceOf: (self: unknown, args: unknown[]) => unknown): ProxyHandler<F> => ({
    apply(target, self, args: unknown[]) {
      const copy = R.apply(target, self, args);
      if (candidates.count > 0) {
        try {
          noteClones(sourceOf(self, args), copy);
        } catch (error) {
          sink.fail('script:clone', error);
        }
      }
      return copy;
    },
  });
  const uninstalls: Uninstall[] = [
    patchMethod<Document['createElement']>(D, 'createElement', noteCreated),
    patchMethod<Document['createElementNS']>(D, 'createElementNS', noteCreated),
    // `new` of a customized built-in (class X extends HTMLScriptElement). An element the parser
    // made already has its attributes when its constructor runs (an upgrade): not a candidate.
    watchConstruction<typeof HTMLScriptElement>(sink, 'HTMLScriptElement', SP, 'script:construct', (el) => {
      if (isHtmlScript(el) && !hasAttributes(el)) note(el);
    }),
    patchMethod<Range['createContextualFragment']>(Range.prototype, 'createContextualFragment', () => ({
      apply(target, range, args: unknown[]) {
        const fragment = R.apply(target, range, args);
        try {
          noteAllIn(fragment);
        } catch (error) {
          sink.fail('script:createContextualFragment', error);
        }
        return fragment;
      },
    })),
    patchMethod<Node['cloneNode']>(N, 'cloneNode', () => cloning((self) => self)),
    patchMethod<Document['importNode']>(D, 'importNode', () => cloning((_, args) => at(args, 0))),
    insertion(N, 'appendChild', 'appendChild'),
    insertion(N, 'insertBefore', 'insertBefore'),
    insertion(N, 'replaceChild', 'replaceChild'),
    insertion(Range.prototype, 'insertNode', 'Range.insertNode'),
    write('write'),
    write('writeln'),
    // src set on a connected script that has not started yet starts it (HTML § "src attribute set").
    patchAccessor(SP, 'src', {
      set: {
        apply(target, self: object, args: unknown[]) {
          const result = R.apply(target, self, args);
          try {
            if (self !== null && typeof self === 'object' && created.has(self)) consider(self, 'src');
          } catch (error) {
            sink.fail('script:src', error);
          }
          return result;
        },
      },
    }),
  ];
  const methods: [object, string[]][] = [
    [E, ['append', 'prepend', 'after', 'before', 'replaceWith', 'replaceChildren', 'insertAdjacentElement']],
    [D, ['append', 'prepend', 'replaceChildren']],
    // A ShadowRoot's append/prepend/replaceChildren are DocumentFragment's.
    [DocumentFragment.prototype, ['append', 'prepend', 'replaceChildren']],
    [CharacterData.prototype, ['after', 'before', 'replaceWith']],
    [DocumentType.prototype, ['after', 'before', 'replaceWith']],
  ];
  for (let i = 0; i < methods.length; i++) {
    const keys = methods[i][1];
    for (let k = 0; k < keys.length; k++) append(uninstalls, insertion(methods[i][0], keys[k], keys[k]));
  }
  return () => {
    for (let i = 0; i < uninstalls.length; i++) uninstalls[i]();
  };
}

/** A node's type through the native getter; 0 for anything that is not a node of any realm. */
function nodeTypeOrZero(value: object): number {
  try {
    return nodeTypeOf(value);
  } catch {
    return 0;
  }
}

/**
 * What createElement/createElementNS returned is an HTMLScriptElement (what `instanceof` said,
 * customized built-ins included): an element named `script` in the HTML namespace.
 */
function isHtmlScript(el: object): boolean {
  try {
    return localNameOf(el) === 'script' && namespaceOf(el) === HTML_NS;
  } catch {
    return false;
  }
}

function scriptSet(doc: Document): SafeWeakSet<object> {
  const set = new SafeWeakSet<object>();
  const all = documentScripts(doc);
  const n = collectionLength(all);
  for (let i = 0; i < n; i++) set.add(R.apply(collectionItem, all, [i]) as object);
  return set;
}

/** The callback named in a script URL: a conventional parameter, or any value naming a page function. */
export function findCallback(url: string): Callback | undefined {
  let search = '';
  try {
    search = urlSearch(new NativeURL(url));
  } catch {
    return undefined;
  }
  if (search.length < 2) return undefined;
  const names: string[] = [];
  const values: string[] = [];
  const parts = S.split(S.slice(search, 1), '&');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const at = S.indexOf(part, '=');
    if (at <= 0) continue;
    try {
      const name = formDecode(S.slice(part, 0, at));
      const value = formDecode(S.slice(part, at + 1));
      append(names, name);
      append(values, value);
    } catch {
      // Malformed escapes: not a callback name anyway.
    }
  }
  for (let i = 0; i < names.length; i++) if (test(CALLBACK_PARAM, names[i]) && test(PATH, values[i])) return { param: names[i], path: values[i] };
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const value = values[i];
    if (!test(PATH, value)) continue;
    const found = resolvePath(value);
    const fn = found?.desc.value;
    if (typeof fn === 'function' && !isNative(fn)) return { param: name, path: value };
  }
  return undefined;
}

/**
 * `a.b.c` on window through data properties only: no getter of the page runs. Returns where the
 * last property lives as an own property.
 */
function resolvePath(path: string): { owner: object; key: string; desc: PropertyDescriptor } | undefined {
  const parts = S.split(path, '.');
  let obj: unknown = globalObject;
  for (let i = 0; i < parts.length; i++) {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return undefined;
    const desc = R.getOwnPropertyDescriptor(obj as object, parts[i]);
    if (!desc || !hasOwn(desc, 'value')) return undefined;
    if (i === parts.length - 1) return { owner: obj as object, key: parts[i], desc };
    obj = desc.value;
  }
  return undefined;
}

function isNative(fn: Function): boolean {
  try {
    const text = R.apply(fnToString, fn, []) as string;
    return S.slice(text, text.length - 17) === '{ [native code] }';
  } catch {
    return true;
  }
}

const safeJson = createSafeJson({
  ownKeys: R.ownKeys as (o: object) => (string | symbol)[],
  ownDescriptor: R.getOwnPropertyDescriptor,
  hasOwn,
  isArray: arrayIsArray,
  quote: (s) => jsonStringify(s) as string,
  toString: (v) => NativeString(v),
  slice: (s, a, b) => S.slice(s, a, b),
  append,
});

function payloadOf(value: unknown): Payload {
  try {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return { encoding: 'none', data: '', size: -1, truncated: false, source: typeof value };
    // Our own serializer: JSON.stringify would run the page's getters and toJSON.
    const { text, complete } = safeJson(value, PAYLOAD_CAP);
    const payload = textPayload(text, 'json', 'application/json');
    if (!complete) {
      payload.truncated = true;
      payload.size = -1;
    }
    return payload;
  } catch {
    return { encoding: 'none', data: '', size: -1, truncated: false, source: 'unserializable' };
  }
}

/** What was thrown, read through data properties only (no page getter or toString runs). */
function errorText(error: unknown): string {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return typeof error === 'symbol' ? 'Symbol' : NativeString(error);
  const read = (key: string): string | undefined => {
    let o: object | null = error as object;
    for (let depth = 0; o && depth < 8; depth++) {
      const desc = R.getOwnPropertyDescriptor(o, key);
      if (desc) return hasOwn(desc, 'value') && typeof desc.value === 'string' ? desc.value : undefined;
      o = R.getPrototypeOf(o) as object | null;
    }
    return undefined;
  };
  const name = read('name') ?? 'Error';
  const message = read('message');
  return message ? `${name}: ${message}` : name;
}

function remove<T>(list: T[], item: T) {
  let j = 0;
  for (let i = 0; i < list.length; i++) if (list[i] !== item) put(list, j++, list[i]);
  list.length = j;
}

function unwrap(w: Wrapped) {
  try {
    const now = R.getOwnPropertyDescriptor(w.owner, w.key);
    if (now && R.getOwnPropertyDescriptor(now, 'value') && now.value === w.wrapper) R.defineProperty(w.owner, w.key, withValue(now, w.original));
  } catch {
    // A frozen registry: leave it.
  }
}
