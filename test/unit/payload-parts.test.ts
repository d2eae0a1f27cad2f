import { describe, expect, it, vi } from 'vitest';
import { BLOB_READ_MS, PART_BYTES, approxEventBytes, blobBytesRead, blobSize, createPartJoiner, hasBlobPayload, readBlobPayload, splitEvent } from '../../src/shared/payload-parts';
import { LIMITS, expandPageEvent } from '../../src/shared/page-events';

const keys = () => {
  let k = 0;
  return () => ++k;
};
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255);
const body = (payload: object) => ({ type: 'body', id: 'r1', t: 5, which: 'response', body: payload });
const bufferBody = (n: number) => body({ encoding: 'buffer', data: '', buffer: bytes(n).buffer, size: n, truncated: false, source: 'arraybuffer' });
const textBody = (text: string) => body({ encoding: 'text', data: text, size: Buffer.byteLength(text), truncated: false, source: 'string' });

/** What the worker gets: each piece structured-cloned (as extension messaging does), then joined. */
function across(pieces: unknown[], joiner = createPartJoiner({ maxBytes: 1 << 30, held: 0 })) {
  const out: unknown[] = [];
  let lost = 0;
  for (const piece of pieces) {
    const r = joiner.take(structuredClone(piece));
    lost += r.lost;
    if (r.event !== undefined) out.push(r.event);
  }
  return { out, lost, joiner };
}

describe('payload parts', () => {
  it('leaves small events whole (the same object) and anything unknown as it is', () => {
    for (const ev of [bufferBody(PART_BYTES), textBody('x'.repeat(PART_BYTES / 2)), { type: 'step', id: 'a', t: 1, step: 'load' }, null, 5, 'x', [], { type: 'body', body: 'nope' }]) {
      const out = splitEvent(ev, keys());
      expect(out).toHaveLength(1);
      expect(out[0]).toBe(ev);
    }
  });

  it('cuts bytes and text into parts under the message size and joins them back exactly, at every boundary', () => {
    for (const n of [PART_BYTES + 1, 2 * PART_BYTES, 2 * PART_BYTES + 17, 1024 * 1024]) {
      const ev = bufferBody(n);
      const pieces = splitEvent(ev, keys());
      expect(pieces.length).toBe(Math.ceil(n / PART_BYTES) + 1);
      for (const p of pieces.slice(0, -1)) expect((p as { bytes: ArrayBuffer }).bytes.byteLength).toBeLessThanOrEqual(PART_BYTES);
      const { out, lost, joiner } = across(pieces);
      expect(lost).toBe(0);
      expect(joiner.holding()).toBe(false);
      expect(out).toHaveLength(1);
      const [valid] = expandPageEvent(out[0])!;
      const payload = (valid as { body: { encoding: string; data: string; size: number } }).body;
      expect(payload.encoding).toBe('base64');
      expect(Buffer.from(payload.data, 'base64').equals(Buffer.from(bytes(n)))).toBe(true);
      expect(payload.size).toBe(n);
    }
    // Two-byte text: a part is at most PART_BYTES in UTF-16 too.
    const text = 'é🙂a'.repeat(30_000);
    const pieces = splitEvent(textBody(text), keys());
    for (const p of pieces.slice(0, -1)) expect((p as { text: string }).text.length * 2).toBeLessThanOrEqual(PART_BYTES);
    const { out, lost } = across(pieces);
    expect(lost).toBe(0);
    expect((out[0] as { body: { data: string } }).body.data).toBe(text);
    expect(expandPageEvent(out[0])).toHaveLength(1);
  });

  it('weighs ASCII text (its UTF-8 size is its length) at a byte a character: whole up to PART_BYTES characters, in parts of PART_BYTES beyond', () => {
    // A 20 KB urlencoded form goes whole (two-byte text of that length would go in two parts).
    const form = textBody('field=' + 'v'.repeat(20 * 1024 - 6));
    expect(splitEvent(form, keys())).toEqual([form]);
    expect(approxEventBytes(form)).toBeLessThan(20 * 1024 + 512);
    expect(splitEvent(textBody('é'.repeat(20 * 1024)), keys()).length).toBeGreaterThan(1);
    expect(approxEventBytes(textBody('é'.repeat(20 * 1024)))).toBeGreaterThan(40 * 1024);
    // Past a part: parts of PART_BYTES characters, joined back exactly.
    const text = 'abc'.repeat(40_000);
    const pieces = splitEvent(textBody(text), keys());
    expect(pieces.length).toBe(Math.ceil(text.length / PART_BYTES) + 1);
    for (const p of pieces.slice(0, -1)) expect((p as { text: string }).text.length).toBeLessThanOrEqual(PART_BYTES);
    const { out } = across(pieces);
    expect((out[0] as { body: { data: string } }).body.data).toBe(text);
    // A size that does not say ASCII (cut text, or a size of its own): two bytes a character.
    expect(splitEvent(body({ encoding: 'text', data: 'v'.repeat(20 * 1024), size: 1e6, truncated: true, source: 'string' }), keys()).length).toBeGreaterThan(1);
  });

  it('says when parts holding back an event are still to come', () => {
    const pieces = splitEvent(bufferBody(3 * PART_BYTES), keys());
    const joiner = createPartJoiner({ maxBytes: 1 << 30, held: 0 });
    joiner.take(pieces[0]);
    expect(joiner.holding()).toBe(true);
    for (const p of pieces.slice(1)) joiner.take(p);
    expect(joiner.holding()).toBe(false);
  });

  it('keeps an event whose parts are missing, forged or dropped, marked as not captured, and counts it once', () => {
    const pieces = splitEvent(bufferBody(3 * PART_BYTES), keys());
    const last = pieces.at(-1);
    const notCaptured = (ev: unknown) => {
      const [valid] = expandPageEvent(ev)!;
      expect((valid as { body: object }).body).toMatchObject({ encoding: 'none', data: '', truncated: true, size: 3 * PART_BYTES });
    };
    // A part missing (a worker stopped after acknowledging it would be one way).
    let r = across([pieces[0], pieces[2], last]);
    expect(r.out).toHaveLength(1);
    expect(r.lost).toBe(1);
    notCaptured(r.out[0]);
    expect(r.joiner.holding()).toBe(false);
    // No parts at all: a page forging the reference.
    r = across([last]);
    expect(r.lost).toBe(1);
    notCaptured(r.out[0]);
    // Text parts for a bytes payload.
    r = across([{ type: 'part', key: 1, index: 0, text: 'a' }, { type: 'part', key: 1, index: 1, text: 'b' }, { type: 'part', key: 1, index: 2, text: 'c' }, last]);
    notCaptured(r.out[0]);
    // Malformed parts are counted and held nowhere.
    r = across([{ type: 'part' }, { type: 'part', key: 'x', index: 0, text: 'a' }, { type: 'part', key: 2, index: 0, bytes: 'nope' }]);
    expect(r.lost).toBe(3);
    expect(r.joiner.holding()).toBe(false);
  });

  it('drops orphan parts (their event never came) at the next event or the next key: nothing stays held', () => {
    const a = splitEvent(bufferBody(2 * PART_BYTES), keys());
    const step = { type: 'step', id: 'a', t: 1, step: 'load' };
    let r = across([a[0], step]);
    expect(r.out).toEqual([step]);
    expect(r.joiner.holding()).toBe(false);
    const next = keys();
    next();
    const b = splitEvent(bufferBody(2 * PART_BYTES), next);
    // a's first part, then all of b: b comes whole, a's part is gone.
    r = across([a[0], ...b]);
    expect(r.lost).toBe(0);
    expect((r.out[0] as { body: { buffer: ArrayBuffer } }).body.buffer.byteLength).toBe(2 * PART_BYTES);
    expect(r.joiner.holding()).toBe(false);
  });

  it('holds at most the budget shared by all its joiners: a part past it gives up its event’s contents', () => {
    const budget = { maxBytes: 3 * PART_BYTES, held: 0 };
    const one = createPartJoiner(budget);
    const two = createPartJoiner(budget);
    const a = splitEvent(bufferBody(2 * PART_BYTES), keys());
    const b = splitEvent(bufferBody(2 * PART_BYTES), keys());
    one.take(a[0]);
    one.take(a[1]);
    expect(budget.held).toBe(2 * PART_BYTES);
    // The second port finds one part's room left.
    const r2 = across(b, two);
    expect((r2.out[0] as { body: { encoding: string } }).body.encoding).toBe('none');
    expect(r2.lost).toBe(1);
    const r1 = one.take(a[2]);
    expect((r1.event as { body: { buffer: ArrayBuffer } }).body.buffer.byteLength).toBe(2 * PART_BYTES);
    expect(budget.held).toBe(0);
  });
});

describe('Blob payloads (read by the worker, never on the page’s thread)', () => {
  const blobBody = (blob: unknown, size: number, truncated = false) => body({ encoding: 'blob', data: '', blob, size, truncated, source: 'blob', mimeType: 'text/plain' });

  it('reads a Blob payload (cloned as extension messaging clones it) into the exact bytes, validated as any buffer body', async () => {
    const ev = structuredClone(blobBody(new Blob([bytes(70_000)]), 70_000));
    expect(hasBlobPayload(ev)).toBe(true);
    const read = await readBlobPayload(ev);
    expect(hasBlobPayload(read)).toBe(false);
    const [out] = expandPageEvent(read)!;
    expect(out).toMatchObject({ type: 'body', body: { encoding: 'base64', size: 70_000, truncated: false, source: 'blob', mimeType: 'text/plain' } });
    expect(Buffer.from((out as { body: { data: string } }).body.data, 'base64').equals(Buffer.from(bytes(70_000)))).toBe(true);
  });

  it('weighs the Blob an event hands over (the relay cuts its batches by it), whatever size the event claims; 0 for anything else', () => {
    expect(blobSize(structuredClone(blobBody(new Blob([bytes(70_000)]), 5)))).toBe(70_000);
    expect(blobSize(blobBody('not a Blob', 70_000))).toBe(0);
    expect(blobSize(body({ encoding: 'text', data: 'x', size: 1, truncated: false }))).toBe(0);
    expect(blobSize(null)).toBe(0);
  });

  it('keeps the page’s truncation (the Blob was cut at the body cap) and reads no more than the largest buffer', async () => {
    const cut = await readBlobPayload(blobBody(new Blob([bytes(10)]), 1_000, true));
    expect(expandPageEvent(cut)![0]).toMatchObject({ body: { encoding: 'base64', size: 1_000, truncated: true } });
    const huge = new Blob([new Uint8Array(LIMITS.payloadBuffer + 5)]);
    const read = (await readBlobPayload(blobBody(huge, huge.size))) as { body: { buffer: ArrayBuffer; truncated: boolean } };
    expect(read.body.buffer.byteLength).toBe(LIMITS.payloadBuffer);
    expect(read.body.truncated).toBe(true);
  });

  it('gives up a Blob not read within BLOB_READ_MS (a File on a stalled disk): empty and truncated', async () => {
    vi.useFakeTimers();
    try {
      class Stalled extends Blob {
        override slice(): Blob {
          return { arrayBuffer: () => new Promise<ArrayBuffer>(() => {}) } as unknown as Blob;
        }
      }
      const reading = readBlobPayload(blobBody(new Stalled(['abc']), 3));
      await vi.advanceTimersByTimeAsync(BLOB_READ_MS);
      expect(expandPageEvent(await reading)![0]).toMatchObject({ body: { encoding: 'none', data: '', size: 3, truncated: true } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads no more than the budget given (the worker’s for one batch): cut at it, or not read when none is left', async () => {
    const cut = await readBlobPayload(blobBody(new Blob([bytes(100)]), 100), 10);
    expect(blobBytesRead(cut)).toBe(10);
    expect(expandPageEvent(cut)![0]).toMatchObject({ body: { encoding: 'base64', size: 100, truncated: true } });
    const none = await readBlobPayload(blobBody(new Blob([bytes(100)]), 100), 0);
    expect(blobBytesRead(none)).toBe(0);
    expect(expandPageEvent(none)![0]).toMatchObject({ body: { encoding: 'none', data: '', size: 100, truncated: true } });
    expect(blobBytesRead(textBody('abc'))).toBe(0);
    // Counted whatever source the event claims (a forged one would be read past the budget).
    const forgedSource = body({ encoding: 'blob', data: '', blob: new Blob([bytes(100)]), size: 100, truncated: false, source: 'arraybuffer' });
    expect(blobBytesRead(await readBlobPayload(forgedSource, 10))).toBe(10);
  });

  it('leaves a payload that is not a Blob empty and truncated, and any other event as it is; a blob payload is never valid unread', async () => {
    for (const forged of [{ size: 3 }, 'abc', undefined]) {
      const read = await readBlobPayload(blobBody(forged, 3));
      expect(expandPageEvent(read)![0]).toMatchObject({ body: { encoding: 'none', data: '', size: 3, truncated: true } });
    }
    const plain = textBody('hi');
    expect(await readBlobPayload(plain)).toBe(plain);
    expect(hasBlobPayload(plain)).toBe(false);
    expect(expandPageEvent(blobBody(new Blob(['x']), 1))).toBeUndefined();
  });
});
