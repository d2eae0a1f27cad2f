import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../src/shared/timeline';
import { comparedPages } from './pair';

describe('XMLHttpRequest with and without netlens', () => {
  const scene = comparedPages(['common', 'xhr'], { originB: true, dump: 'xhr-end' });

  const same = scene.same;

  it('a GET: events with readyState and progress, status, headers, response', async () => {
    const plain = await same('S.xhrGet()');
    expect(plain.log.map((e: unknown[]) => e.slice(0, 2))).toEqual([
      ['readystatechange', 1],
      ['loadstart', 1],
      ['readystatechange', 2],
      ['readystatechange', 3],
      ['progress', 3],
      ['readystatechange', 4],
      ['load', 4],
      ['loadend', 4],
    ]);
  });

  it('every body kind is sent exactly as without netlens', async () => {
    const plain = await same('S.xhrBodies()');
    expect(plain.form.echo.body).toContain('filename="a.txt"');
    expect(plain.object.echo.body).toBe('from toString');
  });

  it('upload events (listener before send, same origin)', async () => {
    const plain = await same('S.xhrUpload()');
    expect(plain.log.filter((e: unknown[]) => String(e[0]).startsWith('upload:')).map((e: unknown[]) => e[0])).toContain('upload:load');
  });

  it('response types json, arraybuffer, blob, document, text', async () => {
    await same('S.xhrResponseTypes()');
  });

  it('legacy charsets, a BOM, a gzip json: the same decoded text and parsed value', async () => {
    const plain = await same('S.xhrCharsets()');
    expect(plain.sjis.response).toBe('あいabc');
    expect(plain.bom.response).toBe('hi');
  });

  it('404, redirect, network error, CORS error, abort, timeout, credentials, headers', async () => {
    const plain = await same('S.xhrOutcomes()');
    expect(plain.timeout.log).toEqual([
      ['readystatechange', 1],
      ['loadstart', 1, { loaded: 0, total: 0, lengthComputable: false }],
      ['readystatechange', 4],
      ['timeout', 4, { loaded: 0, total: 0, lengthComputable: false }],
      ['loadend', 4, { loaded: 0, total: 0, lengthComputable: false }],
    ]);
  });

  it('sync XHR, including a sync network error', async () => {
    const plain = await same('S.xhrSync()');
    expect(plain.failed.threw.name).toBe('NetworkError');
  });

  it('errors thrown by open/send/setRequestHeader, page code run once, no frame of ours in stacks', async () => {
    const plain = await same('S.xhrErrors()');
    expect(plain.calls).toEqual(['method', 'url', 'user', 'password', 'name', 'value', 'body']);
    expect(plain.stackMentionsExtension).toBe(false);
  });

  it('re-using one XHR and subclassing XMLHttpRequest', async () => {
    await same('S.xhrReuse()');
    const plain = await same('S.xhrSubclass()');
    expect(plain.opened).toBe(1);
  });

  it('a cross-origin POST without upload listeners is not preflighted (upload listener trap)', async () => {
    const log = scene.pair.env.servers.log;
    const count = (tag: string) => log.filter((r) => r.url.includes(`tag=${tag}`)).map((r) => r.method);
    for (const [i, p] of scene.pages.entries()) {
      await p.evaluate(`S.xhrCrossOriginNoUpload('simple${i}')`);
      await p.evaluate(`S.xhrCrossOriginUploadAfterSend('after${i}')`);
    }
    expect(count('simple0')).toEqual(['POST']);
    expect(count('simple1')).toEqual(['POST']);
    expect(count('after0')).toEqual(['POST']);
    expect(count('after1')).toEqual(['POST']);
  });

  it('netlens saw every request, without a single failure of its own', async () => {
    const timeline = createTimeline();
    const tabId = await scene.pair.env.session.tabIdOf(scene.pages[0]);
    for (const r of await scene.pair.env.session.records(tabId)) timeline.apply(r);
    expect(timeline.entries().filter((e) => e.kind === 'xhr').length).toBeGreaterThan(10);
    expect(timeline.captureErrors).toBe(0);
  });
});
