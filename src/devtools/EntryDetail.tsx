import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import type { CorsAnalysis } from '../shared/cors';
import { hiddenReads } from '../shared/entry-cors';
import { headerValue } from '../shared/headers';
import { createLlmStreamReader } from '../shared/llm-stream';
import type { LongPollGroup } from '../shared/long-polling';
import type { Entry } from '../shared/model';
import { payloadText } from '../shared/payload';
import type { Header } from '../shared/protocol';
import { createStreamDecoder } from '../shared/stream-decode';
import { DETAIL_TABS, tabsFor, type DetailTab } from '../shared/detail-tabs';
import type { Transfer } from '../shared/transfers';
import { TransferView } from './TransferView';
import { BodyView } from './BodyView';
import { ChannelFacts } from './ChannelFacts';
import { CopyMenu } from './CopyMenu';
import { CorsView } from './CorsView';
import { clockTime, duration, statusText } from './format';
import { LlmView } from './LlmView';
import { MessagesView } from './MessagesView';
import { TimingView } from './TimingView';

const decodeStream = createStreamDecoder();
const llmStreamOf = createLlmStreamReader();

const TAB_LABEL: Record<DetailTab, string> = {
  headers: 'Headers',
  payload: 'Payload',
  preview: 'Preview',
  response: 'Response',
  messages: 'Messages',
  transfer: 'Transfer',
  timing: 'Timing',
  cors: 'CORS',
  initiator: 'Initiator',
};

const TAB_KEY = 'netlens.detailTab';
function storedTab(): DetailTab {
  try {
    const v = localStorage.getItem(TAB_KEY);
    return (DETAIL_TABS as readonly string[]).includes(v ?? '') ? (v as DetailTab) : 'headers';
  } catch {
    return 'headers';
  }
}
/**
 * The tab the user chose last: kept across entries (and panel reloads). An entry without that
 * tab shows Headers, and the choice stays for the next entry that has it, as in DevTools.
 */
const chosenTab = signal<DetailTab>(storedTab());
/** Shows `tab` (when the entry has it) and remembers it as the user's choice. */
export function chooseTab(tab: DetailTab) {
  chosenTab.value = tab;
  try {
    localStorage.setItem(TAB_KEY, tab);
  } catch {
    // Storage refused (private mode, quota): the choice lasts for this panel only.
  }
}

const isCorsHeader = (name: string) => /^access-control-/i.test(name);

function Headers({ title, headers, testid }: { title: string; headers?: Header[]; testid: string }) {
  if (!headers?.length) return null;
  return (
    <section data-testid={testid}>
      <h3>
        {title} <small class="muted">({headers.length})</small>
      </h3>
      <dl class="headers">
        {headers.map(([n, v], i) => (
          <div key={i} class={isCorsHeader(n) ? 'cors-header' : ''} data-cors-header={isCorsHeader(n) ? '' : undefined}>
            <dt>{n}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Row({ name, children }: { name: string; children: ComponentChildren }) {
  return (
    <tr>
      <th>{name}</th>
      <td>{children}</td>
    </tr>
  );
}

/** Opens an http(s) URL in a new tab, only when asked; other schemes (javascript:, data:) never. */
function OpenUrl({ url }: { url: string }) {
  if (!/^https?:\/\//i.test(url)) return null;
  return (
    <button class="link-button" title="Open in a new tab" data-testid="open-url" onClick={() => window.open(url, '_blank', 'noopener,noreferrer')}>
      open ↗
    </button>
  );
}

function HeadersTab({ entry, cors }: { entry: Entry; cors?: CorsAnalysis }) {
  const wire = entry.wire;
  const status = entry.response?.status ?? wire?.statusCode;
  return (
    <>
      <section data-testid="headers-general">
        <h3>General</h3>
        <table class="pairs">
          <tbody>
            <Row name="Request URL">
              <span class="url">{entry.url}</span> <OpenUrl url={entry.url} />
            </Row>
            <Row name="Request Method">{entry.method}</Row>
            <Row name="Status Code">
              {statusText(entry)}
              {status !== undefined && (entry.response?.statusText || wire?.statusLine) ? ` ${entry.response?.statusText || wire?.statusLine?.replace(/^HTTP\/\S+\s+\d+\s*/, '') || ''}` : ''}
              {wire?.fromCache ? ' (from cache)' : ''}
            </Row>
            {wire?.ip && <Row name="Remote Address">{wire.ip}</Row>}
            <Row name="Kind">
              {entry.kind} · {entry.state}
              {entry.error ? ` · ${entry.error}` : ''}
            </Row>
            <Row name="Started">
              {clockTime(entry.startTime)} · {duration(entry)}
            </Row>
            {entry.response?.url && entry.response.url !== entry.url && (
              <Row name="Response URL">
                <span class="url">{entry.response.url}</span>
              </Row>
            )}
            {entry.response?.redirected && <Row name="Redirected">yes: the response came after a redirect</Row>}
            {entry.frameUrl && <Row name="Frame">{entry.frameUrl}</Row>}
            {entry.frameOrigin !== undefined && <Row name="Frame origin">{entry.frameOrigin}</Row>}
            {entry.worker && (
              <Row name="Worker">
                <span data-testid="worker">
                  {entry.worker.type === 'service' ? 'service worker' : `${entry.worker.type} worker`} <span class="url">{entry.worker.url}</span>
                </span>
              </Row>
            )}
          </tbody>
        </table>
        {!!wire?.redirects.length && (
          <ol class="redirects" data-testid="redirects">
            {wire.redirects.map((r, i) => (
              <li key={i}>
                {r.status ?? ''} <span class="url">{r.url}</span> → <span class="url">{r.location ?? ''}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
      {hiddenReads(entry, cors).map((r) => (
        <p key={r.name} class="warn" data-testid="hidden-read">
          The page called getResponseHeader("{r.name}") and got null: {r.why}
        </p>
      ))}
      <Headers testid="response-headers" title="Response headers" headers={wire?.responseHeaders ?? entry.response?.headers} />
      {wire?.responseHeaders && !!entry.response?.headers.length && entry.response.headers.length !== wire.responseHeaders.length && (
        <Headers testid="response-headers-page" title="Response headers (as the page could read them)" headers={entry.response.headers} />
      )}
      <Headers testid="request-headers-page" title="Request headers (set by the page)" headers={entry.request.headers} />
      <Headers testid="request-headers-wire" title="Request headers (on the wire)" headers={wire?.requestHeaders} />
      <Headers testid="handshake-request-headers" title="WebSocket handshake request headers (as sent, deep capture)" headers={entry.deep?.handshake?.requestHeaders} />
      <Headers testid="handshake-response-headers" title="WebSocket handshake response headers (deep capture)" headers={entry.deep?.handshake?.responseHeaders} />
    </>
  );
}

function QueryParams({ url }: { url: string }) {
  let pairs: [string, string][] = [];
  try {
    pairs = [...new URL(url).searchParams];
  } catch {
    return null;
  }
  if (!pairs.length) return null;
  return (
    <section data-testid="query-params">
      <h3>Query string parameters</h3>
      <table class="pairs">
        <tbody>
          {pairs.slice(0, 1000).map(([n, v], i) => (
            <Row key={i} name={n}>
              {v}
            </Row>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MessagesTab({ entry, longPoll, focus }: { entry: Entry; longPoll?: LongPollGroup; focus?: { index: number } }) {
  return (
    <>
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
      <MessagesView entry={entry} stream={decodeStream(entry)} focus={focus} />
    </>
  );
}

/**
 * One entry in tabs, as the Network panel's detail: Headers, Payload, Preview, Response,
 * Messages, Timing, CORS, Initiator (only those that apply). `revision` changes when the entry
 * (updated in place) changed, so the detail redraws.
 */
export function EntryDetail({ entry, cors, longPoll, transfer, onSelect, onClose, related, wireSince, focusedMessage }: {
  entry: Entry;
  /** A message to show chosen in the Messages tab (a new object each time one is asked for). */
  focusedMessage?: { index: number };
  revision?: number;
  cors?: CorsAnalysis;
  longPoll?: LongPollGroup;
  /** The resumable upload this request belongs to. */
  transfer?: Transfer;
  /** Opens another entry (a transfer's request). */
  onSelect?(id: string): void;
  onClose?(): void;
  /** The session's entries, for the HAR copy's CORS report (called on copy only). */
  related?: () => readonly Entry[];
  /** When the tab's wire view started (the HAR copy's CORS report, see shared/entry-cors corsForEntry). */
  wireSince?: () => number | undefined;
}) {
  const llm = llmStreamOf(entry);
  const tabs = tabsFor(entry, cors, longPoll, llm !== undefined, transfer !== undefined);
  const tab = tabs.includes(chosenTab.value) ? chosenTab.value : 'headers';
  const reqType = headerValue(entry.request.headers, 'content-type');
  const resType = headerValue(entry.response?.headers ?? entry.wire?.responseHeaders, 'content-type');
  return (
    <div class="detail" data-testid="entry-detail" data-tab={tab}>
      <div class="detail-bar">
        {onClose && (
          <button class="close" title="Close (Esc)" aria-label="Close" onClick={onClose} data-testid="detail-close">
            ×
          </button>
        )}
        <nav class="tabs" role="tablist">
          {tabs.map((t) => (
            <button key={t} role="tab" aria-selected={t === tab} class={t === tab ? 'on' : ''} onClick={() => chooseTab(t)} data-testid={`tab-${t}`}>
              {TAB_LABEL[t]}
            </button>
          ))}
        </nav>
        <CopyMenu entry={entry} related={related} wireSince={wireSince} />
      </div>
      <h2 title={entry.url}>
        {entry.method} <span class="url">{entry.url}</span>
      </h2>
      <div class="tab-body" role="tabpanel" data-testid={`tab-panel-${tab}`}>
        {tab === 'headers' && <HeadersTab entry={entry} cors={cors} />}
        {tab === 'payload' && (
          <>
            <QueryParams url={entry.url} />
            <BodyView title="Request body" body={entry.request.body} contentType={reqType} modes={['pretty', 'source', 'hex']} />
          </>
        )}
        {tab === 'preview' && (
          <>
            {llm && <LlmView llm={llm} startTime={entry.startTime} />}
            <BodyView title="Response body" body={entry.response?.body} contentType={resType} />
          </>
        )}
        {tab === 'response' && <BodyView key="response" title="Response body" body={entry.response?.body} contentType={resType} modes={['source', 'hex']} />}
        {tab === 'messages' && <MessagesTab entry={entry} longPoll={longPoll} focus={focusedMessage} />}
        {tab === 'transfer' && transfer && <TransferView transfer={transfer} current={entry.id} onSelect={onSelect} />}
        {tab === 'timing' && (
          <>
            <ChannelFacts entry={entry} />
            <TimingView entry={entry} />
          </>
        )}
        {tab === 'cors' && cors && <CorsView cors={cors} chromium={entry.deep?.cors} />}
        {tab === 'initiator' && entry.initiator && (
          <section data-testid="initiator">
            <h3>Initiator</h3>
            <pre>{entry.initiator}</pre>
          </section>
        )}
      </div>
    </div>
  );
}
