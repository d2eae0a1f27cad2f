import { R, getter, globalObject, hasOwn, withValue } from './natives';
import type { Uninstall } from './patch';

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
