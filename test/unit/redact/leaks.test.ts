import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import type { Entry } from '../../../src/shared/model';
import { T0, base64, makeEntry, msg, text } from '../har/helpers';

const utf8 = (s: string) => [...new TextEncoder().encode(s)];

/** An opaque secret: no shape (JWT, Bearer…) gives it away, only where it sits does. */
const S = 'Zq7SecretValue9XyW3k';

function exported(entries: Entry[]): string {
  return JSON.stringify(exportHar(entries));
}

describe('secrets in URL fragments and URL-valued fields', () => {
  it("OAuth's implicit flow: #access_token=… in a redirect's Location, redirectURL, the page's URL and title", () => {
    const redirect = makeEntry({
      frameUrl: `https://app.example/cb#access_token=${S}&scope=email&expires_in=3599`,
      response: { status: 302, statusText: 'Found', headers: [['Location', `https://app.example/cb#state=xyz&access_token=${S}`]] },
      wire: {
        requestId: '1',
        resourceType: 'xmlhttprequest',
        redirects: [{ url: 'https://auth.example/authorize', status: 302, location: `https://app.example/#/cb?id_token=${S}` }],
      },
    });
    const json = exported([redirect]);
    expect(json).not.toContain(S);
    const har = exportHar([redirect]);
    const e = har.log.entries[0];
    expect(e.response.headers[0].value).toBe('https://app.example/cb#state=xyz&access_token=%5Bredacted%3A16-32%5D');
    expect(e.response.redirectURL).toBe(e.response.headers[0].value);
    expect(har.log.pages?.[0].title).toBe('https://app.example/cb#access_token=%5Bredacted%3A16-32%5D&scope=email&expires_in=3599');
    expect(e._netlens?.wire?.redirects[0].location).toBe('https://app.example/#/cb?id_token=%5Bredacted%3A16-32%5D');
  });

  it("a redirect's credential-named value goes whole, as the request URL's does (a value may hold ;)", () => {
    const e = makeEntry({ response: { status: 302, statusText: 'Found', headers: [['Location', `/cb?code=abc;${S}&x=1`]] } });
    const res = exportHar([e]).log.entries[0].response;
    expect(res.headers[0].value).toBe('/cb?code=%5Bredacted%3A16-32%5D&x=1');
    expect(res.redirectURL).toBe(res.headers[0].value);
  });
});

describe('secrets in the _netlens fields that hold headers and messages', () => {
  it("deep capture's WebSocket handshake: its Cookie, Authorization and Set-Cookie go as the request's do", () => {
    const e = makeEntry({
      kind: 'websocket',
      url: 'wss://live.example/socket',
      state: 'open',
      deep: { handshake: { requestHeaders: [['Cookie', `sid=${S}`], ['Authorization', `Bearer ${S}`], ['Origin', 'https://app.example']], status: 101, responseHeaders: [['Set-Cookie', `a=${S}; Path=/`]] } },
    });
    const json = exported([e]);
    expect(json).not.toContain(S);
    const h = exportHar([e]).log.entries[0]._netlens?.handshake;
    expect(h?.requestHeaders).toEqual([
      { name: 'Cookie', value: 'sid=[redacted:16-32]' },
      { name: 'Authorization', value: 'Bearer [redacted:16-32]' },
      { name: 'Origin', value: 'https://app.example' },
    ]);
    expect(h?.responseHeaders).toEqual([{ name: 'Set-Cookie', value: 'a=[redacted:16-32]; Path=/' }]);
  });

  it('WebSocket sends that never went out: by structure (a credential-named object goes whole) and binary decoded, as sent messages are', () => {
    const e = makeEntry({
      kind: 'websocket',
      state: 'closed',
      messages: [msg(T0, 'send', text(`{"auth":{"value":"${S}"}}`), { dropped: true }), msg(T0 + 1, 'send', base64(utf8(`{"credentials":{"p":"${S}"}}`)), { dropped: true })],
    });
    const unsent = exportHar([e]).log.entries[0]._netlens?.unsentMessages;
    expect(unsent?.map((m) => (m.opcode === 2 ? atob(m.data) : m.data))).toEqual(['{"auth":{"value":"[redacted:16-32]"}}', '{"credentials":{"p":"[redacted:16-32]"}}']);
  });

  it("deep capture's raw event-stream text: by structure, and a secret cut between two pieces", () => {
    const raw = [`data: {"auth":{"value":"${S}"}}\n\ndata: {"password":"${S.slice(0, 7)}`, `${S.slice(7)}"}\n\n`];
    const e = makeEntry({ deep: { raw: raw.map((t, k) => ({ t: T0 + k, text: t })) } });
    const out = exportHar([e]).log.entries[0]._netlens?.rawStream;
    expect(exported([e])).not.toContain(S.slice(7));
    expect(out?.map((r) => r.text)).toEqual(['data: {"auth":{"value":"[redacted:16-32]"}}\n\ndata: {"password":"[redacted:16-32]', '"}\n\n']);
  });

  it("a streamed body's chunks are redacted as the body is: a secret cut between chunks, a key in one chunk and its value in the next, a secret subtree over many lines", () => {
    const cut = [`data: {"auth":{"value":"${S}"}}\n\n`, `data: {"password":"${S.slice(0, 10)}`, `${S.slice(10)}"}\n\n`, 'data: {"refresh_token":', `"${S}"}\n\n`];
    const sse = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/event-stream']] }, messages: cut.map((c, k) => msg(T0 + k, 'receive', text(c))) });
    const pretty = JSON.stringify({ items: [1, 2], tokens: { access: S, note: 'x' }, ok: true }, null, 2);
    const pieces = [pretty.slice(0, 30), pretty.slice(30, 45), pretty.slice(45)];
    const json = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text(pretty) }, messages: pieces.map((c, k) => msg(T0 + k, 'receive', text(c))) });
    const har = exportHar([sse, json]);
    const out = JSON.stringify(har);
    for (const fragment of [S, S.slice(0, 10), S.slice(10)]) expect(out).not.toContain(fragment);
    const [a, b] = har.log.entries;
    expect(a._netlens?.chunks?.map((c) => c.data)).toEqual([
      'data: {"auth":{"value":"[redacted:16-32]"}}\n\n',
      'data: {"password":"[redacted:16-32]',
      '"}\n\n',
      'data: {"refresh_token":',
      '"[redacted:16-32]"}\n\n',
    ]);
    expect(b._netlens?.chunks).toHaveLength(3);
    expect(b._netlens?.chunks?.map((c) => c.data).join('')).toBe(b.response.content.text);
    expect(JSON.parse(b.response.content.text!)).toEqual({ items: [1, 2], tokens: { access: '[redacted:16-32]', note: '[redacted:1-2]' }, ok: true });
  });
});

describe('cookies', () => {
  it('a cookie with no name (Cookie: value, Set-Cookie: value; Path=/) is masked as a named one is', () => {
    const e = makeEntry({
      request: { headers: [['Cookie', `${S}; theme=dark;  ${S}x `]] },
      response: { status: 200, statusText: 'OK', headers: [['Set-Cookie', `${S}; Path=/; HttpOnly\nb=${S}; Secure`]] },
    });
    const har = exportHar([e]);
    expect(JSON.stringify(har)).not.toContain(S);
    const { request, response } = har.log.entries[0];
    expect(request.headers[0].value).toBe('[redacted:16-32]; theme=[redacted:4-8];  [redacted:16-32] ');
    expect(response.headers[0].value).toBe('[redacted:16-32]; Path=/; HttpOnly\nb=[redacted:16-32]; Secure');
  });
});

describe('values that encode a structure', () => {
  const variables = encodeURIComponent(JSON.stringify({ input: { email: 'a@b.example', password: S }, credentials: { user: 'ann', value: S } }));

  it("GraphQL over GET (Apollo's persisted queries): JSON variables in the query string, in the URL and its queryString alike", () => {
    const e = makeEntry({ url: `https://api.example/graphql?operationName=Login&variables=${variables}&extensions=%7B%7D` });
    const req = exportHar([e]).log.entries[0].request;
    expect(JSON.stringify(req)).not.toContain(S);
    const redacted = '{"input":{"email":"a@b.example","password":"[redacted:16-32]"},"credentials":{"user":"[redacted:2-4]","value":"[redacted:16-32]"}}';
    expect(req.url).toBe(`https://api.example/graphql?operationName=Login&variables=${encodeURIComponent(redacted)}&extensions=%7B%7D`);
    expect(req.queryString[1]).toEqual({ name: 'variables', value: redacted });
    // Exporting again changes nothing.
    expect(exportHar([makeEntry({ url: req.url })]).log.entries[0].request.url).toBe(req.url);
  });

  it('a form field holding JSON, and a URL parameter holding an encoded URL with a token', () => {
    const form = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: text(`query=q&variables=${variables}`) } });
    const nested = makeEntry({ url: `https://auth.example/login?continue=${encodeURIComponent(`https://app.example/cb?session=${S}&x=1`)}` });
    const har = exportHar([form, nested]);
    expect(JSON.stringify(har)).not.toContain(S);
    expect(decodeURIComponent(har.log.entries[1].request.url)).toContain('cb?session=%5Bredacted%3A16-32%5D&x=1');
  });

  it("a multipart file part's text is redacted by its type in params as it is in the text", () => {
    const e = makeEntry({
      method: 'POST',
      request: {
        headers: [['Content-Type', 'multipart/form-data; boundary=QQ']],
        body: text(`--QQ\r\nContent-Disposition: form-data; name="f"; filename="c.json"\r\nContent-Type: application/json\r\n\r\n{"auth":{"value":"${S}"}}\r\n--QQ--\r\n`),
      },
    });
    const pd = exportHar([e]).log.entries[0].request.postData;
    expect(JSON.stringify(pd)).not.toContain(S);
    expect(pd?.params?.[0].value).toBe('{"auth":{"value":"[redacted:16-32]"}}');
  });
});

describe('binary bytes', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const latin = (b64: string) => atob(b64);

  it('a multipart body with a binary file (base64) has its text fields redacted; the file bytes stay', () => {
    const head = utf8(`--QQ\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n${S}\r\n--QQ\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const file = [0, 1, 2, 0xff, 0xfe, 0x80];
    const e = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'multipart/form-data; boundary=QQ']], body: base64([...head, ...file, ...utf8('\r\n--QQ--\r\n')]) } });
    const pd = exportHar([e]).log.entries[0].request.postData!;
    const out = latin(pd.text!);
    expect(out).not.toContain(S);
    expect(out).toContain('name="csrf_token"\r\n\r\n[redacted:16-32]\r\n--QQ');
    expect(out).toContain(`\r\n\r\n${String.fromCharCode(...file)}\r\n--QQ--\r\n`);
  });

  it('a JWT, a Bearer token or a known token format inside a binary frame (MessagePack) goes, keeping its length so the frame still decodes', () => {
    const frame = [0x83, 0xa3, ...utf8('jwt'), 0xd9, jwt.length, ...utf8(jwt), 0xa1, ...utf8('h'), 0xd9, 32, ...utf8(`Bearer ${S}abcde`), 0xa1, ...utf8('k'), 0xb4, ...utf8('AKIAIOSFODNN7EXAMPLE')];
    const e = makeEntry({ kind: 'websocket', state: 'open', messages: [msg(T0, 'receive', base64(frame))] });
    const har = exportHar([e]);
    const data = latin(har.log.entries[0]._webSocketMessages![0].data);
    expect(data).not.toContain(jwt.slice(40));
    expect(data).not.toContain(S);
    expect(data).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(data.length).toBe(frame.length);
    expect(data).toContain(`[redacted:64-128]${'*'.repeat(jwt.length - 17)}`);
    expect(data).toContain(`Bearer [redacted:16-32]${'*'.repeat(25 - 16)}`);
    expect(data).toContain('[redacted:16-32]****');
    // Redacting again changes nothing and finds nothing.
    const again = exportHar([makeEntry({ kind: 'websocket', state: 'open', messages: [msg(T0, 'receive', base64([...data].map((c) => c.charCodeAt(0))))] })]);
    expect(again.log.entries[0]._webSocketMessages![0].data).toBe(har.log.entries[0]._webSocketMessages![0].data);
  });

  it('media bytes are left alone', () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, ...utf8(`tEXt Bearer ${S}`)];
    const e = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'image/png']], body: base64(png) } });
    expect(exportHar([e]).log.entries[0].response.content.text).toBe(btoa(String.fromCharCode(...png)));
  });
});

describe('names and shapes', () => {
  it('header names ending in key carry keys (Azure, Datadog, jsonbin…); Idempotency-Key is an id', () => {
    const names = ['Ocp-Apim-Subscription-Key', 'X-Functions-Key', 'X-Master-Key', 'DD-Application-Key', 'x-app-key'];
    const e = makeEntry({ request: { headers: [...names.map((n): [string, string] => [n, S]), ['Idempotency-Key', 'order-1234'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='], ['X-Keyboard', 'us']] } });
    const headers = exportHar([e]).log.entries[0].request.headers;
    expect(headers.map((h) => h.value)).toEqual([...names.map(() => '[redacted:16-32]'), 'order-1234', 'dGhlIHNhbXBsZSBub25jZQ==', 'us']);
  });

  it('API keys and tokens of well-known formats anywhere in text (OpenAI, Anthropic, GitLab, Google OAuth, temporary AWS, npm, Hugging Face)', () => {
    const tokens = [
      `sk-proj-${S}${S}abcd`,
      `sk-ant-api03-${S}${S}_-ab`,
      `glpat-${S}`,
      `ya29.a0AfH6SM${S}`,
      'ASIAY34FZKBOKMUTVV7A',
      `npm_${S}${S.slice(0, 16)}`,
      `hf_${S}${S}`,
      `whsec_${S}${S}`,
    ];
    const e = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/plain']], body: text(tokens.map((t) => `key: ${t}.`).join('\n')) } });
    const body = exportHar([e]).log.entries[0].response.content.text!;
    expect(tokens.filter((t) => body.includes(t.slice(-12)))).toEqual([]);
    expect(body).not.toContain(S);
  });

  it('Mapbox secret and temporary tokens and CAS tickets, in prose and in a CAS validation response', () => {
    const tokens = [`sk.eyJ1IjoiYW5uIiwiYSI6ImNrMTIzNCJ9.${S}ab`, `tk.eyJ1IjoiYW5uIiwiZXhwIjoxNzAwMDAwMDAwfQ.${S}cd`, `ST-1-${S}ef-cas01.example.org`, `PGTIOU-84678-${S}gh`];
    // Apereo CAS 5+: a base64url random part with '-' for '_' (reported by helper-47), in a query too.
    const apereo = 'ST-1-aQ7M4-yURmW6zPHSGjxuK0u4F-M-cas01';
    const login = makeEntry({ url: `https://app.example/login?ticket=${apereo}` });
    expect(JSON.stringify(exportHar([login]))).not.toContain('yURmW6zPHSGjxuK0u4F');
    const body = `mapbox ${tokens[0]} then ${tokens[1]}, ticket ${tokens[2]} <cas:proxyGrantingTicket>${tokens[3]}</cas:proxyGrantingTicket>`;
    const e = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/plain']], body: text(body) } });
    const out = exportHar([e]).log.entries[0].response.content.text!;
    expect(out).not.toContain(S);
    expect(out).toMatch(/^mapbox \[redacted:[\d-]+\] then \[redacted:[\d-]+\], ticket \[redacted:[\d-]+\] <cas:proxyGrantingTicket>\[redacted:[\d-]+\]<\/cas:proxyGrantingTicket>$/);
  });

  it('look-alikes stay: a Mapbox public token, product codes shaped like CAS tickets', () => {
    const kept = ['pk.eyJ1IjoiYW5uIiwiYSI6ImNrMTIzNCJ9.Zq7PublicValue9XyW3k', 'ST-100-BLACK-LARGE', 'PT-2024-Q3', 'TGT-7-short', 'ST-100-BLACK-LARGE-EXTRA-WIDE-TALL'];
    const e = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/plain']], body: text(kept.join('\n')) } });
    expect(exportHar([e]).log.entries[0].response.content.text).toBe(kept.join('\n'));
  });

  it("a JWT cut after its header and part of its claims (a body truncated at the cap): the claims go", () => {
    const claims = btoa(`{"sub":"${S}","email":"ann@example.com"}`).replace(/=+$/, '');
    const e = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/plain']], body: text(`token eyJhbGciOiJIUzI1NiJ9.${claims.slice(0, 30)}`, { truncated: true }) } });
    expect(exportHar([e]).log.entries[0].response.content.text).toBe('token [redacted:32-64]');
  });
});

describe('a secret found once goes everywhere', () => {
  it('a token sent in a header or a cookie, or as api_key=, found again in a URL path, a body under another name, a message, an error, another entry', () => {
    const cookie = `s3ss-${S}`;
    const login = makeEntry({
      url: `https://api.example/v1/sessions/${S}/refresh?k=${encodeURIComponent(`${cookie}/+`)}`,
      request: { headers: [['Authorization', `Bearer ${S}`], ['Cookie', `sid=${cookie}/+; theme=dark`]] },
      response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text(`{"echo":"${S}","data":["${cookie}/+"]}`) },
      error: `request with ${S} failed`,
    });
    const other = makeEntry({ kind: 'websocket', url: 'wss://live.example/s?api_key=Ab12cd34EF56gh78', state: 'open', messages: [msg(T0, 'send', text(`["hello","${S}","Ab12cd34EF56gh78"]`))] });
    const har = exportHar([login, other]);
    const json = JSON.stringify(har);
    for (const secret of [S, cookie, encodeURIComponent(cookie), 'Ab12cd34EF56gh78']) expect(json).not.toContain(secret);
    const [a, b] = har.log.entries;
    expect(a.request.url).toBe(`https://api.example/v1/sessions/[redacted:16-32]/refresh?k=%5Bredacted%3A16-32%5D`);
    expect(a.response.content.text).toBe('{"echo":"[redacted:16-32]","data":["[redacted:16-32]"]}');
    expect(b._webSocketMessages?.[0].data).toBe('["hello","[redacted:16-32]","[redacted:16-32]"]');
    // Values that do not look like credentials are not hunted elsewhere (theme=dark).
    expect(a.request.headers[1].value).toBe('sid=[redacted:16-32]; theme=[redacted:4-8]');
    expect(exportHar([makeEntry({ request: { headers: [['Cookie', 'theme=dark']] }, response: { status: 200, statusText: 'OK', headers: [], body: text('dark mode') } })]).log.entries[0].response.content.text).toBe('dark mode');
  });
});

describe('credentials in other text formats', () => {
  it('GraphQL arguments written inline, a JS object literal, XML elements (SOAP), STOMP frame headers', () => {
    const graphql = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(JSON.stringify({ query: `mutation { login(email: "a@b.example", password: "${S}") { token } }` })) } });
    const soap = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'text/xml']], body: text(`<s:Envelope><s:Body><Login><user>ann</user><wsse:Password Type="PasswordText">${S}</wsse:Password><apiKey>${S}</apiKey></Login></s:Body></s:Envelope>`) } });
    const js = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/javascript']], body: text(`init({apiKey: "${S}", region: "eu"});`) } });
    const stomp = makeEntry({ kind: 'websocket', state: 'open', messages: [msg(T0, 'send', text(`CONNECT\naccept-version:1.2\nlogin:guest\npasscode:${S}\nhost:/\n\n\0`))] });
    const har = exportHar([graphql, soap, js, stomp]);
    expect(JSON.stringify(har)).not.toContain(S);
    const [g, x, j, w] = har.log.entries;
    expect(JSON.parse(g.request.postData!.text!).query).toBe('mutation { login(email: "a@b.example", password: "[redacted:16-32]") { token } }');
    expect(x.request.postData?.text).toBe('<s:Envelope><s:Body><Login><user>ann</user><wsse:Password Type="PasswordText">[redacted:16-32]</wsse:Password><apiKey>[redacted:16-32]</apiKey></Login></s:Body></s:Envelope>');
    expect(j.response.content.text).toBe('init({apiKey: "[redacted:16-32]", region: "eu"});');
    expect(w._webSocketMessages?.[0].data).toBe('CONNECT\naccept-version:1.2\nlogin:guest\npasscode:[redacted:16-32]\nhost:/\n\n\0');
  });
});

describe('GraphQL variables bound to a credential argument', () => {
  const post = (body: unknown) => makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(JSON.stringify(body)) } });
  const sent = (har: ReturnType<typeof exportHar>, i = 0) => JSON.parse(har.log.entries[i].request.postData!.text!);

  it('a variable goes by the argument it is bound to, the query before or after the variables, in a batch too', () => {
    const query = 'mutation Login($u: String!, $p: String!, $n: Int) { login(username: $u, password: $p, pin: $n) { token } }';
    const before = post({ query, variables: { u: 'ann', p: S, n: 123456 } });
    const after = post({ operationName: 'Login', variables: { u: 'ann', p: S, n: 123456 }, query });
    const batch = post([{ query: 'query { me { id } }' }, { variables: { p: S, u: 'ann' }, query }]);
    const har = exportHar([before, after, batch]);
    expect(JSON.stringify(har)).not.toContain(S);
    expect(sent(har, 0).variables).toEqual({ u: 'ann', p: '[redacted:16-32]', n: '[redacted:4-8]' });
    expect(sent(har, 1).variables).toEqual({ u: 'ann', p: '[redacted:16-32]', n: '[redacted:4-8]' });
    expect(sent(har, 2)[1].variables).toEqual({ p: '[redacted:16-32]', u: 'ann' });
  });

  it('bound twice: the credential argument decides; a variable named like a credential stays one whatever its argument', () => {
    const twice = post({ query: 'mutation($v: String!) { check(label: $v) setPassword(newPassword: $v) { ok } }', variables: { v: S } });
    const named = post({ query: 'mutation($apiKey: String!) { connect(input: $apiKey) { ok } }', variables: { apiKey: S } });
    const plain = post({ query: 'query($id: ID!, $q: String) { search(id: $id, text: $q) { n } }', variables: { id: '42', q: 'shoes' } });
    const har = exportHar([twice, named, plain]);
    expect(JSON.stringify(har)).not.toContain(S);
    expect(sent(har, 2).variables).toEqual({ id: '42', q: 'shoes' });
  });

  it('a number under a credential-named variable stays masked when bound; an argument named key is no header (reported by helper-47)', () => {
    const card = post({ query: 'mutation($cardNumber: Float!) { pay(number: $cardNumber) { ok } }', variables: { cardNumber: 4111111111111111 } });
    const otp = post({ query: 'mutation($otp: Int!) { verify(input: $otp) { ok } }', variables: { otp: 123456 } });
    const flag = post({ query: 'query($k: String!) { featureFlag(key: $k) { on } }', variables: { k: 'new-checkout' } });
    const har = exportHar([card, otp, flag]);
    expect(JSON.stringify(har)).not.toMatch(/4111111111111111|123456/);
    expect(sent(har, 2).variables).toEqual({ k: 'new-checkout' });
  });

  it('a list-wrapped binding, and a variables key given twice', () => {
    const list = post({ query: 'mutation($t: String!) { revoke(tokens: [$t]) { ok } }', variables: { t: S } });
    const twice = `{"query":"mutation($p: String!) { login(password: $p) { ok } }","variables":{"p":"${S}"},"variables":{"p":"${S}x"}}`;
    const dup = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(twice) } });
    expect(JSON.stringify(exportHar([list, dup]))).not.toContain(S);
  });

  it('a comment between an argument and its variable; a # inside a string is no comment', () => {
    const commented = post({ query: 'mutation($p: String!) {\n  login(password: # the new one\n $p) { ok }\n}', variables: { p: S } });
    const hashInString = post({ query: 'mutation($p: String!) { tag(name: "#x", password: $p) { ok } }', variables: { p: S } });
    expect(JSON.stringify(exportHar([commented, hashInString]))).not.toContain(S);
  });
});

describe('what a debugging user needs stays', () => {
  it("fetch's credentials mode and OAuth's token type are not secrets, under a credential's name or not", () => {
    const js = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/javascript']], body: text('fetch("/x", {credentials: "include", mode: "cors"});') } });
    const token = makeEntry({
      url: `https://app.example/cb#access_token=${S}&token_type=Bearer`,
      response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text(`{"access_token":"${S}","token_type":"Bearer","credentials":"same-origin","expires_in":3599}`) },
    });
    const [a, b] = exportHar([js, token]).log.entries;
    expect(a.response.content.text).toBe('fetch("/x", {credentials: "include", mode: "cors"});');
    expect(b.request.url).toBe('https://app.example/cb#access_token=%5Bredacted%3A16-32%5D&token_type=Bearer');
    expect(JSON.parse(b.response.content.text!)).toEqual({ access_token: '[redacted:16-32]', token_type: 'Bearer', credentials: 'same-origin', expires_in: 3599 });
  });
});

describe("OAuth's PKCE token request", () => {
  it('a code_verifier (and OAuth 1 oauth_verifier) goes, in JSON and in a form: the code alone cannot be redeemed', () => {
    const json = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(`{"grant_type":"authorization_code","code_verifier":"${S}","redirect_uri":"https://app.example/cb"}`) } });
    const form = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: text(`grant_type=authorization_code&code_verifier=${S}&oauth_verifier=${S}2`) } });
    const out = exported([json, form]);
    expect(out).not.toContain(S);
    // What a debugging user reads stays.
    expect(out).toContain('authorization_code');
    expect(out).toContain('https://app.example/cb');
  });
});

describe('secrets typed by the user or printed on a card, and sign-in responses', () => {
  it('card security codes, card numbers, one-time and recovery codes, as JSON numbers or strings; status and error codes stay', () => {
    const body = JSON.stringify({ otp: 123456, pin: 1234, cvv: 123, card: { cvc2: 321, cardNumber: 4111111111111111, expiry: '12/30' }, mfaCode: 654321, verification_code: '778899', backup_code: 'a1b2-c3d4', status_code: 200, code: 404, country_code: 'FR' });
    const e = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(body) } });
    expect(JSON.parse(exportHar([e]).log.entries[0].request.postData!.text!)).toEqual({
      otp: '[redacted:4-8]',
      pin: '[redacted:4-8]',
      cvv: '[redacted:2-4]',
      card: { cvc2: '[redacted:2-4]', cardNumber: '[redacted:16-32]', expiry: '12/30' },
      mfaCode: '[redacted:4-8]',
      verification_code: '[redacted:4-8]',
      backup_code: '[redacted:8-16]',
      status_code: 200,
      code: 404,
      country_code: 'FR',
    });
  });

  it("OAuth's device flow: the device_code (redeemed for tokens with the client id) goes, the user_code a user types stays", () => {
    const e = makeEntry({ method: 'POST', response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text(`{"device_code":"${S}","user_code":"WDJB-MJHT","verification_uri":"https://auth.example/device"}`) } });
    expect(exportHar([e]).log.entries[0].response.content.text).toBe('{"device_code":"[redacted:16-32]","user_code":"WDJB-MJHT","verification_uri":"https://auth.example/device"}');
  });

  it("SAML's response (a signed bearer assertion) and artifact go, in a form post and a query; its request and RelayState stay", () => {
    const assertion = btoa(`<samlp:Response><saml:Assertion><saml:NameID>ann@example.com</saml:NameID>${S}</saml:Assertion></samlp:Response>`);
    const post = makeEntry({
      method: 'POST',
      url: 'https://sp.example/acs',
      request: { headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: text(`SAMLResponse=${encodeURIComponent(assertion)}&RelayState=${encodeURIComponent('https://sp.example/home')}`) },
    });
    const redirect = makeEntry({ url: `https://idp.example/sso?SAMLRequest=fZJNT8MwDIbvSPyHKPeuXcfHFK2dBggxCUTFCgduIXW7aEkc4nQb%2F572&RelayState=abc123&SAMLart=${S}` });
    const [a, b] = exportHar([post, redirect]).log.entries;
    expect(a.request.postData?.text).toBe('SAMLResponse=%5Bredacted%3A128-256%5D&RelayState=https%3A%2F%2Fsp.example%2Fhome');
    expect(b.request.url).toBe('https://idp.example/sso?SAMLRequest=fZJNT8MwDIbvSPyHKPeuXcfHFK2dBggxCUTFCgduIXW7aEkc4nQb%2F572&RelayState=abc123&SAMLart=%5Bredacted%3A16-32%5D');
  });
});

describe('names that describe a credential or a session without holding one', () => {
  it("an OIDC discovery document's endpoints and supported methods stay whole", () => {
    const discovery = {
      issuer: 'https://auth.example',
      authorization_endpoint: 'https://auth.example/authorize',
      token_endpoint: 'https://auth.example/token',
      device_authorization_endpoint: 'https://auth.example/device',
      end_session_endpoint: 'https://auth.example/logout',
      check_session_iframe: 'https://auth.example/check',
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
    };
    const e = makeEntry({ url: 'https://auth.example/.well-known/openid-configuration', response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text(JSON.stringify(discovery)) } });
    expect(JSON.parse(exportHar([e]).log.entries[0].response.content.text!)).toEqual(discovery);
  });

  it('session names a credential when it names the session or its identifier (sessionid, session_token, PHPSESSID), not when a word after it describes the session', () => {
    const body = { sessionStorage: { theme: 'dark' }, session_state: 'f9a1.b2c3', sessionCount: 5, sessionTimeout: '30m', session_expires_at: 1714564800, sessionid: S, session_token: S, PHPSESSID: S, 'ASP.NET_SessionId': S, laravel_session: S, session: { user: 'ann' } };
    const e = makeEntry({ url: 'https://app.example/cb?code=abc&session_state=f9a1.b2c3', response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text(JSON.stringify(body)) } });
    const out = exportHar([e]).log.entries[0];
    expect(JSON.parse(out.response.content.text!)).toEqual({
      ...body,
      sessionid: '[redacted:16-32]',
      session_token: '[redacted:16-32]',
      PHPSESSID: '[redacted:16-32]',
      'ASP.NET_SessionId': '[redacted:16-32]',
      laravel_session: '[redacted:16-32]',
      session: { user: '[redacted:2-4]' },
    });
    expect(out.request.url).toBe('https://app.example/cb?code=%5Bredacted%3A2-4%5D&session_state=f9a1.b2c3');
  });
});

describe('JSON members judged by their siblings', () => {
  it("OAuth's authorization code in a JSON token request or callback goes; error and status codes stay", () => {
    const exchange = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(`{"grant_type":"authorization_code","code":"${S}","redirect_uri":"https://app.example/cb","client_id":"app"}`) } });
    const callback = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(`{"code":"${S}x","state":"af0ifjsldkj","session_state":"f9a1.b2c3"}`) } });
    const errors = makeEntry({ response: { status: 400, statusText: 'Bad Request', headers: [['Content-Type', 'application/json']], body: text('{"code":404,"error":{"code":"E_BAD","message":"no"},"status":{"code":"invalid_grant"}}') } });
    const [a, b, c] = exportHar([exchange, callback, errors]).log.entries;
    expect(a.request.postData?.text).toBe('{"grant_type":"authorization_code","code":"[redacted:16-32]","redirect_uri":"https://app.example/cb","client_id":"app"}');
    expect(b.request.postData?.text).toBe('{"code":"[redacted:16-32]","state":"af0ifjsldkj","session_state":"f9a1.b2c3"}');
    expect(c.response.content.text).toBe('{"code":404,"error":{"code":"E_BAD","message":"no"},"status":{"code":"invalid_grant"}}');
  });

  it('headers written in a JSON body: name/value pairs (HAR, Postman key/value), [name, value] tuples and header-named members, by header rules', () => {
    const body = JSON.stringify({
      request: {
        headers: [
          { name: 'Cookie', value: `sid=${S}` },
          { value: `${S}1`, name: 'Ocp-Apim-Subscription-Key' },
          { name: 'Accept', value: 'application/json' },
        ],
      },
      postman: { header: [{ key: 'Authorization', value: `Bearer ${S}2` }] },
      init: { headers: [['X-Functions-Key', `${S}3`], ['Content-Type', 'text/plain']] },
      axios: { headers: { 'DD-Application-Key': `${S}4`, Authorization: `Token ${S}5`, 'X-Request-Id': 'r-1' } },
      env: [{ name: 'DB_PASSWORD', value: `${S}6` }, { name: 'PIN', value: 1234 }, { name: 'REGION', value: 'eu' }],
    });
    const e = makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(body) } });
    const out = exportHar([e]).log.entries[0].request.postData!.text!;
    expect(out).not.toContain(S);
    expect(JSON.parse(out)).toEqual({
      request: {
        headers: [
          { name: 'Cookie', value: '[redacted:16-32]' },
          { value: '[redacted:16-32]', name: 'Ocp-Apim-Subscription-Key' },
          { name: 'Accept', value: 'application/json' },
        ],
      },
      postman: { header: [{ key: 'Authorization', value: 'Bearer [redacted:16-32]' }] },
      init: { headers: [['X-Functions-Key', '[redacted:16-32]'], ['Content-Type', 'text/plain']] },
      axios: { headers: { 'DD-Application-Key': '[redacted:16-32]', Authorization: 'Token [redacted:16-32]', 'X-Request-Id': 'r-1' } },
      env: [{ name: 'DB_PASSWORD', value: '[redacted:16-32]' }, { name: 'PIN', value: '[redacted:4-8]' }, { name: 'REGION', value: 'eu' }],
    });
  });
});

describe('scripts and stylesheets are code, not forms', () => {
  it("minified JavaScript keeps its ?, & and = as code; URLs inside its literals and comments are still scanned", () => {
    const js = `!function(){a?i.withCredentials=!0:b;c.token=t;x==="a"?token=1:2;e&&e.password=p}();f("/api/x?access_token=${S}&a=1");g(\`wss://h.example/s?token=${S}\`)\n//# sourceMappingURL=https://cdn.example/app.js.map?sig=${S}x`;
    const css = `.a{background:url(/i.png?v=2)}.b{background:url("/y.png?sig=${S}")}`;
    const script = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/javascript; charset=utf-8']], body: text(js) } });
    const style = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/css']], body: text(css) } });
    const [a, b] = exportHar([script, style]).log.entries;
    expect(a.response.content.text).toBe(
      `!function(){a?i.withCredentials=!0:b;c.token=t;x==="a"?token=1:2;e&&e.password=p}();f("/api/x?access_token=%5Bredacted%3A16-32%5D&a=1");g(\`wss://h.example/s?token=%5Bredacted%3A16-32%5D\`)\n//# sourceMappingURL=https://cdn.example/app.js.map?sig=%5Bredacted%3A16-32%5D`,
    );
    expect(b.response.content.text).toBe('.a{background:url(/i.png?v=2)}.b{background:url("/y.png?sig=%5Bredacted%3A16-32%5D")}');
  });
});

describe('HTML', () => {
  it("CSRF tokens in meta tags and hidden inputs, a password input's value and a meta Set-Cookie go; the names of the CSRF parameter and header stay", () => {
    const html = `<html><head><meta name="csrf-param" content="authenticity_token"><meta name="csrf-token" content="${S}"><meta content='${S}1' name=_csrf><meta name="_csrf_header" content="X-CSRF-TOKEN"><meta http-equiv="Set-Cookie" content="sid=${S}2"><meta name="description" content="Sign in"></head><body><form><input type="hidden" name="csrfmiddlewaretoken" value="${S}3"><input type=password name=p value=${S}4><input name="email" value="ann@example.com"></form></body></html>`;
    const e = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/html; charset=utf-8']], body: text(html) } });
    expect(exportHar([e]).log.entries[0].response.content.text).toBe(
      `<html><head><meta name="csrf-param" content="authenticity_token"><meta name="csrf-token" content="[redacted:16-32]"><meta content='[redacted:16-32]' name=_csrf><meta name="_csrf_header" content="X-CSRF-TOKEN"><meta http-equiv="Set-Cookie" content="[redacted:16-32]"><meta name="description" content="Sign in"></head><body><form><input type="hidden" name="csrfmiddlewaretoken" value="[redacted:16-32]"><input type=password name=p value=[redacted:16-32]><input name="email" value="ann@example.com"></form></body></html>`,
    );
  });
});

describe('what the reading of scripts and HTML left (found in review)', () => {
  const body = (type: string, data: string) => makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', type]], body: text(data) } });
  it("HTML's `name: value` lines go as any text's do, beside its tags", () => {
    const out = exportHar([body('text/html', `<pre>\npassword: ${S}\nX-Api-Key: ${S}k\n</pre>`)]).log.entries[0].response.content.text;
    expect(out).not.toContain(S);
  });
  it("a JSONP response's strings are text: pairs in them go though they sit in no URL of the code's", () => {
    const out = exportHar([body('application/javascript', `cb({"msg":"open /reset?token=${S} to continue"})`)]).log.entries[0].response.content.text;
    expect(out).toBe('cb({"msg":"open /reset?token=%5Bredacted%3A16-32%5D to continue"})');
  });
  // Each took time in the square of its length (200,000 characters: minutes); now within the test's timeout by far.
  it('a script line of escaped quotes with no closing one, an HTML tag of one long name, a sub-protocol header of inner spaces: done at once', () => {
    const n = 200_000;
    const big = [
      body('application/javascript', `x="${'\\"'.repeat(n / 2)}`),
      body('text/html', `<meta ${'a'.repeat(n)}>`),
      makeEntry({ response: { status: 101, statusText: 'Switching Protocols', headers: [['Sec-WebSocket-Protocol', `a${' '.repeat(n)}b`]] } }),
    ];
    const har = exportHar(big);
    expect(har.log.entries.map((e) => e.response.content.text?.length ?? e.response.headers[0].value.length)).toEqual([n + 3, n + 7, n + 2]);
  });
});

describe('WebSocket sub-protocols', () => {
  const b64url = (s: string) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

  it("Kubernetes' bearer sub-protocol, AWS AppSync's header sub-protocol and a token after access_token go, in the handshake, the request's protocols and the one chosen", () => {
    const k8s = `base64url.bearer.authorization.k8s.io.${b64url(`k8s-${S}`)}`;
    const appsync = `header-${b64url(JSON.stringify({ host: 'x.appsync-api.eu-west-1.amazonaws.com', Authorization: S }))}`;
    const e = makeEntry({
      kind: 'websocket',
      url: 'wss://k8s.example/api/v1/namespaces/x/pods/y/exec',
      state: 'open',
      request: { headers: [['Sec-WebSocket-Protocol', `${k8s}, base64.binary.k8s.io`]], meta: { protocols: [k8s, 'base64.binary.k8s.io', 'access_token', `${S}x`] } },
      websocket: { protocol: k8s },
      deep: { handshake: { requestHeaders: [['Sec-WebSocket-Protocol', `${appsync},graphql-ws`]], status: 101, responseHeaders: [['Sec-WebSocket-Protocol', 'graphql-ws']] } },
    });
    const har = exportHar([e]);
    const out = har.log.entries[0];
    expect(JSON.stringify(har)).not.toContain(b64url(`k8s-${S}`));
    expect(JSON.stringify(har)).not.toContain(`${S}x`);
    const k8sMasked = 'base64url.bearer.authorization.k8s.io.[redacted:32-64]';
    expect(out.request.headers[0].value).toBe(`${k8sMasked}, base64.binary.k8s.io`);
    expect(out._netlens?.meta?.protocols).toEqual([k8sMasked, 'base64.binary.k8s.io', 'access_token', '[redacted:16-32]']);
    expect(out._netlens?.protocol).toBe(k8sMasked);
    const [sent, chosen] = [out._netlens?.handshake?.requestHeaders?.[0].value, out._netlens?.handshake?.responseHeaders?.[0].value];
    expect(chosen).toBe('graphql-ws');
    const [header, rest] = sent!.split(',');
    expect(rest).toBe('graphql-ws');
    expect(JSON.parse(atob(header.slice('header-'.length).replace(/-/g, '+').replace(/_/g, '/')))).toEqual({ host: 'x.appsync-api.eu-west-1.amazonaws.com', Authorization: '[redacted:16-32]' });
  });
});

describe('secrets in the URL path of well-known APIs', () => {
  it("a Telegram bot's token, a Slack incoming webhook's secret and a Discord webhook's token go, in the URL and in any text", () => {
    const telegram = `123456789:AAH${S}${S.slice(0, 12)}`;
    const slack = `${S.slice(0, 12)}Ab12Cd34Ef56`;
    const discord = `${S}${S}_-${S}`;
    const bot = makeEntry({ method: 'POST', url: `https://api.telegram.org/bot${telegram}/sendMessage` });
    const hook = makeEntry({
      method: 'POST',
      url: `https://hooks.slack.com/services/T0AAA1111/B0BBB2222/${slack}`,
      response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text(`{"webhook":"https://discord.com/api/webhooks/112233445566778899/${discord}"}`) },
    });
    const har = exportHar([bot, hook]);
    const json = JSON.stringify(har);
    for (const secret of [telegram, encodeURIComponent(telegram), slack, discord]) expect(json).not.toContain(secret);
    const [a, b] = har.log.entries;
    expect(a.request.url).toBe('https://api.telegram.org/bot%5Bredacted%3A32-64%5D/sendMessage');
    expect(b.request.url).toBe('https://hooks.slack.com/services/T0AAA1111/B0BBB2222/%5Bredacted%3A16-32%5D');
    expect(b.response.content.text).toBe('{"webhook":"https://discord.com/api/webhooks/112233445566778899/%5Bredacted%3A32-64%5D"}');
  });
});
