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


/**
 * A HAR name or value that must be text (a header's, a form field's): a string as it is, a number
 * or boolean as its JSON text (some tools write `"value": 42`); undefined for anything else
 * (null, an object, an array), which was never text on the wire.
 */
export function harText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** A count (`droppedMessages`): an integer 0…2^53-1. */
export function count(v: unknown): number | undefined {
  return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined;
}

/** An HTTP status as HAR holds it: an integer 0–999 (three digits, RFC 9110 §15; 0 when there was no response). */
export function httpStatus(v: unknown): number | undefined {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 999 ? (v as number) : undefined;
}

/** A body's size in bytes: an integer 0…2^53-1, or -1 for unknown (HAR 1.2's `bodySize`). */
export function byteSize(v: unknown): number | undefined {
  return v === -1 ? -1 : count(v);
}

/**
 * `read(v)`; when it rejects a number (out of its range, a fraction, ±Infinity from a 400-digit
 * literal) that number is left out with a warning naming `where` and what `valid` is. A value of
 * another type is left out without one, as any field of the wrong type.
 */
export function ranged(v: unknown, read: (v: unknown) => number | undefined, where: string, valid: string, warn: (message: string) => void): number | undefined {
  const out = read(v);
  if (out === undefined && typeof v === 'number') warn(`${where} ${v} is not ${valid}, left out`);
  return out;
}
