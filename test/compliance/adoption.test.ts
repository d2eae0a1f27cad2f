import { describe, expect, it } from 'vitest';
import { comparedPages } from './pair';

/**
 * A same-origin window the page reaches before netlens's page script runs there is patched on the
 * spot from the parent's realm (src/content/page/patch.ts adoptWindow), and its own script takes
 * the patches over later: the page sees the same functions, realms and errors as without netlens.
 */
describe('windows reached before their page script runs, with and without netlens', () => {
  const scene = comparedPages(['common', 'adoption']);

  for (const kind of ['about:blank', 'srcdoc', 'same-origin src', 'contentDocument.defaultView', 'innerHTML', 'nested', 'frames[i]', 'sandboxed, no scripts', 'popup']) {
    it(`${kind}: identity, descriptors, toString, realms of results and errors`, async () => {
      const plain = await scene.same(`S.adoption(${JSON.stringify(kind)})`);
      const used = plain.after ?? plain.atOnce;
      expect(used.fetch).toMatchObject({ promise: 'child', response: 'child' });
      expect(used.badUrl).toMatchObject({ promise: 'child', realm: 'child', ours: false });
      expect(used.socket).toEqual({ proto: true, ctor: true, instance: true, parentInstance: false });
      expect(plain.atOnce.printed[0]).toBe('function fetch() { [native code] }');
      if (kind === 'popup') expect(plain.open).toMatchObject({ printed: 'function open() { [native code] }', bad: { realm: true, ours: false } });
    });
  }
});
