import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDevtoolsWire, MAX_REDIRECTS_WAITING } from '../../../src/shared/har/devtools-wire';

/** A HAR entry as chrome.devtools.network hands it over (what src/devtools/devtools.ts keeps of it). */
function harEntry(over: { method?: string; url: string; status?: number; type?: string; redirectURL?: string; error?: string; sent?: boolean; requestHeaders?: [string, string][]; responseHeaders?: [string, string][]; start?: string; fromCache?: string; connection?: string }) {
  const sent = over.sent ?? true;
  return {
    // A request that went out on a connection has its id (none for one held back or from the cache).
    _connectionId: over.connection ?? (sent && !over.error && !over.fromCache ? '41' : undefined),
    startedDateTime: over.start ?? '2026-12-03T00:48:56.828Z',
    time: 11.5,
    timings: sent ? { blocked: 2, dns: -1, ssl: -1, connect: -1, send: 0.5, wait: 3, receive: 6 } : { blocked: 1, dns: -1, ssl: -1, connect: -1, send: -1, wait: -1, receive: -1 },
    serverIPAddress: '127.0.0.1',
    _resourceType: over.type ?? 'fetch',
    _fromCache: over.fromCache,
    request: { method: over.method ?? 'GET', url: over.url, headers: (over.requestHeaders ?? []).map(([name, value]) => ({ name, value })) },
    response: {
      status: over.status ?? 200,
      statusText: over.status === 302 ? 'Found' : over.status === 0 ? '' : 'OK',
      httpVersion: 'HTTP/1.1',
      headers: (over.responseHeaders ?? []).map(([name, value]) => ({ name, value })),
      redirectURL: over.redirectURL ?? '',
      _error: over.error ?? null,
    },
  };
}

const START = Date.parse('2026-12-03T00:48:56.828Z');

describe('the wire view from DevTools network log entries', () => {
  it('gives a finished request as webRequest does: send, headers, completed, with the times of its HAR timings', () => {
    const evs = createDevtoolsWire('t').events(
      harEntry({
        url: 'http://b.test/api?x=1',
        requestHeaders: [[':authority', 'b.test'], ['Origin', 'http://a.test'], ['x-custom', '1']],
        responseHeaders: [['Access-Control-Allow-Origin', '*'], ['Set-Cookie', 'a=1']],
      }),
    );
    expect(evs.map((e) => e.phase)).toEqual(['send', 'headers', 'completed']);
    const [send, headers, completed] = evs;
    expect(send).toMatchObject({ type: 'wire', requestId: 'devtools:t:1', method: 'GET', url: 'http://b.test/api?x=1', resourceType: 'xmlhttprequest', frameId: 0, initiator: 'http://a.test', t: START + 2 });
    // DevTools' pseudo-headers are its rendering of HTTP/2: webRequest has none.
    expect(send.requestHeaders).toEqual([['Origin', 'http://a.test'], ['x-custom', '1']]);
    expect(headers).toMatchObject({ t: START + 5.5, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', responseHeaders: [['Access-Control-Allow-Origin', '*'], ['Set-Cookie', 'a=1']] });
    expect(completed).toMatchObject({ t: START + 11.5, statusCode: 200, ip: '127.0.0.1' });
    expect(completed.fromCache).toBeUndefined();
  });

  it('gives a request a failed preflight kept from going out (DevTools lists it with provisional headers) as an error alone', () => {
    const wire = createDevtoolsWire('t');
    const preflight = wire.events(
      harEntry({ method: 'OPTIONS', url: 'http://b.test/x', type: 'preflight', status: 204, requestHeaders: [['Access-Control-Request-Method', 'PUT'], ['Origin', 'http://a.test']] }),
    );
    expect(preflight.map((e) => e.phase)).toEqual(['send', 'headers', 'completed']);
    const blocked = wire.events(harEntry({ method: 'PUT', url: 'http://b.test/x', status: 0, error: 'net::ERR_FAILED', sent: false, requestHeaders: [['Origin', 'http://a.test']] }));
    expect(blocked).toEqual([expect.objectContaining({ phase: 'error', error: 'net::ERR_FAILED', requestId: 'devtools:t:2', t: START + 11.5 })]);
    // Chromium 150 gives such a request timings of 0 (not -1): no connection carried it.
    const zeros = harEntry({ method: 'PUT', url: 'http://b.test/x', status: 0, error: 'net::ERR_FAILED' });
    expect(wire.events(zeros).map((e) => e.phase)).toEqual(['error']);
    // A request that went out on a connection and failed after: sent, then the error.
    expect(wire.events({ ...zeros, _connectionId: '41' }).map((e) => e.phase)).toEqual(['send', 'error']);
  });

  it('continues a redirect chain under one request id, as webRequest does, with the Location resolved', () => {
    const wire = createDevtoolsWire('t');
    const hop = wire.events(harEntry({ url: 'http://a.test/api/redirect?to=/api/echo', status: 302, redirectURL: '/api/echo', responseHeaders: [['Location', '/api/echo']] }));
    expect(hop.map((e) => e.phase)).toEqual(['send', 'headers', 'redirect']);
    expect(hop[2]).toMatchObject({ url: 'http://a.test/api/redirect?to=/api/echo', redirectUrl: 'http://a.test/api/echo', statusCode: 302 });
    const next = wire.events(harEntry({ url: 'http://a.test/api/echo', start: '2026-12-03T00:48:56.850Z' }));
    expect(next.map((e) => [e.phase, e.requestId])).toEqual([
      ['send', hop[0].requestId],
      ['headers', hop[0].requestId],
      ['completed', hop[0].requestId],
    ]);
    // Once: another request of that URL is a request of its own.
    expect(wire.events(harEntry({ url: 'http://a.test/api/echo', start: '2026-12-03T00:48:57.000Z' }))[0].requestId).not.toBe(hop[0].requestId);
  });

  it('gives each converter (one per DevTools page port) request ids of its own', () => {
    const a = createDevtoolsWire().events(harEntry({ url: 'http://a.test/x' }))[0].requestId;
    const b = createDevtoolsWire().events(harEntry({ url: 'http://a.test/x' }))[0].requestId;
    expect(a).toMatch(/^devtools:[a-z0-9]+:1$/);
    expect(b).not.toBe(a);
  });

  it('leaves out the provisional headers of a response from the HTTP cache, and the headers of a 304', () => {
    const wire = createDevtoolsWire('t');
    const cached = wire.events(harEntry({ url: 'http://b.test/c', fromCache: 'disk', requestHeaders: [['Accept', '*/*']] }));
    expect(cached.map((e) => e.phase)).toEqual(['send', 'headers', 'completed']);
    expect(cached[0].requestHeaders).toBeUndefined();
    expect(cached[2].fromCache).toBe(true);
    // A revalidation: the page got the cached 200 (with its CORS headers), not the 304's headers.
    const revalidated = wire.events(harEntry({ url: 'http://b.test/c', status: 304, requestHeaders: [['If-None-Match', '"1"']], responseHeaders: [['ETag', '"1"']] }));
    expect(revalidated.map((e) => [e.phase, e.statusCode, e.responseHeaders, e.fromCache])).toEqual([
      ['send', undefined, undefined, undefined],
      ['completed', undefined, undefined, true],
    ]);
  });

  it('follows two chains redirected to one URL at once, a Location with a fragment, and ends a hop the browser refused at its error', () => {
    const wire = createDevtoolsWire('t');
    const hop = (k: string, to: string) => wire.events(harEntry({ url: `http://a.test/r?k=${k}`, status: 302, redirectURL: to }))[0].requestId;
    const one = hop('1', '/same');
    const two = hop('2', '/same');
    const next = () => wire.events(harEntry({ url: 'http://a.test/same', start: '2026-12-03T00:48:57.000Z' }))[0].requestId;
    expect([next(), next()]).toEqual([one, two]);
    const frag = hop('3', '/target#part');
    expect(wire.events(harEntry({ url: 'http://a.test/target', start: '2026-12-03T00:48:57.000Z' }))[0].requestId).toBe(frag);
    const refused = wire.events(harEntry({ url: 'http://a.test/r?k=4', status: 302, redirectURL: 'http://b.test/x', error: 'net::ERR_FAILED', connection: '9' }));
    expect(refused.map((e) => e.phase)).toEqual(['send', 'headers', 'error']);
  });

  it('keeps at most MAX_REDIRECTS_WAITING hops waiting for their next hop', () => {
    const wire = createDevtoolsWire('t');
    const first = wire.events(harEntry({ url: 'http://a.test/r0', status: 302, redirectURL: 'http://a.test/t0' }))[0].requestId;
    for (let i = 1; i <= MAX_REDIRECTS_WAITING; i++) wire.events(harEntry({ url: `http://a.test/r${i}`, status: 302, redirectURL: `http://a.test/t${i}` }));
    expect(wire.events(harEntry({ url: 'http://a.test/t0' }))[0].requestId).not.toBe(first);
    const last = wire.events(harEntry({ url: `http://a.test/t${MAX_REDIRECTS_WAITING}` }))[0].requestId;
    expect(last).toBe(`devtools:t:${MAX_REDIRECTS_WAITING + 1}`);
  });

  it("leaves out a response the page's service worker gave, as webRequest never sees one", () => {
    const entry = harEntry({ url: 'http://a.test/sw' });
    expect(createDevtoolsWire('t').events({ ...entry, response: { ...entry.response, _fetchedViaServiceWorker: true } })).toEqual([]);
    expect(createDevtoolsWire('t').events({ ...entry, response: { ...entry.response, _fetchedViaServiceWorker: false } }).length).toBe(3);
  });

  it("takes the initiator from the Referer's origin when there is no Origin header", () => {
    const [send] = createDevtoolsWire('t').events(harEntry({ url: 'http://a.test/same', requestHeaders: [['Referer', 'http://a.test/page.html?q=1']] }));
    expect(send.initiator).toBe('http://a.test');
    const [none] = createDevtoolsWire('t').events(harEntry({ url: 'http://a.test/same', requestHeaders: [['Origin', 'null']] }));
    expect(none.initiator).toBeUndefined();
  });

  it('leaves out what webRequest is not asked for (documents, images, styles) and what is no entry', () => {
    const wire = createDevtoolsWire('t');
    for (const type of ['document', 'image', 'stylesheet', 'font', 'media']) expect(wire.events(harEntry({ url: 'http://a.test/x', type }))).toEqual([]);
    expect(wire.events(harEntry({ url: 'http://a.test/x.js', type: 'script' })).length).toBe(3);
    expect(wire.events(harEntry({ url: 'http://a.test/b', type: 'ping' }))[0].resourceType).toBe('ping');
    for (const bad of [null, 1, 'x', [], {}, { request: {} }, { request: { method: 'GET', url: 7 }, startedDateTime: '2026-01-01T00:00:00Z' }, { request: { method: 'GET', url: 'http://a.test/' }, startedDateTime: 'never' }]) {
      expect(wire.events(bad)).toEqual([]);
    }
  });

  it('never throws on any value, and gives only events with the fields the timeline reads', () => {
    const wire = createDevtoolsWire('t');
    fc.assert(
      fc.property(fc.anything(), fc.webUrl(), fc.anything(), fc.anything(), (junk, url, headers, response) => {
        expect(() => wire.events(junk)).not.toThrow();
        const evs = wire.events({ startedDateTime: '2026-01-01T00:00:00Z', request: { method: 'GET', url, headers }, response, timings: junk });
        for (const ev of evs) {
          expect(typeof ev.requestId).toBe('string');
          expect(Number.isFinite(ev.t)).toBe(true);
          expect(Array.isArray(ev.requestHeaders ?? [])).toBe(true);
        }
      }),
    );
  });
});
