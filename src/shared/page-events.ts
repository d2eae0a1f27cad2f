/**
 * What the page script records, declared once: the schema is the type (inferred below), the
 * validator of untrusted input (the background checks every page event against it) and the
 * reader of netlens HARs (import rebuilds start meta and lifecycle details through it).
 *
 * Everything from the page is untrusted: a hostile page can forge anything into its own channel.
 * Every string, array and payload is bounded here. Structured parts (bodies, payloads, close,
 * step details) must fit whole or the event is rejected; a wrong optional scalar (a stack that
 * is not a string) is dropped and the rest kept. Unknown keys are left out of the output.
 *
 * Library: valibot (1.x) — a few kB in the bundle as used (tree-shaken per function), no eval or
 * `new Function`, so it runs in an MV3 service worker and an extension page under the default
 * CSP; types are inferred from the schema so validator and type cannot drift apart.
 */
import * as v from 'valibot';
import { toBase64, utf8Length } from './bytes';
import { payloadField } from './event-payloads';
import { parseHeaderLines } from './headers';

export const LIMITS = {
  id: 200,
  short: 256,
  /**
   * Chromium's longest URL (url::kMaxURLChars, 2 MiB): a page's request is never dropped for the
   * length of its URL (a fetch of a data: URL of an image, a long query string).
   */
  url: 2 * 1024 * 1024,
  headerName: 1024,
  /** A header value as long as Chromium takes in a whole response head (256 KiB). */
  headerValue: 256 * 1024,
  headers: 500,
  stack: 8 * 1024,
  /** Base64 of the largest body cap (32 MiB) plus slack. */
  payloadData: 48 * 1024 * 1024,
  /** A transferred body's bytes: the largest body cap. */
  payloadBuffer: 32 * 1024 * 1024,
  form: 1000,
  protocols: 64,
  names: 256,
  detailKeys: 16,
  detailKey: 64,
} as const;

// ---- building blocks ----

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const finite = v.pipe(v.number(), v.finite());
/** An optional scalar that, when present but wrong, is dropped rather than failing the event. */
const lenient = <S extends v.GenericSchema>(schema: S) => v.optional(v.fallback(v.optional(schema), undefined));

export const PAGE_KINDS = ['xhr', 'fetch', 'beacon', 'websocket', 'eventsource', 'jsonp', 'script'] as const;
export const PageKindSchema = v.picklist(PAGE_KINDS);
export type PageKind = v.InferOutput<typeof PageKindSchema>;

/** Header list in the order seen; names keep their case. */
export const HeaderSchema = v.tuple([text(LIMITS.headerName), text(LIMITS.headerValue)]);
export type Header = [name: string, value: string];
export const HeadersSchema = v.pipe(v.array(HeaderSchema), v.maxLength(LIMITS.headers));

export const FormFieldSchema = v.object({
  name: text(LIMITS.short * 4),
  value: lenient(text(LIMITS.headerValue)),
  fileName: lenient(text(LIMITS.short * 4)),
  type: lenient(text(LIMITS.short)),
  size: lenient(finite),
});
export type FormField = v.InferOutput<typeof FormFieldSchema>;

const PAYLOAD_ENCODINGS = ['text', 'base64', 'buffer', 'blob', 'none'] as const;
export const RESERIALIZED = ['json', 'document', 'text'] as const;

/**
 * A captured body or message payload, bounded by a cap. The page script may hand over an
 * ArrayBuffer (`encoding: 'buffer'`, transferred over the private port); it reaches the worker as
 * it is (extension messages are structured clones: manifest `message_serialization`), and
 * `expandPageEvent` turns it into base64 there, off the page's thread, so no event it returns
 * holds a `buffer` payload. A Blob's bytes the page script does not even read: it hands over the
 * Blob (`encoding: 'blob'`), and the worker reads it into a `buffer` payload before validating
 * the event (payload-parts readBlobPayload), so a `blob` payload is never valid here.
 */
export const PayloadSchema = v.pipe(
  v.object({
    encoding: v.picklist(PAYLOAD_ENCODINGS),
    /** Text, or base64 when encoding is base64. */
    data: text(LIMITS.payloadData),
    buffer: v.optional(v.pipe(v.instance(ArrayBuffer), v.check((b) => b.byteLength <= LIMITS.payloadBuffer, 'a buffer within the largest body cap'))),
    /** Transport only, from the page script to the worker (see above). */
    blob: v.optional(v.custom<Blob>(() => false, 'a Blob is read before the event is validated')),
    /** True size in bytes (UTF-8 for text), -1 when unknown. */
    size: finite,
    truncated: v.boolean(),
    mimeType: lenient(text(LIMITS.short)),
    /** What the page passed: string, json, urlsearchparams, formdata, blob, arraybuffer, view, document, stream. */
    source: lenient(text(64)),
    /** FormData / URLSearchParams entries; files as name/type/size only. */
    form: v.optional(v.pipe(v.array(FormFieldSchema), v.maxLength(LIMITS.form))),
    /**
     * `data` is not the bytes the server sent but the page's view of them written again, because
     * the page's API never exposes those bytes: `json` (JSON.stringify of XHR's parsed `json`
     * response), `document` (XMLSerializer of XHR's parsed `document`), `text` (XHR's decoded text,
     * as UTF-8, of a body whose charset cannot be re-encoded exactly). `size` stays the true size:
     * the bytes the XHR received (its progress `loaded`), -1 when unknown.
     */
    reserialized: lenient(v.picklist(RESERIALIZED)),
  }),
  v.check((p) => (p.encoding === 'buffer') === (p.buffer !== undefined), 'a buffer payload carries an ArrayBuffer, others none'),
  v.check((p) => p.encoding !== 'blob', 'a Blob is read before the event is validated'),
);
export type Payload = v.InferOutput<typeof PayloadSchema>;

/** Facts about how the request was made, beyond method/url/headers. */
export const StartMetaSchema = v.object({
  async: lenient(v.boolean()),
  user: lenient(text(LIMITS.short)),
  /** Never the password itself. */
  hasPassword: lenient(v.boolean()),
  timeout: lenient(finite),
  withCredentials: lenient(v.boolean()),
  responseType: lenient(text(32)),
  credentials: lenient(text(32)),
  mode: lenient(text(32)),
  cache: lenient(text(32)),
  redirect: lenient(text(32)),
  keepalive: lenient(v.boolean()),
  /** fetch: a ReadableStream body. */
  streamBody: lenient(v.boolean()),
  /** xhr: an upload listener was registered before send(). */
  uploadListener: lenient(v.boolean()),
  protocols: lenient(v.pipe(v.array(text(LIMITS.short)), v.maxLength(LIMITS.protocols))),
  binaryType: lenient(text(32)),
  accepted: lenient(v.boolean()),
  /** Script insertion path (appendChild, insertBefore, document.write, …). */
  via: lenient(text(64)),
  /** JSONP callback recognised at insertion. */
  callback: lenient(text(LIMITS.short)),
  callbackParam: lenient(text(LIMITS.short)),
});
export type StartMeta = v.InferOutput<typeof StartMetaSchema>;

export const StepDetailValueSchema = v.union([v.null(), v.boolean(), finite, text(LIMITS.short * 4)]);
/** A lifecycle step's facts: at most 16 keys of scalars (readyState, loaded, total, status…). */
export const StepDetailSchema = v.pipe(
  v.record(v.pipe(v.string(), v.maxLength(LIMITS.detailKey)), StepDetailValueSchema),
  v.check((d) => Object.keys(d).length <= LIMITS.detailKeys, `at most ${LIMITS.detailKeys} keys`),
);
export interface StepDetail {
  readyState?: number;
  loaded?: number;
  total?: number;
  lengthComputable?: boolean;
  status?: number;
  [key: string]: string | number | boolean | null | undefined;
}

export const CloseSchema = v.object({
  code: finite,
  reason: text(1024),
  wasClean: v.boolean(),
  by: v.picklist(['page', 'server', 'unknown']),
});
export type Close = v.InferOutput<typeof CloseSchema>;

export const END_OUTCOMES = ['ok', 'error', 'abort', 'timeout', 'closed'] as const;

// ---- the events ----

/** Entry id, unique within the document; epoch milliseconds with sub-ms precision. */
const base = { id: text(LIMITS.id), t: finite };

export const PageEventSchema = v.variant('type', [
  v.object({
    ...base,
    type: v.literal('start'),
    kind: PageKindSchema,
    method: text(64),
    url: text(LIMITS.url),
    headers: HeadersSchema,
    body: v.optional(PayloadSchema),
    meta: v.optional(StartMetaSchema),
    /** Who started it: a JS stack. */
    stack: lenient(text(LIMITS.stack)),
    documentUrl: lenient(text(LIMITS.url)),
  }),
  v.object({ ...base, type: v.literal('step'), step: text(64), detail: v.optional(StepDetailSchema) }),
  v.object({
    ...base,
    type: v.literal('response'),
    status: finite,
    statusText: text(LIMITS.short),
    headers: HeadersSchema,
    url: lenient(text(LIMITS.url)),
    redirected: lenient(v.boolean()),
    protocol: lenient(text(LIMITS.short)),
    extensions: lenient(text(LIMITS.short * 4)),
  }),
  v.object({ ...base, type: v.literal('body'), which: v.picklist(['request', 'response']), body: PayloadSchema }),
  v.object({
    ...base,
    type: v.literal('message'),
    dir: v.picklist(['send', 'receive']),
    data: PayloadSchema,
    /** SSE: event type; WebSocket: absent. */
    eventName: lenient(text(LIMITS.short)),
    eventId: lenient(text(LIMITS.short * 4)),
    origin: lenient(text(LIMITS.short * 4)),
    bufferedAmount: lenient(finite),
    /** A send on a socket that was not OPEN. */
    dropped: lenient(v.boolean()),
  }),
  v.object({
    ...base,
    type: v.literal('end'),
    outcome: v.picklist(END_OUTCOMES),
    error: lenient(text(LIMITS.short * 4)),
    close: v.optional(CloseSchema),
  }),
  v.object({
    ...base,
    type: v.literal('jsonp'),
    callback: text(LIMITS.short),
    called: v.boolean(),
    /** How many arguments the callback received; `payload` is the list of them when more than one. */
    args: lenient(v.pipe(finite, v.integer(), v.minValue(0))),
    /** What the callback received, as JSON text (the first argument, or the argument list). */
    payload: v.optional(PayloadSchema),
    threw: lenient(text(LIMITS.short * 4)),
  }),
  v.object({
    ...base,
    type: v.literal('capture-error'),
    where: text(128),
    message: text(LIMITS.short * 4),
    /** `where: 'page:dropped'` (PAGE_DROPPED_WHERE): how many page events were dropped. */
    count: lenient(v.pipe(finite, v.integer(), v.minValue(0))),
  }),
  /** EventSource event names the page listens to (so unlistened ones can be pointed out). */
  v.object({ ...base, type: v.literal('listen'), names: v.pipe(v.array(text(LIMITS.short)), v.maxLength(LIMITS.names)) }),
]);

type Inferred = v.InferOutput<typeof PageEventSchema>;
/** The step detail's index signature is kept readable instead of valibot's record type. */
export type PageEvent = Inferred extends infer E ? (E extends { type: 'step' } ? Omit<E, 'detail'> & { detail?: StepDetail } : E) : never;
export type PageEventType = PageEvent['type'];
export const PAGE_EVENT_TYPES: readonly PageEventType[] = PageEventSchema.options.map((o) => o.entries.type.literal);

/**
 * Each event type's schema, by its `type`. The variant's own parse looks for the option by trying
 * every option's discriminator in turn (a Set made per option, per event): in the worker's profile
 * of 600 fetches (`bench/profile.ts fetches` with BENCH_PROFILE) that search was most of the
 * validation's samples; in Node, warm, a start, response, body or end event takes 2.1 µs instead
 * of 3.2 (7.6 cold).
 */
const SCHEMA_OF_TYPE = new Map<unknown, (typeof PageEventSchema.options)[number]>(PageEventSchema.options.map((o) => [o.entries.type.literal, o]));

/** A clean event, or undefined when the raw value does not fit its type's schema. Never throws. */
export function validatePageEvent(raw: unknown): PageEvent | undefined {
  const schema = typeof raw === 'object' && raw !== null ? SCHEMA_OF_TYPE.get((raw as { type?: unknown }).type) : undefined;
  if (!schema) return undefined;
  const result = v.safeParse(schema, raw);
  return result.success ? (result.output as PageEvent) : undefined;
}

/** The page closes a run past this many messages. */
export const MESSAGE_RUN_MAX = 1_000;
/**
 * A run's list: an array of at most MESSAGE_RUN_MAX items, each one `item` says fits (a hole
 * does not), checked in one pass, the array itself the output. Not v.array of an item schema: a
 * feed's runs are most of what the worker checks, and that parse made objects for every item of
 * every list (a dataset each) and a copy of each list, a tenth of the worker's time and garbage.
 */
// (No side effects: the page script's bundle, which takes other things from this module, leaves
// the schema out.)
const runList = /* @__NO_SIDE_EFFECTS__ */ <T>(item: (x: unknown) => x is T, what: string) =>
  v.custom<T[]>((x) => {
    if (!Array.isArray(x) || x.length > MESSAGE_RUN_MAX) return false;
    for (let i = 0; i < x.length; i++) if (!item(x[i])) return false;
    return true;
  }, `a list of at most ${MESSAGE_RUN_MAX} ${what}`);
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const textOf = /* @__NO_SIDE_EFFECTS__ */ (max: number) => (x: unknown): x is string => typeof x === 'string' && x.length <= max;

/**
 * Text messages of one WebSocket (in one direction, or both with `dirs`), or of one EventSource under one event type,
 * in a row, as the page script hands them over: one object of parallel lists (message i is
 * `t[i]`, `data[i]`, `bufferedAmount[i]` for sends, `eventId[i]` for SSE) instead of an event of
 * two objects each; their UTF-8 sizes are counted here, off
 * the page's thread. Cloning and
 * serializing on the page's thread (page → relay → worker) costs per object, and a chat or
 * market feed is mostly such messages. Transport only: never stored nor shown — `expandPageEvent`
 * turns it into the `message` events it stands for. Untruncated text only (`source: "text"`).
 */
export const MessageRunSchema = v.pipe(
  v.object({
    type: v.literal('messages'),
    id: text(LIMITS.id),
    dir: v.picklist(['send', 'receive']),
    origin: lenient(text(LIMITS.short * 4)),
    /** SSE: the event type every message of the run has. */
    eventName: lenient(text(LIMITS.short)),
    t: runList(isFiniteNumber, 'finite numbers'),
    data: runList(textOf(LIMITS.payloadData), 'texts'),
    bufferedAmount: v.optional(runList(isFiniteNumber, 'finite numbers')),
    /** SSE: each message's last event ID. */
    eventId: v.optional(runList(textOf(LIMITS.short * 4), 'texts')),
    /**
     * A WebSocket's sends and receives in one run: message i is a send when `dirs[i]` is "s", a
     * receive when "r" (`dir` is then the first one's). `origin` is then the receives' only, and
     * `bufferedAmount[i]` counts for sends only.
     */
    dirs: v.optional(v.pipe(v.string(), v.regex(/^[sr]*$/), v.maxLength(MESSAGE_RUN_MAX))),
  }),
  v.check(
    (r) =>
      r.t.length > 0 &&
      r.data.length === r.t.length &&
      (!r.bufferedAmount || r.bufferedAmount.length === r.t.length) &&
      (!r.eventId || r.eventId.length === r.t.length) &&
      (r.dirs === undefined || r.dirs.length === r.t.length),
    'parallel lists of one length',
  ),
);
export type MessageRun = v.InferOutput<typeof MessageRunSchema>;

/** The page closes a run of steps past this many. */
export const STEP_RUN_MAX = 1_000;

/**
 * Lifecycle steps of one entry in a row, as the page script hands them over: one object of
 * parallel lists (step i is `t[i]`, `step[i]`, `detail[i]`, null for a step without detail)
 * instead of an event each. An XHR makes seven or more steps (readystatechange 1 to 4, loadstart,
 * progress, load, loadend), most in a row; each object the page script queues is cloned to the
 * relay and serialized again on the page's thread. Transport only, like MessageRun:
 * `expandPageEvent` turns it into the `step` events it stands for, each as validatePageEvent
 * makes it of that event (the same fields, no `detail` when null).
 */
export const StepRunSchema = v.pipe(
  v.object({
    type: v.literal('steps'),
    id: text(LIMITS.id),
    t: v.pipe(v.array(finite), v.maxLength(STEP_RUN_MAX)),
    step: v.pipe(v.array(text(64)), v.maxLength(STEP_RUN_MAX)),
    detail: v.pipe(v.array(v.nullable(StepDetailSchema)), v.maxLength(STEP_RUN_MAX)),
  }),
  v.check((r) => r.t.length > 0 && r.step.length === r.t.length && r.detail.length === r.t.length, 'parallel lists of one length'),
);
/** The detail list keeps StepDetail's readable index signature (see PageEvent). */
export type StepRun = Omit<v.InferOutput<typeof StepRunSchema>, 'detail'> & { detail: (StepDetail | null)[] };

/** At most this many characters of raw response headers are parsed (a valid list is far shorter). */
export const RAW_HEADERS_MAX = 16 * 1024 * 1024;

/**
 * An XHR's `response` event with its headers as getAllResponseHeaders() gave them ("name: value"
 * lines joined by CRLF), parsed here (parseHeaderLines) instead of on the page's thread, and
 * carried as one string instead of a list of pairs. Transport only: `expandPageEvent` turns it
 * into the `response` event it stands for, checked by PageEventSchema like any other.
 */
export const RawResponseSchema = v.object({
  type: v.literal('response:raw'),
  rawHeaders: text(RAW_HEADERS_MAX),
});
export interface RawResponse {
  type: 'response:raw';
  id: string;
  t: number;
  status: number;
  statusText: string;
  rawHeaders: string;
  url?: string;
  redirected?: boolean;
}

/**
 * What the page sent, checked (see PageEventSchema, MessageRunSchema, StepRunSchema,
 * RawResponseSchema): the event, or the `message` or `step` events a run stands for, in order;
 * undefined when it is malformed or forged (a run is rejected whole).
 */
export function expandPageEvent(raw: unknown): PageEvent[] | undefined {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (type === 'steps') return expandSteps(raw);
  if (type === 'response:raw') {
    const checked = v.safeParse(RawResponseSchema, raw);
    if (!checked.success) return undefined;
    // Every other field as the response event's schema takes it (unknown keys left out there).
    // A list of more lines than the schema takes headers (and a blank line each) is rejected
    // before it is split into pairs: a hostile page's megabytes of line breaks stay a string.
    const headers = parseHeaderLines(checked.output.rawHeaders, 2 * LIMITS.headers + 2);
    if (!headers) return undefined;
    const ev = validatePageEvent({ ...(raw as object), type: 'response', headers });
    return ev && [ev];
  }
  if (type !== 'messages') {
    const ev = validatePageEvent(raw);
    return ev && [bytesAsBase64(ev)];
  }
  const r = checkMessageRun(raw);
  if (!r) return undefined;
  const out: PageEvent[] = [];
  for (let i = 0; i < r.t.length; i++) {
    const dir = r.dirs === undefined ? r.dir : r.dirs[i] === 's' ? 'send' : 'receive';
    const ev: PageEvent = { type: 'message', id: r.id, t: r.t[i], dir, data: { encoding: 'text', data: r.data[i], size: utf8Length(r.data[i]), truncated: false, source: 'text' } };
    if (r.eventName !== undefined) ev.eventName = r.eventName;
    if (r.eventId) ev.eventId = r.eventId[i];
    if (r.origin !== undefined && (r.dirs === undefined || dir === 'receive')) ev.origin = r.origin;
    if (r.bufferedAmount && (r.dirs === undefined || dir === 'send')) ev.bufferedAmount = r.bufferedAmount[i];
    out.push(ev);
  }
  return out;
}

/** Whether a page item says it is a MessageRun (checkMessageRun tells whether it is one). */
export const isMessageRunItem = (raw: unknown): boolean => typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'messages';

/**
 * A MessageRun checked against MessageRunSchema (its output: unknown keys left out), or undefined
 * when it does not fit. The worker lays a checked run out as rows directly (src/shared/stored-runs.ts
 * messageRunRows) instead of expanding it into an event per message.
 */
export function checkMessageRun(raw: unknown): MessageRun | undefined {
  const result = v.safeParse(MessageRunSchema, raw);
  return result.success ? result.output : undefined;
}

/**
 * The event with its `buffer` payload (bytes the page script transferred) as base64, which is
 * how records hold bytes; any other event as it is (the same object). Runs in the worker.
 */
function bytesAsBase64(ev: PageEvent): PageEvent {
  const field = payloadField(ev.type);
  const payload = field && (ev as unknown as Record<string, Payload | undefined>)[field];
  if (!payload || payload.encoding !== 'buffer' || !payload.buffer) return ev;
  const { buffer, ...rest } = payload;
  return { ...ev, [field]: { ...rest, encoding: 'base64', data: toBase64(new Uint8Array(buffer)) } } as PageEvent;
}

function expandSteps(raw: unknown): PageEvent[] | undefined {
  const result = v.safeParse(StepRunSchema, raw);
  if (!result.success) return undefined;
  const r = result.output;
  const out: PageEvent[] = [];
  for (let i = 0; i < r.t.length; i++) {
    // Keys in the order validatePageEvent gives them (its schema's).
    const ev: PageEvent = { id: r.id, t: r.t[i], type: 'step', step: r.step[i] };
    const detail = r.detail[i];
    if (detail !== null) ev.detail = detail;
    out.push(ev);
  }
  return out;
}

/** A document id as the page script makes it: 16 hex digits. */
export const DocIdSchema = v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/));
export const validDoc = (value: unknown): value is string => v.is(DocIdSchema, value);

/**
 * Lenient read of an object schema for imported traces: keeps each field that fits its own
 * schema and leaves out the others (a HAR written by an older or foreign tool loses a field,
 * never the entry). Undefined when `value` is not an object or nothing fits.
 */
export function pickValid<E extends v.ObjectEntries>(schema: v.ObjectSchema<E, undefined>, value: unknown): Partial<v.InferOutput<v.ObjectSchema<E, undefined>>> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, field] of Object.entries(schema.entries)) {
    const result = v.safeParse(field, (value as Record<string, unknown>)[key]);
    if (result.success && result.output !== undefined) {
      out[key] = result.output;
      any = true;
    }
  }
  return any ? (out as Partial<v.InferOutput<v.ObjectSchema<E, undefined>>>) : undefined;
}

