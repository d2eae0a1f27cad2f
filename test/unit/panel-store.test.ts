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
        record(2, { type: 'capture-error', id: 'capture', t: 2, where: 'page:dropped', message: '4000 page events dropped: the queue was full (20000 waiting)' }),
      ],
    });
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([2, 4000]);
    store.applyMessage({ type: 'cleared', tabId: 1 });
    expect([store.captureErrors.value, store.pageEventsDropped.value]).toEqual([0, 0]);
  });
});

describe('panel store: recording paused', () => {
  const start = (seq: number, id: string, url: string) => record(seq, { type: 'start', id, t: seq, kind: 'fetch', method: 'GET', url, headers: [] });
  const end = (seq: number, id: string) => record(seq, { type: 'end', id, t: seq, outcome: 'ok' });
  const shown = (store: ReturnType<typeof createPanelStore>) => store.visible().map((e) => [e.url, e.state]);

  it('leaves out what starts while paused, for good; what was there goes on updating', () => {
    const store = createPanelStore();
    store.applyMessage({ type: 'records', tabId: 1, records: [start(1, 'a', 'http://a.test/before')] });
    store.setRecording(false);
    store.applyMessage({ type: 'records', tabId: 1, records: [start(2, 'b', 'http://a.test/paused'), end(3, 'a')] });
    expect(shown(store)).toEqual([['http://a.test/before', 'done']]);
    store.setRecording(true);
    store.applyMessage({ type: 'records', tabId: 1, records: [end(4, 'b'), start(5, 'c', 'http://a.test/after')] });
    expect(shown(store)).toEqual([
      ['http://a.test/before', 'done'],
      ['http://a.test/after', 'pending'],
    ]);
    expect([store.entryCount(), store.allEntries().map((e) => e.url)]).toEqual([2, ['http://a.test/before', 'http://a.test/after']]);
    // A filter change does not bring them back.
    store.setText('paused');
    expect(shown(store)).toEqual([]);
    store.setText('');
    expect(store.visible().length).toBe(2);
  });
});
