import { describe, expect, it } from 'vitest';
import { createSafeJson } from '../../src/content/page/safe-json';

const safeJson = createSafeJson({
  ownKeys: Reflect.ownKeys as (o: object) => (string | symbol)[],
  ownDescriptor: Reflect.getOwnPropertyDescriptor,
  hasOwn: Object.hasOwn,
  isArray: Array.isArray,
  quote: (s) => JSON.stringify(s),
  toString: (v) => String(v),
  slice: (s, a, b) => s.slice(a, b),
  append: (arr, v) => void arr.push(v),
});

describe('safeJson (the page script serializing a page value)', () => {
  it('writes plain data as JSON does', () => {
    const value = { a: [1, 'two', null, true], b: { c: 1.5 }, d: 'x"y' };
    expect(safeJson(value, 1000)).toEqual({ text: JSON.stringify(value), complete: true });
  });

  it('never runs page code: getters and toJSON are not called', () => {
    let calls = 0;
    const value = {
      get secret() {
        calls++;
        return 1;
      },
      toJSON() {
        calls++;
        return 'replaced';
      },
      n: 1,
    };
    expect(safeJson(value, 1000).text).toBe('{"secret":"[getter]","n":1}');
    expect(calls).toBe(0);
  });

  it('is bounded: cycles, depth and size', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(safeJson(cyclic, 1000).text).toBe('{"a":1,"self":"[cycle]"}');
    let deep: unknown = 0;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(safeJson(deep, 10_000).text).toContain('"[too deep]"');
    expect(safeJson({ big: 'x'.repeat(5000) }, 100)).toEqual({ text: `{"big":"${'x'.repeat(100 - 8)}`, complete: false });
  });
});
