/**
 * References to the natives the page script needs, taken before any page script runs. Page code
 * may later replace these globals; we keep calling the originals so the page cannot see us through
 * its own patches (and its patches cannot break us).
 */
const g = globalThis;

export const NativeProxy = g.Proxy;
export const NativeWeakMap = g.WeakMap;
export const NativeWeakSet = g.WeakSet;
export const NativeMap = g.Map;
export const NativeMessageChannel = g.MessageChannel;
export const NativeTextEncoder = g.TextEncoder;
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

export const R = {
  apply: Reflect.apply,
  construct: Reflect.construct,
  get: Reflect.get,
  getOwnPropertyDescriptor: Reflect.getOwnPropertyDescriptor,
  defineProperty: Reflect.defineProperty,
  getPrototypeOf: Reflect.getPrototypeOf,
  ownKeys: Reflect.ownKeys,
};

export const fnToString = Function.prototype.toString;
export const addEventListener = EventTarget.prototype.addEventListener;
export const removeEventListener = EventTarget.prototype.removeEventListener;
export const promiseThen = Promise.prototype.then;
export const jsonStringify = JSON.stringify;
export const arrayBufferSlice = ArrayBuffer.prototype.slice;
export const blobSlice = Blob.prototype.slice;
export const blobArrayBuffer = Blob.prototype.arrayBuffer;
export const queueMicrotask = g.queueMicrotask.bind(g);
export const setTimeoutNative = g.setTimeout.bind(g);
export const portPostMessage = MessagePort.prototype.postMessage;
export const windowPostMessage = g.postMessage.bind(g);
export const getRandomValues = g.crypto.getRandomValues.bind(g.crypto);
export const perfNow = g.performance.now.bind(g.performance);
export const timeOrigin = g.performance.timeOrigin;
export const encodeText = (s: string) => R.apply(NativeTextEncoder.prototype.encode, new NativeTextEncoder(), [s]) as Uint8Array;

export function getter<T>(proto: object, name: string): (self: unknown) => T {
  const desc = R.getOwnPropertyDescriptor(proto, name);
  const get = desc?.get;
  return (self) => (get ? (R.apply(get, self, []) as T) : (undefined as T));
}

/** Wall-clock epoch ms with the page's high-resolution clock. */
export const now = (): number => timeOrigin + perfNow();
