import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/cli/summary';
import { makeEntry } from './har/helpers';

describe('netlens capture summary', () => {
  it('lists failures, answers with an HTTP error status apart, and CORS blocks in the singular when there is one', () => {
    const ok = makeEntry({ url: 'https://api.example/ok' });
    const missing = makeEntry({ url: 'https://api.example/missing', response: { status: 404, statusText: 'Not Found', headers: [] } });
    const wireOnly = makeEntry({ url: 'https://api.example/boom', response: undefined, wire: { requestId: '1', statusCode: 503 } as never });
    const broken = makeEntry({ url: 'https://api.example/net', state: 'error', error: 'net::ERR_FAILED', response: undefined });
    // An opaque response (no-cors): status 0 to the page, the wire's 500 says what happened.
    const opaque = makeEntry({ url: 'https://api.example/opaque', response: { status: 0, statusText: '', headers: [] }, wire: { requestId: '2', statusCode: 500 } as never });
    const lines = summarize([ok, missing, wireOnly, broken, opaque], (e) => (e === broken ? { outcome: 'blocked', error: 'no ACAO' } : undefined));
    expect(lines).toEqual([
      '5 entries: 5 fetch',
      '1 failed:',
      '  error   fetch GET https://api.example/net (net::ERR_FAILED)',
      '3 answered with an HTTP error status:',
      '  404     fetch GET https://api.example/missing',
      '  503     fetch GET https://api.example/boom',
      '  500     fetch GET https://api.example/opaque',
      '1 CORS failure:',
      '  GET https://api.example/net: no ACAO',
    ]);
  });
});
