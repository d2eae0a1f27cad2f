import { describe, expect, it } from 'vitest';
import { classifyRequest } from '../../../src/shared/cors';
import { O, U, base } from './fixtures';


const apiKey = { kind: 'header' as const, name: 'x-api-key', value: 'k', why: { rule: 'name' as const },
  text: 'header X-Api-Key is not a CORS-safelisted header name' };

describe('classifyRequest: request kinds and modes', () => {
  it('drops forbidden headers silently and lists them', () => {
    const headers: Array<[string, string]> = [
      ['Cookie', 'a=1'], ['Sec-Fetch-Mode', 'cors'], ['Proxy-Authorization', 'x'], ['User-Agent', 'bot'],
      ['cookie', 'b=2'], ['Access-Control-Request-Private-Network', 'true'], ['X-HTTP-Method-Override', 'TRACE'],
      ['X-Method-Override', 'PUT'],
    ];
    expect(classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers })).toEqual(base({
      forbiddenDropped: ['Cookie', 'Sec-Fetch-Mode', 'Proxy-Authorization', 'User-Agent',
        'Access-Control-Request-Private-Network', 'X-HTTP-Method-Override'],
      preflight: { needed: true, reasons: [{ kind: 'header', name: 'x-method-override', value: 'PUT', why: { rule: 'name' },
        text: 'header X-Method-Override is not a CORS-safelisted header name' }] },
      requestHeadersLine: 'x-method-override',
      unsafeHeaders: ['x-method-override'],
    }));
  });

  it('sorts and lower-cases Access-Control-Request-Headers', () => {
    const headers: Array<[string, string]> = [['X-Zeta', '1'], ['Content-Type', 'application/json'], ['X-Api-Key', 'k']];
    const result = classifyRequest({ url: U, documentOrigin: O, method: 'POST', headers });
    expect([result.requestHeadersLine, result.unsafeHeaders]).toEqual([
      'content-type,x-api-key,x-zeta', ['content-type', 'x-api-key', 'x-zeta'],
    ]);
  });

  it('same origin: no preflight, no CORS check, credentials sent', () => {
    const result = classifyRequest({ url: `${O}/api`, documentOrigin: `${O}/page.html`, method: 'PUT', headers: [['X-Api-Key', 'k']] });
    expect(result).toEqual(base({ crossOrigin: false, credentialed: true, method: 'PUT', corsChecked: false }));
  });

  it('another port is another origin', () => {
    expect(classifyRequest({ url: 'http://127.0.0.1:8081/', documentOrigin: O, method: 'GET', headers: [] }).crossOrigin).toBe(true);
  });

  it("credentials: 'include' is credentialed", () => {
    expect(classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers: [], credentials: 'include' }))
      .toEqual(base({ credentialed: true, credentials: 'include' }));
  });

  it('an upload listener registered before send() and a stream body each force a preflight', () => {
    const result = classifyRequest({ url: U, documentOrigin: O, method: 'POST', headers: [], uploadListener: true, streamBody: true });
    expect(result).toEqual(base({
      method: 'POST',
      preflight: { needed: true, reasons: [
        { kind: 'upload-listener', text: 'an upload listener was registered on xhr.upload before send()' },
        { kind: 'stream-body', text: 'the request body is a ReadableStream' },
      ] },
    }));
  });

  it('EventSource: GET, credentials from withCredentials, never preflighted', () => {
    const result = classifyRequest({
      url: U, documentOrigin: O, method: 'GET', kind: 'eventsource', credentials: 'include',
      headers: [['Accept', 'text/event-stream'], ['Cache-Control', 'no-cache'], ['Last-Event-ID', '7']],
    });
    expect(result).toEqual(base({
      credentialed: true, credentials: 'include',
      note: 'EventSource is never preflighted (Chromium prevents it), even with Last-Event-ID on reconnect.',
    }));
  });

  it('WebSocket: never CORS-checked, Origin sent, server decides', () => {
    const result = classifyRequest({ url: 'ws://localhost:9090/live', documentOrigin: O, method: 'GET', headers: [], kind: 'websocket' });
    expect(result).toEqual(base({
      mode: 'websocket', credentials: 'include', credentialed: true, corsChecked: false,
      note: 'WebSocket handshakes are never CORS-checked and never preflighted: the browser sends Origin: ' +
        'http://127.0.0.1:8080 (and cookies) and the server alone decides; a refused handshake is a server ' +
        'decision (close code 1006 in the page), not a CORS error.',
    }));
  });

  it('WebSocket to the page\'s own host is same-origin', () => {
    expect(classifyRequest({ url: 'ws://127.0.0.1:8080/live', documentOrigin: O, method: 'GET', headers: [], kind: 'websocket' })
      .crossOrigin).toBe(false);
  });

  it("mode 'no-cors': opaque, no preflight, non-safelisted headers dropped", () => {
    const result = classifyRequest({
      url: U, documentOrigin: O, method: 'POST', mode: 'no-cors',
      headers: [['X-Api-Key', 'k'], ['Content-Type', 'application/json'], ['Accept', 'text/plain']],
    });
    expect(result).toEqual(base({
      method: 'POST', mode: 'no-cors', corsChecked: false,
      note: "mode 'no-cors': no preflight and no CORS check; the response is opaque (status 0, no headers, no body " +
        'for the page). In no-cors mode the browser dropped: X-Api-Key, Content-Type.',
    }));
  });

  it('a beacon defaults to no-cors with credentials', () => {
    const result = classifyRequest({ url: U, documentOrigin: O, method: 'POST', headers: [], kind: 'beacon' });
    expect([result.mode, result.credentials, result.credentialed, result.preflight.needed]).toEqual(['no-cors', 'include', true, false]);
  });

  it("mode 'same-origin' to another origin is rejected before the network", () => {
    const result = classifyRequest({ url: U, documentOrigin: O, method: 'GET', headers: [['X-Api-Key', 'k']], mode: 'same-origin' });
    expect(result).toEqual(base({
      mode: 'same-origin', corsChecked: false,
      blocked: {
        error: 'DisallowedByMode', failedParameter: '', stage: 'request',
        text: "The request uses mode 'same-origin' but http://localhost:9090/api/items is on another origin; " +
          'the browser rejects it before any network activity.',
      },
    }));
  });

  it('an opaque document origin sends Origin: null and is cross-origin to everything', () => {
    const result = classifyRequest({ url: U, documentOrigin: 'null', method: 'GET', headers: [['X-Api-Key', 'k']] });
    expect(result).toEqual(base({
      origin: 'null',
      preflight: { needed: true, reasons: [apiKey] },
      requestHeadersLine: 'x-api-key',
      unsafeHeaders: ['x-api-key'],
    }));
  });

  it('a non-http(s) scheme cannot be fetched cross-origin', () => {
    const result = classifyRequest({ url: 'ftp://localhost/file', documentOrigin: O, method: 'GET', headers: [] });
    expect(result).toEqual(base({
      corsChecked: false,
      blocked: {
        error: 'CorsDisabledScheme', failedParameter: '', stage: 'request',
        text: 'Cross-origin requests are only supported for http and https; the scheme ftp: is not.',
      },
    }));
  });

  it('data: URLs are not CORS requests', () => {
    const result = classifyRequest({ url: 'data:text/plain,hi', documentOrigin: O, method: 'GET', headers: [['X-Api-Key', 'k']] });
    expect([result.crossOrigin, result.corsChecked, result.preflight.needed]).toEqual([false, false, false]);
  });

  it('a forbidden method is noted', () => {
    const result = classifyRequest({ url: U, documentOrigin: O, method: 'trace', headers: [] });
    expect(result.note).toBe("method trace is forbidden: the page's call throws and nothing is sent.");
  });
});
