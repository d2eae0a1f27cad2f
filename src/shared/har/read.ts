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

/** The numbers a field holds: `read` gives the value when it is one of them, `valid` says which they are (in a warning). */
export interface NumberRange {
  read(v: unknown): number | undefined;
  valid: string;
}

const safeCount = (v: unknown): number | undefined => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined);

/** A count (`droppedMessages`): an integer 0…2^53-1. */
export const COUNT: NumberRange = { read: safeCount, valid: 'a count (0…2^53-1)' };

/** An HTTP status as HAR holds it: an integer 0–999 (three digits, RFC 9110 §15; 0 when there was no response). */
export const HTTP_STATUS: NumberRange = {
  read: (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 999 ? (v as number) : undefined),
  valid: 'an HTTP status (0–999)',
};

/** A body's size in bytes: an integer 0…2^53-1, or -1 for unknown (HAR 1.2's `bodySize`). */
export const BYTE_SIZE: NumberRange = { read: (v) => (v === -1 ? -1 : safeCount(v)), valid: 'a size (-1 or 0…2^53-1)' };

/**
 * `v` when `range` holds it; a number it does not hold (out of range, a fraction, ±Infinity from a
 * 400-digit literal) is left out with a warning naming `where` and what is valid. A value of
 * another type is left out without one, as any field of the wrong type.
 */
export function ranged(v: unknown, range: NumberRange, where: string, warn: (message: string) => void): number | undefined {
  const out = range.read(v);
  if (out === undefined && typeof v === 'number') warn(`${where} ${v} is not ${range.valid}, left out`);
  return out;
}
