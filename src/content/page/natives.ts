/**
 * References to the natives the page script needs, taken before any page script runs. Page code
 * may later replace these globals; we keep calling the originals so the page cannot see us through
 * its own patches (and its patches cannot break us).
 */
import { REALM_EVENT } from './realm-event';

/**
 * Placeholders a same-origin relative put into this realm when the page reached it before this
 * script ran (patch.ts adoptWindow): the relative takes them out again, synchronously, before
 * anything below is captured, so every capture is of a native; main.ts puts them back around our
 * own patches (settleAdoption). Asked of the parent, the opener and the top window, in that
 * order (a frame whose parent never ran this script is still found from the top). Undefined when
 * no relative adopted this realm.
 */
const releaseApply = Reflect.apply;
const releaseDispatch = EventTarget.prototype.dispatchEvent;
export const released: unknown = (() => {
  const self = globalThis;
  const relatives = ['parent', 'opener', 'top'];
  for (let i = 0; i < relatives.length; i++) {
    try {
      const get = Reflect.getOwnPropertyDescriptor(self, relatives[i])?.get;
      const relative: unknown = get ? releaseApply(get, self, []) : null;
      if (!relative || relative === self) continue;
      const ask = Object.create(null) as object;
      Reflect.defineProperty(ask, 'release', { __proto__: null, value: self } as PropertyDescriptor);
      releaseApply(releaseDispatch, relative, [new CustomEvent(REALM_EVENT, { __proto__: null, detail: ask } as CustomEventInit)]);
      const answer = Reflect.getOwnPropertyDescriptor(ask, 'released');
      if (answer && Object.hasOwn(answer, 'value')) return answer.value as unknown;
    } catch {
      // Cross-origin, or a relative without our script.
    }
  }
  return undefined;
})();

const g = globalThis;
/** The page's global object (window), as it was: a later `globalThis = …` of the page is not ours. */
export const globalObject = g;

export const NativeProxy = g.Proxy;
export const NativeWeakMap = g.WeakMap;
export const NativeWeakSet = g.WeakSet;
export const NativeMap = g.Map;
export const NativeMessageChannel = g.MessageChannel;
export const NativeMessageEvent = g.MessageEvent;
export const NativeTextEncoder = g.TextEncoder;
export const NativeTextDecoder = g.TextDecoder;
export const NativeHeaders = g.Headers;
export const NativeURL = g.URL;
export const NativeError = g.Error;
export const NativeUint8Array = g.Uint8Array;
export const NativeArrayBuffer = g.ArrayBuffer;
export const NativeBlob = g.Blob;
export const NativeFormData = g.FormData;
export const NativeURLSearchParams = g.URLSearchParams;
export const NativeReadableStream = g.ReadableStream;
export const NativeDocument = g.Document;
export const NativeXMLSerializer = g.XMLSerializer;
export const NativeRequest = g.Request;
export const NativeString = g.String;
export const NativeDOMException = g.DOMException;
export const NativePromise = g.Promise;
/** Non-writable, non-configurable: these stay what they are, but the globals they hang off do not. */
export const ObjectPrototype = Object.prototype;
export const ArrayPrototype = Array.prototype;
export const FunctionPrototype = Function.prototype;
export const objectCreate = Object.create;
/** `key` is an own property of `object` (unlike `in`, nothing on a prototype is looked at). */
export const hasOwn = Object.hasOwn as (object: object, key: PropertyKey) => boolean;
export const symbolAsyncIterator = Symbol.asyncIterator;

const reflectGetOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
/**
 * The native descriptor as it comes, without the copy R.getOwnPropertyDescriptor makes: read only
 * keys it owns (hasOwn first), a missing one is looked up on the page's Object.prototype.
 */
export const rawDescriptor = reflectGetOwnPropertyDescriptor;
const reflectGetPrototypeOf = Reflect.getPrototypeOf;
const ErrorPrototype = NativeError.prototype;
/**
 * A real Error (not a Proxy, no traps run). Before Error.isError (Chromium 134), the prototype
 * chain is walked instead of `instanceof`, which would also run the page's Error[Symbol.hasInstance].
 */
export const isError: (value: unknown) => boolean =
  typeof (NativeError as unknown as { isError?: unknown }).isError === 'function'
    ? (NativeError as unknown as { isError: (v: unknown) => boolean }).isError
    : (v) => {
        if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return false;
        let proto = reflectGetPrototypeOf(v as object);
        for (let depth = 0; proto && depth < 64; depth++) {
          if (proto === ErrorPrototype) return true;
          proto = reflectGetPrototypeOf(proto);
        }
        return false;
      };

export const R = {
  apply: Reflect.apply,
  construct: Reflect.construct,
  get: Reflect.get,
  /**
   * A descriptor with no prototype: `desc.get` on a data descriptor (or `desc.value` on an
   * accessor's) would otherwise be looked up on Object.prototype, where the page may have a getter.
   */
  getOwnPropertyDescriptor: (target: object, key: PropertyKey): PropertyDescriptor | undefined => {
    const desc = reflectGetOwnPropertyDescriptor(target, key);
    return desc && ({ __proto__: null, ...desc } as PropertyDescriptor);
  },
  defineProperty: Reflect.defineProperty,
  getPrototypeOf: Reflect.getPrototypeOf,
  ownKeys: Reflect.ownKeys,
};

/**
 * Writes into objects of ours without [[Set]]: an assignment (`arr[arr.length] = v`, `o.k = v`)
 * to a key the object does not own walks the prototype chain, where the page may have put a
 * setter (Array.prototype['0'], Object.prototype.k) that would see our value and keep it from
 * us. A descriptor is read with [[Get]] too (ToPropertyDescriptor looks up get/set/…): ours has
 * no prototype, so nothing of the page is reached.
 */
function dataDescriptor(value: unknown): PropertyDescriptor {
  return { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor;
}
const reflectSetPrototypeOf = Reflect.setPrototypeOf;
/**
 * A new array of ours with no prototype: a write past its end finds no page setter on the way
 * (there is no chain to walk), so `append` stores into it directly — a plain store instead of
 * defineProperty with a fresh descriptor, for the queues every captured event goes through.
 * Structured clone copies it as an ordinary array. It has no methods: use S.*, R.apply, `at`.
 */
export function ownList<T>(): T[] {
  const list: T[] = [];
  reflectSetPrototypeOf(list, null);
  return list;
}
/** `arr.push(value)` on an array of ours (its `length` is an own data property). */
export function append<T>(arr: T[], value: T): void {
  if (reflectGetPrototypeOf(arr) === null) arr[arr.length] = value;
  else R.defineProperty(arr, arr.length, dataDescriptor(value));
}
/** `arr[index] = value` on an array of ours. */
export function put<T>(arr: T[], index: number, value: T): void {
  R.defineProperty(arr, index, dataDescriptor(value));
}
/** `object[key] = value` on a plain object of ours, for a key it may not own yet. */
export function setOwn<O extends object, K extends keyof O>(object: O, key: K, value: O[K]): void {
  R.defineProperty(object, key, dataDescriptor(value));
}
/** `arr[index]`, never a hole's lookup on Array.prototype (where the page may have a getter). */
export function at<T>(arr: readonly T[], index: number): T | undefined {
  return index < arr.length ? arr[index] : undefined;
}
/**
 * An own data property's value: a missing key is never looked up on the page's prototypes. The
 * native descriptor is read only when it owns `value` (a data property's does; an accessor's
 * would look `value` up on Object.prototype), so no copy of it is needed.
 */
export function own(object: object, key: PropertyKey): unknown {
  const desc = reflectGetOwnPropertyDescriptor(object, key);
  return desc !== undefined && hasOwn(desc, 'value') ? desc.value : undefined;
}
/** A copy of `descriptor` with no prototype (see dataDescriptor). */
export function detached(descriptor: PropertyDescriptor): PropertyDescriptor {
  return { __proto__: null, ...descriptor } as PropertyDescriptor;
}
/** A copy of `descriptor` with `value` changed, with no prototype (see dataDescriptor). */
export function withValue(descriptor: PropertyDescriptor, value: unknown): PropertyDescriptor {
  return { __proto__: null, ...descriptor, value } as PropertyDescriptor;
}

const functionBind = Function.prototype.bind;
/** `fn.bind(self)`, with the bind taken before any page script. */
const bind = <F extends Function>(fn: F, self: unknown): F => R.apply(functionBind, fn, [self]) as F;

export const fnToString = Function.prototype.toString;
export const addEventListener = EventTarget.prototype.addEventListener;
export const removeEventListener = EventTarget.prototype.removeEventListener;
export const dispatchEvent = EventTarget.prototype.dispatchEvent;
export const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
export const NativeCustomEvent = g.CustomEvent;
export const promiseThen = Promise.prototype.then;
export const jsonStringify = JSON.stringify;
export const jsonParse = JSON.parse;
export const arrayBufferSlice = ArrayBuffer.prototype.slice;
export const blobSlice = Blob.prototype.slice;
export const blobArrayBuffer = Blob.prototype.arrayBuffer;
export const queueMicrotask = bind(g.queueMicrotask, g);
export const setTimeoutNative = bind(g.setTimeout, g);
export const clearTimeoutNative = bind(g.clearTimeout, g);
export const portPostMessage = MessagePort.prototype.postMessage;
export const getRandomValues = bind(g.crypto.getRandomValues, g.crypto);
export const perfNow = bind(g.performance.now, g.performance);
export const timeOrigin = g.performance.timeOrigin;
export const arrayIsArray = Array.isArray;
export const mathMin = Math.min;

const wmGet = NativeWeakMap.prototype.get;
const wmSet = NativeWeakMap.prototype.set;
const wmHas = NativeWeakMap.prototype.has;
/** A WeakMap whose methods the page cannot replace (WeakMap.prototype is the page's to patch). */
export class SafeWeakMap<K extends object, V> {
  private readonly map = new NativeWeakMap<K, V>();
  get(key: unknown): V | undefined {
    return R.apply(wmGet, this.map, [key]) as V | undefined;
  }
  set(key: K, value: V): void {
    R.apply(wmSet, this.map, [key, value]);
  }
  has(key: unknown): boolean {
    return R.apply(wmHas, this.map, [key]) as boolean;
  }
  delete(key: unknown): boolean {
    return R.apply(wmDelete, this.map, [key]) as boolean;
  }
}
const wmDelete = NativeWeakMap.prototype.delete;
const wsAdd = NativeWeakSet.prototype.add;
const wsHas = NativeWeakSet.prototype.has;
const wsDelete = NativeWeakSet.prototype.delete;
/** A WeakSet whose methods the page cannot intercept (see SafeWeakMap). */
export class SafeWeakSet<T extends object> {
  private readonly set = new NativeWeakSet<T>();
  add(value: T): this {
    R.apply(wsAdd, this.set, [value]);
    return this;
  }
  has(value: unknown): boolean {
    return R.apply(wsHas, this.set, [value]) as boolean;
  }
  delete(value: unknown): boolean {
    return R.apply(wsDelete, this.set, [value]) as boolean;
  }
}
export const arrayBufferIsView = ArrayBuffer.isView;

/** String and RegExp methods the page may replace later, called through Reflect. */
const SP = String.prototype;
const stringMethods = {
  slice: SP.slice,
  indexOf: SP.indexOf,
  toLowerCase: SP.toLowerCase,
  trim: SP.trim,
  split: SP.split,
  startsWith: SP.startsWith,
  charCodeAt: SP.charCodeAt,
  // ES2024: not in the ES2023 lib this compiles against.
  isWellFormed: (SP as unknown as { isWellFormed: () => boolean }).isWellFormed,
  toWellFormed: (SP as unknown as { toWellFormed: () => string }).toWellFormed,
};
export const S = {
  slice: (s: string, a: number, b?: number): string => R.apply(stringMethods.slice, s, b === undefined ? [a] : [a, b]) as string,
  indexOf: (s: string, search: string, from = 0): number => R.apply(stringMethods.indexOf, s, [search, from]) as number,
  lower: (s: string): string => R.apply(stringMethods.toLowerCase, s, []) as string,
  trim: (s: string): string => R.apply(stringMethods.trim, s, []) as string,
  /** Split on a string separator (never a RegExp: its Symbol.split is the page's to replace). */
  split: (s: string, sep: string): string[] => R.apply(stringMethods.split, s, [sep]) as string[],
  startsWith: (s: string, prefix: string): boolean => R.apply(stringMethods.startsWith, s, [prefix]) as boolean,
  includes: (s: string, search: string): boolean => (R.apply(stringMethods.indexOf, s, [search]) as number) >= 0,
  charCodeAt: (s: string, index: number): number => R.apply(stringMethods.charCodeAt, s, [index]) as number,
  /**
   * The string as a USVString (WebIDL): a lone surrogate becomes U+FFFD, as the browser converts
   * a body or a message before it encodes it as UTF-8. The string itself when it is well formed.
   */
  wellFormed: (s: string): string => (R.apply(stringMethods.isWellFormed, s, []) ? s : (R.apply(stringMethods.toWellFormed, s, []) as string)),
};
const regExpExec = RegExp.prototype.exec;
export const reTest = (re: RegExp, s: string): boolean => R.apply(regExpExec, re, [s]) !== null;
export const reExec = (re: RegExp, s: string): RegExpExecArray | null => R.apply(regExpExec, re, [s]) as RegExpExecArray | null;
const arrayJoin = Array.prototype.join;
export const join = (list: string[], sep: string): string => R.apply(arrayJoin, list, [sep]) as string;

const textEncode = NativeTextEncoder.prototype.encode;
const encoder = new NativeTextEncoder();
export const encodeText = (s: string) => R.apply(textEncode, encoder, [s]) as Uint8Array;
export const textDecode = NativeTextDecoder.prototype.decode;
/** UTF-8, a BOM skipped, invalid bytes replaced: Encoding's "UTF-8 decode". */
const utf8Decoder = new NativeTextDecoder();
export const decodeUtf8 = (bytes: ArrayBuffer | ArrayBufferView) => R.apply(textDecode, utf8Decoder, [bytes]) as string;

export function getter<T>(proto: object, name: string): (self: unknown) => T {
  const desc = R.getOwnPropertyDescriptor(proto, name);
  const get = desc?.get;
  return (self) => (get ? (R.apply(get, self, []) as T) : (undefined as T));
}

/**
 * A brand check through a native getter of `proto` (not instanceof: the page may give a
 * constructor its own Symbol.hasInstance, or replace the global).
 */
export function brand<T>(proto: object, name: string): (value: unknown) => value is T {
  const get = R.getOwnPropertyDescriptor(proto, name)?.get;
  return (value: unknown): value is T => {
    if (!get || value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
    try {
      R.apply(get, value, []);
      return true;
    } catch {
      return false;
    }
  };
}
export const isArrayBuffer = brand<ArrayBuffer>(NativeArrayBuffer.prototype, 'byteLength');
export const isBlob = brand<Blob>(NativeBlob.prototype, 'size');
export const isDocument = brand<Document>(NativeDocument.prototype, 'URL');

/** Wall-clock epoch ms with the page's high-resolution clock. */
export const now = (): number => timeOrigin + perfNow();

export const NativeTransformStream = g.TransformStream;
export const NativeResponse = g.Response;
export const transformEnqueue = TransformStreamDefaultController.prototype.enqueue;
const RSP = NativeReadableStream.prototype;
/** The stream methods that hand a body to another consumer, taken before we patch them. */
export const streamPipeTo = RSP.pipeTo;
export const streamPipeThrough = RSP.pipeThrough;
export const streamTee = RSP.tee;
