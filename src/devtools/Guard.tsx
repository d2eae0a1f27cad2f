import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';

/**
 * A part of the panel that cannot take the rest down: if rendering captured data throws, this
 * part says so (with the raw value, as text) and everything else stays usable.
 */
export function Guard({ what, raw, children }: { what: string; raw?: unknown; children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    let text = '';
    try {
      text = JSON.stringify(raw, null, 2)?.slice(0, 64 * 1024) ?? '';
    } catch {
      text = String(raw);
    }
    return (
      <div class="could-not-decode" data-testid="could-not-render">
        <p>
          could not render {what}: {String((error as Error)?.message ?? error)} <button onClick={reset}>retry</button>
        </p>
        {text && <pre class="raw">{text}</pre>}
      </div>
    );
  }
  return <>{children}</>;
}
