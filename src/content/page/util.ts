import type { Header } from '../../shared/protocol';
import { FunctionPrototype, NativeDOMException, NativeError, NativeString, NativeURL, ObjectPrototype, R, S, append, getter, hasOwn, isError, join, objectCreate, ownList, put, rawDescriptor, reExec, reTest } from './natives';

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

/**
 * The URL a Request made of `url` alone would have (parsed against the document's base URL, as
 * the Request constructor parses its input), or undefined when the Request constructor would
 * throw on it: it does not parse, or it carries credentials.
 */
export function requestUrl(url: string): string | undefined {
  try {
    const parsed = new NativeURL(url, baseURI(document));
    return urlUsername(parsed) === '' && urlPassword(parsed) === '' ? urlHref(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/** A primitive as the browser's ToString would give it; objects are not touched (page code). */
export function primitiveText(value: unknown): string | undefined {
  const type = typeof value;
  if (type === 'string') return value as string;
  if (type === 'number' || type === 'boolean' || type === 'bigint' || value === null || value === undefined) return NativeString(value);
  return undefined;
}

/**
 * The frames an initiator keeps: the page's first PAGE_FRAMES, ours left out. WIDE frames are
 * looked at when ours sit among the page's (a page toString or getter that our patch called
 * started the request) or no trap of ours is on the stack.
 */
const PAGE_FRAMES = 12;
const WIDE = 30;
const captureStackTrace = (NativeError as unknown as { captureStackTrace?: (target: object, below?: Function) => void }).captureStackTrace;
const PREPARE = 'prepareStackTrace';
const LIMIT = 'stackTraceLimit';

/**
 * The trap functions every proxy of ours runs in (patch.ts proxy): the frame below which a
 * capture starts, so none of our frames above it is captured, formatted, then filtered out.
 */
const trapFrames: { apply?: Function; construct?: Function } = objectCreate(null) as { apply?: Function; construct?: Function };
export function registerTrapFrames(apply: Function, construct: Function): void {
  trapFrames.apply = apply;
  trapFrames.construct = construct;
}
/** The frame of a construct trap of ours (`construct`), else of an apply trap. */
const trapOf = (construct: boolean): Function | undefined => (construct ? trapFrames.construct : trapFrames.apply);

/**
 * A prepareStackTrace V8 would call to format a stack: it looks `Error.prepareStackTrace` up with
 * [[Get]], so on Function.prototype and Object.prototype too, getters run. One that is present
 * (as anything but a data property holding undefined, what a save-and-restore leaves) would see
 * our frames and run: no stack then, nor when the chain is not the native one (a Proxy in it
 * would run the page's traps as we look).
 */
export function pageFormatsStacks(): boolean {
  if (R.getPrototypeOf(NativeError) !== FunctionPrototype || R.getPrototypeOf(FunctionPrototype) !== ObjectPrototype) return true;
  return present(NativeError) || present(FunctionPrototype) || present(ObjectPrototype);
}
function present(object: object): boolean {
  const desc = rawDescriptor(object, PREPARE);
  return desc !== undefined && !(hasOwn(desc, 'value') && desc.value === undefined);
}

/**
 * The stack as V8 formats it, at most `limit` frames below the topmost call of `below` (all of
 * them without it), or undefined when the page formats stacks itself. Error.stackTraceLimit, an
 * own writable data property (else the page's, as it is: V8 reads it without running getters), is
 * `limit` for the capture only, set and put back by plain stores on its own data property (no page
 * code runs). The stack goes on an object of ours with no prototype: its "Error" header reads
 * name and message there, nothing of the page's.
 */
function rawStack(below: Function | undefined, limit: number): string | undefined {
  if (pageFormatsStacks()) return undefined;
  const desc = rawDescriptor(NativeError, LIMIT);
  const set = desc !== undefined && hasOwn(desc, 'value') && desc.writable === true && desc.value !== limit;
  const before: unknown = set ? desc.value : undefined;
  const errors = NativeError as unknown as Record<string, unknown>;
  if (set) errors[LIMIT] = limit;
  try {
    let stack: unknown;
    if (captureStackTrace) {
      const holder = objectCreate(null) as { stack?: unknown };
      R.apply(captureStackTrace, NativeError, below ? [holder, below] : [holder]);
      stack = holder.stack;
    } else stack = new NativeError().stack;
    return typeof stack === 'string' ? stack : undefined;
  } finally {
    if (set) errors[LIMIT] = before;
  }
}

const ownScript = (() => {
  const stack = rawStack(undefined, WIDE);
  const m = stack ? reExec(/(chrome-extension|moz-extension):\/\/[^/\s]+\//, stack) : null;
  return m ? m[0] : 'chrome-extension://';
})();

export const isOwnFrame = (line: string): boolean => S.includes(line, ownScript);

/**
 * Who started it: the page's frames of the JS stack, at most PAGE_FRAMES, none of ours. Called
 * from a handler that a proxy of ours runs (`construct`: a construct trap's, else an apply
 * trap's): the capture starts below that trap's frame. Without one on the stack, a capture of
 * the whole stack, ours filtered out.
 */
export function stackHere(construct = false): string | undefined {
  try {
    const trap = trapOf(construct);
    if (trap) {
      const lines = framesBelow(trap, PAGE_FRAMES);
      if (!lines) return undefined;
      // Only the header: not below that trap (V8 then captures nothing).
      if (lines.length > 1) {
        const out = pageFrames(lines);
        const captured = lines.length - 1;
        // All of the page's, or the whole stack: else ours sat among the page's, look further.
        if (out.length === captured || captured < PAGE_FRAMES) return join(out, '\n');
        return join(pageFrames(framesBelow(trap, WIDE) ?? lines), '\n');
      }
    }
    const lines = framesBelow(undefined, WIDE);
    return lines ? join(pageFrames(lines), '\n') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The frames V8 would give an error made right below the trap a proxy of ours runs in (`construct`:
 * a construct trap's, else an apply trap's), at most `count` of them, as V8 formats them; undefined
 * without such a trap on the stack, or when the page formats stacks itself.
 */
export function framesBelowTrap(construct: boolean, count: number): string[] | undefined {
  const trap = trapOf(construct);
  const lines = trap ? framesBelow(trap, count) : undefined;
  if (!lines) return undefined;
  const out: string[] = ownList();
  for (let i = 1; i < lines.length; i++) append(out, lines[i]);
  return out;
}

/**
 * Gives `error` (a real Error or DOMException, thrown within the trap a proxy of ours runs in,
 * which is still on the stack: `construct`, a construct trap's, else an apply trap's) a stack
 * captured afresh below that trap: the page's frames, as many as the page's Error.stackTraceLimit
 * says, and not yet formatted, as a native error's is until read (so an Error.prepareStackTrace
 * the page sets later still gets its call sites). V8 replaces the error's own `stack` with the
 * same accessor pair every error has. False when no such trap is on the stack or V8 cannot.
 */
export function recaptureBelowTrap(error: object, construct: boolean): boolean {
  const trap = trapOf(construct);
  if (!trap || !captureStackTrace) return false;
  try {
    R.apply(captureStackTrace, NativeError, [error, trap]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The page's Error.stackTraceLimit as V8 reads it when it captures a stack (an own data property
 * holding a number, truncated, at least 0), or undefined: none, or no limit to speak of.
 */
export function pageStackLimit(): number | undefined {
  const desc = rawDescriptor(NativeError, LIMIT);
  const value: unknown = desc && hasOwn(desc, 'value') ? desc.value : undefined;
  if (typeof value !== 'number' || !(value < 1000)) return undefined;
  return value > 0 ? value | 0 : 0;
}

/** The stack's lines, the "Error" header first; undefined when the page formats stacks. */
function framesBelow(below: Function | undefined, limit: number): string[] | undefined {
  const stack = rawStack(below, limit);
  return stack === undefined ? undefined : S.split(stack, '\n');
}

/** The page's frames among `lines` (header dropped, ours left out), at most PAGE_FRAMES. */
function pageFrames(lines: string[]): string[] {
  const out: string[] = ownList();
  for (let i = 1; i < lines.length; i++) {
    if (isOwnFrame(lines[i])) continue;
    append(out, S.trim(lines[i]));
    if (out.length >= PAGE_FRAMES) break;
  }
  return out;
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
