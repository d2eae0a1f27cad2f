import type { FormField, Payload } from '../../shared/protocol';
import {
  NativeArrayBuffer,
  NativeBlob,
  NativeDocument,
  NativeFormData,
  NativeReadableStream,
  NativeURLSearchParams,
  NativeUint8Array,
  NativeXMLSerializer,
  R,
  arrayBufferSlice,
  blobArrayBuffer,
  blobSlice,
  encodeText,
  getter,
  promiseThen,
} from './natives';

/** Per-body cap (bytes). The relay may change it from the user's settings. */
export const limits = { bodyCap: 1024 * 1024, streamCap: 8 * 1024 * 1024 };

const formDataEntries = NativeFormData.prototype.entries;
const searchParamsToString = NativeURLSearchParams.prototype.toString;
const blobSize = getter<number>(NativeBlob.prototype, 'size');
const blobType = getter<string>(NativeBlob.prototype, 'type');
const fileName = typeof File === 'function' ? getter<string>(File.prototype, 'name') : () => undefined;
const viewBuffer = getter<ArrayBuffer>(Object.getPrototypeOf(NativeUint8Array.prototype), 'buffer');
const viewOffset = getter<number>(Object.getPrototypeOf(NativeUint8Array.prototype), 'byteOffset');
const viewLength = getter<number>(Object.getPrototypeOf(NativeUint8Array.prototype), 'byteLength');
const dataViewBuffer = getter<ArrayBuffer>(DataView.prototype, 'buffer');
const dataViewOffset = getter<number>(DataView.prototype, 'byteOffset');
const dataViewLength = getter<number>(DataView.prototype, 'byteLength');
const bufferLength = getter<number>(NativeArrayBuffer.prototype, 'byteLength');
const serialize = NativeXMLSerializer.prototype.serializeToString;

export function textPayload(text: string, source: string, mimeType?: string): Payload {
  const cap = limits.bodyCap;
  // Size in UTF-8 bytes without encoding the whole of a huge string.
  const size = text.length <= cap ? encodeText(text).length : -1;
  const truncated = text.length > cap;
  return {
    encoding: 'text',
    data: truncated ? text.slice(0, cap) : text,
    size: truncated ? utf8Length(text) : size,
    truncated,
    source,
    mimeType,
  };
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function bufferPayload(buffer: ArrayBuffer, offset: number, length: number, source: string, mimeType?: string): Payload {
  const take = Math.min(length, limits.bodyCap);
  const copy = R.apply(arrayBufferSlice, buffer, [offset, offset + take]) as ArrayBuffer;
  return { encoding: 'buffer', data: '', buffer: copy, size: length, truncated: take < length, source, mimeType };
}

function blobPayload(blob: Blob, source: string): { payload: Payload; later?: Promise<Payload> } {
  const size = blobSize(blob);
  const type = blobType(blob) || undefined;
  const payload: Payload = { encoding: 'none', data: '', size, truncated: size > 0, source, mimeType: type };
  const head = R.apply(blobSlice, blob, [0, Math.min(size, limits.bodyCap)]) as Blob;
  const later = R.apply(promiseThen, R.apply(blobArrayBuffer, head, []), [
    (buf: ArrayBuffer): Payload => ({ ...payload, encoding: 'buffer', buffer: buf, truncated: bufferLength(buf) < size }),
  ]) as Promise<Payload>;
  return { payload, later };
}

/**
 * What the page passed as a body, captured up to the cap. Blob contents arrive later (`later`).
 * Reading never consumes or changes the page's object.
 */
export function capturePayload(body: unknown): { payload?: Payload; later?: Promise<Payload> } {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { payload: textPayload(body, 'string') };
  if (body instanceof NativeURLSearchParams) {
    const text = R.apply(searchParamsToString, body, []) as string;
    return { payload: textPayload(text, 'urlsearchparams', 'application/x-www-form-urlencoded;charset=UTF-8') };
  }
  if (body instanceof NativeFormData) return { payload: formPayload(body) };
  if (body instanceof NativeBlob) return blobPayload(body, 'blob');
  if (body instanceof NativeArrayBuffer) return { payload: bufferPayload(body, 0, bufferLength(body), 'arraybuffer') };
  if (ArrayBuffer.isView(body)) {
    const isDataView = body instanceof DataView;
    const buffer = isDataView ? dataViewBuffer(body) : viewBuffer(body);
    const offset = isDataView ? dataViewOffset(body) : viewOffset(body);
    const length = isDataView ? dataViewLength(body) : viewLength(body);
    return { payload: bufferPayload(buffer, offset, length, 'view') };
  }
  if (NativeDocument && body instanceof NativeDocument) {
    const text = R.apply(serialize, new NativeXMLSerializer(), [body]) as string;
    return { payload: textPayload(text, 'document') };
  }
  if (NativeReadableStream && body instanceof NativeReadableStream) {
    return { payload: { encoding: 'none', data: '', size: -1, truncated: false, source: 'stream' } };
  }
  // Anything else is stringified by the browser.
  return { payload: textPayload(String(body), 'string') };
}

function formPayload(form: FormData): Payload {
  const fields: FormField[] = [];
  const iterator = R.apply(formDataEntries, form, []) as IterableIterator<[string, FormDataEntryValue]>;
  let size = 0;
  for (let step = iterator.next(); !step.done; step = iterator.next()) {
    const [name, value] = step.value;
    if (typeof value === 'string') {
      fields[fields.length] = { name, value: value.length > 4096 ? value.slice(0, 4096) : value };
      size += value.length;
    } else {
      const fileSize = blobSize(value);
      fields[fields.length] = { name, fileName: fileName(value), type: blobType(value) || undefined, size: fileSize };
      size += fileSize;
    }
    if (fields.length >= 1000) break;
  }
  return { encoding: 'none', data: '', size, truncated: false, source: 'formdata', mimeType: 'multipart/form-data', form: fields };
}
