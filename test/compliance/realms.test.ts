import { describe, expect, it } from 'vitest';
import { comparedPages } from './pair';

/**
 * Function.prototype.toString across realms, for every function, getter and setter of every
 * interface netlens patches, both ways: native prints `function fetch() { [native code] }`, a
 * Proxy seen from a realm that does not know it would print `function () { [native code] }`.
 */
describe('Function.prototype.toString across realms, with and without netlens', () => {
  const scene = comparedPages(['common', 'realms']);

  for (const kind of ['about:blank', 'srcdoc', 'same-origin src', 'innerHTML', 'nested', 'sandboxed, no scripts', 'popup']) {
    it(`${kind}: the other realm's toString on ours and ours on the other's`, async () => {
      const plain = await scene.same(`S.realm(${JSON.stringify(kind)})`);
      expect(plain.count).toBeGreaterThan(2000);
      expect(plain.there['window.fetch:value']).toBe('function fetch() { [native code] }');
      expect(plain.here['XMLHttpRequest.prototype.open:value']).toBe('function open() { [native code] }');
      expect(plain.there['Node.prototype.appendChild:value']).toBe('function appendChild() { [native code] }');
    });
  }
});
