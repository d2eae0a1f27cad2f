import type { Header, Payload, StartMeta } from '../../shared/protocol';
import { capturePayload, limits } from './body';
import type { Sink } from './channel';
import { NativeHeaders, NativeUint8Array, R, getter, promiseThen } from './natives';
import type { Uninstall } from './patch';
import { patchMethod } from './patch';
import { absoluteUrl, isStreamingType, stackHere } from './util';

const RequestP = Request.prototype;
const ResponseP = Response.prototype;
const requestMethod = getter<string>(RequestP, 'method');
const requestUrl = getter<string>(RequestP, 'url');
const requestHeaders = getter<Headers>(RequestP, 'headers');
const requestBody = getter<ReadableStream | null>(RequestP, 'body');
const requestMode = getter<string>(RequestP, 'mode');
const requestCredentials = getter<string>(RequestP, 'credentials');
const responseStatus = getter<number>(ResponseP, 'status');
const responseStatusText = getter<string>(ResponseP, 'statusText');
const responseHeaders = getter<Headers>(ResponseP, 'headers');
const responseUrl = getter<string>(ResponseP, 'url');
const responseRedirected = getter<boolean>(ResponseP, 'redirected');
const responseType = getter<string>(ResponseP, 'type');
const responseBody = getter<ReadableStream<Uint8Array> | null>(ResponseP, 'body');
const responseClone = ResponseP.clone;
const headersEntries = NativeHeaders.prototype.entries;
const headersGet = NativeHeaders.prototype.get;
const getReader = ReadableStream.prototype.getReader;
const readerRead = ReadableStreamDefaultReader.prototype.read;
const readerCancel = ReadableStreamDefaultReader.prototype.cancel;
const NativePromise = Promise;
const errorName = getter<string>(Error.prototype, 'name');

function headerList(headers: Headers): Header[] {
  const out: Header[] = [];
  const it = R.apply(headersEntries, headers, []) as IterableIterator<[string, string]>;
  for (let step = it.next(); !step.done; step = it.next()) out[out.length] = [step.value[0], step.value[1]];
  return out;
}

function describe(input: unknown, init: RequestInit | undefined) {
  const isRequest = input instanceof Request;
  const method = String(init?.method ?? (isRequest ? requestMethod(input) : 'GET'));
  const url = isRequest ? requestUrl(input) : absoluteUrl(input);
  let headers: Header[] = [];
  if (init && init.headers !== undefined) headers = headerList(new NativeHeaders(init.headers));
  else if (isRequest) headers = headerList(requestHeaders(input));
  let body: Payload | undefined;
  let later: Promise<Payload> | undefined;
  if (init && init.body !== undefined && init.body !== null) ({ payload: body, later } = capturePayload(init.body));
  else if (isRequest && requestBody(input)) body = { encoding: 'none', data: '', size: -1, truncated: false, source: 'request' };
  const meta: StartMeta = {
    credentials: init?.credentials ?? (isRequest ? requestCredentials(input) : 'same-origin'),
    mode: init?.mode ?? (isRequest ? requestMode(input) : 'cors'),
  };
  if (init?.cache) meta.cache = init.cache;
  if (init?.redirect) meta.redirect = init.redirect;
  if (init?.keepalive) meta.keepalive = true;
  if (body?.source === 'stream') meta.streamBody = true;
  return { method, url, headers, body, later, meta };
}

/**
 * fetch, observed by a Proxy. The page gets a promise that settles exactly as the native one;
 * the response body is read from a clone (a tee), bounded: we stop and cancel our branch at the
 * cap, so a body the page never reads is not pulled into memory without limit. Streamed bodies
 * (SSE, NDJSON) are recorded chunk by chunk as they arrive.
 */
export function installFetch(sink: Sink): Uninstall {
  return patchMethod<typeof fetch>(globalThis, 'fetch', () => ({
    apply(target, thisArg, args: unknown[]) {
      // The native call comes first, unchanged: its synchronous errors are the page's.
      const promise = R.apply(target, thisArg, args) as Promise<Response>;
      let id: string;
      try {
        id = sink.nextId('fetch');
        const facts = describe(args[0], args[1] as RequestInit | undefined);
        sink.emit({
          type: 'start',
          id,
          t: sink.now(),
          kind: 'fetch',
          method: facts.method,
          url: facts.url,
          headers: facts.headers,
          body: facts.body,
          meta: facts.meta,
          stack: stackHere(),
        });
        if (facts.later) {
          R.apply(promiseThen, facts.later, [
            (body: Payload) => sink.emit({ type: 'body', id, t: sink.now(), which: 'request', body }),
            (e: unknown) => sink.fail('fetch:body', e),
          ]);
        }
      } catch (error) {
        sink.fail('fetch:start', error);
        return promise;
      }
      // A promise of our own for the page, so the native one's rejection is "handled" by us
      // while an unhandled rejection still reaches the page's unhandledrejection as before.
      return new NativePromise<Response>((resolve, reject) => {
        R.apply(promiseThen, promise, [
          (response: Response) => {
            try {
              onResponse(sink, id, response);
            } catch (error) {
              sink.fail('fetch:response', error);
            }
            resolve(response);
          },
          (error: unknown) => {
            try {
              const aborted = safeName(error) === 'AbortError';
              sink.emit({ type: 'end', id, t: sink.now(), outcome: aborted ? 'abort' : 'error', error: describeError(error) });
            } catch (e) {
              sink.fail('fetch:error', e);
            }
            reject(error);
          },
        ]);
      });
    },
  }));
}

function onResponse(sink: Sink, id: string, response: Response) {
  const headers = headerList(responseHeaders(response));
  sink.emit({
    type: 'response',
    id,
    t: sink.now(),
    status: responseStatus(response),
    statusText: responseStatusText(response),
    headers,
    url: responseUrl(response) || undefined,
    redirected: responseRedirected(response),
  });
  const kind = responseType(response);
  if (kind === 'opaque' || kind === 'opaqueredirect' || responseBody(response) === null) {
    sink.emit({ type: 'end', id, t: sink.now(), outcome: 'ok' });
    return;
  }
  const contentType = R.apply(headersGet, responseHeaders(response), ['content-type']) as string | null;
  const copy = R.apply(responseClone, response, []) as Response;
  void readCopy(sink, id, copy, isStreamingType(contentType), contentType ?? undefined);
}

async function readCopy(sink: Sink, id: string, copy: Response, streaming: boolean, mimeType?: string) {
  const stream = responseBody(copy);
  if (!stream) return;
  const reader = R.apply(getReader, stream, []) as ReadableStreamDefaultReader<Uint8Array>;
  const cap = streaming ? limits.streamCap : limits.bodyCap;
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let size = 0;
  try {
    for (;;) {
      const { done, value } = (await R.apply(readerRead, reader, [])) as ReadableStreamReadResult<Uint8Array>;
      if (done) break;
      size += value.byteLength;
      if (kept < cap) {
        const part = value.byteLength > cap - kept ? value.subarray(0, cap - kept) : value;
        kept += part.byteLength;
        if (streaming) {
          const copyBytes = new NativeUint8Array(part);
          sink.emit({
            type: 'message',
            id,
            t: sink.now(),
            dir: 'receive',
            data: { encoding: 'buffer', data: '', buffer: copyBytes.buffer, size: part.byteLength, truncated: part !== value, source: 'chunk', mimeType },
          });
        } else {
          chunks[chunks.length] = part;
        }
      }
      if (kept >= cap) {
        // Stop pulling: from here the tee only pulls when the page reads its own branch.
        R.apply(readerCancel, reader, []);
        emitBody(sink, id, chunks, kept, -1, true, mimeType, streaming);
        sink.emit({ type: 'end', id, t: sink.now(), outcome: 'ok' });
        return;
      }
    }
    emitBody(sink, id, chunks, kept, size, false, mimeType, streaming);
    sink.emit({ type: 'end', id, t: sink.now(), outcome: 'ok' });
  } catch (error) {
    emitBody(sink, id, chunks, kept, size, true, mimeType, streaming);
    const aborted = safeName(error) === 'AbortError';
    sink.emit({ type: 'end', id, t: sink.now(), outcome: aborted ? 'abort' : 'error', error: describeError(error) });
  }
}

function emitBody(sink: Sink, id: string, chunks: Uint8Array[], kept: number, size: number, truncated: boolean, mimeType: string | undefined, streaming: boolean) {
  if (streaming) return;
  const all = new NativeUint8Array(kept);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  sink.emit({
    type: 'body',
    id,
    t: sink.now(),
    which: 'response',
    body: { encoding: 'buffer', data: '', buffer: all.buffer, size, truncated, source: 'stream', mimeType },
  });
}

function safeName(error: unknown): string {
  try {
    return error instanceof Error ? errorName(error) : '';
  } catch {
    return '';
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${errorName(error)}: ${error.message}` : String(error);
  } catch {
    return 'error';
  }
}
