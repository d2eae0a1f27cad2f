import * as v from 'valibot';
import { PAGE_KINDS, type Header, type Payload, type StartMeta, type StepDetail } from './page-events';
import type { WireEvent } from './protocol';
import type { DeepFacts, DeepWorker } from './deep/events';

/**
 * One timeline of entries. An entry is an exchange (xhr, fetch, beacon, jsonp, script, preflight,
 * a request seen only on the wire) or a channel (websocket, eventsource, a streamed body) with an
 * ordered list of messages.
 */
export const EntryKindSchema = v.picklist([...PAGE_KINDS, 'preflight', 'other']);
export type EntryKind = v.InferOutput<typeof EntryKindSchema>;

export const EntryStateSchema = v.picklist(['pending', 'open', 'done', 'error', 'aborted', 'timeout', 'closed']);
export type EntryState = v.InferOutput<typeof EntryStateSchema>;
/** The exchange is over: neither waiting for its answer (`pending`) nor an open channel (`open`); nothing more comes for it. */
export const exchangeOver = (e: { state: EntryState }): boolean => e.state !== 'pending' && e.state !== 'open';

export interface LifecycleStep {
  t: number;
  step: string;
  detail?: StepDetail;
}

export interface Message {
  t: number;
  dir: 'send' | 'receive';
  data: Payload;
  eventName?: string;
  eventId?: string;
  origin?: string;
  bufferedAmount?: number;
  dropped?: boolean;
  /**
   * Deep capture: an EventSource event the browser received whose name the page did not listen
   * to (so no listener of the page ever saw it); the names it listens to are `eventSource.listened`.
   */
  unlistened?: boolean;
}

/** What webRequest saw for this exchange: the wire events' facts, joined. */
export interface WireView extends Pick<WireEvent, 'requestId' | 'requestHeaders' | 'responseHeaders' | 'statusCode' | 'statusLine' | 'fromCache' | 'ip' | 'error'> {
  redirects: { url: string; status?: number; location?: string; headers?: Header[] }[];
  resourceType: string;
  sendTime?: number;
  headersTime?: number;
  endTime?: number;
}

export interface Entry {
  /** Unique in the tab: `${doc}:${pageId}` or `wire:${requestId}`. */
  id: string;
  tabId: number;
  frameId: number;
  frameUrl?: string;
  /** The document's origin when its URL does not say it (TabRecord.frameOrigin); see documentOriginOf. */
  frameOrigin?: string;
  doc?: string;
  kind: EntryKind;
  method: string;
  url: string;
  startTime: number;
  endTime?: number;
  state: EntryState;
  error?: string;
  request: { headers: Header[]; body?: Payload; meta?: StartMeta };
  response?: {
    status: number;
    statusText: string;
    headers: Header[];
    url?: string;
    redirected?: boolean;
    body?: Payload;
  };
  lifecycle: LifecycleStep[];
  /** Channels and streamed bodies. */
  messages: Message[];
  /** Messages dropped because the per-entry cap was reached. */
  droppedMessages: number;
  initiator?: string;
  wire?: WireView;
  websocket?: {
    protocol?: string;
    extensions?: string;
    close?: { code: number; reason: string; wasClean: boolean; by: 'page' | 'server' | 'unknown' };
  };
  eventSource?: { listened: string[] };
  /**
   * JSONP: `payload` is what the callback received as JSON text (its argument, or the list of
   * them when `args` > 1); `called: false` when the script ended (or failed) without calling it.
   */
  jsonp?: { callback: string; called: boolean; args?: number; payload?: Payload; threw?: string };
  /** Deep capture: the worker that made this request (absent: the tab's documents). */
  worker?: DeepWorker;
  /** Deep capture's facts about this exchange (see src/shared/deep). */
  deep?: DeepFacts;
  /** For a preflight: the entry it was sent for; for a request: its preflight. */
  preflightFor?: string;
  preflightId?: string;
}

export const MAX_MESSAGES_PER_ENTRY = 10_000;
export const MAX_LIFECYCLE_STEPS = 2_000;
/**
 * The panel keeps up to a million messages per channel: they are the records' own objects (no
 * copy, nothing derived until a row is drawn), and its lists draw only the visible rows.
 */
export const PANEL_MAX_MESSAGES_PER_ENTRY = 1_000_000;
