import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type Origins } from '../../src/cli/server';
import { captureHar } from '../helpers/cli';
import { PAGES } from '../helpers/env';

interface HarEntry {
  request: { url: string };
  response: { status: number };
  _netlens: { kind: string; state: string; meta?: { via?: string }; jsonp?: { callback: string; called: boolean } };
}

describe('every way page code makes a script run gives an entry, through `netlens capture` and the HAR', () => {
  let servers: Origins;
  let entries: HarEntry[];
  const named = (name: string) => entries.filter((e) => new URL(e.request.url).searchParams.get('name') === name);
  beforeAll(async () => {
    servers = await startServers([PAGES]);
    ({ entries } = await captureHar<HarEntry>(`${servers.a}/scripts.html`));
  }, 120_000);
  afterAll(async () => {
    await servers?.close();
  });

  it('insertion methods, fragments, ranges, clones, other documents, customized built-ins, document.write', () => {
    const ways: [string, string][] = [
      ['document.write', 'document.write'],
      ['appendChild', 'appendChild'],
      ['replaceChild', 'replaceChild'],
      ['insertAdjacentElement', 'insertAdjacentElement'],
      ['replaceWith', 'replaceWith'],
      ['after', 'after'],
      ['fragment', 'append'],
      ['createContextualFragment', 'Range.insertNode'],
      ['createContextualFragment-append', 'append'],
      ['src-after-insertion', 'src'],
      ['clone', 'appendChild'],
      ['importNode', 'appendChild'],
      ['other-document', 'appendChild'],
      ['customized-built-in', 'appendChild'],
      ['iframe-document.write', 'document.write'],
      // Made in the page, inserted into a same-origin frame's document (the frame's realm records it).
      ['into-frame', 'appendChild'],
      ['shadow-append', 'append'],
      ['shadow-setAttribute', 'load-event'],
      // No proxy sees setAttribute: the catch-all records it when it ends.
      ['setAttribute-after-insertion', 'load-event'],
    ];
    for (const [name, via] of ways) {
      const found = named(name);
      expect(found, name).toHaveLength(1);
      expect(found[0]._netlens, name).toMatchObject({ kind: 'script', state: 'done', meta: { via } });
      expect(found[0].response.status, name).toBe(200);
    }
  });

  it('a failed load through the catch-all is an error entry', () => {
    const [e] = named('setAttribute-404');
    expect(e._netlens).toMatchObject({ kind: 'script', state: 'error', meta: { via: 'load-event' } });
  });

  it('JSONP through createContextualFragment: caught before it runs, callback seen', () => {
    const found = entries.filter((e) => e.request.url.includes('callback=fromFragment'));
    expect(found).toHaveLength(1);
    expect(found[0]._netlens).toMatchObject({ kind: 'jsonp', meta: { via: 'append' }, jsonp: { callback: 'fromFragment', called: true } });
  });

  it('JSONP through setAttribute: recorded at its end, its callback not claimed uncalled', () => {
    const found = entries.filter((e) => e.request.url.includes('callback=lateCallback'));
    expect(found).toHaveLength(1);
    expect(found[0]._netlens).toMatchObject({ kind: 'jsonp', state: 'done', meta: { via: 'load-event' } });
    expect(found[0]._netlens.jsonp).toBeUndefined();
  });

  it('innerHTML scripts and scripts of a document without a browsing context never run and give no entry', () => {
    for (const name of ['innerHTML', 'inert-document']) {
      expect(named(name), name).toEqual([]);
      expect(servers.log.filter((r) => r.url.includes(`name=${name}`)), name).toEqual([]);
    }
  });
});
