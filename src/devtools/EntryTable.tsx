import { Component } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CorsAnalysis } from '../shared/cors';
import { fitColumns, LIST_COLUMNS, type ColumnId, type ColumnWidths, type ListColumn } from '../shared/list-columns';
import type { LongPollGroup } from '../shared/long-polling';
import type { Transfer } from '../shared/transfers';
import type { Entry } from '../shared/model';
import { notOnWire } from '../shared/wire-check';
import type { EntrySort, InlineIndex } from '../shared/panel-views';
import { ResizeHandle } from './ColumnResize';
import { Cell, type CellProps } from './EntryCell';
import { statusText } from './format';
import { InlineMessageRow } from './InlineMessageRow';
import { LIST_MOVE_KEYS, listMove } from '../shared/windowing';
import { useVirtualRows } from './virtual-rows';

export const ENTRY_ROW_HEIGHT = 20;

interface Props {
  entries: readonly Entry[];
  /** Bumped when the entries (updated in place) changed. */
  revision: number;
  /**
   * A number that changes whenever entry `id` (updated in place) changes: a row whose entry,
   * and everything else it shows, did not change since it was drawn is not drawn again.
   */
  entryRevision(id: string): number;
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
  /** The live tab's wire view comes from DevTools' log (see shared/wire-check notOnWire). */
  wireFromDevtools?: boolean;
  /** When the tab's wire view started (epoch ms): entries before it are not checked. */
  wireSince: number | undefined;
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
  return (e: { startTime: number; endTime?: number }) => ({
    left: ((e.startTime - span.min) / width) * 100,
    width: Math.max(0.4, (((e.endTime ?? now) - e.startTime) / width) * 100),
  });
}

/** The waterfall bars' placements last written, per bar element (see the list's layout effect). */
const barWritten = new WeakMap<Element, string>();

/** What one entry row draws: a row is drawn again only when one of these changed (see EntryRow). */
interface EntryRowProps extends Omit<CellProps, 'column' | 'nest'> {
  index: number;
  testid: string;
  selected: boolean;
  columns: ListColumn[];
  /** See Props.entryRevision. */
  rev: number;
  nest?: { open: boolean; count: number; kind: 'preflight' | 'transfer' };
  actions: { current: RowActions };
}

interface RowActions {
  select(id: string): void;
  toggle(id: string): void;
  menu?(id: string, x: number, y: number): void;
  message?(id: string, index: number): void;
}

const ROW_PROPS_COMPARED = ['index', 'e', 'rev', 'selected', 'columns', 'verdict', 'child', 'unseen', 'testid'] as const;

/**
 * One entry's row, laid out on its own: absolutely placed at its index (see list.css), so rows
 * that stay in the window keep their elements when it slides, and a row whose inputs did not
 * change is skipped. Rows with a long poll or an upload (whose groups change under them) are
 * always drawn again.
 */
class EntryRow extends Component<EntryRowProps> {
  override shouldComponentUpdate(next: EntryRowProps) {
    const was = this.props;
    if (next.poll || next.transfer || was.poll || was.transfer) return true;
    for (const k of ROW_PROPS_COMPARED) if (was[k] !== next[k]) return true;
    return was.nest?.open !== next.nest?.open || was.nest?.count !== next.nest?.count || was.nest?.kind !== next.nest?.kind;
  }

  render({ index, testid, selected, columns, e, verdict, poll, transfer, nest, child, unseen, actions }: EntryRowProps) {
    const blocked = verdict?.outcome === 'blocked';
    const toggle = nest && { ...nest, toggle: () => actions.current.toggle(e.id) };
    return (
      <div
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        style={{ top: `${index * ENTRY_ROW_HEIGHT}px` }}
        data-testid={testid}
        data-id={e.id}
        data-kind={e.kind}
        data-method={e.method}
        data-url={e.url}
        data-status={statusText(e)}
        data-state={e.state}
        data-cors={verdict ? verdict.outcome : ''}
        data-not-on-wire={unseen ? '' : undefined}
        class={`row${selected ? ' selected' : ''} state-${e.state}${blocked ? ' cors-blocked' : ''}${child ? ' child' : ''}`}
        onClick={() => actions.current.select(e.id)}
        onContextMenu={(ev) => {
          if (!actions.current.menu) return;
          ev.preventDefault();
          actions.current.menu(e.id, ev.clientX, ev.clientY);
        }}
      >
        {/* Called, not mounted: a cell has no state, and 8 components a row were a third of a redraw's diffing. */}
        {columns.map((c) => Cell({ column: c.id, e, verdict, poll, transfer, nest: toggle, child, unseen }))}
      </div>
    );
  }
}

/** A message row (messages inline), drawn again only when it shows another message or was chosen (messages do not change once kept). */
class MessageRow extends Component<{ index: number; e: Entry; message: number; selected: boolean; actions: { current: RowActions } }> {
  override shouldComponentUpdate(next: MessageRow['props']) {
    const was = this.props;
    return was.index !== next.index || was.e !== next.e || was.message !== next.message || was.selected !== next.selected;
  }

  render({ index, e, message, selected, actions }: MessageRow['props']) {
    return (
      <InlineMessageRow
        e={e}
        index={message}
        top={index * ENTRY_ROW_HEIGHT}
        rowIndex={index + 2}
        selected={selected}
        onOpen={() => actions.current.message?.(e.id, message)}
        onMenu={actions.current.menu && ((x, y) => actions.current.menu?.(e.id, x, y))}
      />
    );
  }
}

/**
 * The drawn columns' widths as CSS variables (`--c-<id>`, px) on the list: the header's and every
 * row's cells take them (see list.css), so a row is laid out on its own and a resize restyles
 * them all at once.
 */
function columnVars(columns: ListColumn[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const c of columns) vars[`--c-${c.id}`] = `${c.width}px`;
  return vars;
}

/**
 * A length of an element (`measure`, px), kept as the element resizes: its width, or the width
 * its vertical scrollbar takes (0 for overlay scrollbars), which comes and goes with it.
 */
function useMeasured(ref: { current: HTMLElement | null }, measure: (el: HTMLElement) => number) {
  const [value, setValue] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setValue(measure(el));
    const observer = new ResizeObserver(() => setValue(measure(el)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return value;
}

/**
 * The entry list: only the rows in view are in the DOM; follows the newest while at the end.
 * Columns give way by priority when narrow (see fitColumns); a header click sorts (ascending,
 * descending, back to display order); the Columns menu hides and shows them; dragging a header
 * cell's right border resizes it and its neighbour.
 */
export function EntryTable({ entries, entryRevision, span, selectedId, corsOf, longPollOf, transferOf, onSelect, onKey, reveal, sort, onSort, hidden, onHide, widths, onResize, childrenOf, inline, onMessage, focusedMessage, onRowMenu, wireChecked, wireFromDevtools, wireSince }: Props) {
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
  // From the state as it is (a row not drawn again holds an older closure's view of it).
  const toggle = (id: string) =>
    setExpanded((was) => {
      const next = new Set(was);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  // The rows' handlers, read when called: rows skipped in a redraw keep working with the latest.
  const actions = useRef<RowActions>({ select: onSelect, toggle });
  actions.current = { select: onSelect, toggle, menu: onRowMenu, message: onMessage };
  // The rows' waterfall bars (by position in `rows`), placed on the time axis after the rows are
  // drawn, straight on their elements: the axis stretches with every batch (and with the clock
  // while a request runs), and the rows, that are otherwise unchanged, are not drawn again for it.
  // Before the list follows the newest row (useVirtualRows' layout effect, which runs after this
  // one): setting the scroll position lays the page out, and bars written after it would have it
  // laid out again in the frame.
  const body = useRef<HTMLDivElement>(null);
  const bars: ({ left: number; width: number } | undefined)[] = [];
  useLayoutEffect(() => {
    const elements = body.current?.children;
    if (!elements) return;
    bars.forEach((bar, k) => {
      const el = bar && elements[k]?.querySelector<HTMLElement>('.bar');
      if (!el) return;
      const left = `${bar.left}%`;
      const width = `${bar.width}%`;
      if (barWritten.get(el) === left + width) return;
      barWritten.set(el, left + width);
      el.style.marginLeft = left;
      el.style.width = width;
    });
  });
  // The newest row is followed only when it comes last: in display order or by start time
  // ascending (as Chrome does); under another sort the scroll position stays where it is.
  const follows = !sort || (sort.column === 'waterfall' && !sort.descending);
  const { ref, onScroll, win, rows: slotted, reveal: scrollToRow } = useVirtualRows(base.count + nestedRows, ENTRY_ROW_HEIGHT, follows);
  const scrollTo = (i: number) => scrollToRow(displayIndex(i));
  const outer = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState(false);
  const width = useMeasured(outer, (el) => el.clientWidth);
  // The header leaves the rows' scrollbar's room: its columns sit over theirs.
  const gutter = useMeasured(ref, (el) => el.offsetWidth - el.clientWidth);
  const { columns, minWidth } = fitColumns(hidden, width || Infinity, widths);
  // The rows' columns: the same array while the same columns are drawn (their widths are CSS
  // variables), so that a row can tell nothing changed.
  const rowColumns = useRef(columns);
  if (rowColumns.current.map((c) => c.id).join() !== columns.map((c) => c.id).join()) rowColumns.current = columns;
  useEffect(() => {
    if (reveal) scrollTo(entries.findIndex((e) => e.id === reveal.id));
  }, [reveal]);
  const now = Date.now();
  const place = waterfall(span(now), now);
  // In slot order (see windowSlots): a row keeps its element while it stays in the window.
  const rows = slotted.map(([d, slot]) => ({ d, slot, ...rowAt(d) }));
  const widthStyle = { minWidth: `${minWidth}px` };

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
    <div
      class="entries"
      ref={outer}
      tabIndex={0}
      onKeyDown={onKeyDown}
      role="grid"
      aria-rowcount={base.count + nestedRows + 1}
      aria-colcount={columns.length}
      style={columnVars(columns)}
      data-testid="entry-table"
    >
      <div class="entries-head-scroll" ref={head} role="rowgroup" style={{ paddingRight: `${gutter}px` }}>
        <div
          class="entries-head"
          role="row"
          aria-rowindex={1}
          style={widthStyle}
          onContextMenu={(e) => {
            e.preventDefault();
            setMenu(true);
          }}
        >
          {columns.map((c, i) => (
            <div
              key={c.id}
              role="columnheader"
              class={`cell c-${c.id}${c.id === 'waterfall' ? ' waterfall' : ''} sortable`}
              aria-sort={sort?.column === c.id ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              onClick={() => onHeader(c.id)}
              data-testid={`column-${c.id}`}
            >
              {c.label}
              {sort?.column === c.id && <span class="sort-mark">{sort.descending ? ' ▼' : ' ▲'}</span>}
              {onResize && i < columns.length - 1 && <ResizeHandle left={c.id} right={columns[i + 1].id} onResize={onResize} />}
            </div>
          ))}
        </div>
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
        {/* As tall as every row: the drawn ones are placed at their index (list.css). */}
        <div class="entries-body" role="rowgroup" style={{ ...widthStyle, height: `${win.total}px` }} ref={body}>
          {rows.map(({ d: index, slot, e, child, message }, k) => {
            if (message !== undefined && message >= 0) {
              const chosen = focusedMessage?.id === e.id && focusedMessage.index === message;
              return <MessageRow key={slot} index={index} e={e} message={message} selected={chosen} actions={actions} />;
            }
            const rev = entryRevision(e.id);
            const verdict = corsOf(e.id);
            const poll = longPollOf(e.id);
            const transfer = transferOf(e.id);
            const unseen = wireChecked && notOnWire(e, wireSince, wireFromDevtools);
            const open = expanded.has(e.id);
            const under = child ? [] : childrenOf(e.id);
            // An upload's first request (its preflight, if any, opens with the rest).
            const kind = under.length && under.at(-1)!.id !== e.preflightId ? ('transfer' as const) : ('preflight' as const);
            const nest = under.length ? { open, count: under.length, kind } : undefined;
            // An upload's first request, closed, draws the whole upload's span.
            bars[k] = nest?.kind === 'transfer' && !open && transfer ? place(transfer) : place(e);
            return (
              <EntryRow
                // Keyed by slot, not by entry nor by position in the window: as the window slides (a
                // batch at the end, a scroll), the rows still in it keep their elements untouched, and
                // those coming in reuse the elements of those that left (new elements for every new
                // row cost more than the text they change: a batch of 100 exchanges replaces them all).
                key={slot}
                index={index}
                testid={child === 'preflight' ? 'preflight-row' : child === 'transfer' ? 'transfer-member-row' : 'entry-row'}
                selected={e.id === selectedId}
                columns={rowColumns.current}
                e={e}
                rev={rev}
                verdict={verdict}
                poll={poll}
                transfer={transfer}
                nest={nest}
                child={child}
                unseen={unseen}
                actions={actions}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
