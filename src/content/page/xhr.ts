import type { Header, Payload, StartMeta, StepDetail } from '../../shared/protocol';
import { bufferPayload, capturePayload, convertBody, limits, textPayload } from './body';
import type { Sink } from './channel';
import {
  ArrayPrototype,
  NativeArrayBuffer,
  ObjectPrototype,
  NativeUint8Array,
  reTest,
  SafeWeakMap,
  mathMin,
  NativeString,
  NativeXMLSerializer,
  NativeTextDecoder,
  objectCreate,
  R,
  reExec,
  S,
  addEventListener,
  getter,
  jsonStringify,
  promiseThen,
  setTimeoutNative,
  at,
  brand,
  isArrayBuffer,
  isBlob,
  isDocument,
  append,
  ownList,
  setOwn,
  textDecode,
} from './natives';
import type { Uninstall } from './patch';
import { patchMethod } from './patch';
import { watchConstruction } from './events';
import { absoluteUrl, appendHeader, describeError, isStreamingType, primitiveText, stackHere } from './util';

interface XhrState {
  id: string;
  method: string;
  url: string;
  meta: StartMeta;
  headers: Header[];
  sent: boolean;
  outcome?: 'ok' | 'error' | 'abort' | 'timeout';
  responded: boolean;
  streamed: number;
  streaming: boolean;
  openedAt: number;
  /** Our listeners are on xhr.upload. */
  uploadHooked?: boolean;
  /**
   * When the xhr's loadstart fired (send(), just before the native one), whether its step is
   * still to be recorded, and whether upload's was recorded.
   */
  loadstartAt?: number;
  loadstartDue?: boolean;
  uploadStarted?: boolean;
  /** The body's bytes received so far: the last progress event's `loaded`. */
  received?: number;
  /** The detail of the xhr's last progress-like step (progress, load, loadend: see LOADSTART_DETAIL). */
  lastDetail?: StepDetail;
  /** A response body whose size is settled at loadend, against `received`. */
  pending?: PendingBody;
  /**
   * When readyState 4 came with a response (a status): the exchange is complete, though the page
   * may abort() or open() from that readystatechange, and then no load or loadend follow.
   */
  doneAt?: number;
  /** Opened from a listener of the request before, whose loadend is still to be dispatched: not ours. */
  staleLoadend?: boolean;
}

/**
 * A body read at readyState 4, emitted at loadend once the final progress `loaded` (the decoded
 * body's byte count; Chromium reports it after content decoding) is known:
 * - `single-byte`: text decoded from x-user-defined or a single-byte charset; when one character
 *   per byte is what arrived, re-encoded to those bytes in a task of its own, after the page's
 *   events (else the text itself, marked);
 * - `text`: the page's text as UTF-8, marked as such when its UTF-8 size is not what arrived;
 * - `parsed`: a re-serialisation of the page's parsed value: always marked, size = what arrived.
 */
type PendingBody =
  | { form: 'single-byte'; text: string; encoding: string }
  | { form: 'text'; body: Payload }
  | { form: 'parsed'; body: Payload; as: 'json' | 'document' };

const P = XMLHttpRequest.prototype;
const readyStateOf = getter<number>(P, 'readyState');
const statusOf = getter<number>(P, 'status');
const statusTextOf = getter<string>(P, 'statusText');
const responseURLOf = getter<string>(P, 'responseURL');
const responseTypeOf = getter<XMLHttpRequestResponseType>(P, 'responseType');
const responseOf = getter<unknown>(P, 'response');
const responseTextOf = getter<string>(P, 'responseText');
const timeoutOf = getter<number>(P, 'timeout');
const withCredentialsOf = getter<boolean>(P, 'withCredentials');
const uploadOf = getter<XMLHttpRequestUpload>(P, 'upload');
const bufferLength = getter<number>(NativeArrayBuffer.prototype, 'byteLength');
const getAllResponseHeaders = P.getAllResponseHeaders;
const getResponseHeader = P.getResponseHeader;
const serializeToString = NativeXMLSerializer.prototype.serializeToString;
const loadedOf = getter<number>(ProgressEvent.prototype, 'loaded');
const totalOf = getter<number>(ProgressEvent.prototype, 'total');
const computableOf = getter<boolean>(ProgressEvent.prototype, 'lengthComputable');
const eventTypeOf = getter<string>(Event.prototype, 'type');
const isProgressEvent = brand<ProgressEvent>(ProgressEvent.prototype, 'loaded');

/**
 * The xhr's events we listen to. loadstart is known without a listener, a dispatch (a call into
 * script) less per request: an async send() fires it within itself, always with 0 and 0 (XHR
 * send() step 11); recorded as the first step after send(), before any other event (abort() in a
 * page's loadstart listener fires its events within that dispatch). load is listened to: a page
 * that reuses the xhr from its load listener (open() again) ends the request before its loadend.
 */
const XHR_EVENTS = ['readystatechange', 'progress', 'load', 'error', 'abort', 'timeout', 'loadend'];
/**
 * Step details are never changed once made, so equal ones are one object: the readystatechange
 * details (by readyState) and loadstart's for every xhr, and an xhr's progress detail again for
 * the load and loadend after it when their figures are the same. A structured clone writes an
 * object it met before in the same message as a reference, so the page → relay → worker copies
 * carry one object where there were up to eight per request (the worker's schema makes each
 * step's detail an object of its own again: the stored records are unchanged).
 */
const LOADSTART_DETAIL: StepDetail = { loaded: 0, total: 0, lengthComputable: false };
const READY_STATE_DETAILS: StepDetail[] = [{ readyState: 0 }, { readyState: 1 }, { readyState: 2 }, { readyState: 3 }, { readyState: 4 }];
const readyStateDetail = (readyState: number): StepDetail => (readyState >= 0 && readyState <= 4 && readyState === (readyState | 0) ? READY_STATE_DETAILS[readyState] : { readyState });
const UPLOAD_EVENTS = ['progress', 'load', 'error', 'abort', 'timeout', 'loadend'];

/**
 * XMLHttpRequest, observed through its prototype methods. Never touches `xhr.upload` before the
 * page's own send(): a listener there before send() makes a cross-origin request preflighted
 * (XHR spec, send() step "upload listener flag").
 */
const USER_DEFINED = /;\s*charset\s*=\s*"?x-user-defined"?\s*(;|$)/i;
const USER_DEFINED_NAME = 'x-user-defined';

/** The bytes behind a text decoded as x-user-defined (U+0000–U+007F, U+F780–U+F7FF). */
function userDefinedBytes(text: string): Payload {
  const cap = mathMin(text.length, limits.bodyCap);
  const buffer = new NativeArrayBuffer(cap);
  const bytes = new NativeUint8Array(buffer);
  for (let i = 0; i < cap; i++) {
    const c = S.charCodeAt(text, i);
    bytes[i] = c < 0x80 ? c : c - 0xf700;
  }
  return bufferPayload(buffer, 0, cap, 'text', undefined, text.length);
}

/** WHATWG single-byte encodings (Encoding § 9): one byte, one code point; windows-1252 covers iso-8859-1 and ascii. */
const SINGLE_BYTE = /^(?:ibm866|iso-8859-(?:[2-8]|8-i|1[0-6])|koi8-[ru]|macintosh|windows-(?:874|125[0-8])|x-mac-cyrillic)$/;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
const decoderEncoding = getter<string>(NativeTextDecoder.prototype, 'encoding');
/** Per encoding name: code unit → byte for the bytes 0x80–0xFF it maps (null prototype: no lookup leaves it). */
const reverseTables: Record<string, Record<number, number> | undefined> = objectCreate(null) as Record<string, Record<number, number> | undefined>;

/**
 * Per charset label as a response gave it: its single-byte WHATWG name, or '' (another encoding,
 * or not a label). A decoder made once per label, not per response ("utf-8" on most of them);
 * at most CHARSETS_KEPT labels (they are the server's to choose).
 */
const charsets: Record<string, string | undefined> = objectCreate(null) as Record<string, string | undefined>;
let charsetsKept = 0;
const CHARSETS_KEPT = 64;

/** The WHATWG name of `mime`'s charset when it is a single-byte legacy encoding, else undefined. */
function singleByteEncoding(mime: string): string | undefined {
  const m = reExec(CHARSET, mime);
  if (!m) return undefined;
  const label = m[1];
  let known = charsets[label];
  if (known === undefined) {
    try {
      const name = decoderEncoding(new NativeTextDecoder(label));
      known = reTest(SINGLE_BYTE, name) ? name : '';
    } catch {
      known = ''; // Not a label: the XHR decoded as UTF-8.
    }
    if (charsetsKept < CHARSETS_KEPT) {
      charsetsKept++;
      charsets[label] = known;
    }
  }
  return known || undefined;
}

/**
 * The bytes behind text the page's XHR decoded from the single-byte encoding `name`: every code
 * point maps back to one byte through the browser's own decoder (the one that decoded the text),
 * run once per encoding on the bytes 0x80–0xFF. Undefined when a character has no byte (U+FFFD
 * from a byte the encoding leaves unmapped). Work: one pass over at most the body cap.
 */
function singleByteBytes(text: string, name: string): Payload | undefined {
  let table = reverseTables[name];
  if (!table) {
    const high = new NativeUint8Array(128);
    for (let i = 0; i < 128; i++) high[i] = 0x80 + i;
    const chars = R.apply(textDecode, new NativeTextDecoder(name), [high]) as string;
    if (chars.length !== 128) return undefined;
    table = objectCreate(null) as Record<number, number>;
    for (let i = 0; i < 128; i++) {
      const c = S.charCodeAt(chars, i);
      if (c !== 0xfffd) table[c] = 0x80 + i;
    }
    reverseTables[name] = table;
  }
  const cap = mathMin(text.length, limits.bodyCap);
  const buffer = new NativeArrayBuffer(cap);
  const bytes = new NativeUint8Array(buffer);
  // Up to the cap only (no more work on the page's thread than the bytes kept): one character is
  // one byte, so the size holds past it, and loadend checks it against the bytes received.
  for (let i = 0; i < cap; i++) {
    const c = S.charCodeAt(text, i);
    const b = c < 0x80 ? c : table[c];
    if (b === undefined) return undefined;
    bytes[i] = b;
  }
  return bufferPayload(buffer, 0, cap, 'text', undefined, text.length);
}

export function installXhr(sink: Sink): Uninstall {
  const overrides = new SafeWeakMap<XMLHttpRequest, string>();
  const states = new SafeWeakMap<XMLHttpRequest, XhrState>();
  const hooked = new SafeWeakMap<XMLHttpRequest, true>();

  const onEvent = (xhr: XMLHttpRequest, event: Event, upload: boolean) => {
    const state = states.get(xhr);
    if (!state) return;
    try {
      const type = eventTypeOf(event);
      if (state.staleLoadend && !upload && type === 'loadend') {
        state.staleLoadend = false;
        return;
      }
      if (!state.sent) return;
      const t = sink.now();
      recordLoadstart(state);
      if (type === 'readystatechange') {
        const readyState = readyStateOf(xhr);
        sink.step(state.id, t, 'readystatechange', readyStateDetail(readyState));
        if (readyState >= 2) respond(xhr, state, t);
        if (readyState === 3 && state.streaming) streamChunk(xhr, state, t);
        if (readyState === 4) {
          finishBody(xhr, state, t);
          if (statusOf(xhr) !== 0) state.doneAt = t;
        }
        return;
      }
      let detail: StepDetail | undefined;
      if (isProgressEvent(event)) {
        const loaded = loadedOf(event);
        const total = totalOf(event);
        const lengthComputable = computableOf(event);
        // The same figures as the last one (load and loadend after the last progress): the same object.
        const last = upload ? undefined : state.lastDetail;
        detail = last && last.loaded === loaded && last.total === total && last.lengthComputable === lengthComputable ? last : { loaded, total, lengthComputable };
        if (!upload) state.lastDetail = detail;
      }
      // send() step 11: loadstart at the xhr, then, when the upload listener flag is set (the
      // page listens on xhr.upload), at xhr.upload, within send(): before our listeners can be
      // there (adding one earlier would set the flag and preflight a cross-origin request). Any
      // later upload event proves it fired: recorded then, at the xhr's loadstart time.
      if (upload && !state.uploadStarted && type !== 'loadstart') {
        state.uploadStarted = true;
        const total = detail ? detail.total! : 0;
        sink.step(state.id, state.loadstartAt ?? t, 'upload:loadstart', { loaded: 0, total, lengthComputable: detail ? detail.lengthComputable! : false });
      }
      sink.step(state.id, t, upload ? `upload:${type}` : type, detail);
      if (upload) return;
      if (detail) state.received = detail.loaded;
      if (type === 'load') state.outcome = 'ok';
      else if (type === 'error' || type === 'abort' || type === 'timeout') state.outcome = type;
      else if (type === 'loadend') {
        respond(xhr, state, t);
        end(state, t);
      }
    } catch (error) {
      sink.fail('xhr:event', error);
    }
  };

  /** The end of the exchange, as its loadend says it (the outcome its last event gave), at `t`. */
  const end = (state: XhrState, t: number) => {
    state.sent = false;
    settleBody(state, t);
    sink.emit({
      type: 'end',
      id: state.id,
      t,
      outcome: state.outcome ?? 'error',
      error: state.outcome === 'error' ? 'network error' : undefined,
    });
  };

  /**
   * The end of an exchange that completed (readyState 4, a status) when the page ends the xhr
   * before its loadend: abort() at DONE fires no event, and open() fires none for the request
   * before (XHR "handle response end-of-body": load and loadend only while the state is still
   * done, after the readystatechange). Its body and its end as at readyState 4.
   */
  const endAtDone = (state: XhrState) => {
    state.outcome = 'ok';
    end(state, state.doneAt!);
  };

  /** The loadstart the native send() fired, once, before any later step (see XHR_EVENTS). */
  const recordLoadstart = (state: XhrState) => {
    if (!state.loadstartDue) return;
    state.loadstartDue = false;
    sink.step(state.id, state.loadstartAt!, 'loadstart', LOADSTART_DETAIL);
  };

  const respond = (xhr: XMLHttpRequest, state: XhrState, t: number) => {
    if (state.responded) return;
    const status = statusOf(xhr);
    if (status === 0 && readyStateOf(xhr) !== 2) return;
    state.responded = true;
    // Chromium's responseURL keeps user:password from open()'s URL: never recorded. The URL
    // open() resolved (credentials removed, parsed once already) comes back unchanged when there
    // was no redirect and no fragment: parsing it again would give it back as it is.
    const rawUrl = responseURLOf(xhr);
    const responseUrl = rawUrl === state.url ? rawUrl : rawUrl ? absoluteUrl(rawUrl).url : '';
    // The headers go as the browser gives them: parsed in the background (RawResponse).
    sink.emit({
      type: 'response:raw',
      id: state.id,
      t,
      status,
      statusText: statusTextOf(xhr),
      rawHeaders: R.apply(getAllResponseHeaders, xhr, []) as string,
      url: responseUrl || undefined,
      redirected: !!responseUrl && responseUrl !== state.url,
    });
    const type = responseTypeOf(xhr);
    const contentType = R.apply(getResponseHeader, xhr, ['content-type']) as string | null;
    state.streaming = (type === '' || type === 'text') && isStreamingType(contentType);
  };

  const streamChunk = (xhr: XMLHttpRequest, state: XhrState, t: number) => {
    // The page may set responseType in its readystatechange at 2, after ours chose to stream
    // (responseText then throws): its body is recorded whole at 4, as that type gives it.
    const type = responseTypeOf(xhr);
    if (type !== '' && type !== 'text') {
      state.streaming = false;
      return;
    }
    const text = responseTextOf(xhr);
    if (text.length <= state.streamed || state.streamed >= limits.streamCap) return;
    const chunk = S.slice(text, state.streamed, mathMin(text.length, limits.streamCap));
    state.streamed += chunk.length;
    sink.emit({ type: 'message', id: state.id, t, dir: 'receive', data: textPayload(chunk, 'chunk') });
  };

  const finishBody = (xhr: XMLHttpRequest, state: XhrState, t: number) => {
    if (statusOf(xhr) === 0) return;
    if (state.streaming) streamChunk(xhr, state, t);
    const type = responseTypeOf(xhr);
    const emit = (body: ReturnType<typeof textPayload>) => sink.emit({ type: 'body', id: state.id, t, which: 'response', body });
    state.pending = undefined;
    if (type === '' || type === 'text') {
      const text = responseTextOf(xhr);
      const override = overrides.get(xhr);
      const mime = override ?? (R.apply(getResponseHeader, xhr, ['content-type']) as string | null) ?? '';
      // x-user-defined (byte b ≥ 0x80 is U+F700+b) and single-byte charsets map back byte for
      // byte; any other text is checked against the bytes received (a multi-byte legacy charset,
      // a BOM, invalid UTF-8, an XML declaration).
      const encoding = reTest(USER_DEFINED, mime) ? USER_DEFINED_NAME : singleByteEncoding(mime);
      state.pending = encoding ? { form: 'single-byte', text, encoding } : { form: 'text', body: textPayload(text, 'text') };
    }
    else if (type === 'json') {
      // The parsed value is all the page can read (responseText throws): its JSON.stringify is
      // recorded, marked as such, with the true size. A toJSON on a prototype would be page code
      // run by our stringify: leave the body out then.
      if (R.getOwnPropertyDescriptor(ObjectPrototype, 'toJSON') || R.getOwnPropertyDescriptor(ArrayPrototype, 'toJSON')) {
        sink.fail('xhr:json', 'a toJSON on Object.prototype or Array.prototype: the json response was not copied');
        return;
      }
      const value = responseOf(xhr);
      state.pending = { form: 'parsed', body: textPayload(value === null ? 'null' : (jsonStringify(value) as string), 'json'), as: 'json' };
    } else if (type === 'arraybuffer') {
      const buffer = responseOf(xhr);
      if (isArrayBuffer(buffer)) emit(bufferPayload(buffer, 0, bufferLength(buffer), 'arraybuffer'));
    } else if (type === 'blob') {
      const blob = responseOf(xhr);
      if (isBlob(blob)) {
        const { later } = capturePayload(blob);
        if (later) R.apply(promiseThen, later, [emit, (e: unknown) => sink.fail('xhr:blob', e)]);
      }
    } else if (type === 'document') {
      const doc = responseOf(xhr);
      if (isDocument(doc)) state.pending = { form: 'parsed', body: textPayload(R.apply(serializeToString, new NativeXMLSerializer(), [doc]) as string, 'document'), as: 'document' };
    }
  };

  /** The body read at readyState 4, with its size settled against the bytes received (PendingBody). */
  const settleBody = (state: XhrState, t: number) => {
    const p = state.pending;
    if (!p) return;
    state.pending = undefined;
    const id = state.id;
    const received = state.received;
    const emit = (body: Payload, at: number) => sink.emit({ type: 'body', id, t: at, which: 'response', body });
    const marked = (body: Payload, as: NonNullable<Payload['reserialized']>) => {
      setOwn(body, 'size', received ?? -1);
      setOwn(body, 'reserialized', as);
      return body;
    };
    if (p.form === 'parsed') emit(marked(p.body, p.as), t);
    else if (p.form === 'text') emit(received !== undefined && p.body.size !== received ? marked(p.body, 'text') : p.body, t);
    else if (received !== undefined && p.text.length !== received) emit(marked(textPayload(p.text, 'text'), 'text'), t);
    else {
      // After the page's load and loadend: the pass over the text delays none of its events.
      setTimeoutNative(() => {
        try {
          const bytes = p.encoding === USER_DEFINED_NAME ? userDefinedBytes(p.text) : singleByteBytes(p.text, p.encoding);
          emit(bytes ?? marked(textPayload(p.text, 'text'), 'text'), sink.now());
        } catch (error) {
          sink.fail('xhr:charset', error);
        }
      }, 0);
    }
  };

  const hookUpload = (xhr: XMLHttpRequest, state: XhrState) => {
    if (state.uploadHooked || !state.meta.async) return;
    state.uploadHooked = true; // own (set in the literal): no setter of the page's runs
    try {
      const upload = uploadOf(xhr);
      for (let i = 0; i < UPLOAD_EVENTS.length; i++) {
        R.apply(addEventListener, upload, [UPLOAD_EVENTS[i], (e: Event) => onEvent(xhr, e, true)]);
      }
    } catch (error) {
      sink.fail('xhr:upload', error);
    }
  };

  /** One listener for every xhr: `this` is the xhr the event is dispatched at (its currentTarget). */
  function onXhrEvent(this: XMLHttpRequest, event: Event) {
    onEvent(this, event, false);
  }
  /**
   * Our listeners go on at construction (the constructor's proxy below), before the page can add
   * any: a page listener that calls stopImmediatePropagation() (`xhr.onloadend = …` set before
   * open() is common) would otherwise keep the response and the end from us. At the target the
   * listeners of an XMLHttpRequest run in the order they were added, capturing or not (it is no
   * node: Chromium runs capturing ones first only on a node's path). open() hooks an xhr made
   * where the constructor is not ours (another realm's, made before its script ran).
   */
  const hook = (xhr: XMLHttpRequest) => {
    if (hooked.get(xhr)) return;
    hooked.set(xhr, true);
    for (let i = 0; i < XHR_EVENTS.length; i++) R.apply(addEventListener, xhr, [XHR_EVENTS[i], onXhrEvent]);
  };

  const uninstalls = [
    watchConstruction<typeof XMLHttpRequest>(sink, 'XMLHttpRequest', P, 'xhr:construct', (xhr) => hook(xhr as XMLHttpRequest)),
    patchMethod<XMLHttpRequest['open']>(P, 'open', () => ({
      apply(target, xhr: XMLHttpRequest, args: unknown[]) {
        // Converted once, here, exactly as the binding would: the page's toString runs once.
        const call = convertArgs(args, 2, [0, 1, 3, 4]);
        const result = R.apply(target, xhr, call);
        try {
          // open() on a request in flight terminates it without an event: end its entry here.
          const previous = states.get(xhr);
          // Opened again from its load, error, abort or timeout listener: the exchange ended as
          // that event says, and the loadend still to come is the old request's (see staleLoadend).
          const ending = previous?.sent && previous.outcome !== undefined;
          if (ending) end(previous, sink.now());
          else if (previous?.sent && previous.doneAt !== undefined) endAtDone(previous);
          else if (previous?.sent) {
            previous.sent = false;
            sink.emit({ type: 'end', id: previous.id, t: sink.now(), outcome: 'abort', error: 'superseded by open()' });
          }
          // send() fills in the last three: own data properties from the start, so its stores
          // are plain ones (no setter of the page's is looked for) instead of a define each.
          const meta: StartMeta = { async: call.length < 3 ? true : !!call[2], timeout: 0, withCredentials: false, responseType: '' };
          const where = absoluteUrl(call[1] as string);
          const user = at(call, 3);
          const password = at(call, 4);
          if (user !== undefined && user !== null) setOwn(meta, 'user', user as string);
          else if (where.user) setOwn(meta, 'user', where.user);
          if ((password !== undefined && password !== null) || where.hasPassword) setOwn(meta, 'hasPassword', true);
          states.set(xhr, {
            id: sink.nextId('xhr'),
            method: call[0] as string,
            url: where.url,
            meta,
            headers: [],
            sent: false,
            outcome: undefined,
            responded: false,
            streamed: 0,
            streaming: false,
            openedAt: sink.now(),
            uploadHooked: false,
            loadstartAt: undefined,
            loadstartDue: false,
            uploadStarted: false,
            received: undefined,
            lastDetail: undefined,
            pending: undefined,
            doneAt: undefined,
            staleLoadend: ending,
          });
          hook(xhr);
        } catch (error) {
          sink.fail('xhr:open', error);
        }
        return result;
      },
    })),
    patchMethod<XMLHttpRequest['setRequestHeader']>(P, 'setRequestHeader', () => ({
      apply(target, xhr: XMLHttpRequest, args: unknown[]) {
        const call = convertArgs(args, 2, [0, 1]);
        const result = R.apply(target, xhr, call);
        try {
          const state = states.get(xhr);
          if (state && !state.sent) appendHeader(state.headers, call[0] as string, call[1] as string);
        } catch (error) {
          sink.fail('xhr:setRequestHeader', error);
        }
        return result;
      },
    })),
    patchMethod<XMLHttpRequest['send']>(P, 'send', () => ({
      apply(target, xhr: XMLHttpRequest, args: unknown[]) {
        // An object of no body kind becomes its string once, here, as the binding would do it.
        const body = args.length ? convertBody(args[0]) : { value: undefined, converted: false };
        const call = body.converted ? copyWith(args, 0, body.value) : args;
        const state = states.get(xhr);
        let started = false;
        let hasBody = false;
        try {
          if (state && !state.sent && readyStateOf(xhr) === 1) {
            let payload: Payload | undefined;
            let later: Promise<Payload> | undefined;
            const method = S.lower(state.method);
            if (method !== 'get' && method !== 'head') {
              const sent = at(call, 0);
              hasBody = sent !== undefined && sent !== null;
              try {
                ({ payload, later } = capturePayload(at(call, 0)));
                if (payload && body.converted) payload.source = 'object';
              } catch (error) {
                sink.fail('xhr:body', error);
              }
            }
            const meta = state.meta;
            meta.timeout = timeoutOf(xhr);
            meta.withCredentials = withCredentialsOf(xhr);
            meta.responseType = responseTypeOf(xhr);
            state.sent = true;
            state.responded = false;
            state.outcome = undefined;
            state.received = undefined;
            state.pending = undefined;
            state.lastDetail = undefined;
            state.doneAt = undefined;
            started = true;
            sink.emit({
              type: 'start',
              id: state.id,
              t: sink.now(),
              kind: 'xhr',
              method: state.method,
              url: state.url,
              headers: state.headers,
              body: payload,
              meta: state.meta,
              stack: stackHere(),
            });
            // readyState 1 fired inside open(), before there was anything to report it to.
            sink.step(state.id, state.openedAt, 'readystatechange', READY_STATE_DETAILS[1]);
            // loadstart fires within the native send() below: recorded when it returns, or before
            // any event it fired itself.
            state.loadstartDue = !!state.meta.async;
            state.loadstartAt = state.loadstartDue ? sink.now() : undefined;
            if (later) {
              const id = state.id;
              R.apply(promiseThen, later, [
                (body: Payload) => sink.emit({ type: 'body', id, t: sink.now(), which: 'request', body }),
                (e: unknown) => sink.fail('xhr:body', e),
              ]);
            }
          }
        } catch (error) {
          sink.fail('xhr:send', error);
        }
        try {
          return R.apply(target, xhr, call);
        } catch (error) {
          // A sync request's network error has already fired loadend (and ended the entry).
          if (started && state?.sent) {
            state.sent = false;
            state.loadstartDue = false;
            sink.emit({ type: 'end', id: state.id, t: sink.now(), outcome: 'error', error: describeError(error) });
          }
          throw error;
        } finally {
          // Unless an event the send fired recorded it already (or the send threw).
          if (started && state) recordLoadstart(state);
          // Only now may we look at xhr.upload: after the page's send() (see above). Without a
          // body no upload event fires (XHR send() step "req's body is null"): no listeners then.
          if (started && state?.meta.async && hasBody) hookUpload(xhr, state);
        }
      },
    })),
    patchMethod<XMLHttpRequest['abort']>(P, 'abort', () => ({
      apply(target, xhr: XMLHttpRequest, args: unknown[]) {
        const result = R.apply(target, xhr, args);
        try {
          // Before DONE the native fired abort and loadend within the call (the entry has ended);
          // at DONE it fires nothing: the exchange had completed (see endAtDone).
          const state = states.get(xhr);
          if (state?.sent && state.doneAt !== undefined) endAtDone(state);
        } catch (error) {
          sink.fail('xhr:abort', error);
        }
        return result;
      },
    })),
    patchMethod<XMLHttpRequest['overrideMimeType']>(P, 'overrideMimeType', () => ({
      apply(target, xhr: XMLHttpRequest, args: unknown[]) {
        // Converted once, here (the page's toString runs once), so the charset can be known.
        const call = convertArgs(args, 1, [0]);
        const result = R.apply(target, xhr, call);
        if (call.length) overrides.set(xhr, call[0] as string);
        return result;
      },
    })),
    patchMethod<XMLHttpRequest['getResponseHeader']>(P, 'getResponseHeader', () => ({
      apply(target, xhr: XMLHttpRequest, args: unknown[]) {
        // Converted once, here (the page's toString runs once), so the name can be recorded.
        const call = convertArgs(args, 1, [0]);
        const result = R.apply(target, xhr, call) as string | null;
        try {
          const state = states.get(xhr);
          if (result === null && state && readyStateOf(xhr) >= 2) {
            // Alone, not in a run of steps: the name is the page's (a run is rejected whole when
            // one of its steps does not fit the schema).
            sink.emit({ type: 'step', id: state.id, t: sink.now(), step: 'hidden-header-read', detail: { name: primitiveText(at(call, 0)) ?? '' } });
          }
        } catch (error) {
          sink.fail('xhr:getResponseHeader', error);
        }
        return result;
      },
    })),
  ];
  return () => {
    for (let i = 0; i < uninstalls.length; i++) uninstalls[i]();
  };
}

/**
 * The arguments as the binding would convert them to strings (objects through their toString,
 * once). Symbols and missing arguments are left for the native to reject. A list of ours without
 * a prototype (ownList): plain stores reach no setter of the page's Array.prototype.
 */
function convertArgs(args: unknown[], required: number, positions: number[]): unknown[] {
  if (args.length < required) return args;
  // Nothing to convert (strings, as pages pass them): the arguments as they are, no copy.
  let plain = true;
  for (let k = 0; k < positions.length && plain; k++) {
    const i = positions[k];
    if (i >= args.length) continue;
    const value = args[i];
    plain = typeof value === 'string' || typeof value === 'symbol' || (i >= required && (value === undefined || value === null));
  }
  if (plain) return args;
  const out: unknown[] = ownList();
  for (let i = 0; i < args.length; i++) append(out, args[i]);
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k];
    if (i >= out.length) continue;
    const value = out[i];
    const optional = i >= required;
    if (typeof value === 'symbol' || typeof value === 'string') continue;
    if (optional && (value === undefined || value === null)) continue;
    out[i] = NativeString(value);
  }
  return out;
}

function copyWith(args: unknown[], index: number, value: unknown): unknown[] {
  const out: unknown[] = ownList();
  for (let i = 0; i < args.length; i++) append(out, args[i]);
  out[index] = value;
  return out;
}
