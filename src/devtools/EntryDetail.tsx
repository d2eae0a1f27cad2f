import type { CorsAnalysis } from '../shared/cors';
import type { Entry } from '../shared/model';
import { hiddenReads } from '../shared/entry-cors';
import { CorsView } from './CorsView';
import type { Header, Payload } from '../shared/protocol';
import { bytes, clockTime } from './format';

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

function payloadText(p: Payload): string {
  if (p.encoding === 'text') return p.data;
  if (p.encoding === 'base64') {
    try {
      const bin = atob(p.data);
      const u8 = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      return new TextDecoder().decode(u8);
    } catch {
      return '(could not decode base64)';
    }
  }
  if (p.form) return p.form.map((f) => (f.fileName !== undefined ? `${f.name}: [file ${f.fileName} ${f.type ?? ''} ${bytes(f.size ?? -1)}]` : `${f.name}=${f.value}`)).join('\n');
  return `(${p.source ?? 'body'}, ${bytes(p.size)})`;
}

export function Body({ title, body }: { title: string; body?: Payload }) {
  if (!body) return null;
  return (
    <section data-testid={`body-${title.toLowerCase().replace(/\s+/g, '-')}`}>
      <h3>
        {title} <small>{bytes(body.size)}{body.truncated ? ' (truncated)' : ''}</small>
      </h3>
      <pre>{payloadText(body)}</pre>
    </section>
  );
}

export function EntryDetail({ entry, cors }: { entry: Entry; cors?: CorsAnalysis }) {
  return (
    <div class="detail" data-testid="entry-detail">
      <h2>
        {entry.method} {entry.url}
      </h2>
      <p>
        {entry.kind} · {entry.state}
        {entry.error ? ` · ${entry.error}` : ''} · started {clockTime(entry.startTime)}
      </p>
      {cors && <CorsView cors={cors} />}
      {hiddenReads(entry, cors).map((r) => (
        <p key={r.name} class="warn" data-testid="hidden-read">
          The page called getResponseHeader("{r.name}") and got null: {r.why}
        </p>
      ))}
      <Headers title="Request headers (set by the page)" headers={entry.request.headers} />
      <Headers title="Request headers (on the wire)" headers={entry.wire?.requestHeaders} />
      <Body title="Request body" body={entry.request.body} />
      <Headers title="Response headers" headers={entry.response?.headers ?? entry.wire?.responseHeaders} />
      <Body title="Response body" body={entry.response?.body} />
      {entry.messages.length > 0 && (
        <section>
          <h3>Messages ({entry.messages.length})</h3>
          <ol class="messages" data-testid="messages">
            {entry.messages.map((m, i) => (
              <li key={i} class={m.dir}>
                <span>{clockTime(m.t)}</span> <span>{m.dir === 'send' ? '↑' : '↓'}</span>{' '}
                {m.eventName ? <b>{m.eventName} </b> : null}
                <code>{payloadText(m.data)}</code>
              </li>
            ))}
          </ol>
        </section>
      )}
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
