import { parseServerTiming, timingAllowed, type ServerTimingMetric } from '../shared/decode/server-timing';
import { headerValues } from '../shared/headers';
import type { Entry } from '../shared/model';
import { progressSeries, type ProgressPoint } from '../shared/progress';
import { documentOriginOf, originOf } from '../shared/url';
import { bytes, clockTime, ms as formatMs } from './format';

const W = 360;
const H = 90;

const ms = (n: number) => formatMs(n, 1);

/** One progress curve as inline SVG: bytes loaded (y) over time since the entry started (x). */
export function Curve({ points, total, start, end, which }: { points: ProgressPoint[]; total?: number; start: number; end: number; which: 'upload' | 'download' }) {
  if (!points.length) return null;
  const last = points[points.length - 1];
  const top = Math.max(total ?? 0, last.loaded, 1);
  const span = Math.max(end - start, last.t - start, 1);
  const x = (t: number) => ((Math.max(0, t - start) / span) * W).toFixed(1);
  const y = (v: number) => (H - (v / top) * H).toFixed(1);
  const path = [`0,${H}`, ...points.map((p) => `${x(p.t)},${y(p.loaded)}`)].join(' ');
  return (
    <figure class={`progress ${which}`} data-testid={`progress-${which}`} data-points={points.length}>
      <figcaption>
        {which === 'upload' ? 'Upload' : 'Download'}: {bytes(last.loaded)}
        {total ? ` of ${bytes(total)}` : ''} in {points.length} events, last at +{ms(last.t - start)}
      </figcaption>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${which} progress`}>
        <rect class="frame" x="0" y="0" width={W} height={H} />
        <polyline class="curve" points={path} />
      </svg>
      <div class="axis muted">
        <span>0</span>
        <span>+{ms(span)}</span>
      </div>
    </figure>
  );
}

/**
 * The response's `Server-Timing` metrics (src/shared/decode/server-timing.ts), as DevTools' Timing
 * tab lists them: each as "name — description", a bar on the scale of the whole exchange (or of
 * the longest metric, when longer), its duration; metrics named `total` last. The headers are the
 * wire's when the wire view saw them (all of them), else those the page could read. Says whether
 * the page's own Resource Timing entry shows the metrics (Timing-Allow-Origin), and what the
 * parser ignored. Nothing when the response has no Server-Timing header.
 */
export function ServerTimingSection({ entry }: { entry: Entry }) {
  const onWire = entry.wire?.responseHeaders;
  const headers = onWire ?? entry.response?.headers;
  const values = headerValues(headers, 'server-timing');
  if (!values.length) return null;
  const { metrics, notes, truncated } = parseServerTiming(values);
  const isTotal = (m: ServerTimingMetric) => m.name.toLowerCase() === 'total';
  const ordered = [...metrics.filter((m) => !isTotal(m)), ...metrics.filter(isTotal)];
  // `dur=1e400` is Infinity: no bar, and not the scale.
  const finite = (m: ServerTimingMetric) => (m.duration !== undefined && Number.isFinite(m.duration) ? m.duration : 0);
  const span = Math.max(entry.endTime !== undefined ? entry.endTime - entry.startTime : 0, ...metrics.map(finite), 1);
  const redirected = !!entry.wire?.redirects.length || !!entry.response?.redirected;
  const page = timingAllowed(documentOriginOf(entry), originOf(entry.response?.url || entry.url), headerValues(headers, 'timing-allow-origin'));
  return (
    <section data-testid="server-timing">
      <h3>Server Timing</h3>
      <p class="muted" data-testid="server-timing-source">
        {onWire ? 'From the response headers on the wire.' : 'From the response headers the page could read.'}
        {page && (page.allowed ? ` The page's Resource Timing shows them (${page.why}).` : ` The page's Resource Timing hides them: ${page.why}.`)}
        {page && redirected && " (Judged on the last response: each redirect's hop must pass Timing-Allow-Origin too.)"}
      </p>
      <table class="server-timing">
        <tbody>
          {ordered.map((m, i) => (
            <tr key={i} class={isTotal(m) ? 'total' : ''} data-testid="server-timing-metric">
              <th title={m.description || m.name}>{m.description ? `${m.name} — ${m.description}` : m.name}</th>
              <td class="bar-cell">{finite(m) > 0 && <span class="bar" style={{ width: `${Math.min(100, (finite(m) / span) * 100).toFixed(2)}%` }} />}</td>
              <td class="num">{m.duration === undefined ? '' : Number.isFinite(m.duration) ? ms(m.duration) : String(m.duration)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(notes.length > 0 || truncated) && (
        <ul class="notes muted" data-testid="server-timing-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
          {truncated && <li>Only the first {metrics.length} metrics are shown.</li>}
        </ul>
      )}
    </section>
  );
}

/** The Timing tab: wire phases when known, server timing, progress curves, readyState steps, reconnections and the full lifecycle. */
export function TimingView({ entry }: { entry: Entry }) {
  const start = entry.startTime;
  const end = entry.endTime ?? entry.lifecycle.at(-1)?.t ?? start;
  const series = progressSeries(entry);
  const wire = entry.wire;
  const reconnects = entry.lifecycle.filter((s) => s.step === 'reconnect').length;
  const phases: [string, number | undefined][] = [
    ['Request sent', wire?.sendTime],
    ['Response headers', wire?.headersTime],
    ['Finished (wire)', wire?.endTime],
    ['Finished (page)', entry.endTime],
  ];
  return (
    <>
      <section data-testid="timing">
        <h3>Timing</h3>
        <table class="pairs">
          <tbody>
            <tr>
              <th>Started</th>
              <td>{clockTime(start)}</td>
            </tr>
            {phases.map(([name, t]) =>
              t === undefined ? null : (
                <tr key={name}>
                  <th>{name}</th>
                  <td>+{ms(t - start)}</td>
                </tr>
              ),
            )}
            {reconnects > 0 && (
              <tr data-testid="reconnects">
                <th>Reconnections</th>
                <td>{reconnects}</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <ServerTimingSection entry={entry} />
      <Curve points={series.upload} total={series.uploadTotal} start={start} end={end} which="upload" />
      <Curve points={series.download} total={series.downloadTotal} start={start} end={end} which="download" />
      <section>
        <h3>Lifecycle</h3>
        <ol class="lifecycle" data-testid="lifecycle">
          {entry.lifecycle.map((s, i) => (
            <li key={i} class={s.step === 'readystatechange' ? 'ready-state' : s.step === 'reconnect' || s.step === 'reconnecting' ? 'reconnect' : ''}>
              {clockTime(s.t)} <span class="muted">+{ms(s.t - start)}</span> {s.step}
              {s.detail ? ` ${JSON.stringify(s.detail)}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
