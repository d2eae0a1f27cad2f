import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createWsState, decodeBody, decodeWsMessage, type WsDecoded, type WsState } from '../shared/decode';
import { createMessageFilter, type MessageDirection } from '../shared/message-filter';
import type { Entry, Message } from '../shared/model';
import { payloadPreview, payloadRaw } from '../shared/payload';
import type { StreamRecords } from '../shared/stream-decode';
import { Decoded, NdjsonList, SseList } from './BodyView';
import { bytes, clockTime } from './format';
import { VirtualMessages } from './VirtualMessages';

/** Messages decoded in order with the connection's sub-protocol state; past this, on demand. */
const DECODED_IN_ORDER = 500;
const DECODED_KEPT = 5_000;

interface WsDecoder {
  state: WsState;
  /** Messages fed in order so far (≤ DECODED_IN_ORDER). */
  fed: number;
  /** Decoded rows, oldest dropped past DECODED_KEPT (the in-order head is never dropped). */
  rows: Map<number, WsDecoded>;
}

/**
 * Per-entry caches are keyed by the entry object, never by its id: an imported trace's
 * `har:<index>` ids repeat from one trace to the next, objects do not.
 */
const wsDecoders = new WeakMap<Entry, WsDecoder>();
const filters = new WeakMap<Entry, ReturnType<typeof createMessageFilter>>();

/**
 * One message decoded: the first messages in order with the sub-protocol state (so acks name
 * their method), later ones when first drawn, against the state learned so far.
 */
function decodedWs(entry: Entry, i: number): WsDecoded {
  let d = wsDecoders.get(entry);
  if (!d) wsDecoders.set(entry, (d = { state: createWsState(), fed: 0, rows: new Map() }));
  const decode = (k: number) => decodeWsMessage({ data: payloadRaw(entry.messages[k].data) ?? '', protocol: entry.websocket?.protocol, url: entry.url }, d.state);
  for (; d.fed < Math.min(entry.messages.length, DECODED_IN_ORDER, i + 1); d.fed++) d.rows.set(d.fed, decode(d.fed));
  let row = d.rows.get(i);
  if (!row) {
    row = decode(i);
    d.rows.set(i, row);
    if (d.rows.size > DECODED_KEPT + DECODED_IN_ORDER) {
      for (const k of d.rows.keys()) {
        if (k >= DECODED_IN_ORDER) {
          d.rows.delete(k);
          break;
        }
      }
    }
  }
  return row;
}

function matchesOf(entry: Entry, text: string, dir: MessageDirection) {
  let f = filters.get(entry);
  if (!f) filters.set(entry, (f = createMessageFilter()));
  return f.matches(entry.messages, text, dir)?.indexes;
}

/** A chosen message decoded by sniffing (JSON as a tree, binary as hex…), never as markup. */
function MessageDecoded({ m }: { m: Message }) {
  const raw = payloadRaw(m.data);
  if (raw === undefined) return <p class="muted">contents not captured</p>;
  const decoded = decodeBody(typeof raw === 'string' ? { text: raw } : { bytes: raw });
  return (
    <div data-testid="message-decoded" data-kind={decoded.format}>
      <Decoded decoded={decoded} />
    </div>
  );
}

function Time({ m }: { m: Message }) {
  return <span class="time">{clockTime(m.t)}</span>;
}

const textOf = (m: Message) => {
  const raw = payloadRaw(m.data);
  return typeof raw === 'string' ? raw : '';
};

const chunkRow = (m: Message) => (
  <>
    <Time m={m} /> {bytes(m.data.size)} <code>{payloadPreview(m.data, 300)}</code>
  </>
);
const chunkFull = (m: Message) => (
  <p>
    <Time m={m} /> {bytes(m.data.size)}
  </p>
);

/** A channel's messages: a text filter, a virtualized list, and the chosen message in full. */
function MessageList({ entry, what, row, full, directions, focus, testid }: {
  entry: Entry;
  /** A message to choose and scroll to (a new object each time; any filter is cleared so it shows). */
  focus?: { index: number };
  testid?: string;
  what: string;
  row(m: Message, i: number): ComponentChildren;
  full(m: Message, i: number): ComponentChildren;
  /** Offer the sent/received filter (WebSocket). */
  directions?: boolean;
}) {
  const [text, setText] = useState('');
  const [dir, setDir] = useState<MessageDirection>('all');
  const [chosen, setChosen] = useState<number | undefined>(focus?.index);
  const [revealAt, setRevealAt] = useState<{ index: number } | undefined>(focus);
  useEffect(() => {
    if (!focus) return;
    setText('');
    setDir('all');
    setChosen(focus.index);
    setRevealAt({ index: focus.index });
  }, [focus]);
  const matches = matchesOf(entry, text, dir);
  const count = matches ? matches.length : entry.messages.length;
  const at = (i: number) => (matches ? matches[i] : i);
  const chosenRow = chosen === undefined ? undefined : matches ? matches.indexOf(chosen) : chosen;
  return (
    <>
      <p>
        {entry.messages.length} {what}
        {entry.droppedMessages ? `, ${entry.droppedMessages} dropped past the cap` : ''}{' '}
        <input type="search" placeholder="Filter messages" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} data-testid="message-filter" />
        {directions && (
          <select value={dir} onChange={(e) => setDir((e.target as HTMLSelectElement).value as MessageDirection)} data-testid="message-direction" aria-label="Direction">
            <option value="all">All</option>
            <option value="send">Send ↑</option>
            <option value="receive">Receive ↓</option>
          </select>
        )}
        {matches && <span data-testid="message-matches"> {matches.length} match</span>}
      </p>
      <VirtualMessages
        count={count}
        row={(i) => row(entry.messages[at(i)], at(i))}
        rowId={at}
        rowClass={(i) => entry.messages[at(i)].dir}
        chosen={chosenRow}
        onChoose={(i) => setChosen(at(i))}
        testid={testid}
        revealAt={matches ? undefined : revealAt}
      />
      {chosen !== undefined && entry.messages[chosen] && (
        <div data-testid="message-full">
          {full(entry.messages[chosen], chosen)}
          <MessageDecoded m={entry.messages[chosen]} />
        </div>
      )}
    </>
  );
}

/** `focus`: a message to show chosen (from a message row of the list). */
export function MessagesView({ entry, stream, focus }: { entry: Entry; stream: StreamRecords; revision?: number; focus?: { index: number } }) {
  if (entry.kind === 'websocket') {
    return (
      <section>
        <h3>
          WebSocket {entry.websocket?.protocol ? `· protocol ${entry.websocket.protocol}` : ''} {entry.websocket?.extensions ? `· ${entry.websocket.extensions}` : ''}
        </h3>
        <MessageList
          entry={entry}
          what="messages"
          directions
          focus={focus}
          row={(m, i) => (
            <>
              <Time m={m} /> {m.dir === 'send' ? '↑' : '↓'} <span class="muted">{bytes(m.data.size)}</span>{' '}
              {m.dropped && <span class="warn">(not sent: socket not open) </span>}
              <code>{decodedWs(entry, i).summary}</code>
            </>
          )}
          full={(m, i) => (
            <>
              <p>
                <Time m={m} /> {m.dir} · {bytes(m.data.size)} · {decodedWs(entry, i).summary}
              </p>
            </>
          )}
        />
      </section>
    );
  }
  if (entry.kind === 'eventsource') {
    return (
      <section>
        <h3>Events ({entry.messages.length})</h3>
        <MessageList
          entry={entry}
          what="events"
          focus={focus}
          row={(m) => (
            <>
              <Time m={m} /> <b>{m.eventName ?? 'message'}</b> {m.unlistened ? <Unlistened /> : null} {m.eventId ? <span class="muted">id {m.eventId}</span> : null} <span class="muted">{bytes(m.data.size)}</span> <code>{textOf(m).slice(0, 300)}</code>
            </>
          )}
          full={(m) => (
            <>
              <p>
                <Time m={m} /> <b>{m.eventName ?? 'message'}</b> {m.unlistened ? <Unlistened /> : null} {m.eventId ? <span class="muted">id {m.eventId}</span> : null}
              </p>
            </>
          )}
        />
      </section>
    );
  }
  if (!entry.messages.length) return null;
  return (
    <section data-testid="stream">
      <h3>
        Streamed response ({entry.messages.length} chunks{entry.droppedMessages ? `, ${entry.droppedMessages} dropped` : ''})
      </h3>
      {stream.kind === 'event-stream' && <SseList records={stream.records} />}
      {stream.kind === 'ndjson' && <NdjsonList records={stream.records} />}
      {stream.kind === 'event-stream' || stream.kind === 'ndjson' ? (
        // The chunks as they came, under the records read from them (open when a chunk was asked for).
        <details open={focus !== undefined} data-testid="stream-chunks">
          <summary>Chunks as received</summary>
          <MessageList entry={entry} what="chunks" focus={focus} testid="chunks" row={chunkRow} full={chunkFull} />
        </details>
      ) : (
        <MessageList entry={entry} what="chunks" focus={focus} row={chunkRow} full={chunkFull} />
      )}
    </section>
  );
}

/** Deep capture: the browser received this event, but no listener of the page was called for its name. */
function Unlistened() {
  return (
    <span class="badge warn" title="The browser received this event, but the page listens to no event of this name, so no page code saw it (deep capture)" data-testid="unlistened">
      unlistened
    </span>
  );
}
