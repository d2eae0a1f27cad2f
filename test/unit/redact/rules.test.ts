import { describe, expect, it } from 'vitest';
import { scrubBody, scrubEncoded } from '../../../src/shared/redact/body';
import type { Ctx } from '../../../src/shared/redact/context';
import { applyRedaction, createMatcher, isMarker, lengthClass, marker, type RedactionRules } from '../../../src/shared/redact';
import { scrubText } from '../../../src/shared/redact/text';
import { exportHar } from '../../../src/shared/har/export';
import { NETLENS_HAR_FORMAT } from '../../../src/shared/har/types';
import { makeEntry } from '../har/helpers';

const at = { where: 'body' as const, path: 'x' };
function ctx(rules: RedactionRules = {}): Ctx {
  return { m: createMatcher(rules), findings: [] };
}
const text = (s: string, rules?: RedactionRules) => scrubText(ctx(rules), at, s);
const body = (s: string, mime?: string, rules?: RedactionRules) => scrubBody(ctx(rules), at, s, mime);

describe('markers', () => {
  it('keep the length class: LO ≤ length < HI, powers of two', () => {
    expect([1, 2, 7, 8, 31, 32, 63, 64, 1000].map(lengthClass)).toEqual(['1-2', '2-4', '4-8', '8-16', '16-32', '32-64', '32-64', '64-128', '512-1024']);
    expect(marker('x'.repeat(40))).toBe('[redacted:32-64]');
    expect(isMarker('[redacted:32-64]')).toBe(true);
    expect(isMarker('[redacted:32-64] ')).toBe(false);
  });
});

describe('name rules', () => {
  const m = createMatcher();
  it('headers', () => {
    const secret = ['Authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie', 'X-API-Key', 'api-key', 'X-CSRF-Token', 'X-Auth-Token', 'x-session-id', 'X-Amz-Security-Token', 'X-Client-Secret', 'X-Password'];
    const plain = [':authority', 'Content-Type', 'Author', 'WWW-Authenticate', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Headers', 'Sec-WebSocket-Key', 'Accept', 'Referer'];
    expect(secret.filter((n) => !m.header(n))).toEqual([]);
    expect(plain.filter((n) => m.header(n))).toEqual([]);
  });

  it('fields, query parameters and numbers', () => {
    const secret = ['password', 'passwd', 'pwd', 'pass', 'api_key', 'apiKey', 'access_token', 'refresh_token', 'client_secret', 'sessionId', 'JSESSIONID', 'sessionIdentifier', 'session_uuid', 'ASPSESSIONIDQAQBRCTA', 'session', 'laravel_session', 'sid', 'otp', 'user_pin', 'auth', 'credentials', 'privateKey', 'cvv', 'cardCvc2', 'mfa_code', 'SAMLResponse', 'device_code'];
    const plain = ['author', 'authority', 'name', 'email', 'page', 'id', 'keyboard', 'footprint', 'spin', 'code', 'key', 'sessionStorage', 'session_state', 'sessionTimeout', 'token_endpoint', 'id_token_signing_alg_values_supported', 'SAMLRequest', 'RelayState', 'status_code', 'user_code'];
    expect(secret.filter((n) => !m.field(n))).toEqual([]);
    expect(plain.filter((n) => m.field(n))).toEqual([]);
    expect(['key', 'code', 'sig', 'token'].every((n) => m.query(n))).toBe(true);
    expect(['password', 'pin', 'otp', 'client_secret', 'cvv', 'otpCode', 'card_number'].every((n) => m.scalar(n))).toBe(true);
    expect(['max_tokens', 'session_count', 'status_code'].some((n) => m.scalar(n))).toBe(false);
  });

  it('user rules add, allow exempts, defaults can go', () => {
    const custom = createMatcher({ headers: ['X-Tenant', /^x-internal-/i], fields: [/^ssn$/i], allow: ['x-session-id'] });
    expect([custom.header('x-tenant'), custom.header('X-Internal-Trace'), custom.field('SSN'), custom.header('X-Session-Id')]).toEqual([true, true, true, false]);
    const bare = createMatcher({ defaults: false, headers: ['X-Only'] });
    expect([bare.header('Authorization'), bare.header('x-only'), bare.field('password')]).toEqual([false, true, false]);
    expect(text('Bearer abcdefghijklmnop', { defaults: false })).toBe('Bearer [redacted:16-32]');
  });
});

describe('secrets found by shape', () => {
  it('JWTs, Bearer and Basic credentials, well-known tokens anywhere in text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijklmnopqrstuv_-';
    expect(text(`token is ${jwt}.`)).toBe('token is [redacted:64-128].');
    expect(text('Authorization: bearer abc.def-ghi_jkl~123')).toBe('Authorization: bearer [redacted:16-32]');
    expect(text(`Basic ${btoa('user:pw')} and Basic information`)).toBe('Basic [redacted:8-16] and Basic information');
    expect(text('key AKIAIOSFODNN7EXAMPLE here')).toBe('key [redacted:16-32] here');
    expect(text('the Bearer of bad news')).toBe('the Bearer of bad news');
  });

  it('URL userinfo and credential-named parameters, percent-encoded markers inside URLs', () => {
    expect(text('see https://user:pa%40ss@host.example/x?a=1&api_key=s3cr3t#frag')).toBe('see https://%5Bredacted%3A8-16%5D@host.example/x?a=1&api_key=%5Bredacted%3A4-8%5D#frag');
    expect(text('/app;jsessionid=ABCDEF0123?x=1')).toBe('/app;jsessionid=%5Bredacted%3A8-16%5D?x=1');
    expect(text('git@github.com:me/repo and https://example.com/@me')).toBe('git@github.com:me/repo and https://example.com/@me');
  });

  it("a request URL's credential-named value masked whole, as its queryString's is (a value may hold ; ' and \"), so nothing of it is left and exporting again changes nothing", () => {
    const e = makeEntry({ url: "https://api.example/x?token=abc;def'g&page=2#top" });
    const first = exportHar([e]).log.entries[0].request;
    expect(first.url).toBe('https://api.example/x?token=%5Bredacted%3A8-16%5D&page=2#top');
    expect(first.queryString).toEqual([{ name: 'token', value: '[redacted:8-16]' }, { name: 'page', value: '2' }]);
    const again = exportHar([makeEntry({ url: first.url })]).log.entries[0].request;
    expect([again.url, again.queryString]).toEqual([first.url, first.queryString]);
  });

  it('user patterns: the whole match, or group 1', () => {
    expect(text('id ACME-123456 and ref=XY99', { patterns: [/ACME-\d+/, /ref=(\w+)/] })).toBe('id [redacted:8-16] and ref=[redacted:4-8]');
  });
});

describe('bodies by structure', () => {
  it('JSON at any depth, keeping the formatting; secret subtrees go whole', () => {
    const json = '{\n  "user": {"name": "ann", "password": "hunter2"},\n  "tokens": ["aaaa", {"x": "bbbb"}],\n  "pin": 1234, "count": 5, "note": "a \\"quoted\\" word"\n}';
    expect(body(json, 'application/json')).toBe(
      '{\n  "user": {"name": "ann", "password": "[redacted:4-8]"},\n  "tokens": ["[redacted:4-8]", {"x": "[redacted:4-8]"}],\n  "pin": "[redacted:4-8]", "count": 5, "note": "a \\"quoted\\" word"\n}',
    );
  });

  it('truncated JSON, JSONP, Socket.IO frames and XSSI guards', () => {
    expect(body('{"items":[1,2],"session":{"id":"abcdef","exp')).toBe('{"items":[1,2],"session":{"id":"[redacted:4-8]","exp');
    expect(body('{"a":{"password":"abcdefgh')).toBe('{"a":{"password":"[redacted:8-16]"');
    expect(body('cb({"access_token":"xyz123"});')).toBe('cb({"access_token":"[redacted:4-8]"});');
    expect(body('42["auth",{"token":"xyz123"}]')).toBe('42["auth",{"token":"[redacted:4-8]"}]');
    expect(body(")]}'\n{\"secret\":\"xyz123\"}")).toBe(")]}'\n{\"secret\":\"[redacted:4-8]\"}");
    expect(body('var cfg = {"apiKey": "xyz123", "x": 1};', 'text/javascript')).toBe('var cfg = {"apiKey": "[redacted:4-8]", "x": 1};');
    expect(body('"Bearer abcdefghijk"', 'application/json')).toBe('"Bearer [redacted:8-16]"');
    expect(body('{"log": "sent"} then Bearer abcdefghijk', 'application/json')).toBe('{"log": "sent"} then Bearer [redacted:8-16]');
  });

  it('urlencoded, multipart and event streams', () => {
    expect(body('a=1&password=p%40ss&b=2', 'application/x-www-form-urlencoded')).toBe('a=1&password=%5Bredacted%3A4-8%5D&b=2');
    expect(body('user=ann&token=abc')).toBe('user=ann&token=%5Bredacted%3A2-4%5D');
    const mp = '--b\r\nContent-Disposition: form-data; name="pwd"\r\n\r\nsecret1\r\n--b\r\nContent-Disposition: form-data; name="f"; filename="pwd.txt"\r\n\r\nfile\r\n--b\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"token":"t0k3n"}\r\n--b--\r\n';
    expect(body(mp, 'multipart/form-data; boundary=b')).toBe(mp.replace('secret1', '[redacted:4-8]').replace('t0k3n', '[redacted:4-8]'));
    expect(body('event: x\ndata: {"password":"abc"}\nid: 1\n\n', 'text/event-stream')).toBe('event: x\ndata: {"password":"[redacted:2-4]"}\nid: 1\n\n');
  });

  it('base64: text inside is redacted, binary is left alone', () => {
    const b64 = btoa('{"password":"abc"}');
    expect(atob(scrubEncoded(ctx(), at, b64))).toBe('{"password":"[redacted:2-4]"}');
    const binary = btoa(String.fromCharCode(0xff, 0xfe, 0x00, 0x41));
    expect(scrubEncoded(ctx(), at, binary)).toBe(binary);
  });
});

describe('applyRedaction', () => {
  it('leaves its input alone and is idempotent', () => {
    const har = exportHar([makeEntry({ request: { headers: [['Cookie', 'a=bcdef']] } })], { redact: false });
    const before = JSON.stringify(har);
    const once = applyRedaction(har);
    expect(JSON.stringify(har)).toBe(before);
    expect(once.findings).toHaveLength(2);
    const twice = applyRedaction(once.har);
    expect(twice.findings).toEqual([]);
    expect(twice.har).toEqual(once.har);
    expect(once.har.log._netlens).toEqual({ format: NETLENS_HAR_FORMAT, redacted: true });
  });

  it('does nothing when turned off', () => {
    const har = exportHar([makeEntry({ request: { headers: [['Cookie', 'a=bcdef']] } })], { redact: false });
    expect(applyRedaction(har, { enabled: false }).har).toEqual(har);
  });
});
