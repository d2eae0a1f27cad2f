import type { FormField, Header, Payload } from '../protocol';
import { base64ToBytes, encodeUtf8, utf8Length, utf8Text } from '../bytes';
import { headerValue } from '../headers';
import { parseMultipart, parseUrlencoded } from './decoders';
import { payloadData } from './payload';
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

export function fieldFromParam(p: HarParam): FormField {
  const f: FormField = { name: typeof p.name === 'string' ? p.name : String(p.name ?? '') };
  if (typeof p.value === 'string') f.value = p.value;
  if (typeof p.fileName === 'string') f.fileName = p.fileName;
  if (typeof p.contentType === 'string') f.type = p.contentType;
  if (typeof p._size === 'number') f.size = p._size;
  return f;
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

/** HAR postData from any tool → Payload. Params without text (Charles) become form entries. */
export function payloadFromPostData(pd: unknown, bodySize: unknown): Payload | undefined {
  if (!pd || typeof pd !== 'object') return undefined;
  const { text, params, mimeType, _encoding } = pd as Record<string, unknown>;
  const hasText = typeof text === 'string' && text !== '';
  const paramList = Array.isArray(params) ? params.filter((p): p is HarParam => !!p && typeof p === 'object') : [];
  if (!hasText && !paramList.length) return undefined;
  const base64 = hasText && _encoding === 'base64';
  const data = hasText ? (text as string) : '';
  const captured = base64 ? (base64ToBytes(data)?.length ?? 0) : utf8Length(data);
  const payload: Payload = {
    encoding: hasText ? (base64 ? 'base64' : 'text') : 'none',
    data,
    size: typeof bodySize === 'number' && bodySize > captured ? bodySize : captured,
    truncated: false,
  };
  if (typeof mimeType === 'string' && mimeType) payload.mimeType = mimeType;
  if (!hasText) payload.form = paramList.map(fieldFromParam);
  return payload;
}
