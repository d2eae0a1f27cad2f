import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/shared/model';
import { entriesOf, until } from '../helpers/env';
import { comparedPages } from './pair';

/**
 * Hostile or unusual page behaviour the other compliance files do not cover (scenarios/hostile.js):
 * the page sees what it sees without netlens, and netlens still records all of it.
 */
describe('hostile pages: the same observations, complete records', () => {
  const scene = comparedPages(['common', 'hostile'], { originB: true });

  const same = scene.same;
  /**
   * netlens's entries whose URL has `tag=<tag>`, once `ready` holds for them. `ready` waits for
   * what the test reads: the wire alone may show an exchange done before the page's records of it
   * arrive (they wait up to 250 ms for company while no panel watches the tab).
   */
  const entries = (tag: string, ready: (found: Entry[]) => boolean) =>
    until(async () => {
      const found = (await entriesOf(scene.pair.env, scene.pages[0])).filter((e) => e.url.includes(`tag=${tag}`));
      return ready(found) ? found : undefined;
    });

  it('XHR listeners added before open() that stop every later listener: the request still ends in the records, with its body', async () => {
    const plain = await same(`S.hostileXhrStops('stops')`);
    expect(plain.all.log).toContain('loadend:4');
    expect(plain.loadend.log).toEqual(['loadend']);
    expect(plain.upload.log).toContain('upload:load');
    const found = await entries('stops', (f) => f.length === 3 && f.every((e) => e.state !== 'pending' && e.response?.body));
    for (const e of found) {
      expect(e.state, e.url).toBe('done');
      expect(e.response?.status).toBe(200);
      expect(e.response?.body?.size, e.url).toBeGreaterThan(0);
    }
  });

  it('rejections made within a body method or pipeTo: the same stack, no frame of ours; a failed text() on a held body fails nothing', async () => {
    const plain = await same(`S.hostileStacks('stacks')`);
    for (const [name, value] of Object.entries(plain)) if (typeof value === 'object') expect(value, name).toMatchObject({ ours: false });
    expect(plain.madeJson.lines).toBeGreaterThan(1);
    expect(plain.heldRead).toBe('---0---1---2');
    // The page's text() on the body it holds a reader of rejected: the exchange still ends as
    // read, with its body.
    const [held] = await entries('stacks', (f) => f.some((e) => e.url.includes('stacks=held') && e.state !== 'pending' && e.response?.body));
    const entry = (await entriesOf(scene.pair.env, scene.pages[0])).find((e) => e.url.includes('stacks=held'))!;
    expect(held).toBeDefined();
    expect(entry.state).toBe('done');
    expect(entry.response?.body?.size).toBe(12);
  });

  it('a reader misused (read after releaseLock, released while a read waits, a BYOB read without a usable view, a receiver of another kind): the same stacks, and the body still recorded whole', async () => {
    const plain = await same(`S.hostileReaderMisuse('misuse')`);
    expect(plain.releasedRest).toBe('---0---1---2');
    expect(plain.pendingRest).toBe('---0---1---2');
    expect(plain.byobRest).toBe('---0---1---2');
    for (const [name, value] of Object.entries(plain)) if (!name.endsWith('Rest')) expect(value, name).toMatch(/^TypeError: [^\n]+\n {4}at /);
    const found = await entries('misuse', (f) => f.length === 3 && f.every((e) => e.state !== 'pending' && e.response?.body));
    for (const e of found) {
      expect(e.state, e.url).toBe('done');
      expect(e.response?.body?.size, e.url).toBe(12);
      expect(e.response?.body?.truncated, e.url).toBe(false);
    }
  });

  it('json() and formData() of a body there in full that does not parse: the same error (formData(): the same stack, the page\'s frames), the body recorded', async () => {
    const plain = await same(`S.hostileArrivedParse('arrived')`);
    expect(plain.json).toMatch(/^SyntaxError: [^\n]+$/);
    expect(plain.form).toMatch(/^TypeError: [^\n]+\n {4}at /);
    expect(plain.early).not.toContain('\n');
    expect(plain.ok).toEqual({});
    const found = await entries('arrived', (f) => f.length === 4 && f.every((e) => e.response?.body));
    for (const e of found) {
      expect(e.response!.body!.size, e.url).toBe(e.url.includes('parse=ok') ? 2 : 1);
      expect(e.response!.body!.truncated, e.url).toBe(false);
    }
  });

  it('upload listeners added only after send(): no upload event, as without netlens (the flag is computed at send), and none recorded; the request body is', async () => {
    const plain = await same(`S.hostileUploadAfterSend('late')`);
    expect(plain).toEqual({ same: { log: [], status: 200 }, cross: { log: [], status: 200 } });
    const found = await entries('late', (f) => f.length === 2 && f.every((e) => e.state !== 'pending' && e.request.body));
    for (const e of found) {
      expect(e.state, e.url).toBe('done');
      expect(e.request.body?.size, e.url).toBe(300000);
      expect(e.lifecycle.filter((s) => s.step.startsWith('upload:')), e.url).toEqual([]);
    }
  });

  it('a body read only through a clone, or through several branches: recorded once, whole', async () => {
    const plain = await same(`S.hostileClones('clones')`);
    expect(plain.onlyClone).toBe('----0----1----2');
    const found = await entries('clones', (f) => f.length === 4 && f.every((e) => e.state !== 'pending' && e.response?.body));
    for (const e of found) {
      expect(e.state, e.url).toBe('done');
      expect(e.response!.body!.size, e.url).toBe(15);
      expect(e.response!.body!.truncated, e.url).toBe(false);
      expect(e.lifecycle.filter((s) => s.step === 'end:ok' || s.step === 'end').length, e.url).toBeLessThanOrEqual(1);
    }
  });

  it('errors thrown within a patched call and read only later: a formatter the page sets then still gets their call sites, and a getter on Function.prototype.prepareStackTrace never runs for us', async () => {
    // netlens once formatted such a stack as the error passed its trap, to take its own frame out:
    // the page's formatter came too late (a string, not call sites), and its getter ran.
    const seen = (await same(`S.hostileLateFormatter()`)) as Record<string, unknown>;
    for (const name of ['send', 'method', 'status', 'socket']) expect(seen[name], name).toEqual(expect.arrayContaining([expect.stringMatching(/^pageCaller:\d+$/)]));
    expect(seen.getterRuns).toBe(0);
  });

  it('errors thrown within a patched call (the Response constructor, XHR abort, open, a page getter) under a small Error.stackTraceLimit: as many frames of the page\'s', async () => {
    const plain = await same(`S.hostileStackLimit()`);
    expect(plain['status:0']).toBe('RangeError: The status provided (99) is outside the range [200, 599].');
    expect(plain['status:2'].split('\n').length).toBe(3);
    expect(plain['getter:1'].split('\n')[1]).toMatch(/^ {4}at get status /);
    expect(plain['abort:3']).toMatch(/^TypeError: Illegal invocation(\n {4}at [^\n]+){3}$/);
  });
});
