import type { Header, Payload, StartMeta } from '../../shared/protocol';
import { bufferPayload, capturePayload, limits } from './body';
import type { Sink } from './channel';
import {
  append,
  arrayBufferIsView,
  arrayBufferSlice,
  at,
  getter,
  globalObject,
  own,
  ownList,
  mathMin,
  NativeHeaders,
  NativePromise,
  NativeRequest,
  NativeResponse,
  decodeUtf8,
  jsonParse,
  NativeTransformStream,
  NativeUint8Array,
  ObjectPrototype,
  promiseThen,
  R,
  reTest,
  S,
  SafeWeakMap,
  setOwn,
  setTimeoutNative,
  clearTimeoutNative,
  streamPipeTo,
  symbolAsyncIterator,
  transformEnqueue,
} from './natives';
import type { Uninstall } from './patch';
import { carriesOwnFrame, isErrorLike, patchAccessor, patchAliases, patchMethod, scrubStack } from './patch';
import { watchConstruction } from './events';
import { describeError, errorName, isStreamingType, requestUrl as urlOfRequest, stackHere } from './util';

const RequestP = NativeRequest.prototype;
const ResponseP = Response.prototype;
const requestMethod = getter<string>(RequestP, 'method');
const requestUrl = getter<string>(RequestP, 'url');
const requestHeaders = getter<Headers>(RequestP, 'headers');
const requestBody = getter<ReadableStream | null>(RequestP, 'body');
const requestMode = getter<string>(RequestP, 'mode');
const requestCredentials = getter<string>(RequestP, 'credentials');
const requestCache = getter<string>(RequestP, 'cache');
const requestRedirect = getter<string>(RequestP, 'redirect');
const requestKeepalive = getter<boolean>(RequestP, 'keepalive');
const requestSignal = getter<AbortSignal>(RequestP, 'signal');
const requestClone = RequestP.clone;
const signalAborted = getter<boolean>(AbortSignal.prototype, 'aborted');
const responseStatus = getter<number>(ResponseP, 'status');
const responseStatusText = getter<string>(ResponseP, 'statusText');
const responseHeaders = getter<Headers>(ResponseP, 'headers');
const responseUrl = getter<string>(ResponseP, 'url');
const responseRedirected = getter<boolean>(ResponseP, 'redirected');
const responseType = getter<string>(ResponseP, 'type');
const responseBody = getter<ReadableStream<Uint8Array> | null>(ResponseP, 'body');
const responseClone = ResponseP.clone;
const responseBodyUsed = getter<boolean>(ResponseP, 'bodyUsed');
const responseArrayBuffer = ResponseP.arrayBuffer;
const streamLocked = getter<boolean>(ReadableStream.prototype, 'locked');
const transformReadable = getter<ReadableStream>(NativeTransformStream.prototype, 'readable');
const transformWritable = getter<WritableStream>(NativeTransformStream.prototype, 'writable');
const bufferByteLength = getter<number>(ArrayBuffer.prototype, 'byteLength');
/** The natives a body read through bytes ends with, taken before we patch them. */
const wholeNatives: Record<string, Function> = { __proto__: null, json: ResponseP.json, text: ResponseP.text, formData: ResponseP.formData } as unknown as Record<string, Function>;
const headersEntries = NativeHeaders.prototype.entries;
const headersIteratorNext = (R.getPrototypeOf(R.apply(headersEntries, new NativeHeaders(), [])) as { next(): unknown }).next;
const headersGet = NativeHeaders.prototype.get;
const getReader = ReadableStream.prototype.getReader;
const readerRead = ReadableStreamDefaultReader.prototype.read;
const readerCancel = ReadableStreamDefaultReader.prototype.cancel;
const promiseReject = NativePromise.reject;
const promiseResolve = NativePromise.resolve;
const u8Subarray = NativeUint8Array.prototype.subarray;
const u8Set = NativeUint8Array.prototype.set;
const u8Length = getter<number>(R.getPrototypeOf(NativeUint8Array.prototype) as object, 'byteLength');

/**
 * A response's headers as getAllResponseHeaders() gives an XHR's ("name: value" lines, each
 * ended by CRLF): one string to carry instead of an array per header (RawResponse, parsed in the
 * worker by parseHeaderLines into the very pairs headerList makes), with the values of
 * content-type, content-length and content-encoding (the names come lowercased and combined, as
 * Headers.get gives them). Undefined `raw` when a line would not parse back to its pair: a value
 * whose ends trim() would take (U+00A0, a vertical tab, which Headers keeps) or with a line break.
 */
interface RawHeaders {
  raw: string | undefined;
  contentType: string | null;
  length: string | null;
  encoded: string | null;
}
function rawHeaders(headers: Headers): RawHeaders {
  let raw: string | undefined = '';
  let contentType: string | null = null;
  let length: string | null = null;
  let encoded: string | null = null;
  const it = R.apply(headersEntries, headers, []);
  const next = () => R.apply(headersIteratorNext, it, []) as IteratorResult<[string, string]>;
  for (let step = next(); !step.done; step = next()) {
    const name = step.value[0];
    const value = step.value[1];
    if (name === 'content-type') contentType = value;
    else if (name === 'content-length') length = value;
    else if (name === 'content-encoding') encoded = value;
    if (raw === undefined) continue;
    if (S.trim(value) !== value || S.includes(value, '\n') || S.includes(value, '\r') || S.includes(name, ':') || S.trim(name) !== name || !name) raw = undefined;
    else raw += `${name}: ${value}\r\n`;
  }
  return { raw, contentType, length, encoded };
}

function headerList(headers: Headers): Header[] {
  const out: Header[] = [];
  const it = R.apply(headersEntries, headers, []);
  const next = () => R.apply(headersIteratorNext, it, []) as IteratorResult<[string, string]>;
  for (let step = next(); !step.done; step = next()) append<Header>(out, [step.value[0], step.value[1]]);
  return out;
}

/** init.body when it is a plain data property (a getter is the browser's to call, once). */
function initBody(init: unknown): { known: boolean; value?: unknown } {
  // Every key present: reading a missing `value` would reach the page's Object.prototype.
  if (init === undefined || init === null || typeof init !== 'object') return { known: true, value: undefined };
  const desc = R.getOwnPropertyDescriptor(init, 'body');
  if (!desc) return { known: R.getPrototypeOf(init) === ObjectPrototype, value: undefined };
  return R.getOwnPropertyDescriptor(desc, 'value') ? { known: true, value: desc.value } : { known: false, value: undefined };
}

function describe(request: Request) {
  const meta: StartMeta = {
    credentials: requestCredentials(request),
    mode: requestMode(request),
    cache: requestCache(request),
    redirect: requestRedirect(request),
  };
  if (requestKeepalive(request)) setOwn(meta, 'keepalive', true);
  return {
    method: requestMethod(request),
    url: requestUrl(request),
    headers: headerList(requestHeaders(request)),
    meta,
  };
}

/**
 * What describe() reads of a Request made of a URL string alone (Fetch, Request constructor:
 * method GET, no headers, mode cors, credentials same-origin, cache default, redirect follow, no
 * keepalive), `url` being its parsed URL (util.ts requestUrl).
 */
function plainFacts(url: string) {
  const meta: StartMeta = { credentials: 'same-origin', mode: 'cors', cache: 'default', redirect: 'follow' };
  const headers: Header[] = [];
  return { method: 'GET', url, headers, meta };
}

/**
 * fetch, observed by a Proxy. The page's arguments go through the Request constructor once, here
 * (the page's getters, iterators and toString run exactly once, as in the native fetch), and the
 * native fetch gets that Request. The page gets a promise that settles as the native one; the
 * response body is read from a clone (a tee), bounded: we stop and cancel our branch at the cap,
 * so a body the page never reads is not pulled into memory without limit. Streamed bodies
 * (SSE, NDJSON) are recorded chunk by chunk as they arrive.
 */
export function installFetch(sink: Sink): Uninstall {
  const readers = installReadObservers(sink);
  // `realm`: the window whose fetch this is (ours, or one adopted before its script ran, see
  // patch.ts adoptWindow): its receiver, and its Promise for the promises the page gets.
  const uninstallFetch = patchMethod<typeof fetch>(globalObject, 'fetch', (_original, realm) => {
    const RealmPromise = realm === globalObject ? NativePromise : ((own(realm, 'Promise') as PromiseConstructor | undefined) ?? NativePromise);
    const realmReject = realm === globalObject ? promiseReject : (own(RealmPromise, 'reject') as typeof promiseReject | undefined) ?? promiseReject;
    return {
      apply(target, thisArg, args: unknown[]) {
        // A wrong receiver or no argument: the native's own error, untouched.
        if ((thisArg !== undefined && thisArg !== realm) || args.length < 1) return scrubbed(R.apply(target, thisArg, args) as Promise<Response>);
        // fetch(url) with a string alone, as most calls are: its conversion runs no page code and
        // a Request made of it has the defaults (plainFacts), so none is made here; the native
        // gets the string as the page gave it and makes the one Request. (Another window's fetch:
        // its own document's base URL, so the general way.)
        const plainUrl = args.length === 1 && typeof args[0] === 'string' && realm === globalObject ? urlOfRequest(args[0]) : undefined;
        let request: Request | undefined;
        if (plainUrl === undefined) {
          try {
            request = R.construct(NativeRequest, args.length > 1 ? [args[0], args[1]] : [args[0]]) as Request;
          } catch (error) {
            // The browser's own error says "Failed to execute 'fetch'": let the native say it.
            // (Its conversions then run a second time, only for a request that never starts.)
            if (S.includes(describeError(error), "Failed to construct 'Request'")) return scrubbed(R.apply(target, thisArg, args) as Promise<Response>);
            // The page's own getter, iterator or toString threw: fetch rejects with that value.
            return R.apply(realmReject, RealmPromise, [scrubStack(error)]);
          }
        }
        let id: string | undefined;
        let signal: AbortSignal | undefined;
        let head = false;
        try {
          id = sink.nextId('fetch');
          signal = request ? requestSignal(request) : undefined;
          const facts = request ? describe(request) : plainFacts(plainUrl!);
          head = facts.method === 'HEAD';
          let body: Payload | undefined;
          let later: Promise<Payload> | undefined;
          try {
            const init = initBody(at(args, 1));
            if (init.value !== undefined && init.value !== null) ({ payload: body, later } = capturePayload(init.value));
            else if (request && requestBody(request) && init.known) ({ payload: body, later } = readRequestBody(request));
            else if (request && requestBody(request)) body = { encoding: 'none', data: '', size: -1, truncated: false, source: 'unknown' };
          } catch (error) {
            sink.fail('fetch:body', error);
          }
          if (body?.source === 'stream') setOwn(facts.meta, 'streamBody', true);
          sink.emit({ type: 'start', id, t: sink.now(), kind: 'fetch', ...facts, body, stack: stackHere() });
          if (later) {
            const bodyId = id;
            R.apply(promiseThen, later, [
              (payload: Payload) => sink.emit({ type: 'body', id: bodyId, t: sink.now(), which: 'request', body: payload }),
              (e: unknown) => sink.fail('fetch:body', e),
            ]);
          }
        } catch (error) {
          sink.fail('fetch:start', error);
          id = undefined;
        }
        const promise = R.apply(target, thisArg, [request ?? args[0]]) as Promise<Response>;
        if (id === undefined) return promise;
        const entry = id;
        // A promise of our own for the page, so the native one's rejection is "handled" by us
        // while an unhandled rejection still reaches the page's unhandledrejection as before.
        return new RealmPromise<Response>((resolve, reject) => {
          R.apply(promiseThen, promise, [
            (response: Response) => {
              try {
                onResponse(sink, entry, response, signal, head);
              } catch (error) {
                sink.fail('fetch:response', error);
              }
              resolve(response);
            },
            (error: unknown) => {
              try {
                const aborted = (signal && signalAborted(signal)) || errorName(error) === 'AbortError';
                sink.emit({ type: 'end', id: entry, t: sink.now(), outcome: aborted ? 'abort' : 'error', error: describeError(error) });
              } catch (e) {
                sink.fail('fetch:error', e);
              }
              // The native error's stack was taken at the call, through our trap: take ours out.
              reject(scrubStack(error));
            },
          ]);
        });
      },
    };
  });
  return () => {
    uninstallFetch();
    for (let i = 0; i < readers.length; i++) readers[i]();
  };
}

/** The same settlement, with our frames taken out of a rejection's stack. */
function scrubbed<T>(promise: Promise<T>): Promise<T> {
  return R.apply(promiseThen, promise, [undefined, (error: unknown) => { throw scrubStack(error); }]) as Promise<T>;
}

/** A Request input's body (or one we could not see in init), read from a clone up to the cap. */
function readRequestBody(request: Request): { payload: Payload; later: Promise<Payload> } {
  const copy = R.apply(requestClone, request, []) as Request;
  const payload: Payload = { encoding: 'none', data: '', size: -1, truncated: false, source: 'request' };
  const stream = requestBody(copy);
  const read = stream ? readBounded(stream, limits.bodyCap) : (R.apply(promiseResolve, NativePromise, [bounded([], 0, 0, true)]) as Promise<Bounded>);
  // No prototype on what a promise settles with: resolving looks up `then` on it.
  const later = R.apply(promiseThen, read, [
    ({ chunks, kept, size, complete }: Bounded): Payload =>
      ({ __proto__: null, ...payload, encoding: 'buffer', buffer: viewBuffer(concat(chunks, kept)), size: complete ? size : -1, truncated: !complete || kept < size }) as Payload,
  ]) as Promise<Payload>;
  return { payload, later };
}

interface Bounded {
  chunks: Uint8Array[];
  kept: number;
  size: number;
  complete: boolean;
  /** The stream errored (a network error, an abort): `error`, after the bytes read before it. */
  broken: boolean;
  error: unknown;
}
const bounded = (chunks: Uint8Array[], kept: number, size: number, complete: boolean, broken = false, error: unknown = undefined): Bounded =>
  ({ __proto__: null, chunks, kept, size, complete, broken, error }) as Bounded;
const ignore = () => {};

/**
 * Reads a stream of ours up to `cap` bytes; a stream that errors gives what was read before its
 * error (`broken`). Promise callbacks, not async/await: `await` reads `.constructor` off each
 * promise (Promise.prototype is the page's), and an async function's result is resolved with a
 * lookup of `then` on it.
 */
function readBounded(stream: ReadableStream<Uint8Array>, cap: number): Promise<Bounded> {
  return new NativePromise<Bounded>((resolve, reject) => {
    const reader = R.apply(getReader, stream, []) as ReadableStreamDefaultReader<Uint8Array>;
    const chunks: Uint8Array[] = [];
    let kept = 0;
    let size = 0;
    const onRead = (result: ReadableStreamReadResult<Uint8Array>) => {
      try {
        if (result.done) {
          resolve(bounded(chunks, kept, size, true));
          return;
        }
        const value = result.value;
        const length = u8Length(value);
        size += length;
        const part = length > cap - kept ? (R.apply(u8Subarray, value, [0, cap - kept]) as Uint8Array) : value;
        kept += u8Length(part);
        append(chunks, part);
        if (kept >= cap) {
          // Exactly `cap` bytes so far: the end may come next (a body of `cap` bytes is whole).
          if (size === kept) R.apply(promiseThen, R.apply(readerRead, reader, []), [atCap, broke]);
          else stop();
          return;
        }
        next();
      } catch (error) {
        reject(error);
      }
    };
    const stop = () => {
      R.apply(promiseThen, R.apply(readerCancel, reader, []), [undefined, ignore]);
      resolve(bounded(chunks, kept, size, false));
    };
    const atCap = (result: ReadableStreamReadResult<Uint8Array>) => {
      try {
        if (result.done) {
          resolve(bounded(chunks, kept, size, true));
          return;
        }
        size += u8Length(result.value);
        stop();
      } catch (error) {
        reject(error);
      }
    };
    const broke = (error: unknown) => resolve(bounded(chunks, kept, size, false, true, error));
    const next = () => R.apply(promiseThen, R.apply(readerRead, reader, []), [onRead, broke]);
    next();
  });
}

function concat(chunks: Uint8Array[], kept: number): Uint8Array {
  const all = new NativeUint8Array(kept);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    R.apply(u8Set, all, [chunks[i], at]);
    at += u8Length(chunks[i]);
  }
  return all;
}

/** Fetch's null body statuses: a response to them has no body, whatever its headers say. */
const isNullBodyStatus = (status: number) => status === 204 || status === 304 || status === 205 || status === 101 || status === 103;

function onResponse(sink: Sink, id: string, response: Response, signal: AbortSignal | undefined, head: boolean) {
  const headers = responseHeaders(response);
  const t = sink.now();
  const status = responseStatus(response);
  const statusText = responseStatusText(response);
  const { raw, contentType, length, encoded } = rawHeaders(headers);
  const url = responseUrl(response) || undefined;
  const redirected = responseRedirected(response);
  // The headers as one string (see rawHeaders), parsed in the worker into the same record.
  if (raw !== undefined) sink.emit({ type: 'response:raw', id, t, status, statusText, rawHeaders: raw, url, redirected });
  else sink.emit({ type: 'response', id, t, status, statusText, headers: headerList(headers), url, redirected });
  const kind = responseType(response);
  if (kind === 'opaque' || kind === 'opaqueredirect' || responseBody(response) === null) {
    sink.emit({ type: 'end', id, t: sink.now(), outcome: 'ok' });
    return;
  }
  // No body to a HEAD request or a null body status (Chromium still gives an empty stream, with
  // no Content-Length as a rule): known empty, read now like any body of known size.
  const empty = head || isNullBodyStatus(status);
  const declared = empty ? 0 : length !== null && !encoded && reTest(DIGITS, length) ? +length : -1;
  /** Bytes on the wire (encoded): bounds what a late clone can buffer. */
  const wireLength = length !== null && reTest(DIGITS, length) ? +length : -1;
  const streaming = isStreamingType(contentType);
  if (!streaming && declared >= 0 && declared <= limits.bodyCap) {
    // Small and of known size: a clone, read now, even if the page never reads its own. (Chromium's
    // clone is a native tee that buffers everything for the branch not read: bounded by the size.)
    const copy = R.apply(responseClone, response, []) as Response;
    readCopy(sink, id, copy, contentType ?? undefined, signal);
    return;
  }
  // Large, of unknown size, or never-ending: no clone (its tee would buffer all of it). We record
  // what the page itself reads, when it reads it; a body the page never reads is never pulled.
  const watch: Watch = { sink, id, streaming, mimeType: contentType ?? undefined, cap: streaming ? limits.streamCap : limits.bodyCap, chunks: [], kept: 0, size: 0, finished: false, declared, signal, started: false, endedEarly: false, bodyTaken: false, timer: undefined, siblings: undefined };
  watches.set(response, watch);
  const stream = responseBody(response);
  if (stream) watches.set(stream, watch);
  // A page that does not start reading in the task it got the response in (fire and forget):
  // the exchange is over for it; a later read still records the body.
  if (!streaming) {
    watch.timer = (setTimeoutNative as (fn: () => void, ms: number) => number)(() => {
      watch.timer = undefined;
      if (watch.started || watch.finished) return;
      // Never taken by the page (`response.body` unread, body unused) and bounded on the wire: a
      // clone now changes nothing the page can see (its later reads get the other branch of the
      // tee), and the tee buffers at most the wire length times the content coding's ratio.
      if (!watch.bodyTaken && wireLength >= 0 && wireLength <= limits.bodyCap && !responseBodyUsed(response)) {
        try {
          const copy = R.apply(responseClone, response, []) as Response;
          watch.finished = true;
          settleSiblings(watch, false);
          readCopy(sink, id, copy, contentType ?? undefined, signal);
          return;
        } catch (error) {
          sink.fail('fetch:clone', error);
        }
      }
      watch.endedEarly = true; // own (see the literal): no setter of the page's runs
      settleSiblings(watch, true);
      sink.emit({ type: 'step', id, t: sink.now(), step: 'body:unread' });
      sink.emit({ type: 'end', id, t: sink.now(), outcome: 'ok' });
    }, 0);
  }
}

const DIGITS = /^\d+$/;

function readCopy(sink: Sink, id: string, copy: Response, mimeType: string | undefined, signal: AbortSignal | undefined) {
  const failed = (error: unknown) => {
    try {
      const aborted = (signal && signalAborted(signal)) || errorName(error) === 'AbortError';
      sink.emit({ type: 'end', id, t: sink.now(), outcome: aborted ? 'abort' : 'error', error: describeError(error) });
    } catch (e) {
      sink.fail('fetch:read', e);
    }
  };
  try {
    const stream = responseBody(copy);
    if (!stream) return;
    R.apply(promiseThen, readBounded(stream, limits.bodyCap), [
      ({ chunks, kept, size, complete, broken, error }: Bounded) => {
        try {
          // Broken mid-body (the connection cut, the page's abort): the bytes that came before.
          emitBody(sink, id, chunks, kept, complete ? size : -1, !complete, mimeType);
          if (broken) failed(error);
          else sink.emit({ type: 'end', id, t: sink.now(), outcome: 'ok' });
        } catch (error) {
          sink.fail('fetch:read', error);
        }
      },
      failed,
    ]);
  } catch (error) {
    failed(error);
  }
}

function emitBody(sink: Sink, id: string, chunks: Uint8Array[], kept: number, size: number, truncated: boolean, mimeType: string | undefined) {
  sink.emit({
    type: 'body',
    id,
    t: sink.now(),
    which: 'response',
    body: { encoding: 'buffer', data: '', buffer: viewBuffer(concat(chunks, kept)), size, truncated, source: 'stream', mimeType },
  });
}

// ---- What the page reads of a body we did not clone ----

interface Watch {
  sink: Sink;
  id: string;
  streaming: boolean;
  mimeType?: string;
  cap: number;
  chunks: Uint8Array[];
  kept: number;
  size: number;
  finished: boolean;
  declared: number;
  signal?: AbortSignal;
  /** The page began reading (a reader, or text()/json()/…). */
  started?: boolean;
  /** Ended at "not read in its task": the body may still come, no second end. */
  endedEarly?: boolean;
  /** The page read `response.body` (it may hold the stream: no late clone then). */
  bodyTaken?: boolean;
  /** The "not read in its task" check, cleared once the page reads (a task less per response). */
  timer?: number;
  /**
   * The watches of one body's branches (the response and the clones the page made of it before
   * reading), this one among them; undefined while there is one. The first branch the page reads
   * is recorded, the others are finished at once (a tee: every branch has the same bytes).
   */
  siblings?: Watch[];
}

/** The page began reading: the "not read in its task" check has nothing left to do. */
function startReading(w: Watch): void {
  w.started = true;
  settleSiblings(w, false);
  if (w.timer === undefined) return;
  clearTimeoutNative(w.timer);
  w.timer = undefined;
}

/**
 * `w`'s branch is the one recorded (read by the page, or cloned by us), or the exchange was ended
 * unread (`endedEarly`): the other branches' watches record nothing more, or end nothing again.
 */
function settleSiblings(w: Watch, endedEarly: boolean): void {
  const siblings = w.siblings;
  if (!siblings) return;
  for (let i = 0; i < siblings.length; i++) {
    const other = siblings[i];
    if (other === w) continue;
    if (endedEarly) {
      other.endedEarly = true;
      continue;
    }
    other.finished = true;
    if (other.timer !== undefined) {
      clearTimeoutNative(other.timer);
      other.timer = undefined;
    }
  }
  if (!endedEarly) w.siblings = undefined;
}

/**
 * response.clone() of a watched body the page has not begun to read: the clone is watched too
 * (a page that reads only its clone, `res.clone().json()`, still has the body recorded), as a
 * sibling of the response's watch.
 */
function watchClone(response: object, copy: unknown): void {
  const w = watches.get(response);
  if (!w || w.finished || w.started || copy === null || typeof copy !== 'object') return;
  const c: Watch = { sink: w.sink, id: w.id, streaming: w.streaming, mimeType: w.mimeType, cap: w.cap, chunks: ownList(), kept: 0, size: 0, finished: false, declared: w.declared, signal: w.signal, started: false, endedEarly: w.endedEarly, bodyTaken: false, timer: undefined, siblings: undefined };
  const siblings = w.siblings ?? ownList<Watch>();
  if (!w.siblings) {
    append(siblings, w);
    w.siblings = siblings;
  }
  append(siblings, c);
  c.siblings = siblings;
  watches.set(copy, c);
  const stream = responseBody(copy);
  if (stream) watches.set(stream, c);
}

/** Response, its body stream, and the readers the page took from it → what we record into. */
const watches = new SafeWeakMap<object, Watch>();
const viewBuffer = getter<ArrayBuffer>(R.getPrototypeOf(NativeUint8Array.prototype) as object, 'buffer');
const viewOffset = getter<number>(R.getPrototypeOf(NativeUint8Array.prototype) as object, 'byteOffset');

/** A chunk the page just read: copied (the page owns it and may transfer or change it). */
function observeChunk(w: Watch, chunk: unknown) {
  if (!arrayBufferIsView(chunk)) return;
  const view = chunk as Uint8Array;
  const length = u8Length(view);
  w.size += length;
  if (w.kept >= w.cap || length === 0) return;
  const take = mathMin(length, w.cap - w.kept);
  const bytes = new NativeUint8Array(R.apply(arrayBufferSlice, viewBuffer(view), [viewOffset(view), viewOffset(view) + take]) as ArrayBuffer);
  w.kept += take;
  if (w.streaming) {
    w.sink.emit({
      type: 'message',
      id: w.id,
      t: w.sink.now(),
      dir: 'receive',
      data: { encoding: 'buffer', data: '', buffer: viewBuffer(bytes), size: take, truncated: take < length, source: 'chunk', mimeType: w.mimeType },
    });
  } else {
    append(w.chunks, bytes);
  }
}

function finish(w: Watch, error?: unknown, failed = false, partial = false) {
  if (w.finished) return;
  w.finished = true;
  const whole = !failed && !partial;
  if (!w.streaming) emitBody(w.sink, w.id, w.chunks, w.kept, whole ? w.size : -1, !whole || w.kept < w.size, w.mimeType);
  if (w.endedEarly) return;
  if (!failed) {
    w.sink.emit({ type: 'end', id: w.id, t: w.sink.now(), outcome: 'ok' });
    return;
  }
  const aborted = (w.signal && signalAborted(w.signal)) || errorName(error) === 'AbortError';
  w.sink.emit({ type: 'end', id: w.id, t: w.sink.now(), outcome: aborted ? 'abort' : 'error', error: describeError(error) });
}

/** The same settlement for the page, observed on the way (see installFetch on unhandled rejections). */
function observe<T>(sink: Sink, promise: Promise<T>, onValue: (value: T) => void, onError: (error: unknown) => void): Promise<T> {
  return new NativePromise<T>((resolve, reject) => {
    R.apply(promiseThen, promise, [
      (value: T) => {
        try {
          onValue(value);
        } catch (error) {
          sink.fail('fetch:read', error);
        }
        resolve(value);
      },
      (error: unknown) => {
        try {
          onError(error);
        } catch (e) {
          sink.fail('fetch:read', e);
        }
        // An error made synchronously inside our trap carries our frame: take it out.
        reject(scrubStack(error));
      },
    ]);
  });
}

/** A whole body the page took at once (text(), json(), arrayBuffer(), bytes(), blob(), formData()). */
function recordWhole(w: Watch, kind: string, value: unknown) {
  if (w.finished) return;
  w.finished = true;
  const end = () => {
    if (!w.endedEarly) w.sink.emit({ type: 'end', id: w.id, t: w.sink.now(), outcome: 'ok' });
  };
  // Also a promise callback: never throws (a rejection of ours would reach the page).
  const emit = (body: Payload) => {
    try {
      w.sink.emit({ type: 'body', id: w.id, t: w.sink.now(), which: 'response', body: { ...body, mimeType: w.mimeType } });
      end();
    } catch (error) {
      w.sink.fail('fetch:body', error);
    }
  };
  const { payload, later } = capturePayload(value);
  if (later) {
    R.apply(promiseThen, later, [emit, (e: unknown) => w.sink.fail('fetch:blob', e)]);
  } else if (payload) {
    emit(payload);
  }
}

function asyncIteratorPrototype(): object | undefined {
  const values = R.getOwnPropertyDescriptor(ReadableStream.prototype, 'values')?.value as ((this: ReadableStream) => object) | undefined;
  if (typeof values !== 'function') return undefined;
  try {
    return R.getPrototypeOf(R.apply(values, new ReadableStream(), [])) as object;
  } catch {
    return undefined;
  }
}

/**
 * The readers and async iterators of every stream, made by getReader, values() or
 * [Symbol.asyncIterator], with their prototype then (which kind they are): a read() or next() of
 * a receiver not among them as that kind (no reader, another kind of reader, or a reader made by
 * its constructor, which is not watched) may reject within the call, with our frame.
 */
const derivedReaders = new SafeWeakMap<object, object | null>();
const derivedAs = (derived: object, proto: object) => derivedReaders.get(derived) === proto;
/** The stream each of those was made from, and the last one made from each stream. */
const streamOf = new SafeWeakMap<object, object>();
const lastDerived = new SafeWeakMap<object, object>();

/**
 * Whether the page released `reader` (releaseLock): its stream is unlocked, or locked by a reader
 * made from it since. Told from the stream, not by a trap on releaseLock: the TypeError that
 * rejects a read pending at the release is made within that call, and would carry our frame.
 * (A stream locked again by pipeTo or tee reads as still held by it: its read() then rejects
 * within our trap, as a misuse not seen.)
 */
function released(reader: object): boolean {
  const stream = streamOf.get(reader);
  if (stream === undefined) return false;
  try {
    return !streamLocked(stream) || lastDerived.get(stream) !== reader;
  } catch {
    return false;
  }
}

/** A reader or async iterator made from a watched stream: the page began reading; watch it too. */
const followWatch = <F extends Function>(): ProxyHandler<F> => ({
  apply(target, stream: object, args: unknown[]) {
    const derived = R.apply(target, stream, args) as object;
    if (derived !== null && typeof derived === 'object') {
      derivedReaders.set(derived, R.getPrototypeOf(derived));
      streamOf.set(derived, stream);
      lastDerived.set(stream, derived);
    }
    const w = watches.get(stream);
    if (w) {
      startReading(w);
      watches.set(derived, w);
    }
    return derived;
  },
});

/**
 * What a reader's read() does within the call: 'rejects' when the native rejects there, with an
 * error made in our trap, whatever the stream (a reader the page released, a BYOB read without a
 * view of some bytes: none, zero-length, detached); 'may' when we cannot tell without running
 * page code (a BYOB read's options, whose `min` the native converts and checks) or do not look (a
 * receiver not `known` as a reader: no reader at all, or one its constructor made; a DataView, a
 * view of a SharedArrayBuffer); 'reads' otherwise (no error of its own making: a stream's error
 * was made before).
 */
function readCall(reader: object, args: unknown[], byob: boolean, known: boolean): 'rejects' | 'may' | 'reads' {
  if (released(reader)) return 'rejects';
  if (!known) return 'may';
  if (!byob) return 'reads';
  const view = at(args, 0);
  if (!arrayBufferIsView(view)) return 'rejects';
  try {
    if (u8Length(view) === 0 || bufferByteLength(viewBuffer(view)) === 0) return 'rejects';
  } catch {
    // A DataView (no TypedArray getter), or a view of a SharedArrayBuffer.
    return 'may';
  }
  return args.length < 2 || at(args, 1) === undefined ? 'reads' : 'may';
}

/** Installs the read observers: only bodies registered in `watches` are looked at. */
function installReadObservers(sink: Sink): Uninstall[] {
  const uninstalls: Uninstall[] = [
    patchMethod<ReadableStream['getReader']>(ReadableStream.prototype, 'getReader', followWatch),
  ];
  const readers = [ReadableStreamDefaultReader.prototype, typeof ReadableStreamBYOBReader === 'function' ? ReadableStreamBYOBReader.prototype : undefined];
  for (let i = 0; i < readers.length; i++) {
    const proto = readers[i];
    if (!proto) continue;
    const byob = i === 1;
    append(uninstalls, patchMethod<(...a: unknown[]) => Promise<ReadableStreamReadResult<unknown>>>(proto, 'read', () => ({
      apply(target, reader: object, args: unknown[]) {
        const w = watches.get(reader);
        // Before the native: a BYOB read transfers its view's buffer.
        const call = readCall(reader, args, byob, derivedAs(reader, proto));
        const promise = R.apply(target, reader, args) as Promise<ReadableStreamReadResult<unknown>>;
        // The page's misuse (see readCall): a rejection made within our trap, the stream untouched.
        if (call === 'rejects') return scrubbed(promise);
        if (!w || w.finished) return call === 'reads' ? promise : scrubbed(promise);
        return observe(
          sink,
          promise,
          (result) => {
            if (result.done) finish(w);
            else observeChunk(w, result.value);
          },
          // Options the native refused (a rejection made within the call) fail nothing, nor does
          // the page's release of the reader while this read waited (it may read on with another).
          (error) => {
            if (released(reader)) return;
            if (call === 'reads' || !carriesOwnFrame(error)) finish(w, error, true);
          },
        );
      },
    })));
    // reader.cancel(): the page stops reading. Recorded before the native runs its close steps,
    // which settle a read still pending as done (it would read as the body's end).
    append(uninstalls, patchMethod<(...a: unknown[]) => Promise<void>>(proto, 'cancel', () => ({
      apply(target, reader: object, args: unknown[]) {
        const w = watches.get(reader);
        // No reader of ours to know, or one the page released: the native may reject within the call.
        const misuse = !derivedAs(reader, proto) || released(reader);
        if (!misuse && w && !w.finished) {
          try {
            finish(w, undefined, false, true);
          } catch (error) {
            sink.fail('fetch:cancel', error);
          }
        }
        const promise = R.apply(target, reader, args) as Promise<void>;
        return misuse ? scrubbed(promise) : promise;
      },
    })));
  }
  // for await (const chunk of response.body): the stream's async iterator.
  const iteratorProto = asyncIteratorPrototype();
  if (iteratorProto) {
    append(uninstalls, patchAliases<(...a: unknown[]) => object>(ReadableStream.prototype, ['values', symbolAsyncIterator], followWatch));
    append(uninstalls, patchMethod<(...a: unknown[]) => Promise<IteratorResult<unknown>>>(iteratorProto, 'next', () => ({
      apply(target, iterator: object, args: unknown[]) {
        const promise = R.apply(target, iterator, args) as Promise<IteratorResult<unknown>>;
        const w = watches.get(iterator);
        // A receiver that is no iterator: rejected within the call (see derivedReaders).
        if (!derivedAs(iterator, iteratorProto)) return scrubbed(promise);
        if (!w || w.finished) return promise;
        return observe(sink, promise, (result) => (result.done ? finish(w) : observeChunk(w, result.value)), (error) => finish(w, error, true));
      },
    })));
    append(uninstalls, patchMethod<(...a: unknown[]) => Promise<IteratorResult<unknown>>>(iteratorProto, 'return', () => ({
      apply(target, iterator: object, args: unknown[]) {
        const promise = R.apply(target, iterator, args) as Promise<IteratorResult<unknown>>;
        const w = watches.get(iterator);
        if (!derivedAs(iterator, iteratorProto)) return scrubbed(promise);
        if (!w || w.finished) return promise;
        // The page broke out of its loop: what it read so far, the rest unknown.
        return observe(sink, promise, () => finish(w, undefined, false, true), (error) => finish(w, error, true));
      },
    })));
  }
  // pipeTo, pipeThrough, tee: the stream goes to a consumer inside the browser; a recording
  // pass-through is put in front of it.
  const handOffs = ['pipeTo', 'pipeThrough', 'tee'];
  for (let i = 0; i < handOffs.length; i++) append(uninstalls, patchMethod<(...a: unknown[]) => unknown>(ReadableStream.prototype, handOffs[i], handOff));
  append(uninstalls, patchMethod<Response['clone']>(ResponseP, 'clone', () => ({
    apply(target, response: object, args: unknown[]) {
      const copy = R.apply(target, response, args) as Response;
      try {
        watchClone(response, copy);
      } catch (error) {
        sink.fail('fetch:clone', error);
      }
      return copy;
    },
  })));
  // new Response(response.body): the page hands the body to a Response of its own and reads that
  // one (text(), json()…): the same bytes, recorded as the body's. (Its stream is the page's own
  // object, read natively: no reader of the page's to see.)
  append(uninstalls, watchConstruction<typeof Response>(sink, 'Response', ResponseP, 'fetch:response', (made, args) => {
    const body = args.length ? args[0] : undefined;
    const w = body !== null && typeof body === 'object' ? watches.get(body) : undefined;
    if (w && !w.finished && isStream(body)) watches.set(made, w);
  }));
  append(uninstalls, patchAccessor(ResponseP, 'body', {
    get: {
      apply(target, response: unknown, args: unknown[]) {
        const stream = R.apply(target, response, args);
        const w = watches.get(response);
        if (w) w.bodyTaken = true;
        return stream;
      },
    },
  }));
  const whole = ['text', 'json', 'arrayBuffer', 'bytes', 'blob', 'formData'];
  for (let i = 0; i < whole.length; i++) {
    const kind = whole[i];
    const parses = kind === 'json' || kind === 'formData';
    append(uninstalls, patchMethod<(...a: unknown[]) => Promise<unknown>>(ResponseP, kind, () => ({
      apply(target, response: object, args: unknown[]) {
        const w = watches.get(response);
        const readable = bodyReadable(response);
        // A body already used or locked (or no Response): the native rejects at once, with an
        // error made inside this trap, the body untouched; nothing to record, our frame taken out.
        if (!readable) return scrubbed(R.apply(target, response, args) as Promise<unknown>);
        if (!w || w.finished) {
          const promise = R.apply(target, response, args) as Promise<unknown>;
          // json() and formData() parse a body already there (made from a string, or arrived in
          // full) within the call: their SyntaxError or TypeError would carry our frame. So does
          // any read of a watched body that broke while a branch of it (a clone, a Response the
          // page made of its stream) was read: the stored network error is made again in the call.
          return parses || w ? scrubbed(promise) : promise;
        }
        const native = wholeNatives[kind];
        if (native && kind === 'formData' && !w.bodyTaken) {
          // The page never took `response.body`: a clone changes nothing it can see (see
          // onResponse's late clone). Ours is read for the record; the page's call is the
          // native's own (its value, its timing, its error: parsed within the call when the body
          // is there already, with the page's frames, else later, with none). Not for json() and
          // text(), called on most responses: a clone and its reader cost the page's thread more
          // than throughBytes (600 fetches read with json(): 1.38-1.44x native against 1.50-1.54x,
          // `BENCH_ONLY=fetches` of bench/capture.bench.ts), for a difference only a body that
          // does not parse shows (see throughBytes).
          startReading(w);
          let copy: Response | undefined;
          try {
            copy = R.apply(responseClone, response, []) as Response;
          } catch (error) {
            sink.fail('fetch:clone', error);
          }
          if (copy) {
            const promise = R.apply(target, response, args) as Promise<unknown>;
            recordCopy(w, copy);
            // Made within the call: a parse error, or a body that broke before it (the stored
            // network error, taken again).
            return scrubbed(promise);
          }
        }
        if (native) {
          startReading(w);
          return throughBytes(w, response as Response, native, kind);
        }
        const promise = R.apply(target, response, args) as Promise<unknown>;
        startReading(w);
        return observe(sink, promise, (value) => recordWhole(w, kind, value), (error) => finish(w, error, true));
      },
    })));
  }
  return uninstalls;
}

/** A brand check through the native getter: a ReadableStream (no Proxy trap, no page code). */
function isStream(value: unknown): boolean {
  try {
    streamLocked(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether Fetch "consume body" can start on `response`: a Response whose body is null or neither
 * disturbed (bodyUsed) nor locked. Otherwise its body methods reject within the call (TypeError),
 * as they do for a receiver that is no Response (false then too, from the getter's own throw).
 */
function bodyReadable(response: object): boolean {
  try {
    if (responseBodyUsed(response)) return false;
    const stream = responseBody(response);
    return stream === null || !streamLocked(stream);
  } catch {
    return false;
  }
}

/**
 * What text() and json() make of a body's bytes (Fetch "consume body": UTF-8 decode, then for
 * json() "parse JSON from bytes" with the same JSON.parse), without a second Response to read
 * them from; a SyntaxError is thrown as JSON.parse throws it (our frames are scrubbed, as is the
 * JSON.parse frame right above them: the native's rejection has no frames either).
 */
const decoders: Record<string, ((buffer: ArrayBuffer) => unknown) | undefined> = {
  __proto__: null,
  text: (buffer: ArrayBuffer) => decodeUtf8(buffer),
  json: (buffer: ArrayBuffer) => jsonParse(decodeUtf8(buffer)),
} as unknown as Record<string, ((buffer: ArrayBuffer) => unknown) | undefined>;

/**
 * json() and text() of a watched body, and formData() of one whose stream the page took (a clone
 * would give it another `response.body`): the bytes the server sent are recorded (never a
 * re-serialisation of what the page got: big numbers, duplicate keys, invalid UTF-8 would be
 * lost), and the page gets the native's own conversion of those same bytes (same value, same
 * SyntaxError): text() and json() decoded here (decoders), formData() through a Response of those
 * bytes. One difference left: a body there in full before the call, which the native parses
 * within it, rejects here with no frame of the page's below the message (the native's has them).
 * formData() of a body whose stream the page never took is the native's own call instead (see
 * installReadObservers).
 */
function throughBytes(w: Watch, response: Response, native: Function, kind: string): Promise<unknown> {
  const bytes = R.apply(responseArrayBuffer, response, []) as Promise<ArrayBuffer>;
  return new NativePromise<unknown>((resolve, reject) => {
    R.apply(promiseThen, bytes, [
      (buffer: ArrayBuffer) => {
        const decode = decoders[kind];
        let again: Response | undefined;
        if (!decode) {
          // formData() needs the boundary. A record with no prototype: a Headers object or an
          // array would be converted through the page's Symbol.iterator.
          const type = R.apply(headersGet, responseHeaders(response), ['content-type']) as string | null;
          const headers = type === null ? { __proto__: null } : { __proto__: null, 'content-type': type };
          again = R.construct(NativeResponse, [buffer, { __proto__: null, headers }]) as Response;
        }
        try {
          if (!w.finished) {
            w.finished = true;
            w.sink.emit({ type: 'body', id: w.id, t: w.sink.now(), which: 'response', body: bufferPayload(buffer, 0, bufferByteLength(buffer), 'stream', w.mimeType) });
            if (!w.endedEarly) w.sink.emit({ type: 'end', id: w.id, t: w.sink.now(), outcome: 'ok' });
          }
        } catch (error) {
          w.sink.fail('fetch:body', error);
        }
        if (again) {
          // A body that is no form fails within formData(), made in this callback of ours.
          R.apply(promiseThen, R.apply(native, again, []), [resolve, (error: unknown) => reject(scrubStack(error))]);
          return;
        }
        let value: unknown;
        try {
          // Decoded before the buffer is posted (the channel transfers it at its next flush).
          value = decode!(buffer);
        } catch (error) {
          reject(scrubStack(error));
          return;
        }
        resolve(value);
      },
      (error: unknown) => {
        try {
          finish(w, error, true);
        } catch (e) {
          w.sink.fail('fetch:read', e);
        }
        reject(scrubStack(error));
      },
    ]);
  });
}

/** A clone of a watched body, read to its end (up to the cap) for the record of `w`. */
function recordCopy(w: Watch, copy: Response): void {
  const stream = responseBody(copy);
  if (!stream) return;
  R.apply(promiseThen, readBounded(stream, limits.bodyCap), [
    ({ chunks, kept, size, complete, broken, error }: Bounded) => {
      try {
        if (w.finished) return;
        if (broken) {
          // The bytes that came before the error, then the failure.
          w.chunks = chunks;
          w.kept = kept;
          finish(w, error, true);
          return;
        }
        w.finished = true;
        emitBody(w.sink, w.id, chunks, kept, complete ? size : -1, !complete, w.mimeType);
        if (!w.endedEarly) w.sink.emit({ type: 'end', id: w.id, t: w.sink.now(), outcome: 'ok' });
      } catch (error) {
        w.sink.fail('fetch:body', error);
      }
    },
    (error: unknown) => {
      try {
        finish(w, error, true);
      } catch (e) {
        w.sink.fail('fetch:read', e);
      }
    },
  ]);
}

/**
 * pipeTo / pipeThrough / tee of a watched body: the page's call runs on the readable side of a
 * pass-through of ours (the native checks and converts the page's arguments there, once), and the
 * body is piped into it. Chunks are recorded as they pass, in real time; cancel and errors
 * propagate through the pipe as they would from the body itself.
 */
const handOff = (): ProxyHandler<(...a: unknown[]) => unknown> => ({
  apply(target, stream: unknown, args: unknown[]) {
    // pipeTo's promise: a locked stream or a destination that is none rejects within the call,
    // with our frame in the error's stack (pipeThrough and tee throw: applyTrap scrubs those).
    const settled = target === streamPipeTo ? (value: unknown) => scrubbed(value as Promise<void>) : (value: unknown) => value;
    const w = watches.get(stream);
    if (!w || w.finished || streamLocked(stream)) return settled(R.apply(target, stream, args));
    let hop: TransformStream;
    try {
      hop = recordingHop(w);
    } catch (error) {
      w.sink.fail('fetch:pipe', error);
      return settled(R.apply(target, stream, args));
    }
    const readable = transformReadable(hop);
    const result = settled(R.apply(target, readable, args));
    // pipeTo refused its destination (a rejected promise, nothing locked): the body stays as it is.
    if (!streamLocked(readable)) return result;
    startReading(w);
    const done = R.apply(streamPipeTo, stream, [transformWritable(hop)]) as Promise<void>;
    R.apply(promiseThen, done, [
      undefined,
      (error: unknown) => {
        try {
          // A network error or abort fails the body; a cancel from downstream is the page stopping.
          if (isErrorLike(error)) finish(w, error, true);
          else finish(w, undefined, false, true);
        } catch (e) {
          w.sink.fail('fetch:pipe', e);
        }
      },
    ]);
    return result;
  },
});

/** An identity TransformStream that records each chunk of `w` and the end of the body. */
function recordingHop(w: Watch): TransformStream {
  // No prototype: the native reads start/transform/flush/cancel/readableType off it.
  const transformer = {
    __proto__: null,
    transform(chunk: unknown, controller: TransformStreamDefaultController) {
      try {
        observeChunk(w, chunk);
      } catch (error) {
        w.sink.fail('fetch:read', error);
      }
      R.apply(transformEnqueue, controller, [chunk]);
    },
    flush() {
      try {
        finish(w);
      } catch (error) {
        w.sink.fail('fetch:read', error);
      }
    },
  };
  return R.construct(NativeTransformStream, [transformer]) as TransformStream;
}
