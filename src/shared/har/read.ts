/** Defensive readers for untrusted JSON: wrong types read as undefined, never throw. */

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Copies only the keys whose values have the expected primitive types. */
export function pick<T extends object>(v: unknown, spec: Record<keyof T, 'string' | 'number' | 'boolean' | 'string[]'>): T | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Obj = {};
  for (const key of Object.keys(spec)) {
    const want = spec[key as keyof T];
    const value = o[key];
    if (want === 'string[]') {
      if (Array.isArray(value) && value.every((x) => typeof x === 'string')) out[key] = [...value];
    } else if (typeof value === want && (want !== 'number' || Number.isFinite(value))) {
      out[key] = value;
    }
  }
  return out as T;
}
