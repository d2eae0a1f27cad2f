import type { Entry } from '../model';
import type { WireEvent } from '../protocol';
import { headerValue } from '../headers';
import { pushStep } from './entry-records';

/**
 * EventSource reconnection folding: an EventSource reconnects to the same URL by itself, and
 * each reconnection is a new request on the wire. They belong to one channel: the later request
 * becomes a `wire:reconnect` step (with the Last-Event-ID it sent) on the first entry.
 */
export interface EventSourceFolding {
  started(key: string, entry: Entry): void;
  /**
   * A wire request no page entry claimed: if it re-opens a known EventSource, folds it in and
   * returns that entry (which the request id should now be bound to).
   */
  reconnection(key: string, ev: WireEvent): Entry | undefined;
}

/** Remembers the latest EventSource per join key (at most 5,000 keys); `lookup` finds an entry by id. */
export function createEventSourceFolding(lookup: (id: string) => Entry | undefined): EventSourceFolding {
  const sources = new Map<string, string>();
  return {
    started(key, entry) {
      sources.set(key, entry.id);
      if (sources.size > MAX_SOURCES) sources.delete(sources.keys().next().value as string);
    },
    reconnection(key, ev) {
      const id = sources.get(key);
      const source = id ? lookup(id) : undefined;
      if (!source?.wire || ev.phase !== 'send') return undefined;
      pushStep(source, { t: ev.t, step: 'wire:reconnect', detail: { lastEventId: headerValue(ev.requestHeaders, 'last-event-id') ?? null } });
      source.wire.requestHeaders = ev.requestHeaders;
      return source;
    },
  };
}

const MAX_SOURCES = 5_000;
