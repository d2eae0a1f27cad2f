import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../src/shared/timeline';
import { comparedPages } from './pair';

describe('WebSocket with and without netlens', () => {
  const scene = comparedPages(['common', 'websocket']);

  const same = scene.same;

  it('binaryType switched between blob and arraybuffer mid-stream; invalid values ignored', async () => {
    const plain = await same('S.wsBinaryType()');
    expect(plain.afterInvalid).toBe('blob');
    expect(plain.received.map((r: { type: string }) => r.type)).toEqual(['blob', 'arraybuffer', 'blob', 'arraybuffer']);
    expect(plain.switchedInFlight).toBe('arraybuffer');
  });

  it('send before open throws InvalidStateError; bufferedAmount while open, closing and closed', async () => {
    const plain = await same('S.wsSendStates()');
    expect(plain.sendConnecting.threw).toMatchObject({ name: 'InvalidStateError' });
    expect(plain.bufferedGrewBy).toBe(5);
    expect(plain.bufferedGrewByClosed).toBe(7);
  });

  it('close codes and reasons: 1000, 3000–4999, invalid codes and long reasons throw', async () => {
    const plain = await same('S.wsCloseCodes()');
    expect(plain.invalid[0].threw).toMatchObject({ name: 'InvalidAccessError' });
    expect(plain.invalid[6].threw).toMatchObject({ name: 'SyntaxError' });
    expect(plain['[4000,"app"]'].log.at(-1)[1]).toMatchObject({ type: 'close', code: 4000, reason: 'app', wasClean: true });
    expect(plain.byServer.at(-1)[1]).toMatchObject({ code: 4001, reason: 'asked to close' });
  });

  it('protocols: string, array, iterable, duplicates and invalid tokens; page code run once', async () => {
    const plain = await same('S.wsProtocols()');
    expect(plain.array.facts.protocol).toBe('chat.v1');
    expect(plain.duplicate.threw).toMatchObject({ name: 'SyntaxError' });
    expect(plain.calls).toEqual(['iterator', 'next', 'toString', 'next']);
    expect(plain.urlCalls).toEqual(['url']);
  });

  it('event order: onX handlers and listeners by registration order, error then close', async () => {
    const plain = await same('S.wsEventOrder()');
    expect(plain.log[0]).toBe('open:listener-before');
    expect(plain.log.slice(-2)).toEqual(['close:handler', 'close:listener:1006:false']);
    expect(plain.log.filter((l: string) => l.startsWith('message:'))).toEqual(['message:handler2:{"hello":"there"}', 'message:listener', 'message:listener-last', 'message:object']);
  });

  it('class X extends WebSocket', async () => {
    const plain = await same('S.wsSubclass()');
    expect(plain.instance).toEqual([true, true, true]);
    expect(plain.echo).toBe('[hi]');
  });

  it('netlens saw every socket, without a single failure of its own', async () => {
    const timeline = createTimeline();
    const tabId = await scene.pair.env.session.tabIdOf(scene.pages[0]);
    for (const r of await scene.pair.env.session.records(tabId)) timeline.apply(r);
    expect(timeline.entries().filter((e) => e.kind === 'websocket').length).toBeGreaterThan(15);
    expect(timeline.captureErrors).toBe(0);
  });
});
