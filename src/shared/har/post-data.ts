import type { FormField, Header, Payload } from '../protocol';
import { base64ToBytes, encodeUtf8, utf8Length, utf8Text } from '../bytes';
import { headerValue } from '../headers';
import { parseMultipart, parseUrlencoded } from './decoders';
import { payloadData } from './payload';
import { BYTE_SIZE, harText, obj, ranged } from './read';
import type { DecodeError, HarParam, HarPostData } from './types';

export interface PostDataResult {
  postData?: HarPostData;
  /** `params` are the page's own FormData/URLSearchParams entries. */
  fromForm: boolean;
  errors: DecodeError[];
}

/**
 * A request body as HAR postData. Params come from the page's structured form entries when it
 * gave any (FormData, URLSearchParams), else from decoding urlencoded or multipart text.
 */
export function toPostData(body: Payload | undefined, headers: Header[]): PostDataResult {
  if (!body) return { fromForm: false, errors: [] };
  const mimeType = headerValue(headers, 'content-type') ?? body.mimeType ?? '';
  const { encoding, data } = payloadData(body);
  const postData: HarPostData = { mimeType };
  if (encoding === 'text') postData.text = data;
  else if (encoding === 'base64') {
    postData.text = data;
    postData._encoding = 'base64';
  }
  if (body.form) {
    postData.params = body.form.map(paramFromField);
    return { postData, fromForm: true, errors: [] };
  }
  const errors: DecodeError[] = [];
  const params = decodeParams(mimeType, encoding, data, errors);
  if (params) postData.params = params;
  return { postData, fromForm: false, errors };
}

function paramFromField(f: FormField): HarParam {
  const p: HarParam = { name: f.name };
  if (f.value !== undefined) p.value = f.value;
  if (f.fileName !== undefined) p.fileName = f.fileName;
  if (f.type !== undefined) p.contentType = f.type;
  if (f.size !== undefined) p._size = f.size;
  return p;
}

/**
 * One HAR `postData.params` item as a form field. A name or value that is a number or boolean is
 * read as its text; without a value it is a field whose value was not captured (a file part, as
 * netlens and Charles write it). Undefined when the item is no object or its name or value is
 * anything else (null, missing name, an object, an array): that text was never sent, and
 * "[object Object]" or JSON text would be shown, and exported again, as the field's — the same
 * rule as a header's (`fromHarHeaders`).
 */
export function fieldFromParam(raw: unknown): FormField | undefined {
  const p = obj(raw);
  const name = harText(p?.name);
  if (!p || name === undefined) return undefined;
  const f: FormField = { name };
  if (p.value !== undefined) {
    const value = harText(p.value);
    if (value === undefined) return undefined;
    f.value = value;
  }
  if (typeof p.fileName === 'string') f.fileName = p.fileName;
  if (typeof p.contentType === 'string') f.type = p.contentType;
  if (typeof p._size === 'number') f.size = p._size;
  return f;
}

/** `postData.params` (`where` names them in the warning) as form fields; the items `fieldFromParam` cannot read are left out, counted in one warning. */
export function fieldsFromParams(params: unknown[], where: string, warn: (message: string) => void): FormField[] {
  const out: FormField[] = [];
  for (const raw of params) {
    const f = fieldFromParam(raw);
    if (f) out.push(f);
  }
  const left = params.length - out.length;
  if (left) warn(`${where}: ${left} field(s) left out (name or value not text)`);
  return out;
}

function decodeParams(mimeType: string, encoding: string, data: string, errors: DecodeError[]): HarParam[] | undefined {
  const mime = mimeType.split(';')[0].trim().toLowerCase();
  if (encoding === 'none') return undefined;
  if (mime === 'application/x-www-form-urlencoded') {
    const raw = encoding === 'base64' ? base64ToBytes(data) : data;
    if (raw === undefined) {
      errors.push({ where: 'request.postData', message: 'body is not valid base64' });
      return undefined;
    }
    return parseUrlencoded(raw).pairs.map(({ name, value }) => ({ name, value }));
  }
  if (mime.startsWith('multipart/')) {
    const bytes = encoding === 'base64' ? base64ToBytes(data) : encodeUtf8(data);
    if (bytes === undefined) {
      errors.push({ where: 'request.postData', message: 'body is not valid base64' });
      return undefined;
    }
    const result = parseMultipart(bytes, mimeType);
    if (!result.ok) errors.push({ where: 'request.postData', message: result.error });
    return result.parts.map((part) => {
      const p: HarParam = { name: part.name ?? '' };
      if (part.kind === 'text') p.value = part.text;
      else {
        // A file part's bytes: kept as the value when they are text (Chrome leaves them out).
        const content = utf8Text(bytes.subarray(part.offset, part.offset + part.size));
        // eslint-disable-next-line no-control-regex
        if (content && !/[\x00-\x08\x0e-\x1f]/.test(content)) p.value = content;
      }
      if (part.filename !== undefined) p.fileName = part.filename;
      if (part.contentType !== undefined) p.contentType = part.contentType;
      return p;
    });
  }
  return undefined;
}

/** Control characters binary bytes show as when written one per character: C0 but tab, LF, CR; DEL; C1. */
// eslint-disable-next-line no-control-regex
const BINARY_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;

/**
 * HAR postData from any tool → Payload. Params without text (Charles) become form entries (see
 * `fieldsFromParams`; what cannot be read is left out with a warning).
 */
export function payloadFromPostData(pd: unknown, bodySize: unknown, warn: (message: string) => void): Payload | undefined {
  if (!pd || typeof pd !== 'object') return undefined;
  const { text, params, mimeType, _encoding } = pd as Record<string, unknown>;
  const hasText = typeof text === 'string' && text !== '';
  const paramList = Array.isArray(params) ? params : [];
  if (!hasText && !paramList.some((p) => obj(p))) return undefined;
  const size = ranged(bodySize, BYTE_SIZE, 'request.bodySize', warn);
  // Firefox writes a binary body one character per byte (U+0000–U+00FF), and its bodySize is the
  // text's length whatever the body (so equal sizes alone say nothing: "José" sent as UTF-8 is
  // 4 characters too). Binary bytes show as control characters (C0 but tab, LF, CR; DEL; C1)
  // that decoded text almost never holds: such text, all of it one byte per character, is bytes.
  const bytesAsText =
    hasText &&
    _encoding !== 'base64' &&
    size === (text as string).length &&
    BINARY_CONTROL.test(text as string) &&
    !/[\u0100-\uffff]/.test(text as string);
  const base64 = bytesAsText || (hasText && _encoding === 'base64');
  // (Such text is a binary string already: what btoa takes.)
  const data = bytesAsText ? btoa(text as string) : hasText ? (text as string) : '';
  const captured = base64 ? (base64ToBytes(data)?.length ?? 0) : utf8Length(data);
  const payload: Payload = {
    encoding: hasText ? (base64 ? 'base64' : 'text') : 'none',
    data,
    size: size !== undefined && size > captured ? size : captured,
    truncated: false,
  };
  if (typeof mimeType === 'string' && mimeType) payload.mimeType = mimeType;
  if (!hasText) payload.form = fieldsFromParams(paramList, 'request.postData.params', warn);
  return payload;
}
