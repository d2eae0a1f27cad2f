import type { FormField, Payload } from '../../shared/protocol';
import {
  NativeArrayBuffer,
  NativeBlob,
  NativePromise,
  NativeDocument,
  NativeFormData,
  NativeReadableStream,
  NativeURLSearchParams,
  NativeUint8Array,
  NativeXMLSerializer,
  NativeString,
  R,
  S,
  arrayBufferIsView,
  mathMin,
  arrayBufferSlice,
  blobSlice,
  encodeText,
  getter,
  append,
  reTest,
} from './natives';
import { primitiveText } from './util';
import { DEFAULT_BODY_CAP } from '../../shared/settings';

const promiseResolve = NativePromise.resolve;

/** Per-body cap (bytes). The relay may change it from the user's settings. */
export const limits = { bodyCap: DEFAULT_BODY_CAP, streamCap: 8 * 1024 * 1024 };

const formDataEntries = NativeFormData.prototype.entries;
const formIteratorNext = (R.getPrototypeOf(R.apply(formDataEntries, new NativeFormData(), [])) as { next(): unknown }).next;
const searchParamsToString = NativeURLSearchParams.prototype.toString;
const blobSize = getter<number>(NativeBlob.prototype, 'size');
const blobType = getter<string>(NativeBlob.prototype, 'type');
const fileName = typeof File === 'function' ? getter<string>(File.prototype, 'name') : () => undefined;
const TypedArrayPrototype = R.getPrototypeOf(NativeUint8Array.prototype) as object;
const viewBuffer = getter<ArrayBuffer>(TypedArrayPrototype, 'buffer');
const viewOffset = getter<number>(TypedArrayPrototype, 'byteOffset');
const viewLength = getter<number>(TypedArrayPrototype, 'byteLength');
const dataViewBuffer = getter<ArrayBuffer>(DataView.prototype, 'buffer');
const dataViewOffset = getter<number>(DataView.prototype, 'byteOffset');
const dataViewLength = getter<number>(DataView.prototype, 'byteLength');
const bufferLength = getter<number>(NativeArrayBuffer.prototype, 'byteLength');
const serialize = NativeXMLSerializer.prototype.serializeToString;

/** Any UTF-16 unit past ASCII (a failed search allocates no match). */
const NON_ASCII = /[\u0080-\uffff]/;

export function textPayload(text: string, source: string, mimeType?: string): Payload {
  const cap = limits.bodyCap;
  // Size in UTF-8 bytes without encoding the whole of a huge string; ASCII (most messages and
  // bodies) is one byte a character, told by one native regex scan instead of an encode.
  const size = text.length <= cap ? (reTest(NON_ASCII, text) ? encodeText(text).length : text.length) : -1;
  const truncated = text.length > cap;
  return {
    encoding: 'text',
    data: truncated ? S.slice(text, 0, cap) : text,
    size: truncated ? utf8Length(text) : size,
    truncated,
    source,
    mimeType,
  };
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = S.charCodeAt(text, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function bufferPayload(buffer: ArrayBuffer, offset: number, length: number, source: string, mimeType?: string, trueSize = length): Payload {
  const take = mathMin(length, limits.bodyCap);
  const copy = R.apply(arrayBufferSlice, buffer, [offset, offset + take]) as ArrayBuffer;
  return { encoding: 'buffer', data: '', buffer: copy, size: trueSize, truncated: take < trueSize, source, mimeType };
}

/**
 * A Blob body: its size and type now, and (`later`, at once) the Blob itself up to the cap, for
 * the worker to read (`encoding: 'blob'`, payload-parts readBlobPayload). Slicing a Blob copies
 * no bytes, and neither does handing it over: its bytes never come to the page's thread (a
 * 10 MiB upload read here cost the page more than the upload itself).
 */
function blobPayload(blob: Blob, source: string): { payload: Payload; later?: Promise<Payload> } {
  const size = blobSize(blob);
  const type = blobType(blob) || undefined;
  const payload: Payload = { encoding: 'none', data: '', size, truncated: size > 0, source, mimeType: type };
  const take = mathMin(size, limits.bodyCap);
  const head = R.apply(blobSlice, blob, [0, take]) as Blob;
  // No prototype on what the promise resolves with: resolving looks up `then` on it.
  const handed = { __proto__: null, ...payload, encoding: 'blob', blob: head, truncated: take < size } as Payload;
  return { payload, later: R.apply(promiseResolve, NativePromise, [handed]) as Promise<Payload> };
}

const searchParamsSize = getter<number>(NativeURLSearchParams.prototype, 'size');
const documentUrl = getter<string>(NativeDocument.prototype, 'URL');
const streamLocked = getter<boolean>(NativeReadableStream.prototype, 'locked');

/** A brand check through a native getter: no Proxy trap, no page code. */
function is(get: (self: unknown) => unknown, value: unknown): boolean {
  try {
    get(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the page passed as a body, captured up to the cap. Blob contents arrive later (`later`).
 * Reading never consumes or changes the page's object and never runs page code: kinds are told
 * apart by native brand checks (not instanceof, which a Proxy could trap), and any other object
 * is recorded as such (its toString is the browser's to call, once).
 */
export function capturePayload(body: unknown): { payload?: Payload; later?: Promise<Payload> } {
  // Both keys always present: the callers destructure them, and a missing one would be looked
  // up on the page's Object.prototype.
  if (body === undefined || body === null) return { payload: undefined, later: undefined };
  const text = primitiveText(body);
  // A string body is a USVString: sent as UTF-8 with its lone surrogates as U+FFFD.
  if (text !== undefined) return { payload: textPayload(S.wellFormed(text), 'string'), later: undefined };
  if (typeof body !== 'object') return { payload: undefined, later: undefined };
  if (is(searchParamsSize, body)) {
    const params = R.apply(searchParamsToString, body, []) as string;
    return { payload: textPayload(params, 'urlsearchparams', 'application/x-www-form-urlencoded;charset=UTF-8'), later: undefined };
  }
  if (is(blobSize, body)) return blobPayload(body as Blob, 'blob');
  if (is(bufferLength, body)) return { payload: bufferPayload(body as ArrayBuffer, 0, bufferLength(body), 'arraybuffer'), later: undefined };
  if (arrayBufferIsView(body)) {
    const isDataView = is(dataViewLength, body);
    const buffer = isDataView ? dataViewBuffer(body) : viewBuffer(body);
    const offset = isDataView ? dataViewOffset(body) : viewOffset(body);
    const length = isDataView ? dataViewLength(body) : viewLength(body);
    return { payload: bufferPayload(buffer, offset, length, 'view'), later: undefined };
  }
  if (is(documentUrl, body)) {
    const doc = R.apply(serialize, new NativeXMLSerializer(), [body]) as string;
    return { payload: textPayload(doc, 'document'), later: undefined };
  }
  if (is(streamLocked, body)) return { payload: { encoding: 'none', data: '', size: -1, truncated: false, source: 'stream' }, later: undefined };
  if (is(formDataHas, body)) return { payload: formPayload(body as FormData), later: undefined };
  return { payload: { encoding: 'none', data: '', size: -1, truncated: false, source: 'object' }, later: undefined };
}

const formHas = NativeFormData.prototype.has;
const formDataHas = (self: unknown) => R.apply(formHas, self, ['']);

/** A body the browser will turn into a string (any object of no body kind it knows). */
function isOtherObject(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  return !(
    is(searchParamsSize, body) ||
    is(blobSize, body) ||
    is(bufferLength, body) ||
    arrayBufferIsView(body) ||
    is(documentUrl, body) ||
    is(streamLocked, body) ||
    is(formDataHas, body)
  );
}

/**
 * The body argument converted as the binding would: any other object becomes its string, here,
 * once (its toString may throw: the page's error, thrown as the browser would throw it).
 * Returns the value to pass on to the native and whether it was converted.
 */
export function convertBody(body: unknown): { value: unknown; converted: boolean } {
  if (!isOtherObject(body)) return { value: body, converted: false };
  return { value: NativeString(body), converted: true };
}

function formPayload(form: FormData): Payload {
  const fields: FormField[] = [];
  const iterator = R.apply(formDataEntries, form, []) as IterableIterator<[string, FormDataEntryValue]>;
  let size = 0;
  const next = () => R.apply(formIteratorNext, iterator, []) as IteratorResult<[string, FormDataEntryValue]>;
  for (let step = next(); !step.done; step = next()) {
    const name = step.value[0];
    const value = step.value[1];
    // The multipart/form-data bytes Chromium sends (FormDataEncoder): per part
    // `--{boundary}\r\nContent-Disposition: form-data; name="…"[; filename="…"]\r\n`
    // [`Content-Type: …\r\n`] `\r\n{data}\r\n`, then `--{boundary}--\r\n`.
    size += 2 + BOUNDARY_LENGTH + 2 + DISPOSITION.length + escapedLength(name, true) + 1;
    if (typeof value === 'string') {
      append<FormField>(fields, { name, value: value.length > 4096 ? S.slice(value, 0, 4096) : value });
      size += 2 + 2 + crlfUtf8Length(value) + 2;
    } else {
      const fileSize = blobSize(value);
      const file = fileName(value);
      const type = blobType(value);
      append<FormField>(fields, { name, fileName: file, type: type || undefined, size: fileSize });
      size += FILENAME.length + escapedLength(file ?? 'blob') + 1 + 2 + CONTENT_TYPE.length + (type ? encodeText(type).length : OCTET_STREAM.length) + 2 + 2 + fileSize + 2;
    }
    if (fields.length >= 1000) break;
  }
  size += 2 + BOUNDARY_LENGTH + 2 + 2;
  return { encoding: 'none', data: '', size, truncated: false, source: 'formdata', mimeType: 'multipart/form-data', form: fields };
}

/** "----WebKitFormBoundary" and 16 random characters. */
const BOUNDARY_LENGTH = 38;
const DISPOSITION = 'Content-Disposition: form-data; name="';
const FILENAME = '; filename="';
const CONTENT_TYPE = 'Content-Type: ';
const OCTET_STREAM = 'application/octet-stream';

/**
 * A name or file name as UTF-8 with `"`, CR and LF written as %22, %0D, %0A (two bytes more
 * each); a name's line breaks are first normalized to CRLF (`\n` → `%0D%0A`).
 */
function escapedLength(text: string, normalize = false): number {
  let n = encodeText(text).length;
  for (let i = 0; i < text.length; i++) {
    const c = S.charCodeAt(text, i);
    if (c === 0x22) n += 2;
    else if (c === 0x0d || c === 0x0a) {
      if (!normalize) n += 2;
      else if (c === 0x0d && i + 1 < text.length && S.charCodeAt(text, i + 1) === 0x0a) {
        n += 4;
        i++;
      } else n += 5;
    }
  }
  return n;
}

/** A string value's UTF-8 length once its line breaks (CR, LF, CRLF) are normalized to CRLF. */
function crlfUtf8Length(text: string): number {
  let n = encodeText(text).length;
  for (let i = 0; i < text.length; i++) {
    const c = S.charCodeAt(text, i);
    if (c === 0x0d && i + 1 < text.length && S.charCodeAt(text, i + 1) === 0x0a) i++;
    else if (c === 0x0d || c === 0x0a) n += 1;
  }
  return n;
}
