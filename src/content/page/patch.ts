import {
  FunctionPrototype,
  NativeDOMException,
  NativeError,
  NativeProxy,
  NativeString,
  SafeWeakMap,
  R,
  S,
  append,
  at,
  detached,
  fnToString,
  globalObject,
  isError,
  join,
  objectCreate,
  own,
  reTest,
  withValue,
} from './natives';
import { isOwnFrame } from './util';

/**
 * Patches go through Proxies so the page keeps `name`, `length`, statics, `instanceof`,
 * prototype chains and subclassing. The only leak a Proxy has is `Function.prototype.toString`
 * ("function () { [native code] }" without the name), so toString is proxied too and reports the
 * original's text for every proxy we made. Links live in a WeakMap, never on visible properties.
 */
const originals = new SafeWeakMap<object, Function>();
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

/** Proxies Function.prototype.toString so that our proxies print as their originals. */
export function installToStringShield(): Uninstall {
  return patchMethod<typeof fnToString>(FunctionPrototype, 'toString', () => ({
    apply(target, thisArg, args) {
      const original = typeof thisArg === 'function' || (typeof thisArg === 'object' && thisArg) ? originals.get(thisArg) : undefined;
      return R.apply(target, original ?? thisArg, args);
    },
  }));
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
