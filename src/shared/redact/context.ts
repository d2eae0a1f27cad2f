import { isMarker, marker, sample, urlMarker, type RedactionFinding, type RedactionWhere } from './marker';
import type { Matcher } from './rules';

/** Where we are while redacting, and what was found so far. */
export interface Ctx {
  m: Matcher;
  findings: RedactionFinding[];
  entryId?: string;
  /**
   * Binary bytes whose framing counts them (protobuf, MessagePack, CBOR…): a marker takes exactly
   * the value's length, padded with `*` (`[redacted:32-64]****…`), or is only `*`s when longer
   * than the value, so the rest still decodes.
   */
  sameLength?: boolean;
  /**
   * The text is a script or a stylesheet: its `?`, `&`, `;` and `=` are code (`a?i.withCredentials=!0:…`),
   * so `name=value` pairs are looked for only inside the URLs it holds (see scrubText).
   */
  code?: boolean;
  /** Collects every value masked (see knownSecrets in apply.ts). */
  secrets?: Set<string>;
  /** Values masked elsewhere in the HAR, found again in any text (see knownSecrets in apply.ts). */
  known?: RegExp;
}

/** A marker padded or cut to a length (see Ctx.sameLength). */
function fitted(m: string, length: number): string {
  return m.length <= length ? m + '*'.repeat(length - m.length) : '*'.repeat(length);
}

/**
 * Values that are no secret even under a credential's name: fetch's credentials modes
 * (`credentials: "include"`), OAuth's token types (`token_type: "Bearer"`), booleans and nulls.
 */
const PLAIN = /^(?:omit|same-origin|include|bearer|basic|mac|dpop|none|true|false|null|undefined)$/i;

const FITTED = /^(?:\[redacted:\d+-\d+\])?\*+$/;

export interface At {
  where: RedactionWhere;
  path: string;
}

function record(ctx: Ctx, at: At, name: string, value: string): void {
  const f: RedactionFinding = { where: at.where, name, path: at.path, sample: sample(value) };
  if (ctx.entryId !== undefined) f.entryId = ctx.entryId;
  ctx.findings.push(f);
}

/** The marker for a secret value (recorded as a finding); markers, blank and PLAIN values stay as they are. */
export function mask(ctx: Ctx, at: At, name: string, value: string): string {
  if (!value.trim() || isMarker(value) || PLAIN.test(value) || (ctx.sameLength && FITTED.test(value))) return value;
  record(ctx, at, name, value);
  ctx.secrets?.add(value);
  return ctx.sameLength ? fitted(marker(value), value.length) : marker(value);
}

/** `scheme credentials` (RFC 9110 §11.4, as Authorization carries them): the scheme and the space after it. */
const AUTH_SCHEME = /^([A-Za-z][\w-]*)(\s+)(\S[\s\S]*)$/;

/**
 * An Authorization value, in a header or written in a body: its credentials masked, its scheme
 * kept (`Bearer [redacted:32-64]`); a value with no scheme masked whole.
 */
export function maskAfterScheme(ctx: Ctx, at: At, name: string, value: string): string {
  const scheme = AUTH_SCHEME.exec(value);
  return scheme ? `${scheme[1]}${scheme[2]}${mask(ctx, at, name, scheme[3])}` : mask(ctx, at, name, value);
}

/** Same for a percent-encoded value inside a URL or a form body. */
export function maskEncoded(ctx: Ctx, at: At, name: string, raw: string, decoded: string): string {
  if (!decoded.trim() || isMarker(decoded) || PLAIN.test(decoded) || (ctx.sameLength && FITTED.test(raw))) return raw;
  record(ctx, at, name, decoded);
  ctx.secrets?.add(decoded);
  return ctx.sameLength ? fitted(marker(decoded), raw.length) : urlMarker(decoded);
}
