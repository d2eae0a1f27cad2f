import { closeCodeInfo } from '../shared/decode';
import type { Entry } from '../shared/model';
import { BodyView } from './BodyView';

/**
 * One-line facts of a channel: how a WebSocket closed, which SSE names the page listens to, what
 * a JSONP callback received.
 */
export function ChannelFacts({ entry }: { entry: Entry }) {
  const jsonp = entry.jsonp;
  if (jsonp) {
    const args = jsonp.args ?? 1;
    return (
      <section>
        <p data-testid="jsonp-callback">
          Callback {jsonp.callback}
          {jsonp.called ? ` called with ${args} argument${args === 1 ? '' : 's'}` : ' never called'}
          {jsonp.threw ? `; it threw ${jsonp.threw}` : ''}.
        </p>
        <BodyView title={args > 1 ? 'Callback arguments' : 'Callback argument'} body={jsonp.payload} contentType="application/json" />
      </section>
    );
  }
  const close = entry.websocket?.close;
  if (close) {
    const info = closeCodeInfo(close.code, entry.websocket?.protocol);
    return (
      <section>
        <p data-testid="ws-close">
          Closed by {close.by}: code {close.code}
          {close.reason ? ` “${close.reason}”` : ''}
        </p>
        <p class="muted" data-testid="ws-close-meaning">
          {close.code} {info.name}: {info.meaning}. wasClean {String(close.wasClean)}.
        </p>
      </section>
    );
  }
  const raw = entry.deep?.raw;
  if (entry.kind === 'eventsource' && entry.eventSource) {
    const unlistened = entry.messages.filter((m) => m.unlistened).length;
    return (
      <section>
        <p data-testid="sse-listened">The page listens to: {entry.eventSource.listened.join(', ') || 'message'}.</p>
        <p class="muted" data-testid="sse-unlistened">
          {entry.deep
            ? `${unlistened} event${unlistened === 1 ? '' : 's'} reached the browser under names the page does not listen to (marked “unlistened” in Messages).`
            : 'Events the server sends under other names reach the browser but not the page, so they are not seen here (turn on Deep capture to see them).'}
        </p>
        {raw && <RawStream raw={raw} dropped={entry.deep?.rawDropped} />}
      </section>
    );
  }
  return raw ? <RawStream raw={raw} dropped={entry.deep?.rawDropped} /> : null;
}

/** The raw text of an event stream as it arrived (deep capture): `retry:` lines and comments too. Text only, never HTML. */
function RawStream({ raw, dropped }: { raw: { t: number; text: string }[]; dropped?: number }) {
  const text = raw.map((r) => r.text).join('');
  return (
    <section>
      <h4>Raw event stream (deep capture)</h4>
      <pre class="raw-stream" data-testid="sse-raw">
        {text.length > RAW_SHOWN ? `${text.slice(0, RAW_SHOWN)}\n… ${(text.length - RAW_SHOWN).toLocaleString('en')} more characters (in the HAR export)` : text}
      </pre>
      {dropped ? <p class="muted">{dropped} later chunks not kept.</p> : null}
    </section>
  );
}

const RAW_SHOWN = 64 * 1024;
