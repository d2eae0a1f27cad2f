import type { Header } from '../../shared/protocol';
import { NativeDOMException, NativeError, NativeString, NativeURL, R, S, append, getter, hasOwn, isError, join, ownList, put, reExec, reTest, withValue } from './natives';

const baseURI = getter<string>(Node.prototype, 'baseURI');
const urlHref = getter<string>(NativeURL.prototype, 'href');
const urlPassword = getter<string>(NativeURL.prototype, 'password');
const urlUsername = getter<string>(NativeURL.prototype, 'username');
const urlSetPassword = R.getOwnPropertyDescriptor(NativeURL.prototype, 'password')?.set;
const urlSetUsername = R.getOwnPropertyDescriptor(NativeURL.prototype, 'username')?.set;

/**
 * Resolves a URL the way the browser will, against the document's base URL. Only for values the
 * page already converted (strings): never runs page code. Credentials in the URL are removed
 * (the browser sends them as Authorization, never as part of the URL).
 */
export function absoluteUrl(url: string): { url: string; user?: string; hasPassword?: boolean } {
  try {
    const parsed = new NativeURL(url, baseURI(document));
    const user = urlUsername(parsed);
    const hasPassword = urlPassword(parsed) !== '';
    // Every key present: a missing one read by a caller would reach the page's Object.prototype.
    if (!user && !hasPassword) return { url: urlHref(parsed), user: undefined, hasPassword: undefined };
    if (urlSetPassword) R.apply(urlSetPassword, parsed, ['']);
    if (urlSetUsername) R.apply(urlSetUsername, parsed, ['']);
    return { url: urlHref(parsed), user: user || undefined, hasPassword: hasPassword || undefined };
  } catch {
    return { url, user: undefined, hasPassword: undefined };
  }
}

/** A primitive as the browser's ToString would give it; objects are not touched (page code). */
export function primitiveText(value: unknown): string | undefined {
  const type = typeof value;
  if (type === 'string') return value as string;
  if (type === 'number' || type === 'boolean' || type === 'bigint' || value === null || value === undefined) return NativeString(value);
  return undefined;
}

const ownScript = (() => {
  const stack = rawStack();
  const m = stack ? reExec(/(chrome-extension|moz-extension):\/\/[^/\s]+\//, stack) : null;
  return m ? m[0] : 'chrome-extension://';
})();

/** The page's Error.prepareStackTrace would see our frames (and run): no stack then. */
function rawStack(): string | undefined {
  const prepare = R.getOwnPropertyDescriptor(NativeError, 'prepareStackTrace');
  if (prepare && (prepare.get || prepare.set || prepare.value !== undefined)) return undefined;
  const limit = R.getOwnPropertyDescriptor(NativeError, 'stackTraceLimit');
  const restore = limit && hasOwn(limit, 'value') && limit.writable && limit.value !== 30;
  if (restore) R.defineProperty(NativeError, 'stackTraceLimit', withValue(limit, 30));
  try {
    const stack = new NativeError().stack;
    return typeof stack === 'string' ? stack : undefined;
  } finally {
    if (restore) R.defineProperty(NativeError, 'stackTraceLimit', withValue(limit, limit.value));
  }
}

export const isOwnFrame = (line: string): boolean => S.includes(line, ownScript);

/** Who started it: the JS stack without our own frames. */
export function stackHere(): string | undefined {
  try {
    const stack = rawStack();
    if (!stack) return undefined;
    const lines = S.split(stack, '\n');
    // Drop "Error" and our own frames (they sit above the page's caller).
    const out: string[] = ownList();
    for (let i = 1; i < lines.length; i++) {
      if (isOwnFrame(lines[i])) continue;
      append(out, S.trim(lines[i]));
      if (out.length >= 12) break;
    }
    return join(out, '\n');
  } catch {
    return undefined;
  }
}

/** Appends a header, combining a repeated name as the browser does ("a, b"). */
export function appendHeader(headers: Header[], name: string, value: string): void {
  const lower = S.lower(name);
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i];
    if (S.lower(h[0]) === lower) {
      put(h, 1, `${h[1]}, ${value}`);
      return;
    }
  }
  append<Header>(headers, [name, value]);
}

export function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

const STREAMING = /^\s*(text\/event-stream|application\/(x-)?ndjson|application\/jsonl|application\/x-jsonlines|application\/stream\+json)/i;
export const isStreamingType = (contentType: string | null | undefined): boolean => !!contentType && reTest(STREAMING, contentType);

export { R };

const domName = getter<string>(NativeDOMException.prototype, 'name');
const domMessage = getter<string>(NativeDOMException.prototype, 'message');

/** A data property found on the object or its prototypes, never through a getter. */
function dataProperty(object: object, key: string): unknown {
  let at: object | null = object;
  for (let depth = 0; at && depth < 8; depth++) {
    const desc = R.getOwnPropertyDescriptor(at, key);
    if (desc) return hasOwn(desc, 'value') ? desc.value : undefined;
    at = R.getPrototypeOf(at) as object | null;
  }
  return undefined;
}

/** "Name: message" of a thrown value or rejection reason, without running page code. */
export function describeError(error: unknown): string {
  try {
    const text = primitiveText(error);
    if (text !== undefined) return text;
    if (typeof error === 'symbol') return 'Symbol';
    if (typeof error !== 'object' || error === null) return typeof error;
    try {
      return `${domName(error)}: ${domMessage(error)}`;
    } catch {
      // Not a DOMException.
    }
    if (!isError(error)) return 'non-error object';
    const name = dataProperty(error, 'name');
    const message = dataProperty(error, 'message');
    return `${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : ''}`;
  } catch {
    return 'error';
  }
}

/** The error's name (AbortError, TimeoutError, TypeError…), without running page code. */
export function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  try {
    return domName(error);
  } catch {
    // Not a DOMException.
  }
  try {
    if (!isError(error)) return '';
    const name = dataProperty(error, 'name');
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}
