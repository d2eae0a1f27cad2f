import { capturePayload, convertBody } from './body';
import type { Sink } from './channel';
import type { Payload } from '../../shared/protocol';
import { NativeString, R, at, promiseThen, put } from './natives';
import type { Uninstall } from './patch';
import { patchMethod } from './patch';
import { absoluteUrl, stackHere } from './util';

/** navigator.sendBeacon: URL, body, and whether the browser accepted it (its return value). */
export function installBeacon(sink: Sink): Uninstall {
  return patchMethod<Navigator['sendBeacon']>(Navigator.prototype, 'sendBeacon', () => ({
    apply(target, self, args: unknown[]) {
      if (args.length < 1) return R.apply(target, self, args) as boolean;
      // Converted once, in the binding's order (url, then data), so page code runs once.
      const call: unknown[] = [];
      for (let i = 0; i < args.length; i++) put(call, i, args[i]);
      if (typeof call[0] !== 'string' && typeof call[0] !== 'symbol') put(call, 0, NativeString(call[0]));
      const body = call.length > 1 ? convertBody(call[1]) : { value: undefined, converted: false };
      if (body.converted) put(call, 1, body.value);
      const accepted = R.apply(target, self, call) as boolean;
      try {
        const id = sink.nextId('beacon');
        const t = sink.now();
        let payload;
        let later;
        try {
          ({ payload, later } = capturePayload(at(call, 1)));
          if (payload && body.converted) payload.source = 'object';
        } catch (error) {
          sink.fail('beacon:body', error);
        }
        const where = absoluteUrl(call[0] as string);
        sink.emit({
          type: 'start',
          id,
          t,
          kind: 'beacon',
          method: 'POST',
          url: where.url,
          headers: [],
          body: payload,
          meta: { accepted },
          stack: stackHere(),
        });
        sink.emit({ type: 'end', id, t, outcome: accepted ? 'ok' : 'error', error: accepted ? undefined : 'not accepted (queue full or too large)' });
        if (later) {
          R.apply(promiseThen, later, [
            (body: Payload) => sink.emit({ type: 'body', id, t: sink.now(), which: 'request', body }),
            (e: unknown) => sink.fail('beacon:body', e),
          ]);
        }
      } catch (error) {
        sink.fail('beacon', error);
      }
      return accepted;
    },
  }));
}
