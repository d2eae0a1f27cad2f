import { describe, expect, it } from 'vitest';
import { NAME_CHARS, clipText, entryHost, entryName, entrySizes, initiatorFrame, reasonPhrase } from '../../src/shared/entry-columns';
import { BODY_SEARCH_CHARS, compileFilter, compileMessageFilter, narrowsFilter, parseFilter, parseSize } from '../../src/shared/filter-language';
import { chipPredicate, chipsNarrow, type KindChip } from '../../src/shared/kind-chips';
import { acceptSuggestion, addSeenValues, emptySeenValues, suggest } from '../../src/shared/filter-suggestions';
import type { Entry } from '../../src/shared/model';
import type { Payload } from '../../src/shared/page-events';

const text = (data: string, mimeType?: string): Payload => ({ encoding: 'text', data, size: data.length, truncated: false, mimeType });
const entry = (id: string, over: Partial<Entry>): Entry => ({
  id,
  tabId: 1,
  frameId: 0,
  kind: 'fetch',
  method: 'GET',
  url: 'http://a.test/',
  startTime: 0,
  endTime: 10,
  state: 'done',
  request: { headers: [] },
  lifecycle: [],
  messages: [],
  droppedMessages: 0,
  ...over,
});

const entries: Entry[] = [
  entry('login', {
    method: 'POST',
    url: 'https://api.example.com/v1/login?next=%2Fhome',
    request: { headers: [['Content-Type', 'application/json'], ['X-Token', 'abc']], body: text('{"user":"ada"}') },
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', '2048']], body: text('{"ok":true}') },
  }),
  entry('missing', {
    url: 'https://cdn.example.com/img/logo.png',
    response: { status: 404, statusText: 'Not Found', headers: [['content-type', 'text/html']] },
    wire: { requestId: '7', redirects: [], resourceType: 'xmlhttprequest', statusCode: 404, statusLine: 'HTTP/1.1 404 Not Found', responseHeaders: [['Set-Cookie', 'a=1']] },
  }),
  entry('socket', { kind: 'websocket', method: 'GET', url: 'wss://live.other.org/feed', endTime: undefined, state: 'open', messages: [{ t: 1, dir: 'receive', data: text('{"price":42,"sym":"NLNS"}') }] }),
  entry('cached', { kind: 'xhr', url: 'http://a.test/app.js', response: { status: 200, statusText: '', headers: [] }, wire: { requestId: '8', redirects: [], resourceType: 'xmlhttprequest', statusCode: 200, fromCache: true } }),
  entry('failed', { url: 'http://a.test/down', state: 'error', error: 'TypeError: Failed to fetch', initiator: '    at load (http://a.test/js/main.js?v=3:41:7)\n    at http://a.test/index.html:9:1' }),
  entry('pre', { kind: 'preflight', method: 'OPTIONS', url: 'https://api.example.com/v1/login?next=%2Fhome', response: { status: 204, statusText: 'No Content', headers: [] } }),
];
const ids = (query: string, blocked: (e: Entry) => boolean = (e) => e.id === 'failed') => {
  const parsed = parseFilter(query);
  return entries.filter(compileFilter(parsed, { blocked })).map((e) => e.id);
};

describe('filter language: parsing', () => {
  it('reads keys, negation, plain words, quoted values and regexes, with their places in the query', () => {
    const q = 'method:POST -status-code:200 login "two words" /v\\d+\\/lo gin/ body:"a b"';
    const { terms, problems } = parseFilter(q);
    expect(problems).toEqual([]);
    expect(terms.map((t) => [t.type, t.negated, t.type === 'key' ? `${t.key}=${t.value}` : t.type === 'regex' ? t.source : t.value, q.slice(t.start, t.end)])).toEqual([
      ['key', false, 'method=POST', 'method:POST'],
      ['key', true, 'status-code=200', '-status-code:200'],
      ['text', false, 'login', 'login'],
      ['text', false, 'two words', '"two words"'],
      ['regex', false, 'v\\d+\\/lo gin', '/v\\d+\\/lo gin/'],
      ['key', false, 'body=a b', 'body:"a b"'],
    ]);
  });

  it('reports unknown keys, bad values and invalid regexes, and matches them as text', () => {
    const { terms, problems } = parseFilter('foo:bar larger-than:big is:fast kind:socket /[/ ok');
    expect(problems.map((p) => p.message)).toEqual([
      'unknown key "foo:" (matched as text)',
      'larger-than: takes a size in bytes such as 100, 10k or 1M, not "big" (matched as text)',
      expect.stringContaining('is: takes running, from-cache, cors-error, not "fast"'),
      expect.stringContaining('kind: takes xhr, fetch'),
      expect.stringMatching(/^invalid regular expression \/\[\/: .* \(matched as text\)$/),
    ]);
    expect(terms.map((t) => (t.type === 'text' ? t.value : t.type))).toEqual(['foo:bar', 'larger-than:big', 'is:fast', 'kind:socket', '/[/', 'ok']);
    expect(problems.map((p) => [p.start, p.end])).toEqual([[0, 7], [8, 23], [24, 31], [32, 43], [44, 47]]);
  });

  it('leaves URLs, host:port, a lone "-", an open regex and a key still being typed alone', () => {
    expect(parseFilter('http://a.test/x localhost:8080 - /api key').problems).toEqual([]);
    // A URL's scheme while it is being typed.
    for (const typing of ['http:', 'https:/', 'wss:', 'data:text/plain']) expect([typing, parseFilter(typing).problems]).toEqual([typing, []]);
    expect(parseFilter('foo:').problems).toHaveLength(1);
    expect(parseFilter('/api').terms).toMatchObject([{ type: 'text', value: '/api' }]);
    expect(parseFilter('method:').terms).toMatchObject([{ type: 'key', key: 'method', value: '' }]);
    expect(ids('method:')).toEqual(entries.map((e) => e.id));
  });

  it('reads sizes as DevTools does: k is 1000, M is 1000·1000, either case', () => {
    expect(['100', '10k', '10K', '1M', '1m', '1.5k'].map(parseSize)).toEqual([100, 10_000, 10_000, 1_000_000, 1_000_000, 1500]);
    expect(parseSize('10kb')).toBeUndefined();
  });
});

describe('filter language: matching', () => {
  it('matches each key as DevTools does', () => {
    expect(ids('method:POST')).toEqual(['login']);
    expect(ids('method:post')).toEqual(['login']);
    expect(ids('status-code:404')).toEqual(['missing']);
    // No status (failed, still open, blocked) is 0, as in DevTools.
    expect(ids('status-code:0')).toEqual(['socket', 'failed']);
    expect(ids('domain:api.example.com')).toEqual(['login', 'pre']);
    expect(ids('domain:*.example.com')).toEqual(['login', 'missing', 'pre']);
    expect(ids('domain:example.com')).toEqual([]);
    expect(ids('scheme:wss')).toEqual(['socket']);
    expect(ids('mime-type:application/json')).toEqual(['login']);
    expect(ids('mime-type:text/html')).toEqual(['missing']);
    expect(ids('larger-than:2k')).toEqual(['login']);
    expect(ids('larger-than:2049')).toEqual([]);
    expect(ids('larger-than:20')).toEqual(['login', 'socket']);
    expect(ids('has-response-header:set-cookie')).toEqual(['missing']);
    expect(ids('has-request-header:X-TOKEN')).toEqual(['login']);
    expect(ids('is:running')).toEqual(['socket']);
    expect(ids('is:from-cache')).toEqual(['cached']);
    expect(ids('is:cors-error')).toEqual(['failed']);
    expect(ids('kind:preflight')).toEqual(['pre']);
    expect(ids('header:content-type=JSON')).toEqual(['login']);
    expect(ids('header:content-type')).toEqual(['login', 'missing']);
    expect(ids('body:ada')).toEqual(['login']);
    expect(ids('body:ok":true')).toEqual(['login']);
    expect(ids('body:nlns')).toEqual(['socket']);
  });

  it('matches plain words and regexes over the URL, negates with "-", and ANDs the terms', () => {
    expect(ids('LOGIN')).toEqual(['login', 'pre']);
    expect(ids('/\\.(png|js)$/')).toEqual(['missing', 'cached']);
    expect(ids('method:POST -status-code:200')).toEqual([]);
    expect(ids('-method:GET -kind:preflight')).toEqual(['login']);
    expect(ids('example -/png/ -kind:preflight')).toEqual(['login']);
    expect(ids('foo:bar')).toEqual([]);
    expect(ids('-foo:bar')).toEqual(entries.map((e) => e.id));
  });

  it('searches bodies only up to the bound', () => {
    const big = entry('big', { response: { status: 200, statusText: 'OK', headers: [], body: text(`${'x'.repeat(BODY_SEARCH_CHARS)}needle`) } });
    const near = entry('near', { response: { status: 200, statusText: 'OK', headers: [], body: text(`${'x'.repeat(BODY_SEARCH_CHARS - 6)}needle`) } });
    expect([big, near].filter(compileFilter(parseFilter('body:needle'), { blocked: () => false })).map((e) => e.id)).toEqual(['near']);
  });

  it('kind chips: any chosen chip lets an entry through; none is All', () => {
    const chips = (list: KindChip[]) => entries.filter(chipPredicate(list, { blocked: (e) => e.id === 'cached' })).map((e) => e.id);
    expect(chips([])).toEqual(entries.map((e) => e.id));
    expect(chips(['fetch-xhr'])).toEqual(['login', 'missing', 'cached', 'failed']);
    expect(chips(['ws', 'preflight'])).toEqual(['socket', 'pre']);
    expect(chips(['failed'])).toEqual(['missing', 'failed']);
    expect(chips(['cors-errors'])).toEqual(['cached']);
    expect([chipsNarrow([], ['ws']), chipsNarrow(['ws', 'sse'], ['ws']), chipsNarrow(['ws'], []), chipsNarrow(['ws'], ['sse'])]).toEqual([true, true, false, false]);
  });

  it('says when a query provably narrows another, and only then', () => {
    const narrows = (a: string, b: string) => narrowsFilter(parseFilter(a), parseFilter(b));
    expect([narrows('', 'a'), narrows('a', 'ab'), narrows('ap', 'xapi'), narrows('method:GET', 'method:GET api'), narrows('method:', 'method:P'), narrows('-x kind:xhr', 'kind:xhr y -x')]).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([narrows('a', ''), narrows('-a', '-ab'), narrows('method:GET', 'method:GETX'), narrows('/a/', '/ab/'), narrows('kind:xhr', '-kind:xhr'), narrows('a b', 'ab')]).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe('filter suggestions', () => {
  const seen = emptySeenValues();
  for (const e of entries) addSeenValues(seen, e);

  it('offers keys for a word being typed, and values seen in the entries after a key', () => {
    expect(suggest('m', 1, () => seen).items).toEqual(['method:', 'mime-type:']);
    expect(suggest('has-', 4, () => seen).items).toEqual(['has-response-header:', 'has-request-header:']);
    expect(suggest('status-code:4', 13, () => seen).items).toEqual(['status-code:404']);
    expect(suggest('-method:', 8, () => seen)).toEqual({ from: 1, to: 8, items: ['method:GET', 'method:OPTIONS', 'method:POST'] });
    expect(suggest('domain:', 7, () => seen).items).toEqual(['domain:a.test', 'domain:api.example.com', 'domain:cdn.example.com', 'domain:live.other.org']);
    expect(suggest('is:', 3, () => seen).items).toEqual(['is:cors-error', 'is:from-cache', 'is:running']);
    expect(suggest('larger-than:1', 13, () => seen).items).toEqual(['larger-than:100', 'larger-than:10k', 'larger-than:1M']);
    expect(suggest('scheme:', 7, () => seen).items).toEqual(['scheme:http', 'scheme:https', 'scheme:wss']);
    expect(suggest('mime-type:', 10, () => seen).items).toEqual(['mime-type:application/json', 'mime-type:text/html']);
    expect(suggest('kind:w', 6, () => seen).items).toEqual(['kind:websocket']);
    expect(suggest('foo:', 4, () => seen).items).toEqual([]);
    expect(suggest('/re', 3, () => seen).items).toEqual([]);
  });

  it('accepts a suggestion in place, keeping the rest of the query', () => {
    const query = 'api -sta x';
    const s = suggest(query, 8, () => seen);
    expect(s.items).toEqual(['status-code:']);
    expect(acceptSuggestion(query, s, s.items[0])).toEqual({ query: 'api -status-code: x', cursor: 17 });
    const v = suggest('method:P', 8, () => seen);
    expect(acceptSuggestion('method:P', v, 'method:POST')).toEqual({ query: 'method:POST ', cursor: 12 });
  });
});

describe('entry columns', () => {
  it('name and host, reason phrase, sizes, and the initiator top frame', () => {
    expect(entryName(entries[0])).toEqual({ path: '/v1/login?next=%2Fhome', host: 'api.example.com' });
    expect(entryName(entry('x', { url: 'not a url' }))).toEqual({ path: 'not a url', host: '' });
    // A data: URL of megabytes: the cell shows its start.
    const data = entryName(entry('x', { url: `data:text/plain,${'d'.repeat(2_000_000)}` })).path;
    expect(data).toBe(`text/plain,${'d'.repeat(NAME_CHARS - 'text/plain,'.length)}…`);
    expect(clipText(`${'a'.repeat(9)}😀z`, 10)).toBe(`${'a'.repeat(9)}…`);
    expect(clipText('short', 10)).toBe('short');
    expect([reasonPhrase(entries[0]), reasonPhrase({ ...entries[1], response: undefined })]).toEqual(['OK', 'Not Found']);
    expect([entrySizes(entries[0]), entrySizes(entries[2]), entrySizes(entries[3])]).toEqual([{ transferred: 2048, resource: 11 }, { resource: 25, transferred: undefined }, { transferred: 0, resource: undefined }]);
    expect(initiatorFrame(entries[4])).toEqual({ label: 'main.js:41', url: 'http://a.test/js/main.js?v=3', line: 41 });
    expect(initiatorFrame(entries[0])).toBeUndefined();
    // The host read from a serialized URL is the one `new URL` gives; anything unusual is parsed.
    for (const url of ['https://api.example.com/v1', 'http://a.test:8080?x', 'wss://u:p@live.other.org/feed', 'http://[::1]:3000/', 'https://xn--bcher-kva.example/', 'HTTP://Mixed.Case/x', 'http://%41.test/', 'data:text/plain,hi', 'blob:https://a.test/1', 'not a url']) {
      let expected = '';
      try {
        expected = new URL(url).hostname;
      } catch {
        // stays ''
      }
      expect([url, entryHost(entry('h', { url }))]).toEqual([url, expected]);
    }
  });
});

describe('the filter over single messages (messages inline)', () => {
  const m = (data: string) => ({ t: 0, dir: 'receive' as const, data: text(data) });
  it('takes the body: terms only (ANDed, - negates), case-insensitive; none: every message', () => {
    expect(compileMessageFilter(parseFilter('method:GET /api/ foo'))).toBeUndefined();
    const fits = compileMessageFilter(parseFilter('method:GET body:Token -body:ping'))!;
    expect(['a TOKEN here', 'token ping', 'nothing'].map((d) => fits(m(d)))).toEqual([true, false, false]);
    // Bytes (base64) are not searched, as for an entry's messages.
    expect(fits({ t: 0, dir: 'receive', data: { encoding: 'base64', data: 'dG9rZW4=', size: 5, truncated: false } })).toBe(false);
  });
});
