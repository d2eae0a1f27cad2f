import type { CorsAnalysis } from '../shared/cors';
import type { ChromiumCors } from '../shared/deep/events';
import { corsDisagreement } from '../shared/deep/cors';

/**
 * The CORS doctor for one exchange, in plain words with the exact headers involved; with deep
 * capture, Chromium's own verdict beside it (`chromium`: its CorsErrorStatus, null when it saw no
 * CORS error, undefined when deep capture did not see the request).
 */
export function CorsView({ cors, chromium }: { cors: CorsAnalysis; chromium?: ChromiumCors | null }) {
  const disagreement = chromium === undefined ? undefined : corsDisagreement(cors, chromium);
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
      {chromium !== undefined && (
        <p class="verdict" data-testid="cors-chromium" data-error={chromium?.corsError ?? ''}>
          Chromium's verdict (deep capture): <b>{chromium ? 'blocked' : 'not blocked'}</b>
          {chromium && (
            <>
              {' — '}
              <code>{chromium.corsError}</code>
              {chromium.failedParameter ? (
                <>
                  {' '}
                  (value <code>{chromium.failedParameter}</code>)
                </>
              ) : null}
            </>
          )}
        </p>
      )}
      {disagreement && (
        <p class="warn" role="note" data-testid="cors-disagree">
          {disagreement}
        </p>
      )}
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
