/** The decoders HAR export needs, in one place (see src/shared/decode). */
export { createSseParser, feedPieces, parseMultipart, parseUrlencoded, sniffEventStream, type SseRecord } from '../decode';
