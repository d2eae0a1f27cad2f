/**
 * Decoder bench against named peers, same inputs in one run:
 *   (a) SSE: 200k events fed in 1 KiB byte chunks — ours (bytes in) vs eventsource-parser
 *       (its documented use: a streaming TextDecoder, then `feed(string)`).
 *   (b) multipart/form-data: ~5 MB body, 2000 fields + 20 files — ours vs busboy (whole body in
 *       one `end()`; file streams drained).
 * Both sides are warmed up, then timed alternately RUNS times; we print the medians and
 * peer/ours (>1: we are faster).
 * Run: node --import tsx bench/decode.bench.ts
 */
import { pathToFileURL } from 'node:url';
import busboy from 'busboy';
import { createParser } from 'eventsource-parser';
import { createSseParser } from '../src/shared/decode/sse';
import { parseMultipart } from '../src/shared/decode/multipart';

const WARMUP = 3;
const RUNS = 21;

function sseInput(events: number): Uint8Array[] {
  const parts: string[] = [];
  for (let i = 0; i < events; i++) {
    if (i % 1000 === 0) parts.push(': keep-alive\n');
    if (i % 10 === 0) parts.push(`event: update\nid: ${i}\ndata: {"n":${i},"text":"héllo wörld ✓ ${i}"}\ndata: second line\n\n`);
    else parts.push(`id: ${i}\ndata: {"n":${i},"price":${(i * 1.37).toFixed(2)},"sym":"ABC"}\n\n`);
  }
  const bytes = new TextEncoder().encode(parts.join(''));
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 1024) chunks.push(bytes.subarray(at, at + 1024));
  return chunks;
}

function sseOurs(chunks: Uint8Array[]): number {
  const parser = createSseParser();
  let events = 0;
  for (const chunk of chunks) for (const r of parser.feed(chunk)) if (r.kind === 'event') events++;
  for (const r of parser.end()) if (r.kind === 'event') events++;
  return events;
}

function ssePeer(chunks: Uint8Array[]): number {
  let events = 0;
  const parser = createParser({ onEvent: () => void events++ });
  const decoder = new TextDecoder();
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  parser.feed(decoder.decode());
  return events;
}

const BOUNDARY = '----NetlensBenchBoundary7MA4YWxkTrZu0gW';

function multipartInput(fields: number, files: number, fileSize: number): Uint8Array {
  const enc = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let seed = 12345;
  for (let i = 0; i < fields; i++) {
    const value = `value ${i} ` + 'lorem ipsum dolor sit amet '.repeat(1 + (i % 12));
    pieces.push(enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="field_${i}"\r\n\r\n${value}\r\n`));
  }
  for (let f = 0; f < files; f++) {
    pieces.push(enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file_${f}"; filename="photo-${f}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    const data = new Uint8Array(fileSize);
    for (let k = 0; k < fileSize; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[k] = seed >>> 24;
    }
    pieces.push(data, enc.encode('\r\n'));
  }
  pieces.push(enc.encode(`--${BOUNDARY}--\r\n`));
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const body = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    body.set(p, at);
    at += p.length;
  }
  return body;
}

function multipartOurs(body: Uint8Array): number {
  const result = parseMultipart(body, `multipart/form-data; boundary=${BOUNDARY}`);
  if (!result.ok) throw new Error(result.error);
  return result.parts.length;
}

function multipartPeer(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let parts = 0;
    const bb = busboy({ headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } });
    bb.on('field', () => void parts++);
    bb.on('file', (_name, stream) => {
      parts++;
      stream.resume();
    });
    bb.on('close', () => resolve(parts));
    bb.on('error', reject);
    bb.end(body);
  });
}

type Timing = { ms: number; result: unknown };

/** Warm both up, then alternate ours/peer run by run (so machine noise hits both alike); medians. */
async function timePair(ours: () => unknown, peer: () => unknown): Promise<[Timing, Timing]> {
  for (let i = 0; i < WARMUP; i++) {
    await ours();
    await peer();
  }
  const samples: [number[], number[]] = [[], []];
  const results: unknown[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [k, fn] of [ours, peer].entries()) {
      const t0 = performance.now();
      results[k] = await fn();
      samples[k].push(performance.now() - t0);
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return [
    { ms: median(samples[0]), result: results[0] },
    { ms: median(samples[1]), result: results[1] },
  ];
}

function report(name: string, ours: { ms: number; result: unknown }, peer: { ms: number; result: unknown }, peerName: string): void {
  const ratio = peer.ms / ours.ms;
  console.log(
    `${name.padEnd(34)} ours ${ours.ms.toFixed(1).padStart(7)} ms   ${peerName} ${peer.ms.toFixed(1).padStart(7)} ms   ` +
      `ratio ${ratio.toFixed(2)}x ${Math.abs(ratio - 1) < 0.05 ? '(on par, within noise)' : ratio > 1 ? '(ours faster)' : '(ours SLOWER)'}   count ${String(ours.result)}/${String(peer.result)}`,
  );
  if (ours.result !== peer.result) console.log(`  !! counts differ: ours ${String(ours.result)}, ${peerName} ${String(peer.result)}`);
}

export async function runDecodeBench(): Promise<void> {
  const chunks = sseInput(200_000);
  const sseBytes = chunks.reduce((n, c) => n + c.length, 0);
  console.log(`decode bench — median of ${RUNS} runs after ${WARMUP} warm-ups (node ${process.version})`);
  const [sseO, sseP] = await timePair(() => sseOurs(chunks), () => ssePeer(chunks));
  report(`SSE 200k events, ${(sseBytes / 1e6).toFixed(1)} MB / 1 KiB`, sseO, sseP, 'eventsource-parser');

  const body = multipartInput(2000, 20, 230_000);
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const [mpO, mpP] = await timePair(() => multipartOurs(body), () => multipartPeer(buf));
  report(`multipart ${(body.length / 1e6).toFixed(1)} MB, 2000 fields+20 files`, mpO, mpP, 'busboy');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDecodeBench();
}
