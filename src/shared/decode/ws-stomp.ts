/**
 * STOMP 1.2 frames (https://stomp.github.io/stomp-specification-1.2.html), text or binary:
 *   COMMAND EOL *(header EOL) EOL *OCTET NUL *(EOL)       EOL = [CR] LF
 * - A lone EOL is a heart-beat. A message may hold several frames.
 * - Header values are unescaped (`\r` `\n` `\c` `\\`), except in CONNECT/CONNECTED frames;
 *   an undefined escape is an error. Repeated headers: all kept, the first one counts.
 * - `content-length` gives the body size in octets; otherwise the body ends at the first NUL.
 * Bounds: at most 64 frames per message and 256 headers per frame; bodies previewed, text ≤ 1 MiB.
 */
import { decodeUtf8, encodeUtf8 } from '../bytes';
import { hexPreview } from './hex';
import { parseJson, sniffJson } from './json';
import { previewJson } from './json-tree';
import { looksBinary } from './magic';
import type { StompFrame, StompMessage } from './ws-types';

const MAX_FRAMES = 64;
const MAX_HEADERS = 256;
const MAX_TEXT = 1024 * 1024;

export const STOMP_COMMANDS = new Set([
  'CONNECT', 'STOMP', 'CONNECTED', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT',
  'DISCONNECT', 'MESSAGE', 'RECEIPT', 'ERROR',
]);

/** Whether a frame starts with a STOMP command line (or is only heart-beat EOLs). */
export function looksLikeStomp(data: string | Uint8Array): boolean {
  const head = typeof data === 'string' ? data.slice(0, 16) : decodeUtf8(data.subarray(0, 16)).text;
  const m = /^([A-Z]+)\r?\n/.exec(head);
  return m !== null && STOMP_COMMANDS.has(m[1]);
}

export function decodeStomp(data: string | Uint8Array): StompMessage {
  const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
  const frames: StompFrame[] = [];
  const msg: StompMessage = { protocol: 'stomp', frames, summary: '', ok: true, size: bytes.length, raw: data };
  let i = 0;
  const n = bytes.length;
  while (i < n && frames.length < MAX_FRAMES) {
    // EOLs between frames are padding; a message of EOLs only is a heart-beat.
    const after = skipEols(bytes, i);
    if (after > i) {
      if (frames.length === 0 && after >= n) frames.push({ command: '', headers: [], body: '', bodyBytes: 0, heartbeat: true });
      i = after;
      continue;
    }
    const frame = readFrame(bytes, i);
    if (typeof frame === 'string') {
      msg.ok = false;
      msg.error = `could not decode: ${frame}`;
      break;
    }
    frames.push(frame.frame);
    if (frame.error !== undefined) {
      msg.ok = false;
      msg.error = `could not decode: ${frame.error}`;
      break;
    }
    i = frame.next;
  }
  if (frames.length >= MAX_FRAMES && skipEols(bytes, i) < n && msg.ok) {
    msg.ok = false;
    msg.error = `could not decode: more than ${MAX_FRAMES} frames in one message`;
  }
  msg.summary = frames.length === 0 ? 'empty' : frames.map(summarize).join(' · ');
  return msg;
}

function skipEols(bytes: Uint8Array, i: number): number {
  while (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] === 0x0a)) i += bytes[i] === 0x0d ? 2 : 1;
  return i;
}

function readLine(bytes: Uint8Array, i: number): { text: string; next: number } | undefined {
  const lf = bytes.indexOf(0x0a, i);
  if (lf === -1) return undefined;
  const end = lf > i && bytes[lf - 1] === 0x0d ? lf - 1 : lf;
  return { text: decodeUtf8(bytes.subarray(i, end)).text, next: lf + 1 };
}

function readFrame(bytes: Uint8Array, start: number): { frame: StompFrame; next: number; error?: string } | string {
  const commandLine = readLine(bytes, start);
  if (commandLine === undefined) return 'frame ends inside the command line';
  const command = commandLine.text;
  const frame: StompFrame = { command, headers: [], body: '', bodyBytes: 0 };
  if (!STOMP_COMMANDS.has(command)) return `unknown command "${command.slice(0, 40)}"`;
  const escapes = command !== 'CONNECT' && command !== 'CONNECTED';
  let i = commandLine.next;
  for (;;) {
    const line = readLine(bytes, i);
    if (line === undefined) return { frame, next: bytes.length, error: 'frame ends inside the headers' };
    i = line.next;
    if (line.text === '') break;
    if (frame.headers.length >= MAX_HEADERS) return { frame, next: bytes.length, error: `more than ${MAX_HEADERS} headers` };
    const colon = line.text.indexOf(':');
    if (colon === -1) return { frame, next: bytes.length, error: `header line without ":" (${line.text.slice(0, 40)})` };
    const name = line.text.slice(0, colon);
    const value = line.text.slice(colon + 1);
    const k = escapes ? unescape(name) : name;
    const v = escapes ? unescape(value) : value;
    if (k === undefined || v === undefined) return { frame, next: bytes.length, error: `undefined escape sequence in header "${name.slice(0, 40)}"` };
    frame.headers.push([k, v]);
  }
  const lengthHeader = frame.headers.find(([k]) => k === 'content-length')?.[1];
  let bodyEnd: number;
  if (lengthHeader !== undefined && /^\d+$/.test(lengthHeader)) {
    bodyEnd = i + Number(lengthHeader);
    if (bodyEnd >= bytes.length || bytes[bodyEnd] !== 0) {
      setBody(frame, bytes.subarray(i, Math.min(bodyEnd, bytes.length)));
      return { frame, next: bytes.length, error: bodyEnd >= bytes.length ? 'frame shorter than its content-length' : 'no NUL after content-length octets' };
    }
  } else {
    bodyEnd = bytes.indexOf(0, i);
    if (bodyEnd === -1) {
      setBody(frame, bytes.subarray(i));
      return { frame, next: bytes.length, error: 'frame not terminated by NUL' };
    }
  }
  setBody(frame, bytes.subarray(i, bodyEnd));
  return { frame, next: skipEols(bytes, bodyEnd + 1) };
}

function setBody(frame: StompFrame, body: Uint8Array): void {
  frame.bodyBytes = body.length;
  if (body.length === 0) return;
  const type = frame.headers.find(([k]) => k === 'content-type')?.[1]?.toLowerCase() ?? '';
  const binary = (type !== '' && !/^text\/|json|xml|javascript/.test(type)) || looksBinary(body);
  if (binary) {
    frame.bodyPreview = hexPreview(body);
    return;
  }
  const { text } = decodeUtf8(body.length > MAX_TEXT ? body.subarray(0, MAX_TEXT) : body);
  frame.body = text;
  if (type.includes('json') || sniffJson(text)) {
    const json = parseJson(text);
    if (json.ok) frame.bodyJson = json.value;
  }
}

/** STOMP 1.2 header unescaping; undefined on an undefined escape. */
function unescape(s: string): string | undefined {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let k = 0; k < s.length; k++) {
    if (s[k] !== '\\') {
      out += s[k];
      continue;
    }
    const e = s[++k];
    if (e === 'r') out += '\r';
    else if (e === 'n') out += '\n';
    else if (e === 'c') out += ':';
    else if (e === '\\') out += '\\';
    else return undefined;
  }
  return out;
}

function summarize(frame: StompFrame): string {
  if (frame.heartbeat) return 'heart-beat';
  const h = (name: string) => frame.headers.find(([k]) => k === name)?.[1];
  const parts = [frame.command];
  const dest = h('destination');
  if (dest !== undefined) parts.push(dest);
  if (frame.command === 'CONNECT' || frame.command === 'STOMP') {
    const host = h('host');
    if (host !== undefined) parts.push(host);
    const versions = h('accept-version');
    if (versions !== undefined) parts.push(`versions ${versions}`);
  }
  if (frame.command === 'CONNECTED') {
    const version = h('version');
    if (version !== undefined) parts.push(`version ${version}`);
  }
  const hb = h('heart-beat');
  if (hb !== undefined && (frame.command === 'CONNECT' || frame.command === 'STOMP' || frame.command === 'CONNECTED')) parts.push(`heart-beat ${hb}`);
  const id = h('id') ?? h('subscription') ?? h('receipt-id');
  if (id !== undefined) parts.push(`#${id}`);
  const message = h('message');
  if (frame.command === 'ERROR' && message !== undefined) parts.push(`"${message}"`);
  if (frame.bodyJson !== undefined) parts.push(previewJson(frame.bodyJson, 80));
  else if (frame.body !== '') parts.push(JSON.stringify(frame.body.slice(0, 80)));
  else if (frame.bodyBytes > 0) parts.push(`(${frame.bodyBytes} bytes)`);
  return parts.join(' ');
}
