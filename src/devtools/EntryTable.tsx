import { useEffect } from 'preact/hooks';
import type { CorsAnalysis } from '../shared/cors';
import type { LongPollGroup } from '../shared/long-polling';
import type { Entry } from '../shared/model';
import { duration, shortUrl, statusText } from './format';
import { useVirtualRows } from './virtual-rows';

export const ENTRY_ROW_HEIGHT = 20;

interface Props {
  entries: readonly Entry[];
  /** Bumped when the entries (updated in place) changed. */
  revision: number;
  selectedId?: string;
  /** The time axis of the shown entries (see PanelViews.waterfallSpan). */
  span(now: number): { min: number; max: number };
  corsOf(id: string): CorsAnalysis | undefined;
  longPollOf(id: string): LongPollGroup | undefined;
  onSelect(id: string): void;
  /** A request to scroll an entry into view (a new object each time). */
  reveal?: { id: string };
}

/** Where each entry sits on the shared time axis (`span`, ms), as percentages of it. */
export function waterfall(span: { min: number; max: number }, now: number) {
  const width = Math.max(1, span.max - span.min);
  return (e: Entry) => ({
    left: ((e.startTime - span.min) / width) * 100,
    width: Math.max(0.4, (((e.endTime ?? now) - e.startTime) / width) * 100),
  });
}

function Columns() {
  return (
    <colgroup>
      <col class="c-kind" />
      <col class="c-method" />
      <col class="c-url" />
      <col class="c-status" />
      <col class="c-time" />
      <col class="c-waterfall" />
    </colgroup>
  );
}

/** The entry list: only the rows in view are in the DOM; follows the newest while at the end. */
export function EntryTable({ entries, span, selectedId, corsOf, longPollOf, onSelect, reveal }: Props) {
  const { ref, onScroll, win, reveal: scrollTo } = useVirtualRows(entries.length, ENTRY_ROW_HEIGHT, true);
  useEffect(() => {
    if (reveal) scrollTo(entries.findIndex((e) => e.id === reveal.id));
  }, [reveal]);
  const now = Date.now();
  const place = waterfall(span(now), now);
  const rows: Entry[] = [];
  for (let i = win.start; i < win.end; i++) rows.push(entries[i]);
  return (
    <div class="entries" data-testid="entry-table">
      <table class="entries-head">
        <Columns />
        <thead>
          <tr>
            <th>Kind</th>
            <th>Method</th>
            <th>URL</th>
            <th>Status</th>
            <th>Time</th>
            <th class="waterfall">Waterfall</th>
          </tr>
        </thead>
      </table>
      <div class="entries-scroll" ref={ref} onScroll={onScroll} data-testid="entry-scroll">
        <table class="entries-body">
          <Columns />
          <tbody>
            <tr class="spacer" style={{ height: `${win.before}px` }} />
            {rows.map((e, slot) => {
              const verdict = corsOf(e.id);
              const blocked = verdict?.outcome === 'blocked';
              const poll = longPollOf(e.id);
              const bar = place(e);
              return (
                <tr
                  // Keyed by position in the window, not by entry: when the list scrolls or grows,
                  // the same rows are rewritten in place instead of replaced, which keeps the
                  // relayout to changed text (measured: a batch at 100,000 entries relaid out
                  // ~680 new objects per redraw when keyed by id).
                  key={slot}
                  data-testid="entry-row"
                  data-id={e.id}
                  data-kind={e.kind}
                  data-method={e.method}
                  data-url={e.url}
                  data-status={statusText(e)}
                  data-state={e.state}
                  data-cors={verdict ? verdict.outcome : ''}
                  class={`${e.id === selectedId ? 'selected' : ''} state-${e.state}${blocked ? ' cors-blocked' : ''}`}
                  onClick={() => onSelect(e.id)}
                >
                  <td class="kind">
                    {e.kind}
                    {poll && (
                      <span class="badge poll" data-testid="long-poll" title={`long polling: ${poll.entryIds.length} requests to ${poll.key}`}>
                        poll
                      </span>
                    )}
                  </td>
                  <td>{e.method}</td>
                  <td class="url" title={e.url}>
                    {shortUrl(e.url)}
                  </td>
                  <td>
                    {statusText(e)}
                    {blocked && (
                      <span class="badge cors" title={`CORS: ${verdict.error ?? 'blocked'}`}>
                        CORS
                      </span>
                    )}
                  </td>
                  <td>{duration(e)}</td>
                  <td class="waterfall">
                    <span class={`bar kind-${e.kind}`} style={{ left: `${bar.left}%`, width: `${bar.width}%` }} />
                  </td>
                </tr>
              );
            })}
            <tr class="spacer" style={{ height: `${win.after}px` }} />
          </tbody>
        </table>
      </div>
    </div>
  );
}
