import {
  FunctionPrototype,
  NativeCustomEvent,
  NativeDOMException,
  NativeError,
  NativeProxy,
  NativeString,
  SafeWeakMap,
  SafeWeakSet,
  R,
  S,
  addEventListener,
  append,
  at,
  detached,
  dispatchEvent,
  fnToString,
  getter,
  globalObject,
  hasOwn,
  isError,
  join,
  objectCreate,
  own,
  reTest,
  stopImmediatePropagation,
  withValue,
} from './natives';
import { isOwnFrame } from './util';

/**
 * Patches go through Proxies so the page keeps `name`, `length`, statics, `instanceof`,
 * prototype chains and subclassing. The only leak a Proxy has is `Function.prototype.toString`
 * ("function () { [native code] }" without the name), so toString is proxied too and reports the
 * original's text for every proxy we made. Links live in a WeakMap, never on visible properties.
 *
 * Every same-origin realm of a tab (frames, about:blank and srcdoc iframes, popups) gets this
 * script before its first page script, and they share one map (see joinRealms): the toString of
 * any of them prints the proxies of all of them as their originals, as a page comparing
 * `iframe.contentWindow.Function.prototype.toString.call(fetch)` with native expects.
 */
let originals = new SafeWeakMap<object, Function>();
/** Named state the installs share across same-origin realms (see sharedState), no prototype. */
let state = objectCreate(null) as Record<string, unknown>;

declare const __NETLENS_REALM_EVENT__: string | undefined;
/**
 * The event a new realm dispatches on its parent and opener to join their map. Its type is a
 * random name fixed at build time (vite.config.ts): the page cannot listen for it, nor forge it.
 */
const REALM_EVENT = typeof __NETLENS_REALM_EVENT__ === 'string' ? __NETLENS_REALM_EVENT__ : 'netlens-realm';
const detailOf = (event: Event) => R.apply(R.getOwnPropertyDescriptor(NativeCustomEvent.prototype, 'detail')!.get!, event, []) as unknown;

/**
 * Joins this realm to the map of proxies of its same-origin relatives, and serves it to the
 * realms that will open from this one. Call once, before the first proxy is made.
 *
 * A realm asks its parent, then its opener, with a synchronous CustomEvent on that window: the
 * relative's listener, registered at its own document_start (so before any listener of its page,
 * which never sees the event: propagation stops there), puts its map in the event's detail. A
 * cross-origin relative refuses the dispatch (SecurityError): this realm keeps a map of its own,
 * as it must, since its functions are out of the other's reach anyway.
 */
export function joinRealms(): void {
  const relatives = ['parent', 'opener'];
  for (let i = 0; i < relatives.length; i++) {
    try {
      const get = R.getOwnPropertyDescriptor(globalObject, relatives[i])?.get;
      const relative = get ? (R.apply(get, globalObject, []) as object | null) : null;
      if (!relative || relative === globalObject) continue;
      const ask = objectCreate(null) as object;
      R.apply(dispatchEvent, relative, [new NativeCustomEvent(REALM_EVENT, { __proto__: null, detail: ask } as CustomEventInit)]);
      const registry = own(ask, 'registry') as SafeWeakMap<object, Function> | undefined;
      const theirs = own(ask, 'state') as Record<string, unknown> | undefined;
      if (registry && theirs) {
        originals = registry;
        state = theirs;
        break;
      }
    } catch {
      // Cross-origin, or a relative without our script: keep our own map.
    }
  }
  R.apply(addEventListener, globalObject, [
    REALM_EVENT,
    (event: Event) => {
      try {
        R.apply(stopImmediatePropagation, event, []);
        const ask = detailOf(event);
        if (ask !== null && typeof ask === 'object') {
          R.defineProperty(ask, 'registry', { __proto__: null, value: originals } as PropertyDescriptor);
          R.defineProperty(ask, 'state', { __proto__: null, value: state } as PropertyDescriptor);
        }
      } catch {
        // Nothing to give.
      }
    },
    true,
  ]);
}
/** Keys patched per owner, in objects with no prototype: nothing of the page is looked at. */
const patched = new SafeWeakMap<object, Record<PropertyKey, true | undefined>>();

/** Where a patch that could not be made is reported: the page script's sink, set once it exists. */
let report: (where: string, error: unknown) => void = () => {};
export function reportPatchFailures(fail: (where: string, error: unknown) => void): void {
  report = fail;
}

export function proxy<T extends Function>(target: T, handler: ProxyHandler<T>): T {
  // No prototype: the Proxy looks its traps up on the handler for every operation (get, has,
  // getPrototypeOf…), and a missing one must never be found on the page's Object.prototype.
  const traps = { __proto__: null, ...handler } as ProxyHandler<T>;
  const apply = traps.apply;
  const construct = traps.construct;
  // An error passing through a trap carries a frame of ours in its stack: take it out.
  if (apply) {
    R.defineProperty(traps, 'apply', withValue({ writable: true, enumerable: true, configurable: true }, (t: T, thisArg: unknown, args: unknown[]) => {
      try {
        return R.apply(apply, handler, [t, thisArg, args]);
      } catch (error) {
        throw scrubStack(error);
      }
    }));
  }
  if (construct) {
    R.defineProperty(traps, 'construct', withValue({ writable: true, enumerable: true, configurable: true }, (t: T, args: unknown[], newTarget: Function) => {
      try {
        return R.apply(construct, handler, [t, args, newTarget]) as object;
      } catch (error) {
        throw scrubStack(error);
      }
    }));
  }
  const p = new NativeProxy(target, traps);
  originals.set(p, target);
  return p;
}

/**
 * The state named `name` that every same-origin realm of the tab shares (made by `make` in the
 * first realm that asks). Call after joinRealms: an install's state then spans frames, e.g. a
 * script element made in one realm and inserted into another's document.
 */
export function sharedState<T>(name: string, make: () => T): T {
  if (!hasOwn(state, name)) R.defineProperty(state, name, { __proto__: null, value: make(), writable: false } as PropertyDescriptor);
  return own(state, name) as T;
}

export function originalOf<T>(fn: T): T {
  return ((fn && originals.get(fn as object)) ?? fn) as T;
}

export type Uninstall = () => void;

/**
 * Replaces a data property (a method) on `owner` with a proxy of the current value, keeping the
 * property's exact descriptor flags. Refuses to patch the same property twice, and reports it (a
 * bug of ours: the page sees nothing either way). Returns a function that restores the exact
 * original descriptor.
 */
export function patchMethod<T extends Function>(
  owner: object,
  key: PropertyKey,
  handler: (original: T) => ProxyHandler<T>,
): Uninstall {
  const found = R.getOwnPropertyDescriptor(owner, key);
  if (!found || typeof found.value !== 'function') return () => {};
  const desc = detached(found);
  let keys = patched.get(owner);
  if (!keys) patched.set(owner, (keys = objectCreate(null) as Record<PropertyKey, true | undefined>));
  if (keys[key]) {
    try {
      report('patch:twice', `${nameOf(owner)}.${NativeString(key)} is already patched: not patched again`);
    } catch {
      // Reporting is best effort; the refusal stands.
    }
    return () => {};
  }
  keys[key] = true;
  const original = desc.value as T;
  R.defineProperty(owner, key, withValue(desc, proxy(original, handler(original))));
  const patchedKeys = keys;
  return () => {
    R.defineProperty(owner, key, desc);
    patchedKeys[key] = undefined;
  };
}

/** `window`, `XMLHttpRequest.prototype`…, from own data properties only (no page code runs). */
function nameOf(owner: object): string {
  if (owner === globalObject) return 'window';
  const constructor = own(owner, 'constructor');
  const name = typeof constructor === 'function' ? own(constructor, 'name') : undefined;
  return typeof name === 'string' && name ? `${name}.prototype` : 'object';
}

/**
 * patchMethod for a method stored under several keys (ReadableStream.prototype.values is also
 * its [Symbol.asyncIterator]): one proxy under every key that holds the same function, so
 * `proto.values === proto[Symbol.asyncIterator]` stays true.
 */
export function patchAliases<T extends Function>(owner: object, keys: PropertyKey[], handler: (original: T) => ProxyHandler<T>): Uninstall {
  const first = R.getOwnPropertyDescriptor(owner, keys[0]);
  if (!first || typeof first.value !== 'function') return () => {};
  const uninstall = patchMethod<T>(owner, keys[0], handler);
  const wrapper = (R.getOwnPropertyDescriptor(owner, keys[0]) as PropertyDescriptor).value;
  /** restores[i - 1] for keys[i]: dense, so no read ever falls through a hole to Array.prototype. */
  const restores: (PropertyDescriptor | undefined)[] = [];
  for (let i = 1; i < keys.length; i++) {
    const desc = R.getOwnPropertyDescriptor(owner, keys[i]);
    if (!desc || desc.value !== first.value) {
      append(restores, undefined);
      continue;
    }
    append(restores, detached(desc));
    R.defineProperty(owner, keys[i], withValue(desc, wrapper));
  }
  return () => {
    uninstall();
    for (let i = 1; i < keys.length; i++) {
      const desc = at(restores, i - 1);
      if (desc) R.defineProperty(owner, keys[i], desc);
    }
  };
}

/** Wraps an accessor's getter and/or setter with proxies, keeping the descriptor's flags. */
export function patchAccessor(
  owner: object,
  key: PropertyKey,
  wrap: { get?: ProxyHandler<() => unknown>; set?: ProxyHandler<(v: unknown) => void> },
): Uninstall {
  const found = R.getOwnPropertyDescriptor(owner, key);
  if (!found || (!found.get && !found.set)) return () => {};
  const desc = detached(found);
  const next = detached(found);
  if (wrap.get && desc.get) next.get = proxy(desc.get as () => unknown, wrap.get);
  if (wrap.set && desc.set) next.set = proxy(desc.set as (v: unknown) => void, wrap.set);
  R.defineProperty(owner, key, next);
  return () => R.defineProperty(owner, key, desc);
}

/** Replaces a global constructor with a construct-trapping proxy, keeping its descriptor. */
export function patchGlobal<T extends Function>(
  key: string,
  handler: (original: T) => ProxyHandler<T>,
): Uninstall {
  return patchMethod<T>(globalObject, key, handler);
}

/** The toString shield: our proxies (of every same-origin realm) print as their originals. */
const shield = (): ProxyHandler<typeof fnToString> => ({
  apply(target, thisArg, args) {
    const original = typeof thisArg === 'function' || (typeof thisArg === 'object' && thisArg) ? originals.get(thisArg) : undefined;
    return R.apply(target, original ?? thisArg, args);
  },
});

/** Proxies Function.prototype.toString so that our proxies print as their originals. */
export function installToStringShield(): Uninstall {
  return patchMethod<typeof fnToString>(FunctionPrototype, 'toString', shield);
}

const defaultViewOf = getter<object | null>(Document.prototype, 'defaultView');

/**
 * A same-origin frame where no script may run (sandbox without allow-scripts) never gets this
 * script, so its own Function.prototype.toString would print our proxies as Proxies
 * (`function () { [native code] }`). When such a frame's window or document is handed to the page
 * through an iframe, frame or object element's contentWindow / contentDocument, its toString gets
 * the shield on the spot, before the page holds it. Not reachable: `window[i]` and `frames[i]`, an
 * indexed getter of the WindowProxy no patch can intercept (such a frame's toString, reached that
 * way first, still prints our proxies as Proxies).
 *
 * Each document is looked at once; a cross-origin frame (contentDocument null) not at all, so no
 * SecurityError is ever thrown and caught on the page's hot `iframe.contentWindow.postMessage`.
 */
export function installFrameShields(): Uninstall {
  const seen = new SafeWeakSet<object>();
  const shieldDocument = (doc: unknown) => {
    if (doc === null || typeof doc !== 'object' || seen.has(doc)) return;
    seen.add(doc);
    try {
      const win = defaultViewOf(doc);
      if (!win || win === globalObject) return;
      const F = own(win, 'Function');
      const proto = typeof F === 'function' ? own(F, 'prototype') : undefined;
      // Function.prototype is itself a function.
      const ts = typeof proto === 'function' ? own(proto, 'toString') : undefined;
      // Already ours: the realm ran this script and shares our map.
      if (typeof ts !== 'function' || originals.has(ts)) return;
      patchMethod<typeof fnToString>(proto as object, 'toString', shield);
    } catch {
      // Not a document of ours to shield.
    }
  };
  const uninstalls: Uninstall[] = [];
  const owners = ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement'];
  for (let i = 0; i < owners.length; i++) {
    const ctor = own(globalObject, owners[i]);
    const proto = typeof ctor === 'function' ? own(ctor, 'prototype') : undefined;
    const documentGetter = proto && typeof proto === 'object' ? R.getOwnPropertyDescriptor(proto, 'contentDocument')?.get : undefined;
    if (!proto || !documentGetter) continue;
    append(uninstalls, patchAccessor(proto as object, 'contentWindow', { get: { apply(target: () => unknown, self: unknown, args: unknown[]) {
      const value = R.apply(target, self, args);
      if (value) {
        try {
          // The native contentDocument: null for a cross-origin frame, without throwing.
          shieldDocument(R.apply(documentGetter, self, []));
        } catch {
          // Not ours to shield.
        }
      }
      return value;
    } } }));
    append(uninstalls, patchAccessor(proto as object, 'contentDocument', { get: { apply(target: () => unknown, self: unknown, args: unknown[]) {
      const value = R.apply(target, self, args);
      shieldDocument(value);
      return value;
    } } }));
  }
  return () => {
    for (let i = 0; i < uninstalls.length; i++) uninstalls[i]();
  };
}

const domExceptionName = R.getOwnPropertyDescriptor(NativeDOMException.prototype, 'name')?.get;

/** A real Error or DOMException, told apart without running page code. */
export function isErrorLike(value: unknown): boolean {
  if (isError(value)) return true;
  if (!domExceptionName || !value || typeof value !== 'object') return false;
  try {
    R.apply(domExceptionName, value, []);
    return true;
  } catch {
    return false;
  }
}

const BUILTIN_FRAME = /^\s*at [\w.$\[\] ]+ \(<anonymous>\)$/;
const stackDescriptorOf = (error: object) => R.getOwnPropertyDescriptor(error, 'stack');

/**
 * Removes our frames from a real Error's stack, unless the page formats stacks itself
 * (Error.prepareStackTrace would run and already have seen them).
 */
export function scrubStack<E>(error: E): E {
  try {
    if (!isErrorLike(error)) return error;
    const prepare = R.getOwnPropertyDescriptor(NativeError, 'prepareStackTrace');
    if (prepare && (prepare.get || prepare.set || prepare.value !== undefined)) return error;
    const desc = stackDescriptorOf(error as object);
    if (!desc) return error;
    const stack = desc.get ? R.apply(desc.get, error, []) : desc.value;
    if (typeof stack !== 'string') return error;
    const lines = S.split(stack, '\n');
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (isOwnFrame(lines[i])) continue;
      // A builtin we called (String, Reflect.apply…) sits right above our frames: ours too.
      if (i + 1 < lines.length && isOwnFrame(lines[i + 1]) && reTest(BUILTIN_FRAME, lines[i])) continue;
      append(kept, lines[i]);
    }
    if (kept.length === lines.length) return error;
    if (desc.set) R.apply(desc.set, error, [join(kept, '\n')]);
    else if (desc.writable) R.defineProperty(error as object, 'stack', withValue(desc, join(kept, '\n')));
  } catch {
    // Leave the error as it is.
  }
  return error;
}
