/**
 * URLs for holding serializedParts (src/shared/url.ts) to a URL parser's answer: mostly ones that
 * serialize as they stand, with every kind of trouble mixed in (case, IPv4 forms, IDNA, default and
 * odd ports, dot segments, domains of hex-looking or numeric labels that are no IPv4 address, long
 * labels and hosts, escapes, characters a parser encodes). Shared by the unit test (Node's URL) and
 * the e2e test (Chromium's).
 */
import fc from 'fast-check';

export const URL_FIELDS = ['href', 'origin', 'protocol', 'host', 'hostname', 'pathname', 'search', 'hash'] as const;

const mix = (usual: string[], odd: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 6 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });
const scheme = mix(['http', 'https', 'ws', 'wss'], ['HTTP', 'Https', 'ftp', 'file', 'data', 'blob']);
const slashes = mix(['://'], [':/', ':', ':///', ':\\\\']);
const host = mix(['a.test', 'api.example.com', 'localhost', '127.0.0.1', '10.0.0.255', 'a-b.test', 'a.'], ['A.test', '127.1', '0x7f.0.0.1', '1.2.3.4.', '256.1.1.1', '01.2.3.4', 'a.123', 'a.0x1', 'a..b', '.a', '-a.test', 'xn--nxasmq6b.test', 'xn--a.test', 'a_b.test', 'ü.test', '[::1]', 'a%41.test', 'u:p@a.test', '', 'dead.beef', '08.a', '99999999999.a', '1.2.3.a', 'a.b.c.d.e', 'a.1e5', '0x.a', 'xy--z', '-', `${'a'.repeat(64)}.test`, `${'a.'.repeat(130)}b`]);
const port = mix(['', ':8080', ':1', ':65535'], [':80', ':443', ':0', ':08080', ':65536', ':', ':99999']);
const piece = mix(['a', 'B', '0', '-', '.', '_', '~', '!', '$', '&', '(', ')', '*', '+', ',', ';', '=', ':', '@', '/', '%20', '%41'], ['..', '/.', '?', '#', "'", '%2e', '%2E', '%zz', '%', ' ', '"', '<', '>', '\\', '^', '`', '{', '|', '}', '[', ']', 'ä', '\t']);
const tail = (lead: string) => fc.option(fc.array(piece, { maxLength: 6 }).map((xs) => lead + xs.join('')), { nil: '' });
export const urlSamples = fc.tuple(scheme, slashes, host, port, tail('/'), tail('?'), tail('#')).map((xs) => xs.join(''));
