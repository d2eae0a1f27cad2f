import { describe, expect, it } from 'vitest';
import { toCorsReport } from '../../src/shared/cors';
import { corsForEntry, sameOriginEntry } from '../../src/shared/entry-cors';
import type { Entry } from '../../src/shared/model';

const put = (over: Partial<Entry>): Entry =>
  ({
    id: 'd:1', tabId: 1, frameId: 0, frameUrl: 'https://a.example/page', kind: 'fetch', method: 'PUT', url: 'https://b.example/api', startTime: 0, state: 'done',
    request: { headers: [['X-Key', '1']] }, response: { status: 200, statusText: 'OK', headers: [['access-control-allow-origin', 'https://a.example']] },
    lifecycle: [], messages: [], droppedMessages: 0, ...over,
  }) as Entry;

describe("an entry's CORS facts put to the analyzer", () => {
  it("judges by the document's origin when its URL does not say it: a srcdoc frame's is its parent's, a sandboxed one's \"null\"", () => {
    const allowed = { status: 200, statusText: 'OK', headers: [] };
    const srcdoc = put({ frameUrl: 'about:srcdoc', frameOrigin: 'https://b.example', method: 'GET', request: { headers: [] }, response: allowed });
    expect(sameOriginEntry(srcdoc)).toBe(true);
    expect(corsForEntry(srcdoc, () => undefined)?.crossOrigin).toBe(false);
    // Without it, about:srcdoc reads as an opaque origin: blocked, as netlens once said.
    expect(corsForEntry({ ...srcdoc, frameOrigin: undefined }, () => undefined)).toMatchObject({ crossOrigin: true, origin: 'null', outcome: 'blocked' });
    const sandboxed = put({ frameUrl: 'about:srcdoc', frameOrigin: 'null', url: 'https://a.example/api', method: 'GET', request: { headers: [] }, response: allowed });
    expect(sameOriginEntry(sandboxed)).toBe(false);
    expect(corsForEntry(sandboxed, () => undefined)).toMatchObject({ crossOrigin: true, origin: 'null', outcome: 'blocked' });
  });

  it('a preflighted request the wire saw without an OPTIONS: its preflight was served from the cache', () => {
    const wire = { requestId: '1', resourceType: 'xmlhttprequest', redirects: [], sendTime: 1, statusCode: 200, responseHeaders: [['access-control-allow-origin', 'https://a.example']] } as unknown as Entry['wire'];
    expect(toCorsReport(corsForEntry(put({ wire }), () => undefined)!).preflight.observed).toBe('cached');
  });

  it("a trace of another tool's (request headers, no timings): the wire saw it go out", () => {
    const foreign = { requestId: 'har:0', resourceType: 'xmlhttprequest', redirects: [], requestHeaders: [['X-Key', '1']], statusCode: 200, responseHeaders: [['access-control-allow-origin', 'https://a.example']] } as unknown as Entry['wire'];
    expect(toCorsReport(corsForEntry(put({ wire: foreign }), () => undefined)!).preflight.observed).toBe('cached');
  });

  it('blocked before it went out (an error, no response): no OPTIONS observed, as before', () => {
    const blocked = { requestId: '2', resourceType: 'xmlhttprequest', redirects: [], error: 'net::ERR_BLOCKED_BY_CLIENT' } as unknown as Entry['wire'];
    const analysis = corsForEntry(put({ wire: blocked, response: undefined, state: 'error' }), () => undefined)!;
    expect(analysis.details.steps.find((s) => s.stage === 'preflight')?.text).toBe('A preflight was needed but none was observed.');
  });

  it('one the wire never saw go out (the wire view off for its tab, or started while it was in flight): nothing inferred about its preflight', () => {
    const fromResponseOn = { requestId: '1', resourceType: 'xmlhttprequest', redirects: [], statusCode: 200, responseHeaders: [['access-control-allow-origin', 'https://a.example']] } as unknown as Entry['wire'];
    for (const entry of [put({}), put({ wire: fromResponseOn })]) {
      const analysis = corsForEntry(entry, () => undefined)!;
      expect(toCorsReport(analysis).preflight).toMatchObject({ needed: true, observed: false });
      expect(analysis.details.steps.find((s) => s.stage === 'preflight')?.ok).toBeNull();
    }
  });

  it('one the page started before the wire view began (a preflight in flight as the panel opened): no OPTIONS seen says nothing of the cache', () => {
    const wire = { requestId: '1', resourceType: 'xmlhttprequest', redirects: [], sendTime: 1_000_150, statusCode: 200, responseHeaders: [['access-control-allow-origin', 'https://a.example']] } as unknown as Entry['wire'];
    const entry = put({ wire, startTime: 1_000_000 });
    // The wire view began 100 ms after the page's call, or within the slack before it: unseen.
    for (const since of [1_000_100, 999_900, Infinity]) {
      const analysis = corsForEntry(entry, () => undefined, since)!;
      expect(toCorsReport(analysis).preflight).toMatchObject({ needed: true, observed: false });
      expect(analysis.details.steps.find((s) => s.stage === 'preflight')?.text).toBe('A preflight was needed; whether one was sent is not known: the wire view began after the page made this request.');
    }
    // Well before the call, or all along: the cache answered.
    for (const since of [999_000, undefined]) expect(toCorsReport(corsForEntry(entry, () => undefined, since)!).preflight.observed).toBe('cached');
  });
});
