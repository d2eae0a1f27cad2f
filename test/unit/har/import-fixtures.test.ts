import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import { importHar } from '../../../src/shared/har/import';
import { FIXTURE_NAMES, fixture, fixtureFiles, fixtureText, validateHar } from './helpers';

describe('importHar on real HAR files', () => {
  it('every HAR in test/fixtures/har is tested here and its source is in SOURCES.md', () => {
    const hars = fixtureFiles().filter((f) => f.endsWith('.har'));
    expect(hars).toEqual([...FIXTURE_NAMES].sort());
    const sources = fixtureText('SOURCES.md');
    expect(hars.filter((f) => !sources.includes(`| \`${f}\` |`))).toEqual([]);
  });

  it.each(FIXTURE_NAMES)('%s imports without throwing and re-exports as valid HAR', async (name) => {
    const raw = fixture(name) as { log: { entries: unknown[] } };
    const { entries, warnings } = importHar(raw);
    expect(entries).toHaveLength(raw.log.entries.length);
    expect(warnings).toEqual([]);
    await validateHar(exportHar(entries));
    await validateHar(exportHar(entries, { redact: false }));
  });

  it('mitmproxy-websocket.har: three 101 handshakes with 5 messages (3 receive, 2 send)', () => {
    const { entries } = importHar(fixture('mitmproxy-websocket.har'));
    expect(entries.map((e) => [e.kind, e.method, e.response?.status, e.messages.length])).toEqual([
      ['websocket', 'GET', 101, 1],
      ['websocket', 'GET', 101, 1],
      ['websocket', 'GET', 101, 3],
    ]);
    const all = entries.flatMap((e) => e.messages);
    expect(all).toHaveLength(5);
    expect(all.map((m) => m.dir)).toEqual(['receive', 'receive', 'receive', 'send', 'send']);
    expect(all[0]).toEqual({ t: 1693314200336.985, dir: 'receive', data: { encoding: 'text', data: '{"error":"Unknown api key"}', size: 27, truncated: false } });
    expect(entries[2].messages.slice(1).map((m) => m.data.data)).toEqual(['foo', 'bar']);
    expect(entries[0].state).toBe('open');
    expect(entries[0].url).toBe('https://demo.piesocket.com/v3/channel_123?api_key=VCXCEuvhGcBDP7XhiJJUDvR1e1D3eiVjgZ9VRiaV&notify_self');
  });

  it('mitmproxy-event-stream.har: two SSE GETs with no captured events', () => {
    const { entries } = importHar(fixture('mitmproxy-event-stream.har'));
    expect(entries.map((e) => [e.kind, e.method, e.response?.status, e.messages.length, e.response?.body])).toEqual([
      ['eventsource', 'GET', 200, 0, undefined],
      ['eventsource', 'GET', 200, 0, undefined],
    ]);
    const har = exportHar(entries, { redact: false });
    expect(har.log.entries[0]._eventSourceMessages).toEqual([]);
    expect(har.log.entries[0]._resourceType).toBe('eventsource');
  });

  it('chrome-xhr-json-reqres.har: two XHRs with JSON bodies and script initiators', () => {
    const { entries } = importHar(fixture('chrome-xhr-json-reqres.har'));
    expect(entries.map((e) => [e.kind, e.method, e.url, e.response?.status])).toEqual([
      ['xhr', 'POST', 'https://reqres.in/api/register', 200],
      ['xhr', 'PATCH', 'https://reqres.in/api/users/2', 200],
    ]);
    expect(entries[0].request.body).toMatchObject({ encoding: 'text', mimeType: 'application/json' });
    expect(JSON.parse(entries[0].request.body!.data)).toHaveProperty('email');
    expect(entries[0].initiator).toBe('    at https://reqres.in/js/app.js:220:11');
    expect(entries[0].doc).toBeUndefined();
  });

  it('chrome-document-image-failed.har: a 304 document, a failed request and an image', () => {
    const { entries } = importHar(fixture('chrome-document-image-failed.har'));
    expect(entries.map((e) => [e.method, e.response?.status ?? 0, e.state, e.wire?.resourceType])).toEqual([
      ['GET', 304, 'done', 'main_frame'],
      ['GET', 0, 'error', 'main_frame'],
      ['GET', 200, 'done', 'image'],
    ]);
    expect(entries[1].error).toBe('net::ERR_INTERNET_DISCONNECTED');
    expect(entries[1].response).toBeUndefined();
    expect(entries[2].response?.body).toMatchObject({ encoding: 'base64', size: 7108, mimeType: 'image/png' });
    expect(entries[0].doc).toBe('page_1');
    expect(entries[0].frameUrl).toBe('https://mitmproxy.org/');
    const har = exportHar(entries, { redact: false });
    expect(har.log.entries[1].response._error).toBe('net::ERR_INTERNET_DISCONNECTED');
    expect(har.log.entries.map((e) => e._resourceType)).toEqual(['document', 'document', 'image']);
    expect(har.log.entries[2].response.content).toMatchObject({ encoding: 'base64', size: 7108 });
  });

  it('firefox-111-page-load.har: 14 GETs, 10 × 200 and 4 × 304', () => {
    const { entries } = importHar(fixture('firefox-111-page-load.har'));
    expect(entries).toHaveLength(14);
    expect(entries.every((e) => e.method === 'GET')).toBe(true);
    const statuses = entries.map((e) => e.response?.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 304)).toHaveLength(4);
    expect(entries[0].wire?.ip).toBe('13.35.121.55');
    expect(entries[13].response?.body).toMatchObject({ encoding: 'base64', size: 98065 });
    expect(entries[11].wire?.resourceType).toBe('xmlhttprequest'); // sec-fetch-dest: empty
  });

  it('firefox-77-json-post.har: one JSON POST with a ~39 KB JSON response', () => {
    const { entries } = importHar(fixture('firefox-77-json-post.har'));
    expect(entries).toHaveLength(1);
    const [e] = entries;
    expect([e.method, e.response?.status]).toEqual(['POST', 200]);
    expect(e.request.body?.mimeType).toBe('application/json; charset=utf-8');
    expect(e.response?.body?.size).toBe(39483);
    expect(() => JSON.parse(e.response!.body!.data)).not.toThrow();
  });

  it('charles-4.2-multipart-filename.har: multipart params with fileName become form entries', () => {
    const { entries } = importHar(fixture('charles-4.2-multipart-filename.har'));
    expect(entries.map((e) => [e.method, e.response?.status])).toEqual([
      ['GET', 200],
      ['POST', 200],
    ]);
    const body = entries[1].request.body!;
    expect(body.encoding).toBe('none');
    expect(body.form?.map((f) => [f.name, f.fileName, f.type])).toEqual([
      ['upfile', 'Small.gif', 'image/gif'],
      ['note', undefined, undefined],
    ]);
    expect(body.form?.[1].value).toBe('FILENAME');
    const params = exportHar(entries, { redact: false }).log.entries[1].request.postData?.params;
    expect(params?.[0]).toMatchObject({ name: 'upfile', fileName: 'Small.gif', contentType: 'image/gif' });
  });

  it('chrome-61-multipart.har: multipart text only; export decodes the params', () => {
    const { entries } = importHar(fixture('chrome-61-multipart.har'));
    expect(entries.map((e) => [e.method, e.response?.status, e.doc])).toEqual([
      ['POST', 200, 'page_5'],
      ['GET', 200, 'page_4'],
    ]);
    const params = exportHar(entries, { redact: false }).log.entries[0].request.postData?.params;
    expect(params).toEqual([
      { name: 'upfile', fileName: 'Small.gif', contentType: 'image/gif' },
      { name: 'note', value: 'NOTES' },
    ]);
  });

  it('firefox-56-multipart-binary.har: the GIF upload written a character per byte is those bytes; a finished request with time null is not running; empty GET postData is no body', () => {
    const raw = fixture('firefox-56-multipart-binary.har') as { log: { entries: { request: { postData: { text: string } } }[] } };
    const { entries } = importHar(raw);
    expect(entries.map((e) => [e.method, e.response?.status])).toEqual([
      ['GET', 200],
      ['POST', 200],
    ]);
    expect(entries[0].request.body).toBeUndefined();
    // 2,109 characters for a bodySize of 2,109 bytes: read as UTF-8 they were 2,837 bytes, the GIF's 0xe6 as c3 a6.
    const text = raw.log.entries[1].request.postData.text;
    const body = entries[1].request.body!;
    expect([body.encoding, body.size]).toEqual(['base64', 2109]);
    expect(Buffer.from(body.data, 'base64').equals(Buffer.from(text, 'latin1'))).toBe(true);
    expect(Buffer.from(body.data, 'base64').includes(Buffer.from('GIF89ad\0d\0\xe6', 'latin1'))).toBe(true);
    // Firefox wrote "time": null; its timings say when it ended.
    expect(entries[1].endTime).toBe(entries[1].wire?.endTime);
    expect(entries[1].endTime).toBeGreaterThan(entries[1].startTime);
    const params = exportHar(entries, { redact: false }).log.entries[1].request.postData?.params;
    expect(params?.map((p) => [p.name, p.fileName])).toEqual([
      ['upfile', 'Small.gif'],
      ['note', undefined],
    ]);
  });
});

describe('importHar: what other tools write', () => {
  const withEntry = (request: object, over: object = {}) => ({
    log: {
      version: '1.2',
      creator: { name: 'Firefox', version: '120' },
      entries: [
        {
          startedDateTime: '2024-01-01T00:00:00.000Z',
          time: 12,
          request: { method: 'POST', url: 'http://a.test/', httpVersion: 'HTTP/1.1', headers: [], cookies: [], queryString: [], headersSize: -1, bodySize: -1, ...request },
          response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: -1 },
          cache: {},
          timings: { send: 1, wait: 10, receive: 1 },
          ...over,
        },
      ],
    },
  });

  it('keeps Firefox text with accented letters as text (its bodySize is the text\'s length, whatever the bytes): only control characters say bytes', () => {
    const text = '{"name":"José","café":"crème"}';
    const [entry] = importHar(withEntry({ bodySize: text.length, postData: { mimeType: 'application/json', text } })).entries;
    expect([entry.request.body?.encoding, entry.request.body?.data]).toEqual(['text', text]);
  });

  it('ends a finished request with time null and no usable timings where it began: it is not running', () => {
    const [entry] = importHar(withEntry({ method: 'GET' }, { time: null, timings: { send: -1, wait: -1, receive: -1 } })).entries;
    expect([entry.state, entry.endTime]).toEqual(['done', entry.startTime]);
  });
});
