import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import { importHar } from '../../../src/shared/har/import';
import type { Entry } from '../../../src/shared/model';
import { planRedaction } from '../../../src/shared/redact';
import { T0, base64, fixture, makeEntry, msg, text, validateHar } from '../har/helpers';

const b64url = (s: string) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (sub: string) => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${sub}","iat":1516239022}`)}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;

/** Every secret planted below; none may appear anywhere in the exported JSON. */
const S = {
  authHeader: 'AuthHeaderToken0123456789abcdef',
  proxyAuth: btoa('proxyuser:proxy-pass-9f8e7d'),
  cookie: 'CookieValue-5a4b3c2d1e',
  setCookie: 'SetCookieValue-0f9e8d7c',
  apiKey: 'ApiKey-77c1b0e9d2a4',
  customToken: 'XAuthTok-31337-deadbeef',
  session: 'SessHdr-1234abcd5678',
  pageOnlyAuth: 'PageOnlyBearer-zzzz-1111',
  queryToken: 'QueryAccessToken-a1b2c3',
  queryKey: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
  userinfoPass: 'UrlPassw0rd-q9',
  jwtInPath: jwt('path-user'),
  jwtInBody: jwt('body-user'),
  nestedPassword: 'NestedPassw0rd-xyz',
  refreshToken: 'RefreshTok-000-aaa',
  jsonSecretNumber: '982451653',
  formPassword: 'FormPassw0rd-abc',
  multipartPassword: 'MultiPassw0rd-def',
  formDataToken: 'FormDataTok-ghi-123',
  wsJwt: jwt('ws-user'),
  wsJsonToken: 'WsJsonTok-jkl-456',
  wsBinaryBearer: 'WsBinaryBearer-mno-789',
  sseBearer: 'SseBearer-pqr-012',
  sseChunkSecret: 'ChunkSecret-stu-345',
  jsonpToken: 'JsonpTok-vwx-678',
  jsonpCutToken: 'JsonpCut-vwx-679',
  stackToken: 'StackTok-yz-901',
  metaUser: 'basic-auth-user-7',
  redirectToken: 'RedirectTok-abc-234',
  refererToken: 'RefererTok-def-567',
  responseBase64Secret: 'B64BodySecret-ghi-890',
  userHeader: 'CustomHdrVal-jkl-123',
  userField: '123-45-6789',
  userPattern: 'ACME-778899',
  ghToken: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  wireOnlyCookie: 'WireOnlyCookie-mno-456',
};

/** Values that must survive. */
const KEEP = ['application/json', 'alice', 'page=2', 'hello world', 'Jane Author', 'max_tokens', 'NOTES-keep', '\\"count\\":3', 'lang=en'];

function plantedEntries(): Entry[] {
  const api = makeEntry({
    kind: 'xhr',
    method: 'POST',
    url: `https://bob:${S.userinfoPass}@api.example/v1/${S.jwtInPath}/items?page=2&access_token=${S.queryToken}&key=${S.queryKey}&lang=en`,
    request: {
      headers: [
        ['Authorization', `Bearer ${S.pageOnlyAuth}`],
        ['Content-Type', 'application/json'],
      ],
      body: text(JSON.stringify({ user: { name: 'alice', password: S.nestedPassword, pin: Number(S.jsonSecretNumber) }, tokens: { refresh: S.refreshToken }, author: 'Jane Author', max_tokens: 100 }, null, 2)),
      meta: { user: S.metaUser, hasPassword: true, async: true },
    },
    wire: {
      requestId: '1',
      resourceType: 'xmlhttprequest',
      requestHeaders: [
        ['Authorization', `Bearer ${S.authHeader}`],
        ['Proxy-Authorization', `Basic ${S.proxyAuth}`],
        ['Cookie', `sid=${S.cookie}; theme=dark`],
        ['X-Api-Key', S.apiKey],
        ['X-Auth-Token', S.customToken],
        ['X-Session-Id', S.session],
        ['Referer', `https://app.example/?token=${S.refererToken}`],
        ['X-Custom', S.userHeader],
        ['Content-Type', 'application/json'],
      ],
      responseHeaders: [
        ['Content-Type', 'application/json'],
        ['Set-Cookie', `session=${S.setCookie}; Path=/; HttpOnly`],
      ],
      statusCode: 200,
      redirects: [{ url: 'https://api.example/old', status: 302, location: `https://api.example/v1?code=${S.redirectToken}`, headers: [['Location', `https://api.example/v1?code=${S.redirectToken}`]] }],
    },
    response: {
      status: 200,
      statusText: 'OK',
      headers: [['Content-Type', 'application/json']],
      body: text(`{"jwt":"${S.jwtInBody}","ssn":"${S.userField}","note":"order ${S.userPattern}","count":3,"gh":"${S.ghToken}"}`),
    },
    initiator: `Error\n    at send (https://app.example/app.js?auth_token=${S.stackToken}:1:2)`,
  });
  const form = makeEntry({
    method: 'POST',
    url: 'https://api.example/login',
    request: { headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: text(`user=alice&password=${S.formPassword}&remember=1`) },
  });
  const multipart = makeEntry({
    method: 'POST',
    url: 'https://api.example/upload',
    request: {
      headers: [['Content-Type', 'multipart/form-data; boundary=zz']],
      body: text(`--zz\r\nContent-Disposition: form-data; name="password"\r\n\r\n${S.multipartPassword}\r\n--zz\r\nContent-Disposition: form-data; name="note"\r\n\r\nNOTES-keep\r\n--zz--\r\n`),
    },
  });
  const formData = makeEntry({
    method: 'POST',
    request: { headers: [], body: { encoding: 'none', data: '', size: 10, truncated: false, source: 'formdata', form: [{ name: 'csrf_token', value: S.formDataToken }, { name: 'title', value: 'hello world' }] } },
  });
  const ws = makeEntry({
    kind: 'websocket',
    url: 'wss://live.example/socket',
    response: undefined,
    state: 'open',
    messages: [
      msg(T0 + 1, 'send', text(`{"type":"auth","jwt":"${S.wsJwt}"}`)),
      msg(T0 + 2, 'send', text(`42["login",{"token":"${S.wsJsonToken}"}]`)),
      msg(T0 + 3, 'receive', base64([...new TextEncoder().encode(`Authorization: Bearer ${S.wsBinaryBearer}`)])),
      msg(T0 + 4, 'receive', text('hello world')),
    ],
  });
  const es = makeEntry({
    kind: 'eventsource',
    messages: [msg(T0 + 1, 'receive', text(`{"header":"Bearer ${S.sseBearer}"}`), { eventName: 'cfg' })],
  });
  const stream = makeEntry({
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/event-stream']] },
    messages: [msg(T0 + 1, 'receive', text(`data: {"secret":"${S.sseChunkSecret}"}\n\n`))],
  });
  const jsonp = makeEntry({
    kind: 'jsonp',
    response: undefined,
    jsonp: { callback: 'cb', called: true, payload: text(`{"access_token":"${S.jsonpToken}"}`) },
  });
  // Cut at the cap: not whole JSON, so the text stays in payloadInfo.data.
  const jsonpCut = makeEntry({
    kind: 'jsonp',
    response: undefined,
    jsonp: { callback: 'cb', called: true, payload: text(`{"items":[1],"refresh_token":"${S.jsonpCutToken}","more":[`, { size: -1, truncated: true }) },
  });
  const binaryJson = makeEntry({
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: base64([...new TextEncoder().encode(`{"client_secret":"${S.responseBase64Secret}"}`)]) },
  });
  const wireOnly = makeEntry({
    id: 'wire:77',
    doc: undefined,
    kind: 'other',
    request: { headers: [['Cookie', `a=${S.wireOnlyCookie}`]] },
  });
  return [api, form, multipart, formData, ws, es, stream, jsonp, jsonpCut, binaryJson, wireOnly];
}

const RULES = { headers: ['X-Custom'], fields: ['ssn'], patterns: [/ACME-\d{6}/] };

describe('redaction of planted secrets', () => {
  it('exports none of them, keeps the rest, and still writes valid HAR', async () => {
    const har = exportHar(plantedEntries(), { redact: RULES });
    const json = JSON.stringify(har);
    const leaked = Object.entries(S).filter(([, secret]) => json.includes(secret) || json.includes(encodeURIComponent(secret)) || json.includes(btoa(secret)));
    expect(leaked.map(([k]) => k)).toEqual([]);
    for (const keep of KEEP) expect(json).toContain(keep);
    await validateHar(har);
  });

  it('shows what went: markers with length classes, names and schemes kept', () => {
    const [api, form] = exportHar(plantedEntries(), { redact: RULES }).log.entries;
    const header = (name: string) => api.request.headers.find((h) => h.name === name)?.value;
    expect(header('Authorization')).toBe('Bearer [redacted:16-32]');
    expect(header('Proxy-Authorization')).toBe('Basic [redacted:32-64]');
    expect(header('Cookie')).toBe('sid=[redacted:16-32]; theme=[redacted:4-8]');
    expect(header('X-Api-Key')).toBe('[redacted:16-32]');
    expect(header('Content-Type')).toBe('application/json');
    expect(api.request.cookies.map((c) => c.name)).toEqual(['sid', 'theme']);
    expect(api.response.headers[1].value).toBe('session=[redacted:16-32]; Path=/; HttpOnly');
    expect(api.request.url).toBe(
      'https://%5Bredacted%3A16-32%5D@api.example/v1/[redacted:128-256]/items?page=2&access_token=%5Bredacted%3A16-32%5D&key=%5Bredacted%3A32-64%5D&lang=en',
    );
    expect(api.request.queryString.find((q) => q.name === 'access_token')?.value).toBe('[redacted:16-32]');
    expect(JSON.parse(api.request.postData!.text!)).toEqual({
      user: { name: 'alice', password: '[redacted:16-32]', pin: '[redacted:8-16]' },
      tokens: { refresh: '[redacted:16-32]' },
      author: 'Jane Author',
      max_tokens: 100,
    });
    expect(form.request.postData?.text).toBe('user=alice&password=%5Bredacted%3A16-32%5D&remember=1');
    expect(form.request.postData?.params?.[1]).toEqual({ name: 'password', value: '[redacted:16-32]' });
    expect(api._netlens?.meta).toEqual({ user: '[redacted:16-32]', hasPassword: true, async: true });
  });

  it('previews every removal with the entry, the place and a masked sample', () => {
    const entries = plantedEntries();
    const plan = planRedaction(entries, RULES);
    const json = JSON.stringify(plan);
    expect(Object.values(S).filter((s) => json.includes(s))).toEqual([]);
    expect(plan).toContainEqual({ entryId: entries[0].id, where: 'header', name: 'Authorization', path: 'request.headers[0]', sample: 'Auth… (31 chars)' });
    expect(plan).toContainEqual({ entryId: entries[0].id, where: 'query', name: 'access_token', path: 'request.queryString[1]', sample: 'Quer… (23 chars)' });
    expect(plan).toContainEqual(expect.objectContaining({ entryId: entries[4].id, where: 'message', name: 'jwt' }));
    expect(plan).toContainEqual(expect.objectContaining({ entryId: entries[2].id, where: 'body', name: 'password', path: 'request.postData.text (part "password")' }));
    expect(plan).toContainEqual(expect.objectContaining({ entryId: 'wire:77', where: 'cookie', name: 'a' }));
    const wheres = new Set(plan.map((f) => f.where));
    expect([...wheres].sort()).toEqual(['body', 'cookie', 'header', 'message', 'meta', 'other', 'param', 'query', 'url']);
    // The plan is what the export removes: exporting with the same rules finds nothing left.
    expect(planRedaction(importHar(exportHar(entries, { redact: RULES })).entries, RULES)).toEqual([]);
  });

  it('can be turned off', () => {
    const json = JSON.stringify(exportHar(plantedEntries(), { redact: false }));
    expect(json).toContain(S.authHeader);
    expect(planRedaction(plantedEntries(), { enabled: false })).toEqual([]);
  });

  it('redacts secrets that real HAR files carry (Google SID cookie, LaunchDarkly key, piesocket api_key)', () => {
    const secrets = ['VCXCEuvhGcBDP7XhiJJUDvR1e1D3eiVjgZ9VRiaV', 'mob-82856bdd-1e79-4d98-a55f-be43b733543b'];
    for (const name of ['mitmproxy-websocket.har', 'mitmproxy-event-stream.har', 'chrome-document-image-failed.har']) {
      const raw = fixture(name) as { log: { entries: { request: { cookies?: { name: string; value: string }[] } }[] } };
      const cookies = raw.log.entries.flatMap((e) => e.request.cookies ?? []).map((c) => c.value).filter((v) => v.length > 8);
      const json = JSON.stringify(exportHar(importHar(raw).entries));
      expect([...secrets, ...cookies].filter((s) => json.includes(s))).toEqual([]);
    }
  });
});
