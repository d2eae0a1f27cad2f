import { describe, expect, it } from 'vitest';
import { MAX_POINTS, progressSeries } from '../../src/shared/progress';
import { T0, makeEntry, msg, text } from './har/helpers';

describe('progress curves', () => {
  it('reads XHR progress and upload:progress events, with their totals', () => {
    const e = makeEntry({
      kind: 'xhr',
      lifecycle: [
        { t: T0, step: 'start' },
        { t: T0 + 1, step: 'upload:progress', detail: { loaded: 100, total: 300, lengthComputable: true } },
        { t: T0 + 2, step: 'upload:progress', detail: { loaded: 300, total: 300, lengthComputable: true } },
        { t: T0 + 3, step: 'readystatechange', detail: { readyState: 3 } },
        { t: T0 + 4, step: 'progress', detail: { loaded: 10, total: 0, lengthComputable: false } },
        { t: T0 + 5, step: 'progress', detail: { loaded: -1 } },
        { t: T0 + 6, step: 'progress', detail: { loaded: 20, total: 0, lengthComputable: false } },
      ],
    });
    expect(progressSeries(e)).toEqual({
      upload: [{ t: T0 + 1, loaded: 100 }, { t: T0 + 2, loaded: 300 }],
      uploadTotal: 300,
      download: [{ t: T0 + 4, loaded: 10 }, { t: T0 + 6, loaded: 20 }],
    });
  });

  it('sums a streamed fetch chunks, sampled to MAX_POINTS keeping the ends', () => {
    const messages = Array.from({ length: 2000 }, (_, i) => msg(T0 + i, 'receive', text('ab')));
    const { download, upload } = progressSeries(makeEntry({ messages }));
    expect(upload).toEqual([]);
    expect(download).toHaveLength(MAX_POINTS);
    expect(download[0]).toEqual({ t: T0, loaded: 2 });
    expect(download.at(-1)).toEqual({ t: T0 + 1999, loaded: 4000 });
    expect(download.every((p, i) => i === 0 || p.t > download[i - 1].t)).toBe(true);
  });

  it('has no curve for a WebSocket or an entry without progress', () => {
    expect(progressSeries(makeEntry({ kind: 'websocket', messages: [msg(T0, 'receive', text('x'))] }))).toEqual({ upload: [], download: [] });
    expect(progressSeries(makeEntry())).toEqual({ upload: [], download: [] });
  });
});
