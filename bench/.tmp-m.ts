import { parseMultipart } from '../src/shared/decode/multipart';
const enc = new TextEncoder();
const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p)));
const FORM = bytes('This is the preamble.\r\n','--XyZ\r\n','Content-Disposition: form-data; name="title"\r\n\r\n','Hello, wörld\r\n','--XyZ\r\n','Content-Disposition: form-data; name="upload"; filename="a.png"; filename*=UTF-8\'\'%E2%82%AC%20rates.png\r\n','Content-Type: image/png\r\n\r\n',[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],'\r\n--XyZ\r\n','Content-Disposition: form-data; name="empty"; filename=""\r\n','Content-Type: application/octet-stream\r\n\r\n','\r\n--XyZ--\r\n','epilogue, ignored\r\n--XyZ\r\n');
const r = parseMultipart(FORM, 'multipart/form-data; boundary="XyZ"');
console.dir({...r, raw: undefined}, {depth: 9});
const c = parseMultipart(FORM.subarray(0, 240), 'multipart/form-data; boundary=XyZ');
console.dir({...c, raw: undefined}, {depth: 9});
