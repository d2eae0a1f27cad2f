import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import { applyRedaction } from '../../../src/shared/redact';
import type { Entry } from '../../../src/shared/model';
import { T0, base64, makeEntry, msg, text } from '../har/helpers';

// Marked at both ends: a piece looked for (its first or last six characters) is never a word of
// the HAR's own (a secret ending in `String` was found in `queryString`).
const secretArb = fc.stringMatching(/^[A-Za-z0-9]{12,40}$/).map((s) => `Zq${s}qZ`);
const credName = fc.constantFrom('password', 'passwd', 'api_key', 'apiKey', 'access_token', 'refreshToken', 'client_secret', 'sessionId', 'auth', 'x-csrf-token', 'otp_secret');
const headerName = fc.constantFrom('Authorization', 'Proxy-Authorization', 'X-Api-Key', 'X-Auth-Token', 'X-Session', 'Api-Key', 'X-Secret');
const noise = fc.string({ maxLength: 12 }).map((s) => s.replace(/[=&?;"\\:\r\n]/g, ''));
const b64url = (s: string) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const utf8 = (s: string) => [...new TextEncoder().encode(s)];

/** Ways to carry a secret in an entry; each returns the entry and the strings that must not survive. */
const plants: fc.Arbitrary<(secret: string) => { entry: Entry; gone: string[] }>[] = [
  fc.tuple(headerName, fc.boolean()).map(([name, wire]) => (secret: string) => {
    const headers: [string, string][] = [[name, `Bearer ${secret}`]];
    return { entry: makeEntry(wire ? { wire: { requestId: '1', resourceType: 'xmlhttprequest', requestHeaders: headers, redirects: [] } } : { request: { headers } }), gone: [secret] };
  }),
  fc.tuple(credName, noise).map(([name, n]) => (secret: string) => ({ entry: makeEntry({ url: `https://a.example/p?x=${encodeURIComponent(n)}&${name}=${secret}` }), gone: [secret] })),
  fc.tuple(credName, fc.nat({ max: 3 }), noise).map(([name, depth, n]) => (secret: string) => {
    let value: unknown = { [name]: secret, note: n };
    for (let k = 0; k < depth; k++) value = { level: k, inner: [value] };
    return { entry: makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/json']], body: text(JSON.stringify(value, null, depth % 2 ? 2 : 0)) } }), gone: [secret] };
  }),
  fc.tuple(credName, noise).map(([name, n]) => (secret: string) => ({
    entry: makeEntry({ method: 'POST', request: { headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: text(`note=${encodeURIComponent(n)}&${name}=${secret}`) } }),
    gone: [secret],
  })),
  credName.map((name) => (secret: string) => ({
    entry: makeEntry({
      method: 'POST',
      request: { headers: [['Content-Type', 'multipart/form-data; boundary=QQ']], body: text(`--QQ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${secret}\r\n--QQ--\r\n`) },
    }),
    gone: [secret],
  })),
  fc.tuple(credName, fc.boolean(), fc.boolean()).map(([name, binary, ws]) => (secret: string) => {
    const json = `{"type":"hello","${name}":"${secret}"}`;
    const data = binary ? base64(utf8(json)) : text(json);
    const entry = ws
      ? makeEntry({ kind: 'websocket', messages: [msg(T0, 'send', data)] })
      : makeEntry({ kind: 'eventsource', messages: [msg(T0, 'receive', text(json), { eventName: 'x' })] });
    return { entry, gone: [secret] };
  }),
  noise.map((n) => (secret: string) => {
    const jwt = `${b64url('{"alg":"RS256"}')}.${b64url(`{"sub":"${secret}"}`)}.${secret}`;
    return { entry: makeEntry({ kind: 'websocket', messages: [msg(T0, 'receive', text(`${n} token ${jwt} ${n}`))] }), gone: [jwt, secret] };
  }),
  fc.constant((secret: string) => ({ entry: makeEntry({ url: `https://user:${secret}@a.example/` }), gone: [secret] })),
  fc.constant((secret: string) => ({
    entry: makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/event-stream']] }, messages: [msg(T0, 'receive', text(`data: {"token":"${secret}"}\n\n`))] }),
    gone: [secret],
  })),
  // Found in the hunt for secrets that survived (leaks.test.ts has each case spelled out).
  fc.tuple(credName, noise).map(([name, n]) => (secret: string) => ({
    entry: makeEntry({ frameUrl: `https://app.example/cb#${encodeURIComponent(n)}=1&${name}=${secret}`, response: { status: 302, statusText: 'Found', headers: [['Location', `/cb#${name}=${secret}`]] } }),
    gone: [secret],
  })),
  headerName.map((name) => (secret: string) => ({
    entry: makeEntry({ kind: 'websocket', state: 'open', deep: { handshake: { requestHeaders: [[name, secret], ['Cookie', secret]] } } }),
    gone: [secret],
  })),
  fc.tuple(credName, fc.nat({ max: 30 })).map(([name, cut]) => (secret: string) => {
    const whole = `data: {"${name}":"${secret}"}\n\n`;
    const at = Math.min(whole.length - 1, whole.indexOf(secret) + (cut % secret.length));
    const entry = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/event-stream']] }, messages: [msg(T0, 'receive', text(whole.slice(0, at))), msg(T0 + 1, 'receive', text(whole.slice(at)))] });
    return { entry, gone: [secret, secret.slice(0, 6), secret.slice(-6)] };
  }),
  credName.map((name) => (secret: string) => ({
    entry: makeEntry({ url: `https://api.example/graphql?variables=${encodeURIComponent(JSON.stringify({ input: { [name]: secret } }))}` }),
    gone: [secret],
  })),
  fc.constant((secret: string) => ({
    entry: makeEntry({ kind: 'websocket', state: 'open', messages: [msg(T0, 'send', base64([0x81, 0xa1, 0x74, 0xd9, 7 + secret.length, ...utf8(`Bearer ${secret}`), 0x00]))] }),
    gone: [secret],
  })),
  headerName.map((name) => (secret: string) => ({
    entry: makeEntry({ url: `https://api.example/users/${secret}/x`, request: { headers: [[name, secret]] } }),
    gone: [secret],
  })),
];

/** The HAR's JSON text, and every base64 string in it decoded (binary frames and bodies). */
function allText(har: unknown): string {
  const json = JSON.stringify(har);
  const decoded = (json.match(/"[A-Za-z0-9+/]{8,}={0,2}"/g) ?? []).map((q) => {
    try {
      return atob(q.slice(1, -1));
    } catch {
      return '';
    }
  });
  return [json, ...decoded].join('\n');
}

describe('redaction, property', () => {
  it('a secret planted anywhere never reaches the export', () => {
    fc.assert(
      fc.property(fc.oneof(...plants), secretArb, (plant, secret) => {
        const { entry, gone } = plant(secret);
        const har = exportHar([entry]);
        const json = allText(har);
        for (const s of gone) expect(json).not.toContain(s);
        // Redacting again changes nothing and finds nothing.
        const again = applyRedaction(har);
        expect(again.findings).toEqual([]);
        expect(again.har).toEqual(har);
      }),
      { numRuns: 400 },
    );
  });
});
