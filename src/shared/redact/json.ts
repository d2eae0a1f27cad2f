import type { At, Ctx } from './context';
import { mask } from './context';
import { scrubText } from './text';

/** JSON after an optional XSSI guard, JSONP callback or Socket.IO packet number. */
const JSON_START = /^\s*(?:\)\]\}',?\s*|while\s*\(1\);\s*|for\s*\(;;\);\s*|[\w$.]{1,64}\s*\(\s*|\d{1,6})?[{[]/;

export function looksLikeJson(text: string): boolean {
  return JSON_START.test(text.length > 200 ? text.slice(0, 200) : text);
}

interface Frame {
  array: boolean;
  /** Everything inside is secret (a credential-named key above). */
  secret: boolean;
  key?: string;
  expectKey: boolean;
}

/**
 * Redacts JSON text in place, keeping its formatting: string values under credential-named keys
 * (at any depth: everything below `"tokens": {…}` goes) become markers, other strings are scanned
 * by shape. Tolerant: a truncated or slightly broken body is handled as far as it goes.
 */
export function redactJsonText(ctx: Ctx, at: At, text: string): string {
  const start = text.search(/[{[]/);
  if (start < 0) return scrubText(ctx, at, text);
  // The prefix before the JSON (a JSONP callback, an XSSI guard) is scanned on its own.
  const out: string[] = [scrubText(ctx, at, text.slice(0, start))];
  const stack: Frame[] = [];
  let i = start;
  let copied = start;
  /** Something that is not JSON was seen (a script, a log line…): scan the whole result by shape too. */
  let odd = false;
  const n = text.length;

  const top = () => stack[stack.length - 1];
  const valueSecret = (): { secret: boolean; name: string } => {
    const f = top();
    if (!f) return { secret: false, name: '' };
    if (f.array) return { secret: f.secret, name: f.key ?? '' };
    const name = f.key ?? '';
    return { secret: f.secret || ctx.m.field(name), name };
  };
  const replace = (from: number, to: number, text2: string) => {
    out.push(text.slice(copied, from), text2);
    copied = to;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      // { [
      const parent = valueSecret();
      stack.push({ array: c === 0x5b, secret: parent.secret, key: parent.name, expectKey: c === 0x7b });
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x3a) {
      const f = top();
      if (f && !f.array) f.expectKey = false;
      i++;
    } else if (c === 0x2c) {
      const f = top();
      if (f && !f.array) {
        f.expectKey = true;
        f.key = undefined;
      }
      i++;
    } else if (c === 0x22) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const raw = text.slice(i + 1, Math.min(j, n));
      const end = Math.min(j + 1, n);
      const f = top();
      if (f && !f.array && f.expectKey) {
        f.key = decode(raw);
      } else {
        const { secret, name } = valueSecret();
        const value = decode(raw);
        const next = secret ? mask(ctx, at, name, value) : scrubText(ctx, at, value);
        if (next !== value) replace(i, end, JSON.stringify(next));
      }
      i = end;
    } else if (c <= 0x20) {
      i++;
    } else {
      let j = i;
      while (j < n && !/[\s,:{}[\]"]/.test(text[j])) j++;
      const { name } = valueSecret();
      const literal = text.slice(i, j);
      if (!JSON_LITERAL.test(literal)) odd = true;
      else if (/^-?\d/.test(literal) && ctx.m.scalar(name)) {
        replace(i, j, JSON.stringify(mask(ctx, at, name, literal)));
      }
      i = Math.max(j, i + 1);
    }
  }
  out.push(text.slice(copied));
  const result = out.join('');
  return odd ? scrubText(ctx, at, result) : result;
}

const JSON_LITERAL = /^(?:-?\d[\d.eE+-]*|true|false|null)$/;

function decode(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
