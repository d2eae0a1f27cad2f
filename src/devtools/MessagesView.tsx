import { createWsState, decodeWsMessage, type WsState } from '../shared/decode';
import type { Entry, Message } from '../shared/model';
import { payloadRaw } from '../shared/payload';
import type { StreamRecords } from '../shared/stream-decode';
import { NdjsonList, SseList } from './BodyView';
import { bytes, clockTime } from './format';

const SHOWN = 2_000;
const wsStates = new Map<string, { state: WsState; decoded: ReturnType<typeof decodeWsMessage>[] }>();

/** Decodes a socket's messages once each, keeping the sub-protocol state per connection. */
function decodedWs(entry: Entry) {
  let cached = wsStates.get(entry.id);
  if (!cached) wsStates.set(entry.id, (cached = { state: createWsState(), decoded: [] }));
  for (let i = cached.decoded.length; i < Math.min(entry.messages.length, SHOWN); i++) {
    const data = payloadRaw(entry.messages[i].data) ?? '';
    cached.decoded.push(decodeWsMessage({ data, protocol: entry.websocket?.protocol, url: entry.url }, cached.state));
  }
  return cached.decoded;
}

function Time({ m }: { m: Message }) {
  return <span class="time">{clockTime(m.t)}</span>;
}

export function MessagesView({ entry, stream }: { entry: Entry; stream: StreamRecords }) {
  if (entry.kind === 'websocket') {
    const decoded = decodedWs(entry);
    return (
      <section>
        <h3>
          WebSocket {entry.websocket?.protocol ? `· protocol ${entry.websocket.protocol}` : ''} {entry.websocket?.extensions ? `· ${entry.websocket.extensions}` : ''}
        </h3>
        <ol class="messages" data-testid="messages">
          {entry.messages.slice(0, SHOWN).map((m, i) => (
            <li key={i} class={m.dir} data-dir={m.dir}>
              <Time m={m} /> {m.dir === 'send' ? '↑' : '↓'} <span class="muted">{bytes(m.data.size)}</span>{' '}
              {m.dropped && <span class="warn">(not sent: socket not open) </span>}
              <code>{decoded[i]?.summary}</code>
            </li>
          ))}
        </ol>
      </section>
    );
  }
  if (entry.kind === 'eventsource') {
    return (
      <section>
        <h3>Events ({entry.messages.length})</h3>
        <ol class="messages" data-testid="messages">
          {entry.messages.slice(0, SHOWN).map((m, i) => (
            <li key={i}>
              <Time m={m} /> <b>{m.eventName ?? 'message'}</b> {m.eventId ? <span class="muted">id {m.eventId}</span> : null}
              <pre>{typeof payloadRaw(m.data) === 'string' ? (payloadRaw(m.data) as string) : ''}</pre>
            </li>
          ))}
        </ol>
      </section>
    );
  }
  if (!entry.messages.length) return null;
  return (
    <section data-testid="stream">
      <h3>
        Streamed response ({entry.messages.length} chunks{entry.droppedMessages ? `, ${entry.droppedMessages} dropped` : ''})
      </h3>
      {stream.kind === 'event-stream' ? (
        <SseList records={stream.records} />
      ) : stream.kind === 'ndjson' ? (
        <NdjsonList records={stream.records} />
      ) : (
        <ol class="messages">
          {entry.messages.slice(0, SHOWN).map((m, i) => (
            <li key={i}>
              <Time m={m} /> {bytes(m.data.size)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
