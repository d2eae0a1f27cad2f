import { describe, expect, it } from 'vitest';
import { analyzeCors, toCorsReport, type AnalyzeInput, type CorsReport } from '../../../src/shared/cors';

const O = 'http://127.0.0.1:8080';
const U = 'http://localhost:9090/api/items';
const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const PUT_REASONS = ['method PUT is not GET, HEAD or POST', 'header X-Api-Key is not a CORS-safelisted header name'];

const put = (over: Partial<AnalyzeInput> = {}): AnalyzeInput => ({
  url: U, documentOrigin: O, method: 'PUT', headers: [['X-Api-Key', 'k']], ...over,
});
const get = (over: Partial<AnalyzeInput> = {}): AnalyzeInput => ({ url: U, documentOrigin: O, method: 'GET', headers: [], ...over });
const report = (input: AnalyzeInput): CorsReport => toCorsReport(analyzeCors(input));
const simple = { crossOrigin: true, origin: O, preflight: { needed: false, reasons: [], observed: false } };
const preflighted = (observed: boolean | 'cached') => ({ crossOrigin: true, origin: O, preflight: { needed: true, reasons: PUT_REASONS, observed } });

describe('analyzeCors', () => {
  it('a simple GET that passes: readable and hidden headers', () => {
    expect(report(get({ response: { status: 200, headers: [[ACAO, '*'], ['Content-Type', 'text/plain'], ['X-Total', '3']] } })))
      .toEqual({ ...simple, outcome: 'allowed', readableHeaders: ['content-type'], hiddenHeaders: ['access-control-allow-origin', 'x-total'] });
  });

  it('a simple GET without ACAO is blocked, with the header to add', () => {
    expect(report(get({ failed: true, response: { status: 200, headers: [] } }))).toEqual({
      ...simple, outcome: 'blocked', error: 'MissingAllowOriginHeader', failedParameter: '',
      fix: `add \`${ACAO}: ${O}\` to the response of GET /api/items (or \`${ACAO}: *\`, the request carries no credentials)`,
    });
  });

  it('credentialed request answered with ACAO *', () => {
    const input = get({ credentials: 'include', failed: true, response: { status: 200, headers: [[ACAO, '*'], [ACAC, 'true']] } });
    expect(report(input)).toEqual({
      ...simple, outcome: 'blocked', error: 'WildcardOriginNotAllowed', failedParameter: '',
      fix: `change \`${ACAO}: *\` to \`${ACAO}: ${O}\` in the response of GET /api/items (credentialed requests cannot use *) and add \`Vary: Origin\``,
    });
  });

  it('preflight without the custom header in ACAH', () => {
    const preflight = { sent: true, status: 204, responseHeaders: [[ACAO, O], ['Access-Control-Allow-Methods', 'PUT']] as [string, string][] };
    expect(report(put({ preflight, failed: true }))).toEqual({
      ...preflighted(true), outcome: 'blocked', error: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-api-key',
      fix: 'add `Access-Control-Allow-Headers: x-api-key` to the OPTIONS response of /api/items',
    });
  });

  it('preflight answered 404', () => {
    const preflight = { sent: true, status: 404, responseHeaders: [[ACAO, '*']] as [string, string][] };
    expect(report(put({ preflight, failed: true }))).toEqual({
      ...preflighted(true), outcome: 'blocked', error: 'PreflightInvalidStatus', failedParameter: '',
      fix: 'make the OPTIONS response of /api/items return 204 instead of 404 (answer OPTIONS before authentication or routing; any 2xx works)',
    });
  });

  it('a passed preflight leaves a cache entry and its Max-Age in details', () => {
    const preflight = { sent: true, status: 204, time: T0, responseHeaders: [[ACAO, O], ['Access-Control-Allow-Methods', 'PUT'],
      ['Access-Control-Allow-Headers', 'x-api-key'], ['Access-Control-Max-Age', '600']] as [string, string][] };
    const result = analyzeCors(put({ preflight, response: { status: 200, headers: [[ACAO, O]] } }));
    expect([toCorsReport(result), result.details.maxAge, result.details.cacheEntry, result.details.steps]).toEqual([
      { ...preflighted(true), outcome: 'allowed', readableHeaders: [], hiddenHeaders: ['access-control-allow-origin'] },
      { seconds: 600, text: 'cached for 600 s' },
      { origin: O, url: U, credentials: false, methods: ['PUT'], headers: ['x-api-key'], maxAge: 600, storedAt: T0 },
      [{ stage: 'preflight', ok: true, text: 'The preflight passed (status 204).' },
        { stage: 'response', ok: true, text: 'The response passed the CORS check.' }],
    ]);
  });

  it('no OPTIONS on the wire: served from the modelled preflight cache', () => {
    const entries = [{ origin: O, url: U, credentials: false, methods: ['PUT'], headers: ['x-api-key'], maxAge: 600, storedAt: T0 }];
    expect(report(put({ preflightCache: { entries, now: T0 + 10_000 }, response: { status: 200, headers: [[ACAO, O]] } }))).toEqual({
      ...preflighted('cached'), outcome: 'allowed', readableHeaders: [], hiddenHeaders: ['access-control-allow-origin'],
      note: 'no OPTIONS was sent: served from the preflight cache (Max-Age 600 s, stored at 2026-01-01T12:00:00.000Z, 590 s left).',
    });
  });

  it('no OPTIONS observed but the request went out: inferred cache hit, not a mystery', () => {
    expect(report(put({ response: { status: 200, headers: [[ACAO, O]] } }))).toEqual({
      ...preflighted('cached'), outcome: 'allowed', readableHeaders: [], hiddenHeaders: ['access-control-allow-origin'],
      note: 'no OPTIONS was observed, yet the request reached the server: it was served from the preflight cache.',
    });
  });

  it('the request not seen on the wire at all: no preflight inferred, said so', () => {
    const result = analyzeCors(put({ wireUnseen: true, response: { status: 200, headers: [[ACAO, O]] } }));
    expect(toCorsReport(result).preflight.observed).toBe(false);
    expect(result.details.steps[0]).toEqual({ stage: 'preflight', ok: null, text: 'A preflight was needed; whether one was sent is not known: the wire view did not see this request.' });
    expect(toCorsReport(result).note).toMatch(/^The wire view did not see this request/);
  });

  it('a failure with no facts stays unknown', () => {
    expect(report(put({ failed: true }))).toEqual({
      ...preflighted(false), outcome: 'unknown',
      note: 'A preflight was needed but no OPTIONS was observed (webRequest shows it only with extraHeaders). ' +
        'The page saw a network error but no response was observed, so CORS cannot be confirmed as the cause.',
    });
  });

  it('nothing observed yet', () => {
    expect(report(get())).toEqual({ ...simple, outcome: 'unknown', note: 'No response was observed yet, so the verdict is open.' });
  });

  it('a network error although CORS passes is not blamed on CORS', () => {
    expect(report(get({ failed: true, response: { status: 200, headers: [[ACAO, '*']] } }))).toEqual({
      ...simple, outcome: 'allowed', readableHeaders: [], hiddenHeaders: ['access-control-allow-origin'],
      note: 'The page saw a network error although the CORS checks pass: the cause is elsewhere (connection, abort, mixed content, ORB…).',
    });
  });

  it('Authorization covered only by ACAH *: allowed, with the spec/Chromium note', () => {
    const preflight = { sent: true, status: 204, responseHeaders: [[ACAO, '*'], ['Access-Control-Allow-Headers', '*']] as [string, string][] };
    const result = report(get({ headers: [['Authorization', 'Bearer t']], preflight, response: { status: 200, headers: [[ACAO, '*']] } }));
    expect(result).toEqual({
      crossOrigin: true, origin: O, outcome: 'allowed', readableHeaders: [], hiddenHeaders: ['access-control-allow-origin'],
      preflight: { needed: true, reasons: ['header Authorization is not a CORS-safelisted header name'], observed: true },
      note: 'Access-Control-Allow-Headers: * does not cover Authorization per the Fetch standard (it must be listed by name), but ' +
        'Chromium 156 still allows it and reports the deprecation issue AuthorizationCoveredByWildcard; list Authorization ' +
        "explicitly. Chromium's preflight cache never serves this case, so every such request is preflighted again.",
    });
  });

  it("mode 'same-origin' cross-origin: DisallowedByMode before the network", () => {
    expect(report(get({ mode: 'same-origin', failed: true }))).toEqual({
      ...simple, outcome: 'blocked', error: 'DisallowedByMode', failedParameter: '',
      fix: "no server change helps: the page asked for mode 'same-origin' on another origin; use mode 'cors' (the default) and " +
        `have the server send \`${ACAO}: ${O}\`, or call a same-origin URL`,
      note: 'Chromium rejects this in the renderer, so DevTools shows no corsErrorStatus for it.',
    });
  });

  it('WebSocket: not a CORS matter', () => {
    expect(report(get({ url: 'ws://localhost:9090/ws', kind: 'websocket' }))).toEqual({
      ...simple, outcome: 'allowed',
      note: 'WebSocket handshakes are never CORS-checked and never preflighted: the browser sends Origin: http://127.0.0.1:8080 ' +
        '(and cookies) and the server alone decides; a refused handshake is a server decision (close code 1006 in the page), not a CORS error.',
    });
  });

  it('no-cors: allowed but opaque', () => {
    expect(report(get({ mode: 'no-cors', response: { status: 200, headers: [['Content-Type', 'text/plain']] } }))).toEqual({
      ...simple, outcome: 'allowed', readableHeaders: [], hiddenHeaders: ['content-type'],
      note: "mode 'no-cors': no preflight and no CORS check; the response is opaque (status 0, no headers, no body for the page).",
    });
  });

  it('same-origin start, cross-origin redirects: the tainted origin needs ACAO null', () => {
    const allow = [[ACAO, O], [ACAC, 'true']] as [string, string][];
    const input = get({
      url: `${O}/old`, credentials: 'include', failed: true,
      response: { status: 200, headers: allow, redirectChain: [
        { url: `${O}/old`, status: 302, location: 'http://localhost:9090/a', headers: [] },
        { url: 'http://localhost:9090/a', status: 302, location: 'http://other.test/b', headers: allow },
      ] },
    });
    expect(report(input)).toEqual({
      crossOrigin: false, origin: O, preflight: { needed: false, reasons: [], observed: false },
      outcome: 'blocked', error: 'AllowOriginMismatch', failedParameter: O,
      fix: `change \`${ACAO}: ${O}\` to \`${ACAO}: null\` in the response of GET /b (after a cross-origin redirect the request ` +
        'origin is "null"; allowing null admits every sandboxed page, so better avoid the cross-origin redirect)',
      note: 'The redirect to http://localhost:9090/a made the request cross-origin: from here on every response needs CORS headers. ' +
        'After the redirect from http://localhost:9090/a to another origin, the request origin is "null" (Origin: null).',
    });
  });

  it('a failing redirect hop names the hop in the fix', () => {
    const input = get({ failed: true, response: { status: 200, headers: [[ACAO, '*']], redirectChain: [
      { url: U, status: 301, location: '/api/v2/items', headers: [] },
    ] } });
    expect(report(input)).toEqual({
      ...simple, outcome: 'blocked', error: 'MissingAllowOriginHeader', failedParameter: '',
      fix: `add \`${ACAO}: ${O}\` to the 301 response of /api/items (or \`${ACAO}: *\`, the request carries no credentials)`,
    });
  });

  it('toCorsReport keeps only the contract fields', () => {
    const full = analyzeCors(get({ response: { status: 200, headers: [[ACAO, '*']] } }));
    expect(Object.keys(full)).toEqual(['crossOrigin', 'origin', 'preflight', 'outcome', 'readableHeaders', 'hiddenHeaders', 'details']);
    expect(Object.keys(toCorsReport(full))).toEqual(['crossOrigin', 'origin', 'preflight', 'outcome', 'readableHeaders', 'hiddenHeaders']);
  });
});
