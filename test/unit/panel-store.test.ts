import { describe, expect, it } from 'vitest';
import { createPanelStore } from '../../src/devtools/store';
import type { PageEvent, TabRecord } from '../../src/shared/protocol';

const record = (seq: number, ev: PageEvent): TabRecord => ({ seq, tabId: 1, frameId: 0, doc: 'd1', frameUrl: 'http://a.test/', ev });

describe('panel store: what the status bar counts', () => {
  it('capture errors, and the page events the page script reported dropped', () => {
    const store = createPanelStore();
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([0, 0]);
    store.applyMessage({
      type: 'snapshot',
      tabId: 1,
      dropped: 0,
      records: [
        record(1, { type: 'capture-error', id: 'capture', t: 1, where: 'xhr:open', message: 'TypeError: x' }),
        record(2, { type: 'capture-error', id: 'capture', t: 2, where: 'page:dropped', message: '4000 page events dropped: the queue was full (20000 waiting)', count: 4000 }),
      ],
    });
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([2, 4000]);
    store.applyMessage({ type: 'cleared', tabId: 1 });
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([0, 0]);
  });
});
