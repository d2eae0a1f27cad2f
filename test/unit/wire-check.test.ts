import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/shared/model';
import { notOnWire, sawWire, WIRE_SINCE_SLACK_MS, wireFromDevtools } from '../../src/shared/wire-check';

const entry = (over: Partial<Entry>): Entry =>
  ({ id: 'd:1', tabId: 1, frameId: 0, kind: 'fetch', method: 'GET', url: 'https://a.example/x', startTime: 0, state: 'done', request: { headers: [] }, lifecycle: [], messages: [], droppedMessages: 0, ...over }) as Entry;
const response = { status: 200, statusText: 'OK', headers: [] };
const wire = { requestId: '1', resourceType: 'xmlhttprequest', redirects: [] } as unknown as Entry['wire'];

describe('page records checked against the wire', () => {
  it('marks a response the wire never saw', () => {
    expect(notOnWire(entry({ response }))).toBe(true);
    expect(notOnWire(entry({ kind: 'xhr', response }))).toBe(true);
    expect(notOnWire(entry({ kind: 'websocket', url: 'wss://a.example/s', response }))).toBe(true);
  });
  it('not: seen on the wire, no response yet, not a network URL, or a kind webRequest may not see', () => {
    expect(notOnWire(entry({ response, wire }))).toBe(false);
    expect(notOnWire(entry({}))).toBe(false);
    expect(notOnWire(entry({ response: { ...response, status: 0 } }))).toBe(false);
    expect(notOnWire(entry({ url: 'data:text/plain,x', response }))).toBe(false);
    expect(notOnWire(entry({ url: 'blob:https://a.example/1', response }))).toBe(false);
    expect(notOnWire(entry({ kind: 'script', response }))).toBe(false);
    expect(notOnWire(entry({ kind: 'beacon', response }))).toBe(false);
  });
  it('checks only what started once the wire view had started (and its listeners could be in place)', () => {
    const since = 1_000_000;
    expect(notOnWire(entry({ response, startTime: since - 1 }), since)).toBe(false);
    expect(notOnWire(entry({ response, startTime: since + WIRE_SINCE_SLACK_MS - 1 }), since)).toBe(false);
    expect(notOnWire(entry({ response, startTime: since + WIRE_SINCE_SLACK_MS }), since)).toBe(true);
    expect(notOnWire(entry({ response, startTime: NaN }), since)).toBe(false);
    expect(notOnWire(entry({ response, startTime: 0 }), Infinity)).toBe(false);
    expect(notOnWire(entry({ response, startTime: 0 }), undefined)).toBe(true);
  });
  it("with the wire view from DevTools' log: no WebSocket (not in its log), and a request only once it finished", () => {
    expect(notOnWire(entry({ response, endTime: 5 }), undefined, true)).toBe(true);
    expect(notOnWire(entry({ response, state: 'pending', endTime: undefined }), undefined, true)).toBe(false);
    expect(notOnWire(entry({ kind: 'eventsource', response, state: 'open', endTime: undefined }), undefined, true)).toBe(false);
    expect(notOnWire(entry({ kind: 'websocket', url: 'wss://a.example/s', response, endTime: 5 }), undefined, true)).toBe(false);
    const fromDevtools = { ...wire!, requestId: 'devtools:ab12:3' };
    expect(wireFromDevtools([entry({}), entry({ wire: fromDevtools })])).toBe(true);
    expect(wireFromDevtools([entry({ wire })])).toBe(false);
  });
  it('a trace is checked only when it has a wire view', () => {
    expect(sawWire([entry({}), entry({ wire })])).toBe(true);
    expect(sawWire([entry({})])).toBe(false);
  });
});
