import { statusText } from './format';
import type { PanelStore } from './store';
import { notOnWire } from '../shared/wire-check';

/** A row as the entry list shows it (the same values as the row's data- attributes). */
export interface ShownRow {
  id: string;
  kind: string;
  method: string;
  url: string;
  status: string;
  state: string;
  cors: string;
  longPoll: boolean;
  /** The row's "not on wire" mark (a live capture only; see shared/wire-check). */
  notOnWire: boolean;
}

/**
 * `window.netlensPanel`, for e2e tests and the benchmark: the list draws only the rows in view,
 * so tests read every shown row from the store and ask for a row to be scrolled into view.
 */
export function exposeForTests(store: PanelStore) {
  Object.assign(globalThis, {
    netlensPanel: {
      store,
      rows: (): ShownRow[] =>
        store.visible().map((e) => ({
          id: e.id,
          kind: e.kind,
          method: e.method,
          url: e.url,
          status: statusText(e),
          state: e.state,
          cors: store.corsOf(e.id)?.outcome ?? '',
          longPoll: store.longPollOf(e.id) !== undefined,
          notOnWire: store.imported.peek() === undefined && notOnWire(e, store.wireSince(), store.wireFromDevtools()),
        })),
      reveal: (id: string) => store.reveal(id),
    },
  });
}
