import type { CorsAnalysis } from '../shared/cors';
import type { LongPollGroup } from '../shared/long-polling';
import type { Entry } from '../shared/model';
import { payloadText } from '../shared/payload';
import { hiddenReads } from '../shared/entry-cors';
import { CorsView } from './CorsView';
import type { Header } from '../shared/protocol';
import { createStreamDecoder } from '../shared/stream-decode';
import { headerValue } from '../shared/headers';
import { BodyView } from './BodyView';
import { ChannelFacts } from './ChannelFacts';
import { clockTime } from './format';
import { MessagesView } from './MessagesView';

const decodeStream = createStreamDecoder();


function Headers({ title, headers }: { title: string; headers?: Header[] }) {
  if (!headers?.length) return null;
  return (
    <section>
      <h3>{title}</h3>
      <dl class="headers">
        {headers.map(([n, v], i) => (
          <div key={i}>
            <dt>{n}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function EntryDetail({ entry, cors, longPoll }: { entry: Entry; cors?: CorsAnalysis; longPoll?: LongPollGroup }) {
  return (
    <div class="detail" data-testid="entry-detail">
      <h2>
        {entry.method} {entry.url}
      </h2>
      <p>
        {entry.kind} · {entry.state}
        {entry.error ? ` · ${entry.error}` : ''} · started {clockTime(entry.startTime)}
      </p>
      {longPoll && (
        <section data-testid="long-poll-channel">
          <h3>
            Long-polling channel: {longPoll.entryIds.length} requests to <code>{longPoll.key}</code>
          </h3>
          <ol class="messages">
            {longPoll.messages.map((m) => (
              <li key={m.entryId} class={m.entryId === entry.id ? 'selected' : ''}>
                {clockTime(m.t)} {m.status ?? ''} <code>{payloadText(m.body)}</code>
              </li>
            ))}
          </ol>
        </section>
      )}
      {cors && <CorsView cors={cors} />}
      {hiddenReads(entry, cors).map((r) => (
        <p key={r.name} class="warn" data-testid="hidden-read">
          The page called getResponseHeader("{r.name}") and got null: {r.why}
        </p>
      ))}
      <Headers title="Request headers (set by the page)" headers={entry.request.headers} />
      <Headers title="Request headers (on the wire)" headers={entry.wire?.requestHeaders} />
      <BodyView title="Request body" body={entry.request.body} contentType={headerValue(entry.request.headers, 'content-type')} />
      <Headers title="Response headers" headers={entry.response?.headers.length ? entry.response.headers : entry.wire?.responseHeaders} />
      <ChannelFacts entry={entry} />
      <BodyView title="Response body" body={entry.response?.body} contentType={headerValue(entry.response?.headers ?? entry.wire?.responseHeaders, 'content-type')} />
      <MessagesView entry={entry} stream={decodeStream(entry)} />
      <section>
        <h3>Lifecycle</h3>
        <ol class="lifecycle" data-testid="lifecycle">
          {entry.lifecycle.map((s, i) => (
            <li key={i}>
              {clockTime(s.t)} {s.step}
              {s.detail ? ` ${JSON.stringify(s.detail)}` : ''}
            </li>
          ))}
        </ol>
      </section>
      {entry.initiator && (
        <section>
          <h3>Initiator</h3>
          <pre>{entry.initiator}</pre>
        </section>
      )}
    </div>
  );
}
