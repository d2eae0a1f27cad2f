import { describe, expect, it } from 'vitest';
import type { CorsAnalysis } from '../../src/shared/cors';
import { tabsFor } from '../../src/shared/detail-tabs';
import type { LongPollGroup } from '../../src/shared/long-polling';
import { T0, makeEntry, msg, text } from './har/helpers';

describe('detail tabs', () => {
  it('a plain GET: Headers, Preview, Response, Timing — no Payload, no Messages', () => {
    expect(tabsFor(makeEntry({ url: 'https://api.example/items' }), undefined, undefined, false)).toEqual(['headers', 'preview', 'response', 'timing']);
  });

  it('a query string or a request body brings Payload; a stack Initiator; a CORS analysis CORS', () => {
    const cors = { outcome: 'allowed' } as unknown as CorsAnalysis;
    expect(tabsFor(makeEntry({ initiator: 'at f (a.js:1:2)' }), cors, undefined, false)).toEqual(['headers', 'payload', 'preview', 'response', 'timing', 'cors', 'initiator']);
    expect(tabsFor(makeEntry({ url: 'https://a.example/', method: 'POST', request: { headers: [], body: text('x') }, response: undefined }), undefined, undefined, false)).toEqual(['headers', 'payload', 'timing']);
  });

  it('channels, streamed bodies and long-poll groups have Messages; an LLM stream without a body has Preview', () => {
    const ws = makeEntry({ kind: 'websocket', url: 'wss://a.example/s', response: undefined });
    expect(tabsFor(ws, undefined, undefined, false)).toEqual(['headers', 'messages', 'timing']);
    const streamed = makeEntry({ url: 'https://a.example/llm', response: { status: 200, statusText: 'OK', headers: [] }, messages: [msg(T0, 'receive', text('data: x\n\n'))] });
    expect(tabsFor(streamed, undefined, undefined, true)).toEqual(['headers', 'preview', 'messages', 'timing']);
    const poll = { key: 'k', entryIds: [], messages: [] } as unknown as LongPollGroup;
    expect(tabsFor(makeEntry({ url: 'https://a.example/poll' }), undefined, poll, false)).toContain('messages');
  });

  it('a request of a resumable upload has Transfer, before Timing', () => {
    const patch = makeEntry({ method: 'PATCH', url: 'https://a.example/files/1', response: undefined });
    expect(tabsFor(patch, undefined, undefined, false, true)).toEqual(['headers', 'transfer', 'timing']);
  });

  it('an unparsable URL has no Payload from it; any URL with a query has (its parameters are shown as text)', () => {
    expect(tabsFor(makeEntry({ url: 'not a url?x=1', response: undefined }), undefined, undefined, false)).toEqual(['headers', 'timing']);
    expect(tabsFor(makeEntry({ url: 'javascript:alert(1)?x=1', response: undefined }), undefined, undefined, false)).toEqual(['headers', 'payload', 'timing']);
  });
});
