import type { Sink } from './channel';
import { R, getter, globalObject, hasOwn, withValue } from './natives';
import type { Uninstall } from './patch';
import { patchGlobal } from './patch';

export const eventTypeOf = getter<string>(Event.prototype, 'type');

/** `isTrusted` is an unforgeable own accessor: a page-dispatched event cannot pass for a real one. */
export function isTrusted(event: Event): boolean {
  try {
    return event.isTrusted === true;
  } catch {
    return false;
  }
}

/**
 * After the global `name` was replaced by a construct proxy, `Ctor.prototype.constructor` must
 * point at the proxy too, or `ws.constructor === WebSocket` would turn false.
 */
export function keepConstructorLink(proto: object | undefined, name: string): Uninstall {
  if (!proto) return () => {};
  const desc = R.getOwnPropertyDescriptor(proto, 'constructor');
  const current = R.getOwnPropertyDescriptor(globalObject, name)?.value as unknown;
  if (!desc || !hasOwn(desc, 'value') || typeof current !== 'function' || desc.value === current) return () => {};
  R.defineProperty(proto, 'constructor', withValue(desc, current));
  return () => R.defineProperty(proto, 'constructor', desc);
}

/**
 * The global constructor `name` (WebSocket, EventSource, XMLHttpRequest, HTMLScriptElement)
 * replaced by a construct proxy that hands each new instance and its arguments to `made` before
 * the page holds it (so our listeners go on before any of the page's), its prototype's
 * `constructor` kept pointing at the proxy. A throw in `made` is reported as `where`, never
 * reaches the page. The returned function undoes both.
 */
export function watchConstruction<T extends Function>(sink: Sink, name: string, proto: object | undefined, where: string, made: (instance: object, args: unknown[]) => void): Uninstall {
  const unpatch = patchGlobal<T>(name, () => ({
    construct(target, args: unknown[], newTarget) {
      const instance = R.construct(target, args, newTarget) as object;
      try {
        made(instance, args);
      } catch (error) {
        sink.fail(where, error);
      }
      return instance;
    },
  }));
  const unlink = keepConstructorLink(proto, name);
  return () => {
    unpatch();
    unlink();
  };
}
