import { base64Length, base64ToBytes, utf8Length } from '../bytes';
import type { Header, Payload } from '../page-events';
import type { ChromiumCors, DeepEvent, DeepWorker } from './events';

/**
 * Maps Chrome DevTools Protocol Network events (one tab's session and its workers' sessions, as
 * chrome.debugger.onEvent hands them over) into deep records (./events.ts). Pure: it sends
 * nothing itself but returns the commands the glue should send (with what to make of their
 * answers), so recorded CDP sequences can be replayed in Node.
 *
 * What it keeps per request: CDP's type, URL and session (bounded to MAX_REQUESTS, oldest first).
 * Timestamps: CDP's `timestamp` is a monotonic clock in seconds; `requestWillBeSent` and
 * `webSocketWillSendHandshakeRequest` also carry `wallTime` (epoch seconds), which sets the offset
 * that moves later timestamps onto the wall clock (until one was seen, the glue's `now()`).
 *
 * Untrusted: parameters are read defensively; what does not fit is skipped, never thrown.
 */
export interface CdpMapper {
  /**
   * One CDP event from `session` (`undefined` = the tab itself). Returns the records it makes and
   * the commands to send in reply (to the same session).
   */
  event(method: string, params: unknown, session?: CdpSession): MapResult;
}

/** A worker's flattened session (Target.attachedToTarget) and the worker it belongs to. */
export interface CdpSession {
  sessionId: string;
  worker: DeepWorker;
}

export interface MapResult {
  records: DeepEvent[];
  commands: CdpCommand[];
}

/** A command for the glue to send; `then` turns its result into records (a failed command makes none). */
export interface CdpCommand {
  method: string;
  params: Record<string, unknown>;
  then(result: unknown): DeepEvent[];
}

export interface CdpMapperOptions {
  /** Bytes of a body or frame kept; the rest is cut and marked truncated (its true size kept). */
  bodyCap: number;
  /** Epoch ms, for timestamps before any wall time was seen. */
  now?: () => number;
}

interface RequestInfo {
  id: string;
  cdpType: string;
  url: string;
  worker?: DeepWorker;
  eventStream?: boolean;
  decoder?: TextDecoder;
  /** streamResourceContent was answered: dataReceived carries the bytes from then on. */
  streamed?: boolean;
  /** It was not, and the stream ended: the whole body was asked for instead. */
  whole?: boolean;
  /**
   * Bytes (base64) of dataReceived events handled before streamResourceContent's answer: they
   * follow its bufferedData, and are decoded after it, in order (the answer may be handled after
   * events Chromium sent after it). At most MAX_HELD.
   */
  held?: { data: string; t: number }[];
}

const MAX_HELD = 1_000;

/** CDP resource types whose requests the tab's own session records (the page sees their bodies itself). */
const TAB_TYPES = new Set(['Fetch', 'XHR', 'EventSource', 'Preflight', 'Ping']);
/** A worker's requests worth an entry: what its JavaScript did (not its own script loads). */
const WORKER_TYPES = new Set(['Fetch', 'XHR', 'EventSource', 'Preflight', 'Ping']);
const MAX_REQUESTS = 5_000;

export function createCdpMapper(options: CdpMapperOptions): CdpMapper {
  const now = options.now ?? (() => Date.now());
  const cap = Math.max(0, options.bodyCap);
  /** Wall clock minus monotonic clock, in ms, once known. */
  let offset: number | undefined;
  const requests = new Map<string, RequestInfo>();

  /** The latest time mapped: for what CDP sends without a timestamp (webSocketCreated, command results). */
  let latest: number | undefined;
  const time = (timestamp: unknown): number => {
    const t = typeof timestamp === 'number' && Number.isFinite(timestamp) && offset !== undefined ? timestamp * 1000 + offset : (latest ?? now());
    latest = Math.max(latest ?? t, t);
    return t;
  };
  const learn = (timestamp: unknown, wallTime: unknown) => {
    if (typeof timestamp === 'number' && typeof wallTime === 'number' && Number.isFinite(timestamp) && Number.isFinite(wallTime)) {
      offset = wallTime * 1000 - timestamp * 1000;
    }
  };
  const scoped = (session: CdpSession | undefined, requestId: string) => `${session?.sessionId ?? 'tab'}:${requestId}`;
  const remember = (info: RequestInfo) => {
    requests.delete(info.id);
    requests.set(info.id, info);
    if (requests.size > MAX_REQUESTS) requests.delete(requests.keys().next().value as string);
  };
  const base = (id: string, t: number, worker: DeepWorker | undefined) => (worker ? { type: 'deep' as const, requestId: id, t, worker } : { type: 'deep' as const, requestId: id, t });

  return {
    event(method, raw, session) {
      const out: MapResult = { records: [], commands: [] };
      const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      const cdpId = str(p.requestId);
      if (!cdpId) return out;
      const id = scoped(session, cdpId);
      const worker = session?.worker;
      const known = requests.get(id);
      switch (method) {
        case 'Network.requestWillBeSent': {
          learn(p.timestamp, p.wallTime);
          const req = obj(p.request);
          const cdpType = str(p.type) ?? 'Other';
          const initiator = obj(p.initiator);
          const preflightFor = initiator.type === 'preflight' && str(initiator.requestId) ? scoped(session, str(initiator.requestId)!) : undefined;
          const url = str(req.url) ?? '';
          const types = worker ? WORKER_TYPES : TAB_TYPES;
          // A redirect re-sends under the same id: the entry follows its latest URL.
          if (!types.has(cdpType) && !preflightFor && !known) return out;
          remember({ id, cdpType, url, worker });
          // The tab's own request headers the page and webRequest have already: left out.
          const rec: DeepEvent = { ...base(id, time(p.timestamp), worker), phase: 'request', method: str(req.method) ?? 'GET', url, cdpType, headers: worker ? headerList(req.headers) : [] };
          if (preflightFor) rec.preflightFor = preflightFor;
          if (worker && typeof req.postData === 'string') rec.body = textPayload(req.postData, cap);
          out.records.push(rec);
          return out;
        }
        case 'Network.responseReceived': {
          if (!known) return out;
          const res = obj(p.response);
          const mimeType = str(res.mimeType) ?? '';
          const t = time(p.timestamp);
          // The tab's own: the status only (the page and webRequest have the rest); it tells that
          // Chromium let the response through, for a fetch whose body is never read (no loadingFinished).
          const headers = worker ? headerList(res.headers) : [];
          out.records.push({ ...base(id, t, worker), phase: 'response', status: num(res.status) ?? 0, statusText: str(res.statusText) ?? '', headers, mimeType });
          if (mimeType.toLowerCase() === 'text/event-stream') {
            known.eventStream = true;
            known.decoder = new TextDecoder('utf-8');
            // Buffered so far, then every Network.dataReceived carries its bytes (`data`).
            out.commands.push({
              method: 'Network.streamResourceContent',
              params: { requestId: cdpId },
              then: (result) => {
                if (known.whole) return [];
                known.streamed = true;
                const out = rawText(known, str(obj(result).bufferedData), id, t, worker);
                for (const h of known.held ?? []) out.push(...rawText(known, h.data, id, h.t, worker));
                known.held = undefined;
                return out;
              },
            });
          }
          return out;
        }
        case 'Network.dataReceived': {
          if (!known?.eventStream) return out;
          const data = str(p.data);
          if (!known.streamed) {
            // Streamed bytes whose bufferedData (the bytes before them) is still to come.
            if (data && !known.whole && (known.held ??= []).length < MAX_HELD) known.held.push({ data, t: time(p.timestamp) });
            return out;
          }
          out.records.push(...rawText(known, data, id, time(p.timestamp), worker));
          return out;
        }
        case 'Network.eventSourceMessageReceived': {
          out.records.push({ ...base(id, time(p.timestamp), worker), phase: 'sse', eventName: str(p.eventName) ?? 'message', eventId: str(p.eventId) ?? '', data: cut(str(p.data) ?? '', cap) });
          return out;
        }
        case 'Network.loadingFinished': {
          if (!known) return out;
          const t = time(p.timestamp);
          if (known.decoder) {
            const rest = known.decoder.decode();
            if (rest) out.records.push({ ...base(id, t, worker), phase: 'raw', text: rest });
          }
          if (known.eventStream && !known.streamed) {
            // The stream ended before streamResourceContent was answered: its text whole, once.
            known.whole = true;
            known.held = undefined;
            out.commands.push({
              method: 'Network.getResponseBody',
              params: { requestId: cdpId },
              then: (result) => {
                const r = obj(result);
                const body = str(r.body);
                if (body === undefined || known.streamed) return [];
                const text = r.base64Encoded === true ? decodeBase64Text(body) : body;
                return text ? [{ ...base(id, t, worker), phase: 'raw', text: cut(text, cap) }] : [];
              },
            });
          }
          if (worker && known.cdpType !== 'EventSource' && !known.eventStream) {
            out.commands.push({
              method: 'Network.getResponseBody',
              params: { requestId: cdpId },
              then: (result) => {
                const r = obj(result);
                const body = str(r.body);
                if (body === undefined) return [];
                return [{ ...base(id, t, worker), phase: 'body', body: r.base64Encoded === true ? base64Payload(body, cap) : textPayload(body, cap) }];
              },
            });
          }
          out.records.push({ ...base(id, t, worker), phase: 'end' });
          return out;
        }
        case 'Network.loadingFailed': {
          if (!known) return out;
          const rec: DeepEvent = { ...base(id, time(p.timestamp), worker), phase: 'end', error: str(p.errorText) ?? 'failed' };
          if (p.canceled === true) rec.canceled = true;
          const cors = corsOf(p.corsErrorStatus);
          if (cors) rec.cors = cors;
          out.records.push(rec);
          return out;
        }
        case 'Network.webSocketCreated': {
          remember({ id, cdpType: 'WebSocket', url: str(p.url) ?? '', worker });
          out.records.push({ ...base(id, time(undefined), worker), phase: 'ws-created', url: str(p.url) ?? '' });
          return out;
        }
        case 'Network.webSocketWillSendHandshakeRequest': {
          learn(p.timestamp, p.wallTime);
          if (!known) return out;
          out.records.push({ ...base(id, time(p.timestamp), worker), phase: 'ws-handshake', headers: headerList(obj(p.request).headers) });
          return out;
        }
        case 'Network.webSocketHandshakeResponseReceived': {
          if (!known) return out;
          const res = obj(p.response);
          out.records.push({ ...base(id, time(p.timestamp), worker), phase: 'ws-response', status: num(res.status) ?? 0, statusText: str(res.statusText) ?? '', headers: headerList(res.headers) });
          return out;
        }
        case 'Network.webSocketFrameSent':
        case 'Network.webSocketFrameReceived': {
          // The tab's own frames the page patch already records with the page's view of them.
          if (!known || !worker) return out;
          const frame = obj(p.response);
          const data = str(frame.payloadData) ?? '';
          out.records.push({
            ...base(id, time(p.timestamp), worker),
            phase: 'ws-frame',
            dir: method === 'Network.webSocketFrameSent' ? 'send' : 'receive',
            data: num(frame.opcode) === 2 ? base64Payload(data, cap) : textPayload(data, cap),
          });
          return out;
        }
        case 'Network.webSocketFrameError': {
          if (!known) return out;
          out.records.push({ ...base(id, time(p.timestamp), worker), phase: 'ws-error', error: str(p.errorMessage) ?? '' });
          return out;
        }
        case 'Network.webSocketClosed': {
          if (!known) return out;
          out.records.push({ ...base(id, time(p.timestamp), worker), phase: 'ws-closed' });
          return out;
        }
        default:
          return out;
      }
    },
  };

  function rawText(info: RequestInfo, base64: string | undefined, id: string, t: number, worker: DeepWorker | undefined): DeepEvent[] {
    if (!base64 || !info.decoder) return [];
    const bytes = base64ToBytes(base64);
    if (!bytes) return [];
    const text = info.decoder.decode(bytes, { stream: true });
    return text ? [{ ...base(id, t, worker), phase: 'raw', text: cut(text, cap) }] : [];
  }
}

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const obj = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {});

/** CDP Headers (an object; values joined with "\n" when repeated) as our list, one line per value. */
export function headerList(raw: unknown): Header[] {
  const out: Header[] = [];
  for (const [name, value] of Object.entries(obj(raw))) {
    if (typeof value !== 'string') continue;
    for (const v of value.split('\n')) out.push([name, v]);
    if (out.length >= 500) break;
  }
  return out;
}

function corsOf(raw: unknown): ChromiumCors | undefined {
  const c = obj(raw);
  const corsError = str(c.corsError);
  return corsError ? { corsError, failedParameter: str(c.failedParameter) ?? '' } : undefined;
}

function cut(text: string, cap: number): string {
  return text.length > cap ? text.slice(0, cap) : text;
}

function decodeBase64Text(data: string): string | undefined {
  const bytes = base64ToBytes(data);
  return bytes ? new TextDecoder('utf-8').decode(bytes) : undefined;
}

function textPayload(text: string, cap: number): Payload {
  const size = utf8Length(text);
  return { encoding: 'text', data: cut(text, cap), size, truncated: text.length > cap };
}

function base64Payload(data: string, cap: number): Payload {
  const size = base64Length(data);
  const keep = Math.ceil(cap / 3) * 4;
  return { encoding: 'base64', data: data.length > keep ? data.slice(0, keep) : data, size, truncated: data.length > keep };
}
