import type { At, Ctx } from './context';
import { mask } from './context';
import { scrubText, scrubUrl } from './text';

interface NameValue {
  name: string;
  value: string;
}

/** `name=value` pairs; the value without the spaces around it (as the HAR cookie lists have it). */
const COOKIE_PAIR = /(^|;)([^=;]*)(=\s*)([^;]*?)(?=\s*(?:;|$))/g;
const SET_COOKIE_PAIR = /^()([^=;]*)(=\s*)([^;]*?)(?=\s*(?:;|$))/;

/** Headers whose value is a URL: scanned as one (its query and fragment pairs masked whole). */
const URL_HEADERS = /^(?:location|content-location|referer)$/i;

/** `Authorization: Bearer x` keeps its scheme; cookies keep their names and attributes. */
export function redactHeaderValue(ctx: Ctx, at: At, name: string, value: string): string {
  const lower = name.toLowerCase();
  if (!ctx.m.header(name)) return URL_HEADERS.test(name) ? scrubUrl(ctx, at, value) : scrubText(ctx, at, value);
  if (lower === 'cookie' || lower === 'cookie2') {
    return value.replace(COOKIE_PAIR, (_w, lead: string, n: string, eq: string, v: string) => `${lead}${n}${eq}${mask(ctx, at, `${name}: ${n.trim()}`, v)}`);
  }
  if (lower === 'set-cookie' || lower === 'set-cookie2') {
    return value
      .split('\n')
      .map((line) => line.replace(SET_COOKIE_PAIR, (_w, lead: string, n: string, eq: string, v: string) => `${lead}${n}${eq}${mask(ctx, at, `${name}: ${n.trim()}`, v)}`))
      .join('\n');
  }
  const scheme = /^([A-Za-z][\w-]*)(\s+)(\S[\s\S]*)$/.exec(value);
  if (scheme && /authorization/i.test(lower)) return `${scheme[1]}${scheme[2]}${mask(ctx, at, name, scheme[3])}`;
  return mask(ctx, at, name, value);
}

export function redactHeaderList(ctx: Ctx, path: string, list: unknown): void {
  if (!Array.isArray(list)) return;
  list.forEach((h: NameValue, k) => {
    if (h && typeof h.name === 'string' && typeof h.value === 'string') {
      h.value = redactHeaderValue(ctx, { where: 'header', path: `${path}[${k}]` }, h.name, h.value);
    }
  });
}

export function redactCookieList(ctx: Ctx, path: string, list: unknown): void {
  if (!Array.isArray(list)) return;
  list.forEach((c: NameValue, k) => {
    if (c && typeof c.value === 'string') c.value = mask(ctx, { where: 'cookie', path: `${path}[${k}]` }, String(c.name), c.value);
  });
}
