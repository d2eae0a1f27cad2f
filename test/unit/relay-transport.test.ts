import { describe, expect, it } from 'vitest';
import { LIMITS, expandPageEvent } from '../../src/shared/page-events';
import { approxEventBytes } from '../../src/shared/payload-parts';

describe('transferred bytes', () => {
  it('reach the worker as an ArrayBuffer and leave expandPageEvent as base64, in every payload field', () => {
    const buffer = new Uint8Array([0, 1, 254, 255]).buffer;
    const payload = { encoding: 'buffer', data: '', buffer, size: 4, truncated: false };
    const events = [
      { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'POST', url: 'http://a.test/', headers: [], body: payload },
      { type: 'body', id: 'a', t: 2, which: 'response', body: payload },
      { type: 'message', id: 'a', t: 3, dir: 'send', data: payload },
      { type: 'jsonp', id: 'a', t: 4, callback: 'cb', called: true, payload },
    ];
    for (const ev of events) {
      // What extension messaging hands the worker: a structured clone.
      const [valid] = expandPageEvent(structuredClone(ev))!;
      expect(Object.values(valid).find((x) => typeof x === 'object' && x && 'encoding' in x)).toEqual({ encoding: 'base64', data: 'AAH+/w==', size: 4, truncated: false });
      // Under JSON messaging the bytes would be lost ({}): such an event is rejected, not stored empty.
      expect(expandPageEvent(JSON.parse(JSON.stringify(ev)))).toBeUndefined();
    }
  });

  it('are rejected when they are not an ArrayBuffer, or beyond the largest body cap', () => {
    const body = (buffer: unknown) => ({ type: 'body', id: 'a', t: 1, which: 'response', body: { encoding: 'buffer', data: '', buffer, size: 1, truncated: false } });
    for (const buffer of ['nope', new Uint8Array(4), {}, undefined]) expect(expandPageEvent(body(buffer))).toBeUndefined();
    expect(expandPageEvent(body(new ArrayBuffer(LIMITS.payloadBuffer + 1)))).toBeUndefined();
    expect(expandPageEvent(body(new ArrayBuffer(LIMITS.payloadBuffer)))).toHaveLength(1);
  });

  it('leave other events as they are (the same object), and the relay weighs anything without throwing', () => {
    for (const raw of [null, 5, 'x', [], { type: 'body' }, { type: 'body', body: { encoding: 'buffer', buffer: 'nope' } }, { type: '__proto__' }, { type: 'toString' }]) {
      expect(() => approxEventBytes(raw)).not.toThrow();
      expect(() => expandPageEvent(raw)).not.toThrow();
    }
    const step = { type: 'step', id: 'a', t: 1, step: 's' };
    const [out] = expandPageEvent(step)!;
    expect(out).toEqual(step);
  });

  it('weighs events by their payload and URL', () => {
    // Text at two bytes a character: what a structured clone writes past Latin-1, at most.
    expect(approxEventBytes({ type: 'message', data: { data: 'x'.repeat(1000) } })).toBe(2256);
    expect(approxEventBytes({ type: 'start', url: 'u'.repeat(100) })).toBe(456);
    expect(approxEventBytes({ type: 'part', key: 1, index: 0, text: 'x'.repeat(1000) })).toBe(2256);
    expect(approxEventBytes({ type: 'body', body: { encoding: 'buffer', data: '', buffer: new ArrayBuffer(1000) } })).toBe(1256);
  });
});
