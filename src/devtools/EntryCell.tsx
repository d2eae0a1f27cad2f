import type { CorsAnalysis } from '../shared/cors';
import { TITLE_CHARS, clipText, entryName, entrySizes, initiatorFrame, reasonPhrase } from '../shared/entry-columns';
import type { ColumnId } from '../shared/list-columns';
import type { LongPollGroup } from '../shared/long-polling';
import type { Transfer } from '../shared/transfers';
import { TransferBadge } from './TransferView';
import type { Entry } from '../shared/model';
import { bytes, duration, statusText } from './format';

export interface CellProps {
  column: ColumnId;
  e: Entry;
  verdict?: CorsAnalysis;
  poll?: LongPollGroup;
  /** The resumable upload the request belongs to. */
  transfer?: Transfer;
  /** What sits under this row (its preflight, or an upload's other requests): a toggle; `open` when shown below. */
  nest?: { open: boolean; toggle(): void; count: number; kind: 'preflight' | 'transfer' };
  /** A row shown under another: a preflight under its request, or a request of an upload under its first. */
  child?: 'preflight' | 'transfer';
  /** The page reported a response the wire never saw (shared/wire-check). */
  unseen?: boolean;
}

/** One cell of the entry list (a gridcell of its row, as wide as its column's `--c-<id>`): captured strings as text only. */
export function Cell({ column, e, verdict, poll, transfer, nest, child, unseen }: CellProps) {
  switch (column) {
    case 'name': {
      const { path, host } = entryName(e);
      return (
        <div role="gridcell" key={column} class="cell c-name name" title={clipText(e.url, TITLE_CHARS)}>
          {child && <span class="nest">{child === 'preflight' ? '↳ preflight ' : '↳ '}</span>}
          {nest && (
            <button
              class="toggle-preflight"
              aria-expanded={nest.open}
              title={nest.kind === 'preflight' ? (nest.open ? 'Hide the preflight' : 'Show the CORS preflight sent for this request') : `${nest.open ? 'Hide' : 'Show'} the upload's other ${nest.count} requests`}
              onClick={(ev) => {
                ev.stopPropagation();
                nest.toggle();
              }}
              data-testid={`${nest.kind}-toggle`}
            >
              {nest.open ? '▾' : '▸'}
            </button>
          )}
          <span class="path">{path}</span> <span class="host">{host}</span>
          {poll && (
            <span class="badge poll" data-testid="long-poll" title={`long polling: ${poll.entryIds.length} requests to ${poll.key}`}>
              poll
            </span>
          )}
          {transfer && <TransferBadge transfer={transfer} id={e.id} head={nest?.kind === 'transfer'} />}
          {unseen && (
            <span class="badge unseen" data-testid="not-on-wire" title="Not on the wire: the page reported this response, but this tab's network view never saw the request (a service worker of the page answered it, or the record is not what the page really did)">
              not on wire
            </span>
          )}
        </div>
      );
    }
    case 'method':
      return (
        <div role="gridcell" key={column} class="cell c-method">
          {e.method}
        </div>
      );
    case 'status': {
      const phrase = reasonPhrase(e);
      return (
        <div role="gridcell" key={column} class="cell c-status status">
          {statusText(e)}
          {phrase && <span class="phrase"> {phrase}</span>}
          {verdict?.outcome === 'blocked' && (
            <span class="badge cors" title={`CORS: ${verdict.error ?? 'blocked'}`}>
              CORS
            </span>
          )}
        </div>
      );
    }
    case 'kind':
      return (
        <div role="gridcell" key={column} class="cell c-kind kind">
          {e.kind}
        </div>
      );
    case 'initiator': {
      const frame = initiatorFrame(e);
      return (
        <div role="gridcell" key={column} class="cell c-initiator" title={frame ? `${frame.url}:${frame.line}` : undefined}>
          {frame?.label ?? (e.preflightFor ? 'preflight' : '')}
        </div>
      );
    }
    case 'size': {
      const { transferred, resource } = entrySizes(e);
      return (
        <div role="gridcell" key={column} class="cell c-size size" title="transferred (declared Content-Length) · resource (body size)">
          {transferred === undefined ? '—' : bytes(transferred)}
          <span class="resource"> · {resource === undefined ? '—' : bytes(resource)}</span>
        </div>
      );
    }
    case 'time':
      return (
        <div role="gridcell" key={column} class="cell c-time">
          {duration(e)}
        </div>
      );
    case 'waterfall':
      return (
        <div role="gridcell" key={column} class="cell c-waterfall waterfall">
          {/* In the flow, placed by its margin (set by the list: see EntryTable): a positioned bar per row cost the list's layout almost half again. */}
          <span class={`bar kind-${e.kind}`} />
        </div>
      );
  }
}
