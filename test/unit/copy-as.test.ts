import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scaled } from '../helpers/time';
import { copyAs, printfBytes, shellQuote, toCurl, toFetch, toNodeFetch } from '../../src/shared/copy-as';
import type { Entry } from '../../src/shared/model';
import type { FormField, Header, Payload } from '../../src/shared/protocol';
import { base64, makeEntry, text } from './har/helpers';

const dir = mkdtempSync(join(tmpdir(), 'netlens-curl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a generated command in real bash with `curl` replaced by a program (first on PATH, so the
 * kernel's limits on arguments apply) that writes each argument NUL-terminated (`printf '%s\0'`:
 * a NUL is the one byte an argument cannot hold) and what it reads on stdin: the words bash
 * parsed, byte for byte.
 */
function runInBash(command: string): { args: string[]; raw: Buffer[]; stdin: Buffer } {
  const argsFile = join(dir, 'args');
  const stdinFile = join(dir, 'stdin');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'curl'), `#!/bin/bash\nprintf '%s\\0' "$@" > ${argsFile}; cat > ${stdinFile}\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'command.sh'), `${command}\n`);
  const run = spawnSync('bash', [join(dir, 'command.sh')], { input: '', env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, LC_ALL: 'C' } });
  if (run.status !== 0) throw new Error(`bash failed: ${run.stderr.toString()}`);
  const raw = readFileSync(argsFile);
  const words: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0) {
      words.push(raw.subarray(start, i));
      start = i + 1;
    }
  }
  return { args: words.map((w) => w.toString('utf8')), raw: words, stdin: readFileSync(stdinFile) };
}

/**
 * Runs a generated command in real bash with the real curl, against a local server that records
 * the raw bytes of each request it gets (answered 200, empty); `url` is that server's base URL.
 * In `dir`, where a canary file waits for anyone who reads it (`canary`: its path and text).
 */
async function runRealCurl(command: (url: string) => string): Promise<{ status: number | null; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((socket) => {
    let raw = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      raw = Buffer.concat([raw, chunk]);
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = raw.subarray(0, end).toString('latin1');
      if (/^expect: *100-continue/im.test(head) && raw.length === end + 4) socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
      if (raw.length < end + 4 + length) return;
      requests.push(raw.toString('latin1'));
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const script = `${command(`http://127.0.0.1:${port}`)} -s -o /dev/null -m 5\n`;
    const child = spawn('bash', ['-c', script], { cwd: dir, stdio: 'ignore', env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { status, requests };
  } finally {
    server.close();
  }
}

const canary = { path: join(dir, 'canary'), text: `canary-${Math.random().toString(36).slice(2)}` };
writeFileSync(canary.path, canary.text);

const valuesOf = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

const ODD = [
  "it's",
  'two\nlines\r\nand a tab\t',
  'dollar $HOME and $(id) and `id`',
  'back\\slash \\n not a newline',
  'bang! !! history',
  'naïve — 日本語 🎉',
  'C1 \u0085 and DEL \u007f and ESC \u001b[31m',
  '"double" and \'single\' and %s %% printf',
  '',
];

function post(headers: Header[], body?: Payload, over: Partial<Entry> = {}): Entry {
  return makeEntry({ method: 'POST', url: 'https://api.example/v1/items?q=a b&x=[1]', request: { headers, body }, ...over });
}

describe('shellQuote', () => {
  it('gives bash exactly the string back, for every odd character', () => {
    const { args } = runInBash(`curl ${ODD.map((v) => shellQuote(v)).join(' ')}`);
    expect(args).toEqual(ODD);
  });

  it('gives bash back any string (property: C0, C1, quotes, backslashes, U+2028, non-BMP), UTF-8 or one byte per character', () => {
    const hostile = fc.string({ unit: fc.oneof(fc.constantFrom('\'', '\\', '!', '$', '`', '"', '\n', '\r', '\u0085', '\u2028', '\u00ff', '\u{1f389}', '\x1b', ' ', '-', '@'), fc.integer({ min: 1, max: 0x2ff }).map((c) => String.fromCharCode(c))), maxLength: 12 });
    const values = fc.sample(hostile, { numRuns: 300, seed: 52 });
    const { raw } = runInBash(`curl ${values.map((v, i) => shellQuote(v, i % 2 ? 'latin1' : 'utf8')).join(' ')}`);
    expect(raw).toEqual(values.map((v, i) => Buffer.from(v, i % 2 && /^[\x00-\xff]*$/.test(v) ? 'latin1' : 'utf8')));
  });

  it('uses plain single quotes when nothing needs escaping, ANSI-C quoting otherwise (as Chrome does)', () => {
    expect(shellQuote('a $b "c"')).toBe(`'a $b "c"'`);
    expect(shellQuote("it's")).toBe("$'it\\'s'");
    expect(shellQuote('a\nb')).toBe("$'a\\nb'");
  });
});

describe('Copy as cURL', () => {
  it('replays headers and a text body byte for byte through bash', () => {
    const headers: Header[] = ODD.filter(Boolean).map((v, i) => [`X-Odd-${i}`, v.replace(/[\r\n]/g, ' ')]);
    headers.push(['Content-Type', 'text/plain;charset=UTF-8'], ['X-Latin1', 'naïve café ÿ']);
    const body = ODD.join('\u0001|');
    const { args, raw, stdin } = runInBash(toCurl(post(headers, text(body))).text);
    expect(args[0]).toBe('https://api.example/v1/items?q=a b&x=[1]');
    expect(args).toContain('--globoff');
    // Header values are ByteStrings: one byte per character when all fit in a byte (as the
    // browser sends them), UTF-8 otherwise.
    const headerBytes = raw.filter((_, i) => args[i - 1] === '-H');
    expect(headerBytes).toEqual(headers.map(([n, v]) => Buffer.from(`${n}: ${v}`, /^[\x00-\xff]*$/.test(v) ? 'latin1' : 'utf8')));
    expect(valuesOf(args, '--data-raw')).toEqual([body]);
    expect(args).not.toContain('-X'); // POST with a body is what curl infers
    expect(stdin.length).toBe(0);
  });

  it('pipes a body with NUL and invalid UTF-8 through printf to --data-binary @-', () => {
    const bytes = [0, 1, 2, 0x25, 0x5c, 0x27, 0x0a, 0x41, 0xff, 0xfe, 0x80, 0, 0x7f, 0x22, 0x24];
    const result = toCurl(post([['Content-Type', 'application/octet-stream']], base64(bytes)));
    expect(result.notes.join(' ')).toContain('printf');
    const { args, stdin } = runInBash(result.text);
    expect(valuesOf(args, '--data-binary')).toEqual(['@-']);
    expect([...stdin]).toEqual(bytes);
  });

  it('pipes a text body that holds NUL through printf too (bash ends a $\'…\' word at \\x00)', () => {
    const body = 'a\0b ü\0';
    const { args, stdin } = runInBash(toCurl(post([], text(body))).text);
    expect(valuesOf(args, '--data-raw')).toEqual([]);
    expect(valuesOf(args, '--data-binary')).toEqual(['@-']);
    expect(stdin.toString('utf8')).toBe(body);
  });

  it('pipes a text body too long for one argument (Linux: 128 KiB) through printf', () => {
    const body = `${"it's ".repeat(30_000)}ü`;
    const result = toCurl(post([], text(body)));
    const { args, stdin } = runInBash(result.text);
    expect(valuesOf(args, '--data-binary')).toEqual(['@-']);
    expect(stdin.toString('utf8')).toBe(body);
    expect(result.notes.join(' ')).toContain('longer than an argument');
  });

  it('copies a 32 MiB binary body as cURL, fetch and Node fetch without freezing the panel (each well under 3 s)', () => {
    const bytes = new Uint8Array(32 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    const entry = post([], { encoding: 'base64', data: Buffer.from(bytes).toString('base64'), size: bytes.length, truncated: false });
    for (const format of ['curl', 'fetch', 'node-fetch'] as const) {
      const t0 = performance.now();
      const { text: copied } = copyAs(entry, format);
      expect(performance.now() - t0, format).toBeLessThan(scaled(3000));
      expect(copied.length).toBeGreaterThan(bytes.length);
    }
  });

  it('printfBytes writes every byte value 0-255', () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    const run = spawnSync('bash', ['-c', printfBytes(new Uint8Array(all))], { env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    expect([...run.stdout]).toEqual(all);
  });

  it('leaves out pseudo-headers, Host and Content-Length, and says so; Accept-Encoding becomes --compressed', () => {
    const e = post(
      [[':authority', 'api.example'], [':method', 'POST'], [':path', '/v1'], [':scheme', 'https'], ['Host', 'api.example'], ['Content-Length', '3'], ['Accept-Encoding', 'gzip, br'], ['Accept', '*/*']],
      text('a=1'),
    );
    const result = toCurl(e);
    const { args } = runInBash(result.text);
    expect(valuesOf(args, '-H')).toEqual(['Accept: */*']);
    expect(args).toContain('--compressed');
    expect(result.notes.join(' ')).toContain(':authority, :method, :path, :scheme, host, content-length');
  });

  it('sends a header with an empty value as "Name;" (curl drops "Name:" and "Name: ")', async () => {
    const entry = (url: string) => post([['X-Empty', ''], ['X-Full', 'a']], undefined, { method: 'GET', url });
    expect(valuesOf(runInBash(toCurl(entry('http://x/')).text).args, '-H')).toEqual(['X-Empty;', 'X-Full: a']);
    const { requests } = await runRealCurl((base) => toCurl(entry(`${base}/e`)).text);
    expect(requests[0]).toMatch(/\r\nX-Empty:\r\nX-Full: a\r\n/);
  });

  it('prefers the headers seen on the wire over what the page set', () => {
    const e = post([['X-Page', '1']], undefined, {
      method: 'GET',
      wire: { requestId: '1', requestHeaders: [['X-Page', '1'], ['Cookie', 'a=b'], ['User-Agent', 'UA']], redirects: [], resourceType: 'xmlhttprequest' },
    });
    const { args } = runInBash(toCurl(e).text);
    expect(valuesOf(args, '-H')).toEqual(['X-Page: 1', 'Cookie: a=b', 'User-Agent: UA']);
    expect(args).not.toContain('-X');
  });

  it('writes -X when the method is not the inferred one (PUT, GET with a body, an odd one)', () => {
    expect(valuesOf(runInBash(toCurl(post([], text('x'), { method: 'PUT' })).text).args, '-X')).toEqual(['PUT']);
    expect(valuesOf(runInBash(toCurl(post([], text('x'), { method: 'GET' })).text).args, '-X')).toEqual(['GET']);
    expect(valuesOf(runInBash(toCurl(post([], undefined, { method: "DEL'ETE" })).text).args, '-X')).toEqual(["DEL'ETE"]);
  });

  it('sends no Content-Type when the wire shows the browser sent none (curl adds x-www-form-urlencoded to --data)', async () => {
    const onWire = (requestHeaders: Header[]): Partial<Entry> => ({ wire: { requestId: '1', requestHeaders, redirects: [], resourceType: 'fetch' } });
    for (const body of [text('{"a":1}'), base64([0, 1, 2])]) {
      const { requests } = await runRealCurl((base) => toCurl(post([], body, { url: `${base}/b`, ...onWire([['Accept', '*/*']]) })).text);
      expect(requests[0]).not.toMatch(/content-type/i);
    }
    const typed = await runRealCurl((base) => toCurl(post([], text('{}'), { url: `${base}/b`, ...onWire([['Content-Type', 'application/json']]) })).text);
    expect(typed.requests[0].match(/content-type: .*/gi)).toEqual(['Content-Type: application/json']);
  });

  it('without the wire view, sends the Content-Type the browser adds for the kind of body the page passed', async () => {
    const sent = async (body: Payload, headers: Header[] = []) => (await runRealCurl((base) => toCurl(post(headers, body, { url: `${base}/b` })).text)).requests[0].match(/content-type: .*/gi);
    expect(await sent({ ...text('hello'), source: 'string' })).toEqual(['Content-Type: text/plain;charset=UTF-8']);
    expect(await sent({ ...text('a=1&b=2'), source: 'urlsearchparams', mimeType: 'application/x-www-form-urlencoded;charset=UTF-8' })).toEqual(['Content-Type: application/x-www-form-urlencoded;charset=UTF-8']);
    expect(await sent({ ...text('{"a":1}'), source: 'blob', mimeType: 'application/json' })).toEqual(['Content-Type: application/json']);
    expect(await sent({ ...base64([0, 1, 2]), source: 'blob', mimeType: '' })).toBeNull();
    expect(await sent({ ...base64([0, 1, 2]), source: 'arraybuffer' })).toBeNull();
    // The page's own header is what went.
    expect(await sent({ ...text('{}'), source: 'string' }, [['Content-Type', 'application/json']])).toEqual(['Content-Type: application/json']);
  });

  it('pipes a body that begins with "-" (every multipart body) through printf whole: printf takes no option from it', async () => {
    const multipart = [...Buffer.from('------WebKitFormBoundaryAbc\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'), 0, 1, 2, 0xff, ...Buffer.from('\r\n------WebKitFormBoundaryAbc--\r\n')];
    const long = `---${'x'.repeat(70_000)}`;
    for (const body of [base64(multipart), text(long)]) {
      const { stdin } = runInBash(toCurl(post([], body)).text);
      expect(stdin.equals(body.encoding === 'base64' ? Buffer.from(multipart) : Buffer.from(long))).toBe(true);
    }
  });

  it('sends an imported form known only by its fields (a HAR\'s postData.params, as Charles writes) as --form-string / -F', () => {
    const form: Payload = { encoding: 'none', data: '', size: 2106, truncated: false, form: [{ name: 'upfile', fileName: 'Small.gif', type: 'image/gif' }, { name: 'note', value: 'FILENAME' }] };
    const { args } = runInBash(toCurl(post([['Content-Type', 'multipart/form-data; boundary=x']], form)).text);
    expect(valuesOf(args, '--form-string')).toEqual(['note=FILENAME']);
    expect(valuesOf(args, '-F')).toEqual(['upfile=@./Small.gif;type=image/gif']);
  });

  it('sends no form for the params of an imported urlencoded body (curl -F would send multipart): says the body is not there', () => {
    const params: Payload = { encoding: 'none', data: '', size: 9, truncated: false, mimeType: 'application/x-www-form-urlencoded', form: [{ name: 'a', value: '1' }, { name: 'b', value: 'x y' }] };
    const result = toCurl(post([['Content-Type', 'application/x-www-form-urlencoded']], params));
    const { args } = runInBash(result.text);
    expect(valuesOf(args, '--form-string')).toEqual([]);
    expect(valuesOf(args, '-H')).toEqual(['Content-Type: application/x-www-form-urlencoded']);
    expect(result.notes.join(' ')).toContain('No body in the copy');
  });

  it('keeps the method when no FormData field could be written (an empty FormData, or every field left out)', async () => {
    for (const form of [[], [{ name: 'a=b', value: 'c' }]] as FormField[][]) {
      const body: Payload = { encoding: 'none', data: '', size: -1, truncated: false, source: 'formdata', form };
      const { requests } = await runRealCurl((base) => toCurl(post([], body, { url: `${base}/f` })).text);
      expect(requests[0]).toMatch(/^POST \/f /);
    }
  });

  it('writes HEAD as --head: with -X HEAD curl waits for the body the Content-Length announces', () => {
    const { args } = runInBash(toCurl(post([], undefined, { method: 'HEAD' })).text);
    expect(args).toContain('--head');
    expect(args).not.toContain('-X');
  });

  it('sends FormData as --form-string / -F and notes the file parts it cannot carry', () => {
    const form: Payload = {
      encoding: 'none', data: '', size: -1, truncated: false, source: 'formdata', mimeType: 'multipart/form-data',
      form: [{ name: 'title', value: "@not-a-file;type=x it's" }, { name: 'photo', fileName: 'ph"o;to.jpg', type: 'image/jpeg', size: 1234 }],
    };
    const result = toCurl(post([['Content-Type', 'multipart/form-data; boundary=x']], form));
    const { args } = runInBash(result.text);
    expect(valuesOf(args, '--form-string')).toEqual(["title=@not-a-file;type=x it's"]);
    expect(valuesOf(args, '-F')).toEqual(['photo=@./ph_o_to.jpg;type=image/jpeg']);
    expect(valuesOf(args, '-H')).toEqual([]); // curl writes its own boundary
    expect(result.notes.join(' ')).toMatch(/photo.*1234 bytes.*not captured/);
  });

  it('passes a URL that begins with "-" as --url, never as an option (-K-: curl would read its config from the piped body)', async () => {
    const config = `# \xff\nurl = "{base}/stolen"\ndata-binary = "@${canary.path}"\n`;
    const entry = (base: string) => post([], { encoding: 'base64', data: btoa(config.replace('{base}', base)), size: config.length, truncated: false }, { url: '-K-' });
    expect(runInBash(toCurl(entry('http://x')).text).args.slice(0, 2)).toEqual(['--url', '-K-']);
    const { requests } = await runRealCurl((base) => toCurl(entry(base)).text);
    expect(requests.join('')).not.toContain(canary.text);
    expect(requests).toEqual([]); // curl refuses "-K-" as a URL
  });

  it('has curl refuse a URL that is not http(s): an imported file:// URL does not print a local file', () => {
    const entry = post([], undefined, { method: 'GET', url: `file://${canary.path}` });
    const copied = toCurl(entry);
    expect(copied.notes).toContain('The URL is not http(s): curl is told to refuse it (--proto).');
    const run = spawnSync('bash', ['-c', `${copied.text} -s -m 5`], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    expect(run.stdout).not.toContain(canary.text);
    expect(run.status).toBe(1); // curl: unsupported protocol
  });

  it('never lets a FormData file part name a local file for curl to read and send (name, file name, type)', async () => {
    writeFileSync(join(dir, 'a.txt'), 'the file the note asks for');
    const form = (field: FormField): Payload => ({ encoding: 'none', data: '', size: -1, truncated: false, source: 'formdata', form: [field] });
    const hostile: FormField[] = [
      { name: `x=@${canary.path};`, fileName: 'a.txt', type: 'text/plain', size: 1 },
      { name: 'f', fileName: canary.path, type: 'text/plain', size: 1 },
      { name: 'f', fileName: `a.txt,${canary.path}`, size: 1 },
      { name: 'f', fileName: 'a.txt', type: `text/plain;headers=@${canary.path}`, size: 1 },
      { name: 'f', fileName: '../../../../../../..' + canary.path, size: 1 },
    ];
    for (const field of hostile) {
      const { requests } = await runRealCurl((base) => toCurl(post([], form(field), { url: `${base}/up` })).text);
      expect(requests.join(''), JSON.stringify(field)).not.toContain(canary.text);
    }
    const { args } = runInBash(toCurl(post([], form(hostile[3]))).text);
    expect(valuesOf(args, '-F')).toEqual(['f=@./a.txt']); // a type with parameters is left out
    const named = toCurl(post([], form(hostile[0])));
    expect(valuesOf(runInBash(named.text).args, '-F')).toEqual([]);
    expect(named.notes.join(' ')).toContain('cannot be named in curl -F');
  });

  it('leaves out, with a note, a FormData text field that --form-string would change (a name with "=", a NUL, too long)', () => {
    const form: Payload = {
      encoding: 'none', data: '', size: -1, truncated: false, source: 'formdata',
      form: [{ name: 'a=b', value: 'c' }, { name: 'nul', value: 'x\0y' }, { name: 'long', value: 'z'.repeat(200_000) }, { name: 'ok', value: 'a=b' }],
    };
    const result = toCurl(post([], form));
    const { args } = runInBash(result.text);
    expect(valuesOf(args, '--form-string')).toEqual(['ok=a=b']);
    expect(result.notes.join(' ')).toMatch(/"a=b".*"nul".*"long"/);
  });

  it('writes the notes as comments without control characters: a CR typed into an interactive shell ends the line', () => {
    const pwned = join(dir, 'pwned');
    const field: FormField = { name: `x\rtouch ${pwned} #`, fileName: `y\u0085\u2028\x1b[2J\0`, size: 1 };
    const form: Payload = { encoding: 'none', data: '', size: -1, truncated: false, source: 'formdata', form: [field] };
    const result = toCurl(post([[`:x\rtouch ${pwned} #`, '1']], form));
    // eslint-disable-next-line no-control-regex
    expect(result.text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
    // As a paste into a terminal without bracketed paste: an interactive bash on a pty, where
    // readline takes a CR as Enter.
    const run = spawnSync('script', ['-qec', 'bash --norc --noprofile -i', '/dev/null'], {
      input: `${result.text.replace(/^curl .*$/m, ': curl')}\nexit\n`, cwd: dir, timeout: 10_000, env: { PATH: process.env.PATH, HOME: dir, TERM: 'dumb' },
    });
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toContain('exit');
    expect(() => readFileSync(pwned)).toThrow();
  });

  it('says when the body was truncated or not captured, as a comment bash ignores', () => {
    const cut = toCurl(post([], text('abc', { truncated: true, size: 10 })));
    expect(cut.text.startsWith('# ')).toBe(true);
    expect(valuesOf(runInBash(cut.text).args, '--data-raw')).toEqual(['abc']);
    const blob = toCurl(post([], { encoding: 'none', data: '', size: 5, truncated: false, source: 'blob' }));
    expect(blob.notes.join(' ')).toContain('(blob) was not captured');
    expect(runInBash(blob.text).args).toEqual(['https://api.example/v1/items?q=a b&x=[1]', '--globoff', '-X', 'POST']);
  });
});

/** Hostile text: quotes, backslashes, `$`, backticks, controls but NUL, C1, U+2028, non-BMP, lone surrogates, leading `-`/`@`. */
const hostileChar = fc.oneof(
  fc.constantFrom("'", '\\', '!', '$', '`', '"', '${', '\n', '\r', '\t', '\u0085', '\u2028', '\u2029', '\u00ff', '\u{1f389}', '\ud800', '\x1b', ' ', '-', '@', '<', ';', '=', '%', '*/', '</script>'),
  fc.integer({ min: 1, max: 0x3ff }).map((c) => String.fromCharCode(c)),
);
const hostile = (maxLength: number) => fc.array(hostileChar, { maxLength }).map((a) => a.join(''));

describe('Copy as cURL, property', () => {
  it('bash gives curl exactly the captured method, URL, headers and body, whatever they hold', () => {
    const request = fc.record({
      method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'HEAD'), hostile(6)),
      url: hostile(20),
      headers: fc.uniqueArray(fc.tuple(hostile(6).map((n) => `x-${n}`), hostile(10)), { maxLength: 4, selector: ([n]) => n.toLowerCase() }),
      body: fc.option(fc.oneof(hostile(30), fc.uint8Array({ maxLength: 30 })), { nil: undefined }),
    });
    fc.assert(
      fc.property(request, ({ method, url, headers, body }) => {
        const payload: Payload | undefined = body === undefined ? undefined : typeof body === 'string' ? text(body) : base64([...body]);
        const entry = post(headers, payload, { method, url });
        const { args, raw, stdin } = runInBash(toCurl(entry).text);
        expect(args[args[0] === '--url' ? 1 : 0]).toBe(Buffer.from(url, 'utf8').toString('utf8'));
        const headerWords = raw.filter((_, i) => args[i - 1] === '-H').filter((w) => w.toString() !== 'Content-Type:');
        expect(headerWords).toEqual(headers.map(([n, v]) => Buffer.from(/^[ \t]*$/.test(v) ? `${n};` : `${n}: ${v}`, /^[\x00-\xff]*$/.test(n + v) ? 'latin1' : 'utf8')));
        const sent = valuesOf(args, '-X')[0] ?? (args.includes('--head') ? 'HEAD' : payload ? 'POST' : 'GET');
        expect(sent).toBe(Buffer.from(method, 'utf8').toString('utf8'));
        const bodyBytes = raw.find((_, i) => args[i - 1] === '--data-raw') ?? (args.includes('@-') ? stdin : undefined);
        expect(bodyBytes).toEqual(body === undefined ? undefined : Buffer.from(body as never));
      }),
      { numRuns: 60, seed: 52 },
    );
  });
});

/** Runs generated fetch code with `fetch` replaced by a recorder: the real JS parser reads it. */
async function runFetchCode(code: string): Promise<{ url: string; init: RequestInit }> {
  const calls: [string, RequestInit][] = [];
  new Function('fetch', code)((url: string, init: RequestInit) => calls.push([url, init]));
  expect(calls).toHaveLength(1);
  return { url: calls[0][0], init: calls[0][1] };
}

describe('Copy as fetch', () => {
  it('is valid JavaScript that passes the exact strings, without forbidden headers', async () => {
    const headers: Header[] = [['X-Odd', ODD.join('|')], ['Cookie', 'a=b'], ['Content-Type', 'text/plain'], ['Sec-Fetch-Mode', 'cors']];
    const e = post(headers, text(ODD.join('\u2028\u0000')), { request: { headers, body: text(ODD.join('\u2028\u0000')), meta: { mode: 'cors', credentials: 'include' } } });
    const result = toFetch(e);
    const { url, init } = await runFetchCode(result.text);
    expect(url).toBe(e.url);
    expect(init.headers).toEqual({ 'x-odd': ODD.join('|'), 'content-type': 'text/plain' });
    expect(init.body).toBe(ODD.join('\u2028\u0000'));
    expect(init).toMatchObject({ method: 'POST', mode: 'cors', credentials: 'include' });
    expect(result.notes.join(' ')).toContain('cookie, sec-fetch-mode');
  });

  it('keeps every header: a repeated name combined as fetch does, "__proto__" as a header, not the prototype', async () => {
    const headers: Header[] = [['X-A', '1'], ['x-a', '2'], ['__proto__', 'p'], ['X-B', '3']];
    for (const copy of [toFetch, toNodeFetch]) {
      const { init } = await runFetchCode(copy(post(headers, undefined, { method: 'GET' })).text);
      expect([...new Headers(init.headers)]).toEqual([...new Headers(headers)]);
    }
  });

  it('builds binary bodies as bytes and FormData with empty Blobs for uncaptured files', async () => {
    const bytes = [0, 255, 1, 128];
    const { init } = await runFetchCode(toFetch(post([], base64(bytes))).text);
    expect([...(init.body as Uint8Array)]).toEqual(bytes);
    const form: Payload = { encoding: 'none', data: '', size: -1, truncated: false, source: 'formdata', form: [{ name: 'a', value: '1' }, { name: 'f', fileName: 'x.bin', type: 'application/x', size: 9 }] };
    const withForm = toFetch(post([['Content-Type', 'multipart/form-data; boundary=z']], form));
    const got = await runFetchCode(withForm.text);
    const fd = got.init.body as FormData;
    expect(fd.get('a')).toBe('1');
    expect((fd.get('f') as File).name).toBe('x.bin');
    expect(got.init.headers).toEqual({});
    expect(withForm.notes.join(' ')).toContain('not captured');
  });

  it('Node.js fetch keeps wire headers (cookies too) but drops transport and hop-by-hop ones', async () => {
    const e = post([], text('{}'), {
      wire: { requestId: '1', requestHeaders: [['Cookie', 'a=b'], ['Connection', 'keep-alive'], ['Content-Length', '2'], [':path', '/'], ['Accept', 'x']], redirects: [], resourceType: 'fetch' },
    });
    const { init } = await runFetchCode(toNodeFetch(e).text);
    expect(init.headers).toEqual({ cookie: 'a=b', accept: 'x' });
    expect(init.body).toBe('{}');
  });
});

describe('Copy as fetch, property', () => {
  it('the JS gives fetch exactly the captured method, URL, headers and body, whatever they hold', async () => {
    const request = fc.record({
      method: hostile(8),
      url: hostile(20),
      headers: fc.uniqueArray(fc.tuple(hostile(6).map((n) => `x-${n.toLowerCase()}`), hostile(10)), { maxLength: 4, selector: ([n]) => n }),
      body: fc.option(fc.oneof(hostile(30), fc.uint8Array({ maxLength: 30 })), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ method, url, headers, body }) => {
        const payload: Payload | undefined = body === undefined ? undefined : typeof body === 'string' ? text(body) : base64([...body]);
        for (const copy of [toFetch, toNodeFetch]) {
          const got = await runFetchCode(copy(post(headers, payload, { method, url })).text);
          expect(got.url).toBe(url);
          expect(got.init.method).toBe(method);
          expect(Object.entries(got.init.headers as Record<string, string>)).toEqual(headers);
          // What goes on the wire: the text's UTF-8 (a lone surrogate as U+FFFD), or the bytes
          // (given as text when they are UTF-8 without NUL).
          const sent = got.init.body instanceof Uint8Array ? Buffer.from(got.init.body) : got.init.body === undefined ? undefined : Buffer.from(got.init.body as string);
          expect(sent).toEqual(body === undefined ? undefined : Buffer.from(body as never));
        }
      }),
      { numRuns: 200, seed: 52 },
    );
  });
});

describe('the other copies', () => {
  it('HAR entry is the export entry, redacted as the export is', () => {
    const e = makeEntry({ request: { headers: [['Authorization', 'Bearer secret-token-123456']] } });
    const result = copyAs(e, 'har');
    const har = JSON.parse(result.text);
    expect(har.request.url).toBe(e.url);
    expect(result.text).not.toContain('secret-token-123456');
    expect(result.notes.join(' ')).toContain('redacted');
  });

  it("HAR entry takes the export's extra names too: a header and a JSON field named there are redacted", () => {
    const e = makeEntry({
      request: { headers: [['X-Tenant', 'acme-corp']], body: text('{"account_id":"acct-778899","n":1}') },
    });
    const plain = copyAs(e, 'har');
    expect(plain.text).toContain('acme-corp');
    expect(plain.text).toContain('acct-778899');
    const names = ['x-tenant', 'account_id'];
    const result = copyAs(e, 'har', undefined, undefined, { headers: names, fields: names });
    expect(result.text).not.toContain('acme-corp');
    expect(result.text).not.toContain('acct-778899');
    expect(result.notes).toEqual(['Secrets are redacted as in the HAR export; so are the extra names x-tenant, account_id wherever they occur.']);
  });

  it('response: text as is, UTF-8 bytes decoded, other bytes as base64 with a note; URL as is', () => {
    const withBody = (body: Payload) => makeEntry({ response: { status: 200, statusText: 'OK', headers: [], body } });
    expect(copyAs(withBody(text('<script>x</script>')), 'response')).toEqual({ text: '<script>x</script>', notes: [] });
    expect(copyAs(withBody(base64([0xc3, 0xa9])), 'response').text).toBe('é');
    const bin = copyAs(withBody(base64([0xff, 0])), 'response');
    expect(bin.text).toBe(btoa('\xff\0'));
    expect(bin.notes.join(' ')).toContain('base64');
    expect(copyAs(makeEntry({ url: 'javascript:alert(1)' }), 'url').text).toBe('javascript:alert(1)');
  });
});
