import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import { importHar } from '../../../src/shared/har/import';
import { entriesArb } from './arbitraries';
import { FIXTURE_NAMES, fixture } from './helpers';

describe('importHar on malformed input', () => {
  it.each([
    ['null', null, 'not a HAR: no "log" object'],
    ['a number', 42, 'not a HAR: no "log" object'],
    ['bad JSON text', '{"log": ', /^not JSON: /],
    ['no entries', { log: { version: '1.2' } }, 'not a HAR: "log.entries" is not an array'],
    ['entries not an array', { log: { entries: {} } }, 'not a HAR: "log.entries" is not an array'],
  ])('%s → no entries and a warning', (_name, input, warning) => {
    const result = importHar(input);
    expect(result.entries).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(typeof warning === 'string' ? new RegExp(`^${warning.replace(/[.*+?^${}()|[\]\\"]/g, '\\$&')}$`) : warning)]);
  });

  it('skips what it cannot read, entry by entry, and says why', () => {
    const { entries, warnings } = importHar({
      log: {
        entries: [
          'nope',
          { response: {} },
          { startedDateTime: 'yesterday', request: { url: 'https://a.example/', headers: 'x' }, response: { status: 'two hundred' } },
          {
            startedDateTime: '2024-01-01T00:00:00Z',
            request: { method: 'GET', url: 'wss://a.example/s', headers: [{ name: 'a', value: 1 }, null] },
            response: { status: 101, headers: [] },
            _webSocketMessages: [{ type: 'receive', time: 1704067200.5, opcode: 1, data: 'x' }, { type: 'ping' }, 7, { type: 'send', time: 1704067201, opcode: 9, data: '' }],
            _eventSourceMessages: 'none',
            _netlens: { id: 5 },
          },
        ],
      },
    });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ url: 'https://a.example/', startTime: 0, method: 'GET', kind: 'other', state: 'pending' });
    expect(entries[1]).toMatchObject({ kind: 'websocket', request: { headers: [['a', '1']] } });
    expect(entries[1].messages).toEqual([{ t: 1704067200500, dir: 'receive', data: { encoding: 'text', data: 'x', size: 1, truncated: false } }]);
    expect(warnings).toEqual([
      'entry 0: skipped: no request',
      'entry 1: skipped: no request',
      'entry 2: bad startedDateTime "yesterday"',
      'entry 3: unreadable _netlens fields ignored',
      'entry 3: 3 WebSocket message(s) skipped (control frames or malformed)',
    ]);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = importHar(value);
        expect(Array.isArray(r.entries)).toBe(true);
        importHar({ log: { entries: [value] } });
        importHar({ log: { entries: [{ request: value, response: value, _netlens: value, _webSocketMessages: value }] } });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws when any field of a real or netlens HAR is replaced by junk', () => {
    const sources = [...FIXTURE_NAMES.map(fixture)];
    fc.assert(
      fc.property(entriesArb, fc.nat(), fc.nat(), fc.anything(), (entries, pick, pathSeed, junk) => {
        const hars = [...sources, JSON.parse(JSON.stringify(exportHar(entries, { redact: false })))];
        const har = JSON.parse(JSON.stringify(hars[pick % hars.length])) as unknown;
        // Walk a pseudo-random path and put junk there.
        let node = har as Record<string, unknown>;
        let seed = pathSeed;
        for (let depth = 0; depth < 6; depth++) {
          const keys = node && typeof node === 'object' ? Object.keys(node) : [];
          if (!keys.length) break;
          const key = keys[seed % keys.length];
          seed = Math.floor(seed / keys.length) + 7 * depth;
          if (depth === 5 || typeof node[key] !== 'object' || node[key] === null) {
            node[key] = junk;
            break;
          }
          node = node[key] as Record<string, unknown>;
        }
        expect(() => importHar(har)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });
});
