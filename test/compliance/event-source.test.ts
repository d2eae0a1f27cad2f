import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../src/shared/timeline';
import { comparedPages } from './pair';

describe('EventSource with and without netlens', () => {
  const scene = comparedPages(['common', 'event-source'], { originB: true });

  const same = scene.same;
  const types = (log: { type?: string; readyState?: number }[]) => log.map((e) => (e.type ? `${e.type}:${e.readyState}` : String(e)));

  it('named events reach their listeners only; readyState CONNECTING, OPEN, CLOSED', async () => {
    const plain = await same('S.esNamed()');
    expect(plain.initial.readyState).toBe(0);
    expect(types(plain.log)).toEqual(['open:1', 'message:1', 'tick:1', 'message:1', 'tick:1', 'closed,2']);
    expect(plain.after.readyState).toBe(2);
  });

  it('reconnects after the server ends the stream (retry:), resuming from Last-Event-ID', async () => {
    const plain = await same('S.esReconnect()');
    expect(types(plain.log)).toEqual(['open:1', 'message:1', 'message:1', 'error:0', 'open:1', 'message:1', 'message:1', 'closed,2']);
    expect(plain.log.filter((e: { type?: string }) => e.type === 'message').map((e: { lastEventId: string }) => e.lastEventId)).toEqual(['1', '2', '3', '4']);
    const plain2 = await same('S.esDrop()');
    expect(types(plain2)).toEqual(['open:1', 'message:1', 'error:0', 'open:1', 'message:1', 'closed,2']);
  });

  it('close() during a reconnection: CLOSED at once, no reconnection', async () => {
    const [a, b] = await scene.pair.both<{ log: unknown[] }>(scene.pages, "S.esCloseDuringReconnect('closing')");
    expect(a).toEqual(b);
    expect(b.log.slice(-3)).toEqual([{ type: 'error', readyState: 0, trusted: true, ctor: 'Event', target: true, phase: 2 }, ['in error handler', 0], ['after close', 2]]);
  });

  it('failures end the source: 404, not text/event-stream, CORS; withCredentials across origins', async () => {
    const plain = await same('S.esFailures()');
    for (const name of ['notFound', 'notEventStream', 'cors', 'credentialsNotAllowed']) expect(types(plain[name])).toEqual(['error:2', 'closed,2']);
    expect(plain.credentialed.facts.withCredentials).toBe(true);
    expect(types(plain.credentialed.log)).toEqual(['open:1', 'message:1', 'message:1', 'closed,2']);
  });

  it('constructor: init read once, URL stringified once, errors unchanged', async () => {
    const plain = await same('S.esConstruct()');
    expect(plain.reads).toEqual(['withCredentials']);
    expect(plain.urlObject[1]).toEqual(['url']);
    expect(plain.sameError).toBe(true);
    expect(plain.stackMentionsExtension).toBe(false);
  });

  it('onmessage, onopen, onerror keep their place among listeners', async () => {
    const plain = await same('S.esHandlerOrder()');
    expect(plain.log.slice(0, 7)).toEqual(['onopen:1', 'listener-before', 'handler2:1', 'listener-after', 'object:1', 'object:1', 'once']);
  });

  it('class X extends EventSource', async () => {
    const plain = await same('S.esSubclass()');
    expect(plain.instance).toEqual([true, true, true]);
    expect(plain.seen).toEqual(['line one of 1\nline two', 'line one of 2\nline two']);
  });

  it('netlens saw every source, without a single failure of its own; a closed source never reconnected', async () => {
    const timeline = createTimeline();
    const tabId = await scene.pair.env.session.tabIdOf(scene.pages[0]);
    for (const r of await scene.pair.env.session.records(tabId)) timeline.apply(r);
    expect(timeline.entries().filter((e) => e.kind === 'eventsource').length).toBeGreaterThan(10);
    expect(timeline.captureErrors).toBe(0);
    // One request per browser: a reconnection (retry: 1 ms, long past) would be a second.
    const closing = scene.pair.env.servers.log.filter((r) => r.url.includes('tag=closing'));
    expect(closing.length).toBe(2);
  });
});
