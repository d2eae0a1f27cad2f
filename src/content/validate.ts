import { toBase64 } from '../shared/bytes';
import type { FormField, Header, PageEvent, PageKind, Payload, StartMeta, StepDetail } from '../shared/protocol';

/**
 * Everything from the page is untrusted: a hostile page can forge anything into its own channel.
 * Each event is rebuilt field by field from a strict per-type schema, with every string, array
 * and payload bounded; anything that does not fit is dropped (the caller counts it). What comes
 * out can be stored, reduced and rendered without further checks.
 */
export const LIMITS = {
  id: 200,
  short: 256,
  url: 16 * 1024,
  headerName: 1024,
  headerValue: 16 * 1024,
  headers: 500,
  stack: 8 * 1024,
  /** Base64 of the largest body cap (32 MiB) plus slack. */
  payloadData: 48 * 1024 * 1024,
  form: 1000,
  names: 256,
  detailKeys: 16,
};

const KINDS: readonly PageKind[] = ['xhr', 'fetch', 'beacon', 'websocket', 'eventsource', 'jsonp', 'script'];
const ENCODINGS = ['text', 'base64', 'buffer', 'none'] as const;
const OUTCOMES = ['ok', 'error', 'abort', 'timeout', 'closed'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const oneOf = <T extends string>(v: unknown, list: readonly T[]): T | undefined => (list as readonly unknown[]).includes(v) ? (v as T) : undefined;

/** Copies the optional fields that pass their check; undefined ones are left out. */
function pick<T extends object>(out: T, fields: Partial<T>): T {
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (out as Obj)[k] = v;
  return out;
}

export function validHeaders(v: unknown): Header[] | undefined {
  if (!Array.isArray(v) || v.length > LIMITS.headers) return undefined;
  const out: Header[] = [];
  for (const h of v) {
    if (!Array.isArray(h) || h.length !== 2) return undefined;
    const name = str(h[0], LIMITS.headerName);
    const value = str(h[1], LIMITS.headerValue);
    if (name === undefined || value === undefined) return undefined;
    out.push([name, value]);
  }
  return out;
}

function validForm(v: unknown): FormField[] | undefined {
  if (!Array.isArray(v) || v.length > LIMITS.form) return undefined;
  const out: FormField[] = [];
  for (const f of v) {
    if (!isObj(f)) return undefined;
    const name = str(f.name, LIMITS.short * 4);
    if (name === undefined) return undefined;
    out.push(pick<FormField>({ name }, { value: str(f.value, LIMITS.headerValue), fileName: str(f.fileName, LIMITS.short * 4), type: str(f.type, LIMITS.short), size: num(f.size) }));
  }
  return out;
}

/** A payload; `buffer` (page side only) is allowed where the relay has not converted it yet. */
export function validPayload(v: unknown): Payload | undefined {
  if (!isObj(v)) return undefined;
  const encoding = oneOf(v.encoding, ENCODINGS);
  const data = str(v.data, LIMITS.payloadData);
  const size = num(v.size);
  const truncated = bool(v.truncated);
  if (!encoding || data === undefined || size === undefined || truncated === undefined) return undefined;
  const out: Payload = { encoding, data, size, truncated };
  if (encoding === 'buffer') {
    if (!(v.buffer instanceof ArrayBuffer)) return undefined;
    out.buffer = v.buffer;
  }
  if (v.form !== undefined) {
    const form = validForm(v.form);
    if (!form) return undefined;
    out.form = form;
  }
  return pick(out, { mimeType: str(v.mimeType, LIMITS.short), source: str(v.source, 64) });
}

function validMeta(v: unknown): StartMeta | undefined {
  if (!isObj(v)) return undefined;
  const protocols = Array.isArray(v.protocols) && v.protocols.length <= 64 && v.protocols.every((p) => str(p, LIMITS.short) !== undefined) ? (v.protocols as string[]) : undefined;
  return pick<StartMeta>(
    {},
    {
      async: bool(v.async),
      user: str(v.user, LIMITS.short),
      hasPassword: bool(v.hasPassword),
      timeout: num(v.timeout),
      withCredentials: bool(v.withCredentials),
      responseType: str(v.responseType, 32),
      credentials: str(v.credentials, 32),
      mode: str(v.mode, 32),
      cache: str(v.cache, 32),
      redirect: str(v.redirect, 32),
      keepalive: bool(v.keepalive),
      streamBody: bool(v.streamBody),
      uploadListener: bool(v.uploadListener),
      protocols,
      binaryType: str(v.binaryType, 32),
      accepted: bool(v.accepted),
      via: str(v.via, 64),
      callback: str(v.callback, LIMITS.short),
      callbackParam: str(v.callbackParam, LIMITS.short),
    },
  );
}

function validDetail(v: unknown): StepDetail | undefined {
  if (!isObj(v)) return undefined;
  const out: StepDetail = {};
  let n = 0;
  for (const [k, value] of Object.entries(v)) {
    if (++n > LIMITS.detailKeys || k.length > 64) return undefined;
    if (value === null || typeof value === 'boolean' || num(value) !== undefined) out[k] = value as never;
    else if (typeof value === 'string' && value.length <= LIMITS.short * 4) out[k] = value;
    else return undefined;
  }
  return out;
}

/** A clean event, or undefined when the raw value does not fit its type's schema. */
export function validatePageEvent(raw: unknown): PageEvent | undefined {
  if (!isObj(raw)) return undefined;
  const id = str(raw.id, LIMITS.id);
  const t = num(raw.t);
  if (id === undefined || t === undefined) return undefined;
  switch (raw.type) {
    case 'start': {
      const kind = oneOf(raw.kind, KINDS);
      const method = str(raw.method, 64);
      const url = str(raw.url, LIMITS.url);
      const headers = validHeaders(raw.headers);
      if (!kind || method === undefined || url === undefined || !headers) return undefined;
      const body = raw.body === undefined ? undefined : validPayload(raw.body);
      if (raw.body !== undefined && !body) return undefined;
      const meta = raw.meta === undefined ? undefined : validMeta(raw.meta);
      return pick<PageEvent>({ type: 'start', id, t, kind, method, url, headers }, { body, meta, stack: str(raw.stack, LIMITS.stack), documentUrl: str(raw.documentUrl, LIMITS.url) } as never);
    }
    case 'step': {
      const step = str(raw.step, 64);
      if (step === undefined) return undefined;
      const detail = raw.detail === undefined ? undefined : validDetail(raw.detail);
      if (raw.detail !== undefined && !detail) return undefined;
      return pick<PageEvent>({ type: 'step', id, t, step }, { detail } as never);
    }
    case 'response': {
      const status = num(raw.status);
      const statusText = str(raw.statusText, LIMITS.short);
      const headers = validHeaders(raw.headers);
      if (status === undefined || statusText === undefined || !headers) return undefined;
      return pick<PageEvent>(
        { type: 'response', id, t, status, statusText, headers },
        { url: str(raw.url, LIMITS.url), redirected: bool(raw.redirected), protocol: str(raw.protocol, LIMITS.short), extensions: str(raw.extensions, LIMITS.short * 4) } as never,
      );
    }
    case 'body': {
      const which = oneOf(raw.which, ['request', 'response'] as const);
      const body = validPayload(raw.body);
      if (!which || !body) return undefined;
      return { type: 'body', id, t, which, body };
    }
    case 'message': {
      const dir = oneOf(raw.dir, ['send', 'receive'] as const);
      const data = validPayload(raw.data);
      if (!dir || !data) return undefined;
      return pick<PageEvent>(
        { type: 'message', id, t, dir, data },
        { eventName: str(raw.eventName, LIMITS.short), eventId: str(raw.eventId, LIMITS.short * 4), origin: str(raw.origin, LIMITS.short * 4), bufferedAmount: num(raw.bufferedAmount), dropped: bool(raw.dropped) } as never,
      );
    }
    case 'end': {
      const outcome = oneOf(raw.outcome, OUTCOMES);
      if (!outcome) return undefined;
      let close: { code: number; reason: string; wasClean: boolean; by: 'page' | 'server' | 'unknown' } | undefined;
      if (raw.close !== undefined) {
        const c = raw.close;
        const code = isObj(c) ? num(c.code) : undefined;
        const reason = isObj(c) ? str(c.reason, 1024) : undefined;
        const wasClean = isObj(c) ? bool(c.wasClean) : undefined;
        const by = isObj(c) ? oneOf(c.by, ['page', 'server', 'unknown'] as const) : undefined;
        if (code === undefined || reason === undefined || wasClean === undefined || !by) return undefined;
        close = { code, reason, wasClean, by };
      }
      return pick<PageEvent>({ type: 'end', id, t, outcome }, { error: str(raw.error, LIMITS.short * 4), close } as never);
    }
    case 'jsonp': {
      const callback = str(raw.callback, LIMITS.short);
      const called = bool(raw.called);
      if (callback === undefined || called === undefined) return undefined;
      const payload = raw.payload === undefined ? undefined : validPayload(raw.payload);
      if (raw.payload !== undefined && !payload) return undefined;
      return pick<PageEvent>({ type: 'jsonp', id, t, callback, called }, { payload, threw: str(raw.threw, LIMITS.short * 4) } as never);
    }
    case 'capture-error': {
      const where = str(raw.where, 128);
      const message = str(raw.message, LIMITS.short * 4);
      if (where === undefined || message === undefined) return undefined;
      return { type: 'capture-error', id, t, where, message };
    }
    case 'listen': {
      if (!Array.isArray(raw.names) || raw.names.length > LIMITS.names) return undefined;
      const names: string[] = [];
      for (const n of raw.names) {
        const name = str(n, LIMITS.short);
        if (name === undefined) return undefined;
        names.push(name);
      }
      return { type: 'listen', id, t, names };
    }
    default:
      return undefined;
  }
}

/** A document id as the page script makes it: 16 hex digits. */
export const validDoc = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{16}$/.test(v);

/** ArrayBuffer payloads become base64 before they leave the page's process (ports carry JSON). */
export function toWirePayload(payload: Payload | undefined): Payload | undefined {
  if (!payload || payload.encoding !== 'buffer') return payload;
  const { buffer, ...rest } = payload;
  if (!(buffer instanceof ArrayBuffer)) return { ...rest, encoding: 'none', data: '' };
  return { ...rest, encoding: 'base64', data: toBase64(new Uint8Array(buffer)) };
}

export function toWireEvent(ev: PageEvent): PageEvent {
  switch (ev.type) {
    case 'start':
      return ev.body ? { ...ev, body: toWirePayload(ev.body) } : ev;
    case 'body':
      return { ...ev, body: toWirePayload(ev.body)! };
    case 'message':
      return { ...ev, data: toWirePayload(ev.data)! };
    case 'jsonp':
      return ev.payload ? { ...ev, payload: toWirePayload(ev.payload) } : ev;
    default:
      return ev;
  }
}

/** Bytes a wire event will take in a message, roughly (payload data dominates). */
export function eventBytes(ev: PageEvent): number {
  switch (ev.type) {
    case 'start':
      return 512 + (ev.body?.data.length ?? 0) + ev.url.length;
    case 'body':
      return 256 + ev.body.data.length;
    case 'message':
      return 256 + ev.data.data.length;
    case 'jsonp':
      return 256 + (ev.payload?.data.length ?? 0);
    default:
      return 256;
  }
}
