import { capturePayload } from './body';
import type { Sink } from './channel';
import { R } from './natives';
import type { Uninstall } from './patch';
import { patchMethod } from './patch';
import { absoluteUrl, stackHere } from './util';

/** navigator.sendBeacon: URL, body, and whether the browser accepted it (its return value). */
export function installBeacon(sink: Sink): Uninstall {
  return patchMethod<Navigator['sendBeacon']>(Navigator.prototype, 'sendBeacon', () => ({
    apply(target, self, args: unknown[]) {
      const accepted = R.apply(target, self, args) as boolean;
      try {
        const id = sink.nextId('beacon');
        const t = sink.now();
        const { payload } = capturePayload(args[1]);
        sink.emit({
          type: 'start',
          id,
          t,
          kind: 'beacon',
          method: 'POST',
          url: absoluteUrl(args[0]),
          headers: [],
          body: payload,
          meta: { accepted },
          stack: stackHere(),
        });
        sink.emit({ type: 'end', id, t, outcome: accepted ? 'ok' : 'error', error: accepted ? undefined : 'not accepted (queue full or too large)' });
      } catch (error) {
        sink.fail('beacon', error);
      }
      return accepted;
    },
  }));
}
