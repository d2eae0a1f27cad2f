/** The primitives it uses; the page script passes the natives it saved before any page script. */
export interface SafeJsonDeps {
  ownKeys(o: object): (string | symbol)[];
  ownDescriptor(o: object, key: string): PropertyDescriptor | undefined;
  /** An own property (`in` would walk the prototype chain). */
  hasOwn(o: object, key: PropertyKey): boolean;
  isArray(v: unknown): boolean;
  quote(s: string): string;
  toString(v: number | bigint): string;
  slice(s: string, from: number, to: number): string;
  append<T>(arr: T[], v: T): void;
}

/**
 * JSON text of a page value without running page code: only own data properties are read (an
 * accessor shows as "[getter]", never called), no toJSON, no prototype lookups; cycles, depth and
 * size are bounded. (A Proxy's ownKeys/getOwnPropertyDescriptor traps still run: nothing can read
 * a Proxy without them.)
 */
const MAX_DEPTH = 32;

export const createSafeJson = (natives: SafeJsonDeps) => function safeJson(value: unknown, cap: number): { text: string; complete: boolean } {
  let out = '';
  let complete = true;
  const seen: object[] = [];
  const add = (s: string) => {
    if (out.length + s.length > cap) {
      if (cap > out.length) out += natives.slice(s, 0, cap - out.length);
      complete = false;
      return false;
    }
    out += s;
    return true;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null) return add('null');
    switch (typeof v) {
      case 'string':
        return add(natives.quote(v));
      case 'number':
        return add(v === v && v !== Infinity && v !== -Infinity ? natives.toString(v) : 'null');
      case 'boolean':
        return add(v ? 'true' : 'false');
      case 'bigint':
        return add(natives.quote(natives.toString(v)));
      case 'object':
        break;
      default:
        return add('null');
    }
    const obj = v as object;
    for (let i = 0; i < seen.length; i++) if (seen[i] === obj) return add('"[cycle]"');
    if (depth >= MAX_DEPTH) return add('"[too deep]"');
    natives.append(seen, obj);
    const isArray = natives.isArray(obj);
    if (!add(isArray ? '[' : '{')) return false;
    const keys = natives.ownKeys(obj);
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (typeof key !== 'string' || (isArray && key === 'length')) continue;
      const desc = natives.ownDescriptor(obj, key);
      if (!desc || !desc.enumerable) continue;
      // As JSON: functions, symbols and undefined are left out of objects (null in arrays).
      const data = natives.hasOwn(desc, 'value');
      const t = data ? typeof desc.value : 'accessor';
      if (!isArray && (t === 'function' || t === 'symbol' || t === 'undefined')) continue;
      if (!first && !add(',')) return false;
      first = false;
      if (!isArray && !add(`${natives.quote(key)}:`)) return false;
      const ok = data ? walk(desc.value, depth + 1) : add('"[getter]"');
      if (!ok) return false;
    }
    seen.length--;
    return add(isArray ? ']' : '}');
  };
  walk(value, 0);
  return { text: out, complete };
};
