import {
  FunctionPrototype,
  NativeCustomEvent,
  NativeDOMException,
  NativeProxy,
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
import { REALM_EVENT } from './realm-event';
import { framesBelowTrap, isOwnFrame, pageFormatsStacks, pageStackLimit, recaptureBelowTrap, registerTrapFrames } from './util';

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
        if (ask !== null && typeof ask === 'object' && hasOwn(ask, 'release')) {
          // A realm we adopted, whose own script now runs: it takes its placeholders back.
          const placed = releaseWindow(own(ask, 'release'));
          if (placed) R.defineProperty(ask, 'released', { __proto__: null, value: placed } as PropertyDescriptor);
        } else if (ask !== null && typeof ask === 'object') {
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

/** Where proxy() keeps a handler's own traps, beside the ones the Proxy calls: keys no Proxy looks up. */
const HANDLER = 'ourHandler';
const APPLY = 'ourApply';
const CONSTRUCT = 'ourConstruct';
interface Traps<T extends Function> extends ProxyHandler<T> {
  [HANDLER]: ProxyHandler<T>;
  [APPLY]?: ProxyHandler<T>['apply'];
  [CONSTRUCT]?: ProxyHandler<T>['construct'];
}

/**
 * The apply trap of every proxy of ours (`this` is its traps object): runs the handler's, and
 * takes our frame out of an error passing through. One function for all, so that util.ts
 * stackHere can start its capture below this frame (registerTrapFrames): none of ours above it
 * is captured, formatted, then filtered out.
 */
function applyTrap<T extends Function>(this: Traps<T>, target: T, thisArg: unknown, args: unknown[]): unknown {
  try {
    return R.apply(this[APPLY]!, this[HANDLER], [target, thisArg, args]);
  } catch (error) {
    throw scrubStack(error, 'apply');
  }
}
/** The construct trap of every proxy of ours (see applyTrap). */
function constructTrap<T extends Function>(this: Traps<T>, target: T, args: unknown[], newTarget: Function): object {
  try {
    return R.apply(this[CONSTRUCT]!, this[HANDLER], [target, args, newTarget]) as object;
  } catch (error) {
    throw scrubStack(error, 'construct');
  }
}
registerTrapFrames(applyTrap, constructTrap);

export function proxy<T extends Function>(target: T, handler: ProxyHandler<T>): T {
  // No prototype: the Proxy looks its traps up on the handler for every operation (get, has,
  // getPrototypeOf…), and a missing one must never be found on the page's Object.prototype.
  const traps = { __proto__: null, ...handler, [HANDLER]: handler } as Traps<T>;
  const apply = traps.apply;
  const construct = traps.construct;
  // An error passing through a trap carries a frame of ours in its stack: take it out.
  if (apply) {
    traps[APPLY] = apply;
    R.defineProperty(traps, 'apply', withValue({ writable: true, enumerable: true, configurable: true }, applyTrap));
  }
  if (construct) {
    traps[CONSTRUCT] = construct;
    R.defineProperty(traps, 'construct', withValue({ writable: true, enumerable: true, configurable: true }, constructTrap));
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
 *
 * `handler(original, realm)` makes the proxy's traps; `realm` is the window whose function
 * `original` is: this one here, another same-origin one when the patch is made again there
 * (adoptWindow, for the owners REPLAYED lists), so a handler that hands the page objects of its
 * own making (fetch's promises) or checks its receiver takes them from that window.
 */
export function patchMethod<T extends Function>(
  owner: object,
  key: PropertyKey,
  handler: (original: T, realm: object) => ProxyHandler<T>,
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
  R.defineProperty(owner, key, withValue(desc, proxy(original, handler(original, globalObject))));
  remember(owner, key, 'value', handler as (original: Function, realm: object) => ProxyHandler<Function>);
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
  const get = wrap.get;
  const set = wrap.set;
  if (get && desc.get) remember(owner, key, 'get', () => get as ProxyHandler<Function>);
  if (set && desc.set) remember(owner, key, 'set', () => set as ProxyHandler<Function>);
  return () => R.defineProperty(owner, key, desc);
}

/** Replaces a global constructor with a construct-trapping proxy, keeping its descriptor. */
export function patchGlobal<T extends Function>(
  key: string,
  handler: (original: T, realm: object) => ProxyHandler<T>,
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

type Part = 'value' | 'get' | 'set';
type Maker = (original: Function, realm: object) => ProxyHandler<Function>;
/** A patch as it can be made again in another realm: where its owner is found there, and its handler. */
interface Replay {
  /** `window`, or `Name.prototype` (see nameOf). */
  path: string;
  key: PropertyKey;
  part: Part;
  make: Maker;
}

/**
 * The patches made again in a same-origin window the page reaches before our script ran there
 * (adoptWindow), by owner (all of its patched keys, or the ones listed): every way a page talks
 * to the network (XHR, fetch, WebSocket, EventSource, sendBeacon), toString's shield, and the hooks
 * through which that window reaches further ones. Not the script and body-reading patches
 * (script.ts, fetch.ts's read observers): their handlers look at this realm's window, document
 * and streams, and their loss there only costs detail (JSONP callbacks, read progress).
 */
const REPLAYED = {
  __proto__: null,
  window: ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'open'],
  'XMLHttpRequest.prototype': true,
  'WebSocket.prototype': true,
  'EventSource.prototype': true,
  'EventTarget.prototype': true,
  'Navigator.prototype': true,
  'Function.prototype': true,
  'HTMLIFrameElement.prototype': true,
  'HTMLFrameElement.prototype': true,
  'HTMLObjectElement.prototype': true,
} as unknown as Record<string, readonly PropertyKey[] | true | undefined>;
/** This realm's replayable patches, in the order they were made. */
const replays: Replay[] = [];

function remember(owner: object, key: PropertyKey, part: Part, make: Maker): void {
  try {
    const path = nameOf(owner);
    const keys = own(REPLAYED, path) as readonly PropertyKey[] | true | undefined;
    if (keys !== true) {
      if (!arrayIsArray(keys)) return;
      let listed = false;
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) listed = true;
      if (!listed) return;
    }
    append(replays, { __proto__: null, path, key, part, make } as Replay);
  } catch {
    // Not replayed: the window's own script still patches it when it runs.
  }
}

/** A placeholder put into an adopted window, with what it replaced. Objects of ours, no prototype. */
interface Placed {
  owner: object;
  key: PropertyKey;
  part: Part;
  /** The owner's descriptor as the window had it, and as we left it. */
  native: PropertyDescriptor;
  placed: PropertyDescriptor;
  /** Where the placeholder's calls go once the window's own script patched the same property. */
  delegate: Function | undefined;
  /** A constructor's prototype whose `constructor` we pointed at the placeholder, and its descriptor before. */
  link: object | undefined;
  linkNative: PropertyDescriptor | undefined;
}

const partOf = (desc: PropertyDescriptor, part: Part): unknown => (part === 'value' ? desc.value : part === 'get' ? desc.get : desc.set);
/** Adopted windows (of every realm of the tab) whose own script has not taken their placeholders back. */
const adoptedWindows = () => sharedState('adopted-windows', () => new SafeWeakMap<object, Placed[]>());

/** `path` (see Replay) in `win`, through own data properties: no page code runs. */
function ownerIn(win: object, path: string): object | undefined {
  if (path === 'window') return win;
  const dot = S.indexOf(path, '.');
  const ctor = dot > 0 ? own(win, S.slice(path, 0, dot)) : undefined;
  const proto = typeof ctor === 'function' ? own(ctor, 'prototype') : undefined;
  return proto !== null && (typeof proto === 'object' || typeof proto === 'function') ? (proto as object) : undefined;
}

/**
 * Patches another same-origin window, synchronously, the first time page code can reach it
 * before our script ran there: an iframe's initial about:blank document right after insertion
 * (whose Window, and so whatever the page took from it, is kept when a same-origin `src` or
 * `srcdoc` document replaces it), a frame where no script may run, an about:blank popup. Every
 * replayable patch of this realm (REPLAYED) is made there as a placeholder: a proxy of that
 * window's native whose handler is this realm's, made for that window's function (`make(original,
 * win)`): what the page does there is recorded by this realm's sink, so attributed to this frame.
 *
 * When that window's own script runs (a `src` or `srcdoc` document, or the popup's first
 * document), it takes the placeholders back before it captures its natives (natives.ts
 * `released`), patches as usual, then puts them back around its own proxies (settleAdoption):
 * from then on a placeholder's calls go to that window's patch, and its records to that frame.
 * The page keeps the very functions it took (identity, `constructor` links, toString), and
 * nothing is patched twice.
 */
export function adoptWindow(win: object): void {
  const adopted = adoptedWindows();
  if (adopted.has(win)) return;
  const list: Placed[] = [];
  for (let i = 0; i < replays.length; i++) {
    const replay = replays[i];
    try {
      const owner = ownerIn(win, replay.path);
      const found = owner ? R.getOwnPropertyDescriptor(owner, replay.key) : undefined;
      const fn = found ? partOf(found, replay.part) : undefined;
      if (!owner || !found || typeof fn !== 'function' || originals.has(fn)) continue;
      const fallback = { __proto__: null, ...replay.make(fn, win) } as ProxyHandler<Function>;
      const placed = { __proto__: null, owner, key: replay.key, part: replay.part, native: found, placed: found, delegate: undefined, link: undefined, linkNative: undefined } as Placed;
      const traps = { __proto__: null } as ProxyHandler<Function>;
      const apply = fallback.apply;
      const construct = fallback.construct;
      if (apply) {
        traps.apply = (target, self, args) => {
          const to = placed.delegate;
          return to ? R.apply(to, self, args) : R.apply(apply, fallback, [target, self, args]);
        };
      }
      if (construct) {
        traps.construct = (target, args, newTarget) => {
          const to = placed.delegate;
          return to ? (R.construct(to, args, newTarget) as object) : (R.apply(construct, fallback, [target, args, newTarget]) as object);
        };
      }
      const placeholder = proxy(fn, traps);
      const next = detached(found);
      if (replay.part === 'value') next.value = placeholder;
      else if (replay.part === 'get') next.get = placeholder as () => unknown;
      else next.set = placeholder as (v: unknown) => void;
      placed.placed = next;
      R.defineProperty(owner, replay.key, next);
      // `new win.WebSocket(…).constructor === win.WebSocket` stays true (see keepConstructorLink).
      const proto = replay.part === 'value' && owner === win ? own(fn, 'prototype') : undefined;
      const link = proto !== null && typeof proto === 'object' ? R.getOwnPropertyDescriptor(proto, 'constructor') : undefined;
      if (link && hasOwn(link, 'value') && link.value === fn) {
        R.defineProperty(proto as object, 'constructor', withValue(link, placeholder));
        placed.link = proto as object;
        placed.linkNative = link;
      }
      append(list, placed);
    } catch (error) {
      try {
        report('adopt', error);
      } catch {
        // Reporting is best effort.
      }
    }
  }
  adopted.set(win, list);
}

/** Takes an adopted window's placeholders out (its natives back in place); undefined when not adopted. */
function releaseWindow(win: unknown): Placed[] | undefined {
  if (win === null || typeof win !== 'object') return undefined;
  const adopted = adoptedWindows();
  const list = adopted.get(win);
  if (!list) return undefined;
  adopted.delete(win);
  for (let i = list.length - 1; i >= 0; i--) {
    const placed = list[i];
    try {
      R.defineProperty(placed.owner, placed.key, placed.native);
      if (placed.link && placed.linkNative) R.defineProperty(placed.link, 'constructor', placed.linkNative);
    } catch {
      // A property the page froze meanwhile: left as it is.
    }
  }
  return list;
}

/**
 * In a realm a relative adopted (natives.ts `released`), after our own patches: puts the
 * placeholders back, each one now handing its calls to our patch of the same property (or still
 * to its relative's handler, for one we did not patch).
 */
export function settleAdoption(released: unknown): void {
  if (!arrayIsArray(released)) return;
  const list = released as Placed[];
  for (let i = 0; i < list.length; i++) {
    const placed = list[i];
    try {
      const now = R.getOwnPropertyDescriptor(placed.owner, placed.key);
      const current = now ? partOf(now, placed.part) : undefined;
      const native = partOf(placed.native, placed.part);
      if (typeof current === 'function' && current !== native) placed.delegate = current;
      R.defineProperty(placed.owner, placed.key, placed.placed);
      const link = placed.link ? R.getOwnPropertyDescriptor(placed.link, 'constructor') : undefined;
      if (link && hasOwn(link, 'value') && (link.value === current || link.value === native)) {
        R.defineProperty(placed.link as object, 'constructor', withValue(link, partOf(placed.placed, placed.part)));
      }
    } catch (error) {
      report('adopt:settle', error);
    }
  }
}

/** Adopts `win` unless our script already runs there (its toString is one of ours) or it is not reachable. */
function adoptIfNew(win: unknown): void {
  if (win === null || typeof win !== 'object' || win === globalObject) return;
  const F = own(win, 'Function');
  const proto = typeof F === 'function' ? own(F, 'prototype') : undefined;
  // Function.prototype is itself a function.
  const ts = typeof proto === 'function' ? own(proto, 'toString') : undefined;
  if (typeof ts !== 'function' || originals.has(ts)) return;
  adoptWindow(win);
}

const windowLength = R.getOwnPropertyDescriptor(globalObject, 'length')?.get;
const frameElementOf = R.getOwnPropertyDescriptor(globalObject, 'frameElement')?.get;
const iframeSrc = getter<string>(HTMLIFrameElement.prototype, 'src');
const elementHasAttribute = Element.prototype.hasAttribute;
const urlOrigin = getter<string>(NativeURL.prototype, 'origin');
const windowOrigin = R.getOwnPropertyDescriptor(globalObject, 'origin')?.get;

/** How many frames this window has (its `length`, native): read around an insertion (adoptInsertedFrames). */
export function frameCount(): number {
  try {
    return windowLength ? (R.apply(windowLength, globalObject, []) as number) : 0;
  } catch {
    return 0;
  }
}

/** Frames adoptInsertedFrames has looked at: each once, at its insertion. */
const insertedSeen = new SafeWeakSet<object>();

/**
 * After a DOM insertion by page code that added frames to this window (frameCount() grew past
 * `before`): adopts each new one that stays same-origin (see adoptWindow), so that `frames[i]`
 * and `window[i]`, which no hook sees, find it patched too. A frame bound for another origin is
 * left alone: its document will be another Window. Runs only when the count grew: an insertion
 * without frames costs two reads of `length`.
 */
export function adoptInsertedFrames(before: number): void {
  const n = frameCount();
  if (n <= before) return;
  for (let i = 0; i < n; i++) {
    try {
      const win = R.get(globalObject, i) as unknown;
      if (win === null || typeof win !== 'object' || insertedSeen.has(win)) continue;
      insertedSeen.add(win);
      if (staysSameOrigin(win)) adoptIfNew(win);
    } catch {
      // A frame we cannot reach: nothing to adopt.
    }
  }
}

/** The frame element of `win` (same-origin now, at its insertion) has no URL of another origin. */
function staysSameOrigin(win: object): boolean {
  const element = frameElementOf ? (R.apply(frameElementOf, win, []) as object | null) : null;
  if (!element) return false;
  if (R.apply(elementHasAttribute, element, ['srcdoc'])) return true;
  let src = '';
  try {
    src = iframeSrc(element);
  } catch {
    // A frame or object element: its URL is not looked at.
    return true;
  }
  if (!src || S.startsWith(src, 'about:')) return true;
  try {
    return !!windowOrigin && urlOrigin(new NativeURL(src)) === R.apply(windowOrigin, globalObject, []);
  } catch {
    return false;
  }
}

/**
 * The hooks through which page code first reaches another same-origin window (see adoptWindow):
 * an iframe, frame or object element's contentWindow / contentDocument, and window.open's result.
 * `window[i]`, `frames[i]` and a frame's name on window are getters of the WindowProxy no patch
 * can intercept: a frame page code inserts through a method script.ts proxies (appendChild,
 * insertBefore, append…, document.write) is adopted at its insertion (adoptInsertedFrames); one
 * the parser, innerHTML or insertAdjacentHTML inserted and reached that way first keeps its natives
 * until our script runs there or a hook sees it (the wire view still shows its requests).
 *
 * Each document is looked at once (a window already patched costs one WeakSet lookup after); a
 * cross-origin frame (contentDocument null) not at all, so no SecurityError is ever thrown and
 * caught on the page's hot `iframe.contentWindow.postMessage`.
 */
export function installFrameShields(): Uninstall {
  const seen = new SafeWeakSet<object>();
  const adoptDocument = (doc: unknown) => {
    if (doc === null || typeof doc !== 'object' || seen.has(doc)) return;
    seen.add(doc);
    try {
      adoptIfNew(defaultViewOf(doc));
    } catch {
      // Not a document of ours to adopt.
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
          adoptDocument(R.apply(documentGetter, self, []));
        } catch {
          // Not ours to adopt.
        }
      }
      return value;
    } } }));
    append(uninstalls, patchAccessor(proto as object, 'contentDocument', { get: { apply(target: () => unknown, self: unknown, args: unknown[]) {
      const value = R.apply(target, self, args);
      adoptDocument(value);
      return value;
    } } }));
  }
  // A popup: about:blank (or a URL still loading) and same-origin with us when open returns.
  append(uninstalls, patchMethod<(...args: unknown[]) => unknown>(globalObject, 'open', () => ({
    apply(target, self, args: unknown[]) {
      const opened = R.apply(target, self, args);
      try {
        adoptIfNew(opened);
      } catch {
        // Cross-origin already: nothing of ours to do there.
      }
      return opened;
    },
  })));
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

/**
 * A real Error's own `stack` descriptor, unless the page formats stacks itself
 * (Error.prepareStackTrace would run as the stack is read, and see our frames).
 */
function stackDescriptor(error: unknown): PropertyDescriptor | undefined {
  // Looked for on Error, Function.prototype and Object.prototype, as V8 looks it up (a getter
  // there would run as we read the stack).
  if (!isErrorLike(error) || pageFormatsStacks()) return undefined;
  return R.getOwnPropertyDescriptor(error as object, 'stack');
}

/** Whether a real Error's stack has a frame of ours: it was made within one of our calls. */
export function carriesOwnFrame(error: unknown): boolean {
  try {
    const desc = stackDescriptor(error);
    const stack = desc ? (desc.get ? R.apply(desc.get, error, []) : desc.value) : undefined;
    return typeof stack === 'string' && isOwnFrame(stack);
  } catch {
    return false;
  }
}

/**
 * Removes our frames from a real Error's stack, unless the page formats stacks itself
 * (Error.prepareStackTrace would run and already have seen them). `trap`: the error passes through
 * the trap (apply or construct) it was made below, which is still on the stack: the frames V8 left
 * out for ours under the page's Error.stackTraceLimit are taken again below that trap, so the page
 * gets as many as without us.
 */
export function scrubStack<E>(error: E, trap?: 'apply' | 'construct'): E {
  try {
    const desc = stackDescriptor(error);
    if (!desc) return error;
    const stack = desc.get ? R.apply(desc.get, error, []) : desc.value;
    if (typeof stack !== 'string') return error;
    const lines = S.split(stack, '\n');
    const kept: string[] = [];
    let frames = 0;
    /** Kept lines before the first of ours: the header, and frames of code our call ran (a page getter). */
    let above = -1;
    /** Frames of ours below one of the page's that came after ours (a trap of ours in a page callback we ran). */
    let oursBelowPage = false;
    for (let i = 0; i < lines.length; i++) {
      if (reTest(FRAME, lines[i])) frames++;
      const ours = isOwnFrame(lines[i]) || (i + 1 < lines.length && isOwnFrame(lines[i + 1]) && reTest(BUILTIN_FRAME, lines[i]));
      if (ours) {
        if (above < 0) above = kept.length;
        else if (kept.length > above) oursBelowPage = true;
        continue;
      }
      append(kept, lines[i]);
    }
    if (kept.length === lines.length) return error;
    // Made by what our trap called, with none of the page's frames above ours: its stack is the
    // page's below the trap, which is still on the stack. Captured again there, it is also left
    // to be formatted when read, as a native error's (an accessor's, V8's own, can be).
    if (trap && desc.get && !oursBelowPage && !hasFrameBefore(kept, above) && recaptureBelowTrap(error as object, trap === 'construct')) return error;
    const limit = trap ? pageStackLimit() : undefined;
    if (limit !== undefined && above >= 0 && frames >= limit) {
      // V8 took `limit` frames, ours among them: the page's below the trap, taken again.
      let header = 0;
      while (header < above && !reTest(FRAME, kept[header])) header++;
      const below = framesBelowTrap(trap === 'construct', limit - (above - header));
      if (below) {
        const whole: string[] = [];
        for (let i = 0; i < above; i++) append(whole, kept[i]);
        for (let i = 0; i < below.length; i++) append(whole, below[i]);
        return replaceStack(error, desc, join(whole, '\n'));
      }
    }
    return replaceStack(error, desc, join(kept, '\n'));
  } catch {
    // Leave the error as it is.
  }
  return error;
}

const FRAME = /^ {4}at /;

/** Whether one of the first `count` lines is a frame (not the header, or a line of its message). */
function hasFrameBefore(lines: string[], count: number): boolean {
  for (let i = 0; i < count; i++) if (reTest(FRAME, lines[i])) return true;
  return false;
}

function replaceStack<E>(error: E, desc: PropertyDescriptor, stack: string): E {
  if (desc.set) R.apply(desc.set, error, [stack]);
  else if (desc.writable) R.defineProperty(error as object, 'stack', withValue(desc, stack));
  return error;
}
