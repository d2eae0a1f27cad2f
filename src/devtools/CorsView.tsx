import type { CorsAnalysis } from '../shared/cors';

/** The CORS doctor for one exchange, in plain words with the exact headers involved. */
export function CorsView({ cors }: { cors: CorsAnalysis }) {
  const { preflight } = cors;
  return (
    <section class="cors" data-testid="cors-view" data-outcome={cors.outcome} data-error={cors.error ?? ''}>
      <h3>CORS</h3>
      <p>
        Cross-origin request from <code>{cors.origin}</code>
        {' — '}
        {preflight.needed ? 'preflighted' : 'simple (no preflight needed)'}.
      </p>
      {preflight.reasons.length > 0 && (
        <ul data-testid="cors-reasons">
          {preflight.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {preflight.needed && (
        <p data-testid="cors-preflight">
          Preflight:{' '}
          {preflight.observed === 'cached'
            ? 'served from the preflight cache (no OPTIONS sent)'
            : preflight.observed
              ? 'OPTIONS sent (see the preflight entry)'
              : 'no OPTIONS seen'}
        </p>
      )}
      <p class={`verdict ${cors.outcome}`} data-testid="cors-verdict">
        Verdict: <b>{cors.outcome}</b>
        {cors.error && (
          <>
            {' — '}
            <code>{cors.error}</code>
            {cors.failedParameter ? (
              <>
                {' '}
                (value <code>{cors.failedParameter}</code>)
              </>
            ) : null}
          </>
        )}
      </p>
      {cors.details.failure && <p>{cors.details.failure.text}</p>}
      {cors.fix && (
        <p class="fix" data-testid="cors-fix">
          Fix: {cors.fix}
        </p>
      )}
      {cors.note && <p class="note">{cors.note}</p>}
      {(cors.readableHeaders?.length || cors.hiddenHeaders?.length) && (
        <p data-testid="cors-expose">
          JavaScript can read: {cors.readableHeaders?.join(', ') || 'none'}. Hidden from JavaScript:{' '}
          {cors.hiddenHeaders?.join(', ') || 'none'}.
        </p>
      )}
      {cors.details.steps.length > 0 && (
        <ol class="steps">
          {cors.details.steps.map((s, i) => (
            <li key={i} class={s.ok === false ? 'fail' : s.ok ? 'ok' : ''}>
              [{s.stage}] {s.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
