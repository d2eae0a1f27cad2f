import { describe, expect, it } from 'vitest';
import { validatePageEvent } from '../../src/shared/page-events';
import { approxEventBytes, serializableEvent } from '../../src/shared/relay-serialize';

describe('relay serialization', () => {
  it('turns a transferred buffer into base64 that then validates, in every payload field', () => {
    const buffer = new Uint8Array([0, 1, 254, 255]).buffer;
    const payload = { encoding: 'buffer', data: '', buffer, size: 4, truncated: false };
    const events = [
      { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'POST', url: 'http://a.test/', headers: [], body: payload },
      { type: 'body', id: 'a', t: 2, which: 'response', body: payload },
      { type: 'message', id: 'a', t: 3, dir: 'send', data: payload },
      { type: 'jsonp', id: 'a', t: 4, callback: 'cb', called: true, payload },
    ];
    for (const ev of events) {
      // A buffer payload does not survive a JSON port, so it must not validate as it is.
      expect(validatePageEvent(JSON.parse(JSON.stringify(ev)))).toBeUndefined();
      const out = JSON.parse(JSON.stringify(serializableEvent(ev)));
      const valid = validatePageEvent(out);
      expect(valid).toBeDefined();
      expect(Object.values(valid!).find((x) => typeof x === 'object' && x && 'encoding' in x)).toEqual({ encoding: 'base64', data: 'AAH+/w==', size: 4, truncated: false });
    }
  });

  it('returns what it cannot make sense of untouched, and never throws', () => {
    for (const raw of [null, 5, 'x', [], { type: 'body' }, { type: 'body', body: { encoding: 'buffer', buffer: 'nope' } }, { type: '__proto__' }, { type: 'toString' }]) {
      expect(() => serializableEvent(raw)).not.toThrow();
      expect(() => approxEventBytes(raw)).not.toThrow();
    }
    const forged = { type: 'body', id: 'a', t: 1, which: 'response', body: { encoding: 'buffer', data: '', buffer: 'nope', size: 1, truncated: false } };
    expect(serializableEvent(forged)).toEqual({ ...forged, body: { encoding: 'none', data: '', size: 1, truncated: false } });
    const plain = { type: 'step', id: 'a', t: 1, step: 's' };
    expect(serializableEvent(plain)).toBe(plain);
  });

  it('weighs events by their payload and URL', () => {
    expect(approxEventBytes({ type: 'message', data: { data: 'x'.repeat(1000) } })).toBe(1256);
    expect(approxEventBytes({ type: 'start', url: 'u'.repeat(100) })).toBe(356);
  });
});
