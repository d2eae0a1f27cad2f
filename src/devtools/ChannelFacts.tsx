import { closeCodeInfo } from '../shared/decode';
import type { Entry } from '../shared/model';

/** One-line facts of a channel: how a WebSocket closed, which SSE names the page listens to. */
export function ChannelFacts({ entry }: { entry: Entry }) {
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
