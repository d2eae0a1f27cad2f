import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CorsAnalysis } from '../shared/cors';
import { fitColumns, LIST_COLUMNS, type ColumnId, type ColumnWidths, type ListColumn } from '../shared/list-columns';
import type { LongPollGroup } from '../shared/long-polling';
import type { Transfer } from '../shared/transfers';
import type { Entry } from '../shared/model';
import { notOnWire } from '../shared/wire-check';
import type { EntrySort, InlineIndex } from '../shared/panel-views';
import { ResizeHandle } from './ColumnResize';
import { Cell } from './EntryCell';
import { statusText } from './format';
import { InlineMessageRow } from './InlineMessageRow';
import { LIST_MOVE_KEYS, listMove } from '../shared/windowing';
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
  transferOf(id: string): Transfer | undefined;
  /** A row clicked: select it and open its detail. */
  onSelect(id: string): void;
  /** Keyboard: ↑/↓, Page Up/Down, Home/End move the selection (`open`: false), Enter opens it (`open`: true). */
  onKey(id: string, open: boolean): void;
  /** A request to scroll an entry into view (a new object each time). */
  reveal?: { id: string };
  sort?: EntrySort;
  onSort(sort: EntrySort | undefined): void;
  hidden: ReadonlySet<ColumnId>;
  onHide(hidden: ReadonlySet<ColumnId>): void;
  /** Column widths the user dragged (see ResizeHandle); `done` when a drag ends. */
  widths?: ColumnWidths;
  onResize?(widths: ColumnWidths, done: boolean): void;
  /**
   * What sits under a row instead of in rows of its own (PanelViews.childrenOf): a request's
   * preflight, or an upload's later requests under its first. A toggle shows them below it.
   */
  childrenOf(id: string): readonly Entry[];
  /** The entries have a wire view to be checked against (a live capture): see shared/wire-check. */
  wireChecked: boolean;
  /** Messages inline: the rows are the entries and their messages in time order (see createInlineIndex). */
  inline?: InlineIndex;
  /** A message row clicked: open its entry's Messages tab with message `index` chosen. */
  onMessage?(id: string, index: number): void;
  /** The message shown chosen in the detail. */
  focusedMessage?: { id: string; index: number };
  /** A right-click on an entry's row, at (x, y) px in the viewport: its row menu. */
  onRowMenu?(id: string, x: number, y: number): void;
}

/** A display row: an entry, one nested under the row above (`child` says as what), or (inline) message `message` of `e`. */
interface Row {
  e: Entry;
  child?: 'preflight' | 'transfer';
  message?: number;
}

/** Where each entry sits on the shared time axis (`span`, ms), as percentages of it. */
export function waterfall(span: { min: number; max: number }, now: number) {
  const width = Math.max(1, span.max - span.min);
  return (e: Entry) => ({
    left: ((e.startTime - span.min) / width) * 100,
    width: Math.max(0.4, (((e.endTime ?? now) - e.startTime) / width) * 100),
  });
}

function Columns({ columns }: { columns: ListColumn[] }) {
  return (
    <colgroup>
      {columns.map((c) => (
        <col key={c.id} class={`c-${c.id}`} style={c.id === 'name' ? undefined : { width: `${c.width}px` }} />
      ))}
    </colgroup>
  );
}

/** Width of an element, px, kept as it resizes. */
function useWidth(ref: { current: HTMLElement | null }) {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return width;
}

/**
 * The entry list: only the rows in view are in the DOM; follows the newest while at the end.
 * Columns give way by priority when narrow (see fitColumns); a header click sorts (ascending,
 * descending, back to display order); the Columns menu hides and shows them; dragging a header
 * cell's right border resizes it and its neighbour.
 */
export function EntryTable({ entries, span, selectedId, corsOf, longPollOf, transferOf, onSelect, onKey, reveal, sort, onSort, hidden, onHide, widths, onResize, childrenOf, inline, onMessage, focusedMessage, onRowMenu, wireChecked }: Props) {
  // Base rows: the entries, or (messages inline) the entries and their messages in time order.
  const base = inline
    ? {
        count: inline.count,
        at: (b: number): Row => {
          const r = inline.at(b);
          return { e: r.entry, message: r.message };
        },
        rowOf: (i: number) => inline.rowOf(i),
      }
    : { count: entries.length, at: (b: number): Row => ({ e: entries[b] }), rowOf: (i: number) => i };
  // Rows opened to show what sits under them: display rows are the base rows with those spliced in.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const inserts: { at: number; children: readonly Entry[]; parent: Entry }[] = [];
  for (const id of expanded) {
    const i = entries.findIndex((x) => x.id === id);
    const children = i >= 0 ? childrenOf(id) : [];
    if (children.length) inserts.push({ at: base.rowOf(i), children, parent: entries[i] });
  }
  inserts.sort((a, b) => a.at - b.at);
  /** Display row `d`: an entry, one nested under the entry above, or (inline) a message. */
  const rowAt = (d: number): Row => {
    let shift = 0;
    for (const ins of inserts) {
      const first = ins.at + shift + 1;
      if (d < first) break;
      if (d < first + ins.children.length) {
        const e = ins.children[d - first];
        return { e, child: e.id === ins.parent.preflightId ? 'preflight' : 'transfer' };
      }
      shift += ins.children.length;
    }
    return base.at(d - shift);
  };
  const nestedRows = inserts.reduce((n, x) => n + x.children.length, 0);
  /** The display row of entry `i` of the list. */
  const displayIndex = (i: number) => {
    if (i < 0) return i;
    const b = base.rowOf(i);
    return b + inserts.reduce((n, x) => (x.at < b ? n + x.children.length : n), 0);
  };
  const toggle = (id: string) => {
    const next = new Set(expanded);
    if (!next.delete(id)) next.add(id);
    setExpanded(next);
  };
  // The newest row is followed only when it comes last: in display order or by start time
  // ascending (as Chrome does); under another sort the scroll position stays where it is.
  const follows = !sort || (sort.column === 'waterfall' && !sort.descending);
  const { ref, onScroll, win, reveal: scrollToRow } = useVirtualRows(base.count + nestedRows, ENTRY_ROW_HEIGHT, follows);
  const scrollTo = (i: number) => scrollToRow(displayIndex(i));
  const outer = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState(false);
  const width = useWidth(outer);
  const { columns, minWidth } = fitColumns(hidden, width || Infinity, widths);
  useEffect(() => {
    if (reveal) scrollTo(entries.findIndex((e) => e.id === reveal.id));
  }, [reveal]);
  const now = Date.now();
  const place = waterfall(span(now), now);
  const rows: Row[] = [];
  for (let d = win.start; d < win.end; d++) rows.push(rowAt(d));
  const tableStyle = { minWidth: `${minWidth}px` };

  const onHeader = (id: ColumnId) => {
    if (sort?.column !== id) onSort({ column: id, descending: false });
    else if (!sort.descending) onSort({ column: id, descending: true });
    else onSort(undefined);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!LIST_MOVE_KEYS.has(e.key) && e.key !== 'Enter') return;
    if (!entries.length || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const at = selectedId === undefined ? -1 : entries.findIndex((x) => x.id === selectedId);
    if (e.key === 'Enter') {
      if (at >= 0) onKey(entries[at].id, true);
      return;
    }
    // A page: the rows in view less one (as a list box's Page Down), counted in entries.
    const page = Math.max(1, Math.floor((ref.current?.clientHeight ?? 0) / ENTRY_ROW_HEIGHT) - 1);
    const next = listMove(e.key, at, entries.length, page);
    onKey(entries[next].id, false);
    scrollTo(next);
  };

  return (
    <div class="entries" ref={outer} tabIndex={0} onKeyDown={onKeyDown} data-testid="entry-table">
      <div class="entries-head-scroll" ref={head}>
        <table class="entries-head" style={tableStyle}>
          <Columns columns={columns} />
          <thead>
            <tr
              onContextMenu={(e) => {
                e.preventDefault();
                setMenu(true);
              }}
            >
              {columns.map((c, i) => (
                <th
                  key={c.id}
                  class={`${c.id === 'waterfall' ? 'waterfall ' : ''}sortable`}
                  aria-sort={sort?.column === c.id ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                  onClick={() => onHeader(c.id)}
                  data-testid={`column-${c.id}`}
                >
                  {c.label}
                  {sort?.column === c.id && <span class="sort-mark">{sort.descending ? ' ▼' : ' ▲'}</span>}
                  {onResize && i < columns.length - 1 && <ResizeHandle left={c.id} right={columns[i + 1].id} onResize={onResize} />}
                </th>
              ))}
            </tr>
          </thead>
        </table>
        <button class="columns-button" title="Show or hide columns" onClick={() => setMenu(!menu)} data-testid="columns-button">
          ⋮
        </button>
      </div>
      {menu && (
        <div class="columns-menu" data-testid="columns-menu" onMouseLeave={() => setMenu(false)}>
          {LIST_COLUMNS.filter((c) => c.id !== 'name').map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={!hidden.has(c.id)}
                onChange={(e) => {
                  const next = new Set(hidden);
                  if ((e.target as HTMLInputElement).checked) next.delete(c.id);
                  else next.add(c.id);
                  onHide(next);
                }}
                data-testid={`column-toggle-${c.id}`}
              />{' '}
              {c.label}
            </label>
          ))}
        </div>
      )}
      <div
        class="entries-scroll"
        ref={ref}
        onScroll={() => {
          onScroll();
          if (head.current && ref.current) head.current.scrollLeft = ref.current.scrollLeft;
        }}
        data-testid="entry-scroll"
      >
        <table class="entries-body" style={tableStyle}>
          <Columns columns={columns} />
          <tbody>
            <tr class="spacer" style={{ height: `${win.before}px` }} />
            {rows.map(({ e, child, message }, slot) => {
              if (message !== undefined && message >= 0) {
                const chosen = focusedMessage?.id === e.id && focusedMessage.index === message;
                return <InlineMessageRow key={slot} e={e} index={message} span={columns.length} selected={chosen} onOpen={() => onMessage?.(e.id, message)} onMenu={onRowMenu && ((x, y) => onRowMenu(e.id, x, y))} />;
              }
              const verdict = corsOf(e.id);
              const blocked = verdict?.outcome === 'blocked';
              const poll = longPollOf(e.id);
              const transfer = transferOf(e.id);
              const unseen = wireChecked && notOnWire(e);
              const open = expanded.has(e.id);
              const under = child ? [] : childrenOf(e.id);
              // An upload's first request (its preflight, if any, opens with the rest).
              const kind = under.length && under.at(-1)!.id !== e.preflightId ? ('transfer' as const) : ('preflight' as const);
              const nest = under.length ? { open, toggle: () => toggle(e.id), count: under.length, kind } : undefined;
              // An upload's first request, closed, draws the whole upload's span.
              const bar = nest?.kind === 'transfer' && !open && transfer ? place({ ...e, startTime: transfer.startTime, endTime: transfer.endTime }) : place(e);
              return (
                <tr
                  // Keyed by position in the window, not by entry: when the list scrolls or grows,
                  // the same rows are rewritten in place instead of replaced, which keeps the
                  // relayout to changed text (measured: a batch at 100,000 entries relaid out
                  // ~680 new objects per redraw when keyed by id).
                  key={slot}
                  data-testid={child === 'preflight' ? 'preflight-row' : child === 'transfer' ? 'transfer-member-row' : 'entry-row'}
                  data-id={e.id}
                  data-kind={e.kind}
                  data-method={e.method}
                  data-url={e.url}
                  data-status={statusText(e)}
                  data-state={e.state}
                  data-cors={verdict ? verdict.outcome : ''}
                  data-not-on-wire={unseen ? '' : undefined}
                  class={`${e.id === selectedId ? 'selected' : ''} state-${e.state}${blocked ? ' cors-blocked' : ''}${child ? ' child' : ''}`}
                  onClick={() => onSelect(e.id)}
                  onContextMenu={(ev) => {
                    if (!onRowMenu) return;
                    ev.preventDefault();
                    onRowMenu(e.id, ev.clientX, ev.clientY);
                  }}
                >
                  {/* Called, not mounted: a cell has no state, and 8 components a row were a third of a redraw's diffing. */}
                  {columns.map((c) => Cell({ column: c.id, e, verdict, poll, transfer, bar, nest, child, unseen }))}
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
