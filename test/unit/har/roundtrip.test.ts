import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import { importHar } from '../../../src/shared/har/import';
import type { Entry } from '../../../src/shared/model';
import { entriesArb } from './arbitraries';
import { validateHar } from './helpers';

/** What a file would hold. */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('netlens → HAR → netlens', () => {
  it('export, import, export again gives an equal HAR (and every export is valid HAR 1.2)', async () => {
    await fc.assert(
      fc.asyncProperty(entriesArb, fc.array(fc.jsonValue(), { minLength: 5, maxLength: 5 }), async (entries, reports) => {
        const cors = (e: Entry) => reports[Number(e.id.slice(1))];
        const first = asJson(exportHar(entries, { redact: false, cors, version: '9.9.9' }));
        const imported = importHar(first);
        expect(imported.warnings).toEqual([]);
        expect(imported.entries).toHaveLength(entries.length);
        const second = asJson(exportHar(imported.entries, { redact: false, cors: (e) => imported.cors.get(e.id), version: '9.9.9' }));
        expect(second).toEqual(first);
        await validateHar(first);
      }),
      { numRuns: 300 },
    );
  });

  it('also through JSON text, and with redaction on (redacting twice changes nothing)', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const first = exportHar(entries);
        const imported = importHar(JSON.stringify(first));
        const second = exportHar(imported.entries);
        expect(asJson(second)).toEqual(asJson(first));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the entries themselves: ids, kinds, times, bodies and messages', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const { entries: back } = importHar(asJson(exportHar(entries, { redact: false })));
        back.forEach((e, k) => {
          const o = entries[k];
          expect([e.id, e.kind, e.state, e.method, e.url, e.startTime, e.endTime, e.doc, e.frameId, e.initiator]).toEqual([
            o.id, o.kind, o.state, o.method, o.url, o.startTime, o.endTime, o.doc, o.frameId, o.initiator,
          ]);
          expect(e.lifecycle).toEqual(asJson(o.lifecycle));
          expect(e.request.headers).toEqual(o.request.headers);
          expect(e.request.body?.size).toEqual(o.request.body?.size);
          expect(e.response?.headers).toEqual(o.response?.headers);
          expect(e.messages).toHaveLength(o.messages.length + 0);
          expect(e.wire?.requestHeaders).toEqual(o.wire?.requestHeaders);
        });
      }),
      { numRuns: 150 },
    );
  });
});
