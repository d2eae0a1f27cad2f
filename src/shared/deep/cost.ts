/**
 * What deep capture costs: wall time of 600 sequential same-origin fetches with deep capture on,
 * over the same with netlens alone (median of 3 alternating rounds, Chromium 156 headless, the
 * project's 2-core machine under load: 1.94× vs 1.71× of plain Chromium), measured with
 * `BENCH_ONLY=fetches BENCH_MODES=netlens,deep BENCH_ROUNDS=3 node --import tsx bench/capture.bench.ts`.
 * The panel quotes it before the switch is turned on.
 */
export const DEEP_SLOWDOWN = 1.13;

/** Plain words for the panel: what turning deep capture on does to the tab. */
export function deepCostText(slowdown = DEEP_SLOWDOWN): string {
  return (
    `Attaches Chrome's debugger to this tab: while it is on, Chrome shows a "netlens started debugging this browser" bar ` +
    `(the page's viewport gets shorter), and requests take longer: ${slowdown.toFixed(2)}× the time of netlens alone on sequential fetches (measured). ` +
    'It adds SSE events the page does not listen to, the raw event stream, workers\' traffic, Chromium\'s own CORS verdict and WebSocket handshakes as sent.'
  );
}

/** Plain words for a failed attach: Chromium's reason, and what to do when another debugger holds the tab. */
export function deepFailureText(reason: string | undefined): string {
  const why = reason || 'unknown reason';
  if (/another debugger/i.test(why)) {
    return `Deep capture could not start: another debugger (another extension, or a tool using the DevTools protocol) is attached to this tab. Detach it and try again. Chrome said: ${why}`;
  }
  return `Deep capture could not start: ${why}`;
}

/** Plain words for chrome.debugger's onDetach reasons. */
export function deepDetachText(reason: string | undefined): string {
  if (reason === 'canceled_by_user') return 'Deep capture ended: the debugging bar was closed.';
  if (reason === 'target_closed') return 'Deep capture ended: the tab was closed.';
  return `Deep capture ended (${reason ?? 'detached'}).`;
}
