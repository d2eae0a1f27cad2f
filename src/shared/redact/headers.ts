import type { At, Ctx } from './context';
import { mask } from './context';
import { scrubUrl } from './body';
import { scrubText } from './text';

interface NameValue {
  name: string;
  value: string;
}

/**
 * One cookie, `name=value` or a bare `value` (a cookie with an empty name, as Chromium sends and
 * servers may set it): the value masked, without the spaces around it (as the HAR cookie lists
 * have it).
 */
function maskCookie(ctx: Ctx, at: At, header: string, piece: string): string {
  const eq = piece.indexOf('=');
  const name = eq < 0 ? '' : piece.slice(0, eq);
  const rest = eq < 0 ? piece : piece.slice(eq + 1);
  const [, lead, value, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(rest)!;
  const label = name.trim() ? `${header}: ${name.trim()}` : header;
  return `${eq < 0 ? '' : `${name}=`}${lead}${mask(ctx, at, label, value)}${trail}`;
}

/** Headers whose value is a URL: scanned as one (its query and fragment pairs masked whole). */
const URL_HEADERS = /^(?:location|content-location|referer)$/i;

/** `Authorization: Bearer x` keeps its scheme; cookies keep their names and attributes. */
export function redactHeaderValue(ctx: Ctx, at: At, name: string, value: string): string {
  const lower = name.toLowerCase();
  if (!ctx.m.header(name)) return URL_HEADERS.test(name) ? scrubUrl(ctx, at, value) : scrubText(ctx, at, value);
  if (lower === 'cookie' || lower === 'cookie2') {
    return value
      .split(';')
      .map((piece) => maskCookie(ctx, at, name, piece))
      .join(';');
  }
  if (lower === 'set-cookie' || lower === 'set-cookie2') {
    // One cookie per line; its attributes (after the first `;`) stay.
    return value
      .split('\n')
      .map((line) => {
        const semi = line.indexOf(';');
        return semi < 0 ? maskCookie(ctx, at, name, line) : maskCookie(ctx, at, name, line.slice(0, semi)) + line.slice(semi);
      })
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
