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
  if (entry.kind === 'eventsource' && entry.eventSource) {
    return (
      <section>
        <p data-testid="sse-listened">The page listens to: {entry.eventSource.listened.join(', ') || 'message'}.</p>
        <p class="muted">
          Events the server sends under other names reach the browser but not the page, so they are not seen here (deep capture will show them).
        </p>
      </section>
    );
  }
  return null;
}
