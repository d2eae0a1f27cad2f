import { describe, expect, it } from 'vitest';
import { comparedPages } from './pair';

describe('what patched functions look like, with and without netlens', () => {
  const scene = comparedPages(['common', 'shape', 'beacon']);

  const same = scene.same;

  it('XMLHttpRequest: constructor, every prototype descriptor, statics, chains, instanceof', async () => {
    const plain = await same('S.shapeXhr()');
    expect(plain.proto.open.value.toString).toBe('function open() { [native code] }');
    expect(plain.statics).toEqual([[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]]);
  });

  it('fetch, sendBeacon and Function.prototype.toString', async () => {
    const plain = await same('S.shapeFetch()');
    expect(plain.fetch.toString).toBe('function fetch() { [native code] }');
    expect(plain.toStringOfToString).toBe('function toString() { [native code] }');
    expect(plain.asyncIteratorAlias).toBe(true);
    expect(plain.responseProto.json.value.toString).toBe('function json() { [native code] }');
    expect(plain.readerProto.read.value).toMatchObject({ name: 'read', length: 0, toString: 'function read() { [native code] }' });
  });

  it('HTMLScriptElement, cloneNode, importNode, createContextualFragment (script insertion); contentWindow, contentDocument (frame shields)', async () => {
    const plain = await same('S.shapeScript()');
    expect(plain.ctor.toString).toBe('function HTMLScriptElement() { [native code] }');
    expect(plain.constructorLink).toEqual([true, true, true]);
    expect(plain.newIt).toBe("TypeError: Failed to construct 'HTMLScriptElement': Illegal constructor");
    expect(plain.cloneNode.value.toString).toBe('function cloneNode() { [native code] }');
    expect(plain.frames[0][0].contentWindow.get.toString).toBe('function get contentWindow() { [native code] }');
    expect(plain.frames[0][1]).toBe('TypeError: Illegal invocation');
    expect(plain.detachedFrame).toEqual([null, null]);
    expect(plain.fragmentProto.append.value.toString).toBe('function append() { [native code] }');
  });

  it('sendBeacon: return values, errors, page code run once', async () => {
    const plain = await same('S.beacons()');
    expect(plain.string).toEqual({ returned: true });
    expect(plain.tooBig).toEqual({ returned: false });
    expect(plain.calls).toEqual(['url', 'body']);
  });
});
