/**
 * Body and message decoders: pure functions over strings/bytes (no DOM, no Node API), shared by
 * the panel, HAR export and the CLI. None throws: bad input gives `ok: false` with `error`
 * ("could not decode: …") and the raw data. Each file states its bounds at the top.
 */
export { decodeBody, sniffEventStream, type BodyInput, type BodyOptions, type DecodedBody, type TextSyntax } from './body';
export { closeCodeInfo, type CloseCodeInfo, type CloseCodeRange } from './close-codes';
export { parseContentDisposition, parseContentType, decodeExtValue, type ContentDisposition, type ContentType } from './header-params';
export { asciiView, fromHex, hexDump, hexPreview, toHex, type HexPreview } from './hex';
export { imageSize } from './image-size';
export { isExactNumber, parseJson, sniffJson, stripXssiPrefix, type JsonEntry, type JsonNode, type JsonOptions, type JsonResult } from './json';
export { jsonGet, jsonNumberText, jsonScalarText, jsonString, jsonToPlain, previewJson, stringifyJson, type StringifyOptions } from './json-tree';
export { normalizeName as normalizeJsonpName, parseJsonp, type JsonpArg, type JsonpResult } from './jsonp';
export { looksBinary, sniffMagic, type MagicType } from './magic';
export { isTextual, parseMultipart, sniffMultipartBoundary, type MultipartOptions, type MultipartPart, type MultipartResult } from './multipart';
export { createNdjsonParser, ndjsonRecordCap, parseNdjson, sniffNdjson, type NdjsonOptions, type NdjsonParser, type NdjsonRecord } from './ndjson';
export { createSseParser, parseSse, sseRecordCap, type SseOptions, type SseParser, type SseRecord } from './sse';
export { countReplacements, decodeText, sniffBom, type TextOptions, type TextResult } from './text';
export { feedPieces, MAX_STREAM_RECORDS } from './text-stream';
export { parseUrlencoded, sniffUrlencoded, type FormPair, type UrlencodedResult } from './urlencoded';
export { decodeWsMessage, detectWsProtocol, protocolFromName } from './websocket';
export { createWsState } from './ws-state';
export type * from './ws-types';
