import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../src/shared/timeline';
import { comparedPages } from './pair';
import { dumpRecords } from './records-dump';

describe('fetch with and without netlens', () => {
  const scene = comparedPages(['common', 'fetch'], { originB: true, dump: 'fetch-end' });

  const same = scene.same;

  it('responses: status, headers, redirects, CORS, network errors', async () => {
    const plain = await same('S.fetchBasics()');
    expect(plain.redirect.resolved.redirected).toBe(true);
    expect(plain.drop.rejected).toMatchObject({ name: 'TypeError', message: 'Failed to fetch' });
  });

  it('every body kind is sent exactly as without netlens', async () => {
    const plain = await same('S.fetchBodies()');
    expect(plain.object.resolved.echo.body).toBe('from toString');
  });

  it('Request objects and Request + init', async () => {
    const plain = await same('S.fetchRequests()');
    expect(plain.used).toBe(true);
  });

  it('aborts: before the response, already aborted, custom reason, during the body, timeout', async () => {
    const plain = await same('S.fetchAborts()');
    expect(plain.customReasonSame).toBe(true);
  });

  it('errors are the native ones; page code in the arguments runs once', async () => {
    const plain = await same('S.fetchErrors()');
    expect(plain.calls).toEqual(['url', 'body', 'cache', 'credentials', 'headers', 'method', 'mode', 'redirect', 'signal']);
    expect(plain.sameError).toBe(true);
    expect(plain.stackMentionsExtension).toBe(false);
  });

  it('unhandledrejection of a failed fetch the page does not catch', async () => {
    const plain = await same('S.fetchUnhandled()');
    expect(plain).toEqual([['caught'], ['unhandled', "Failed to execute 'fetch' on 'Window': Failed to parse URL from http://[", true], ['unhandled', 'Failed to fetch', true]]);
  });

  // Before the large bodies below: megabytes of captured bodies push the oldest records out of
  // the background store (chrome.storage.session quota).
  it('netlens saw every request so far, without a single failure of its own', async () => {
    const timeline = createTimeline();
    const tabId = await scene.pair.env.session.tabIdOf(scene.pages[0]);
    for (const r of await scene.pair.env.session.records(tabId)) timeline.apply(r);
    expect(timeline.entries().filter((e) => e.kind === 'fetch').length).toBeGreaterThan(10);
    await dumpRecords(scene.pair, scene.pages[0], 'fetch-mid');
    expect(timeline.captureErrors).toBe(0);
  });

  it('large bodies of unknown size read every way; broken bodies reject the same', async () => {
    const plain = await same('S.fetchLargeBodies()');
    expect(plain.reader).toBe(1_200_000);
    expect(plain.brokenText).toMatchObject({ name: 'TypeError' });
    expect(plain.chunkedJson).toBe(0);
    expect(plain.chunkedText).toBe('---0---1');
    expect(plain.notJson).toMatchObject({ name: 'SyntaxError', stack: 1 });
    expect(plain.unhandled).toEqual(['Failed to fetch', 'network error', 'network error', 'network error']);
  });

  it('streamed bodies, clones, BYOB readers', async () => {
    const plain = await same('S.fetchStreams()');
    expect(plain.lines).toHaveLength(5);
    expect(plain.openFirstRead).toBe(true);
  });
});
