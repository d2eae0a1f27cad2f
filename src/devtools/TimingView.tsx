import type { Entry } from '../shared/model';
import { progressSeries, type ProgressPoint } from '../shared/progress';
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

/** The Timing tab: wire phases when known, progress curves, readyState steps, reconnections and the full lifecycle. */
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
