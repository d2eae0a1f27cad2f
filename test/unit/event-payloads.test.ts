import { describe, expect, it } from 'vitest';
import { eventPayload, mapEventPayload, payloadField } from '../../src/shared/event-payloads';
import { PAGE_EVENT_TYPES, type WireEvent, type PageEvent, type Payload } from '../../src/shared/protocol';

const p = (data: string): Payload => ({ encoding: 'text', data, size: data.length, truncated: false });

const events: PageEvent[] = [
  { type: 'start', id: 'a', t: 1, kind: 'fetch', method: 'POST', url: 'https://x.test/', headers: [], body: p('req') },
  { type: 'start', id: 'b', t: 1, kind: 'fetch', method: 'GET', url: 'https://x.test/', headers: [] },
  { type: 'step', id: 'a', t: 2, step: 'open' },
  { type: 'response', id: 'a', t: 3, status: 200, statusText: 'OK', headers: [] },
  { type: 'body', id: 'a', t: 4, which: 'response', body: p('res') },
  { type: 'message', id: 'c', t: 5, dir: 'receive', data: p('msg') },
  { type: 'end', id: 'a', t: 6, outcome: 'ok' },
  { type: 'jsonp', id: 'd', t: 7, callback: 'cb', called: true, payload: p('[1]') },
  { type: 'jsonp', id: 'e', t: 7, callback: 'cb', called: false },
  { type: 'capture-error', id: 'capture', t: 8, where: 'x', message: 'y' },
  { type: 'listen', id: 'f', t: 9, names: ['tick'] },
];
const net: WireEvent = { type: 'wire', phase: 'send', requestId: '1', t: 1, method: 'GET', url: 'https://x.test/', resourceType: 'xmlhttprequest', frameId: 0 };

describe('event payloads', () => {
  it('names the one field that holds a payload, for every event type', () => {
    expect(Object.fromEntries(PAGE_EVENT_TYPES.map((type) => [type, payloadField(type)]))).toEqual({
      start: 'body',
      step: undefined,
      response: undefined,
      body: 'body',
      message: 'data',
      end: undefined,
      jsonp: 'payload',
      'capture-error': undefined,
      listen: undefined,
    });
    expect(payloadField('wire')).toBeUndefined();
  });

  it('reads it', () => {
    expect(events.map((ev) => eventPayload(ev)?.data)).toEqual(['req', undefined, undefined, undefined, 'res', 'msg', undefined, '[1]', undefined, undefined, undefined]);
    expect(eventPayload(net)).toBeUndefined();
  });

  it('replaces it in a copy, and gives the same event back when there is nothing to change', () => {
    const upper = (x: Payload): Payload => ({ ...x, data: x.data.toUpperCase() });
    const mapped = events.map((ev) => mapEventPayload(ev, upper));
    expect(mapped.map((ev) => eventPayload(ev)?.data)).toEqual(['REQ', undefined, undefined, undefined, 'RES', 'MSG', undefined, '[1]', undefined, undefined, undefined]);
    expect(mapped[4]).toEqual({ ...events[4], body: { ...p('res'), data: 'RES' } });
    expect(events[4]).toEqual({ type: 'body', id: 'a', t: 4, which: 'response', body: p('res') });
    mapped.forEach((ev, k) => expect(ev === events[k]).toBe(eventPayload(events[k]) === undefined));
    expect(events.map((ev) => mapEventPayload(ev, (x) => x)).every((ev, k) => ev === events[k])).toBe(true);
    expect(mapEventPayload(net, upper)).toBe(net);
  });
});
