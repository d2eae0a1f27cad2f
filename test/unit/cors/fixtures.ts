import type { Classification } from '../../../src/shared/cors';

export const O = 'http://127.0.0.1:8080';
export const U = 'http://localhost:9090/api/items';

/** A cross-origin GET in mode cors with nothing unsafe; cases override what they change. */
export const base = (over: Partial<Classification> = {}): Classification => ({
  crossOrigin: true,
  origin: O,
  credentialed: false,
  preflight: { needed: false, reasons: [] },
  requestHeadersLine: '',
  forbiddenDropped: [],
  method: 'GET',
  mode: 'cors',
  credentials: 'same-origin',
  corsChecked: true,
  unsafeHeaders: [],
  ...over,
});
