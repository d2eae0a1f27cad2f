import { NativeProxy, NativeWeakMap, R, fnToString } from './natives';

/**
 * Patches go through Proxies so the page keeps `name`, `length`, statics, `instanceof`,
 * prototype chains and subclassing. The only leak a Proxy has is `Function.prototype.toString`
 * ("function () { [native code] }" without the name), so toString is proxied too and reports the
 * original's text for every proxy we made. Links live in a WeakMap, never on visible properties.
 */
const originals = new NativeWeakMap<object, Function>();
const patched = new NativeWeakMap<object, Set<PropertyKey>>();

export function proxy<T extends Function>(target: T, handler: ProxyHandler<T>): T {
  const p = new NativeProxy(target, handler);
  originals.set(p, target);
  return p;
}

export function originalOf<T>(fn: T): T {
  return ((fn && originals.get(fn as object)) ?? fn) as T;
}

export type Uninstall = () => void;

/**
 * Replaces a data property (a method) on `owner` with a proxy of the current value, keeping the
 * property's exact descriptor flags. Refuses to patch the same property twice. Returns a function
 * that restores the exact original descriptor.
 */
export function patchMethod<T extends Function>(
  owner: object,
  key: PropertyKey,
  handler: (original: T) => ProxyHandler<T>,
): Uninstall {
  const desc = R.getOwnPropertyDescriptor(owner, key);
  if (!desc || typeof desc.value !== 'function') return () => {};
  let keys = patched.get(owner);
  if (!keys) patched.set(owner, (keys = new Set()));
  if (keys.has(key)) return () => {};
  keys.add(key);
  const original = desc.value as T;
  R.defineProperty(owner, key, { ...desc, value: proxy(original, handler(original)) });
  return () => {
    R.defineProperty(owner, key, desc);
    keys.delete(key);
  };
}

/** Wraps an accessor's getter and/or setter with proxies, keeping the descriptor's flags. */
export function patchAccessor(
  owner: object,
  key: PropertyKey,
  wrap: { get?: ProxyHandler<() => unknown>; set?: ProxyHandler<(v: unknown) => void> },
): Uninstall {
  const desc = R.getOwnPropertyDescriptor(owner, key);
  if (!desc || (!desc.get && !desc.set)) return () => {};
  const next: PropertyDescriptor = { ...desc };
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
  return patchMethod<T>(globalThis, key, handler);
}

/** Proxies Function.prototype.toString so that our proxies print as their originals. */
export function installToStringShield(): Uninstall {
  return patchMethod<typeof fnToString>(Function.prototype, 'toString', () => ({
    apply(target, thisArg, args) {
      const original = typeof thisArg === 'function' || (typeof thisArg === 'object' && thisArg) ? originals.get(thisArg) : undefined;
      return R.apply(target, original ?? thisArg, args);
    },
  }));
}
