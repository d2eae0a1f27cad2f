import { documentOriginOf, originOf } from '../url';
import type { Entry, WireView } from '../model';
import { MAX_MESSAGES_PER_ENTRY } from '../model';
import type { WireEvent, PageEvent, TabRecord } from '../protocol';
import { PAGE_DROPPED_WHERE } from '../protocol';
import { headerValue } from '../headers';
import { applyPageEvent, pageEntry, pageEntryId, updateWire, wireEntry, wireKind, wireMethod } from './entry-records';
import { createEventSourceFolding } from './event-source';
import { createPreflightPairing } from './preflights';
import { createOrderedList } from './start-order';
import { createWireJoin, joinKey, WIRE_TYPES_SHOWN_ALONE } from './wire-join';
import { createDeepMerge } from './deep';

export { createOrderedList, type OrderedList } from './start-order';
export { isWireOnly } from './entry-records';

/**
 * Builds entries from stored records, in any order page and wire records happen to arrive. No
 * browser API: the panel and the CLI (and the tests) feed it the records the background stored;
 * the background itself only stores records and builds no entries. Not a pure reducer: it owns
 * its entries and updates them in place.
 *
 * Page records and wire records of one exchange are joined by tab, method and URL (wire-join.ts);
 * CORS preflights are paired with their request (preflights.ts); EventSource reconnections fold
 * into one channel (event-source.ts). Entries are mutated in place as records arrive; the ids
 * touched since the last `takeChanges()` are reported so views recompute only those.
 */
export interface Timeline {
  apply(record: TabRecord): void;
  /**
   * Entries in start order (ties: in arrival order). Kept sorted incrementally; the array is a
   * snapshot, rebuilt only after entries were added or removed.
   */
  entries(): Entry[];
  get(id: string): Entry | undefined;
  /**
   * The order of `entries()`: start time, then arrival. Stable for an entry while it lives, and
   * after it is dropped (views find the removed entry by it).
   */
  compare(a: Entry, b: Entry): number;
  /** The ids changed (added or updated) and removed since the last call; resets them. */
  takeChanges(): TimelineChanges;
  /** Bumped on every change, so views can tell when to recompute. */
  readonly version: number;
  readonly captureErrors: number;
  /** Page events the page script reported it could not hand over (its queue was full…). */
  readonly pageEventsDropped: number;
}

export interface TimelineChanges {
  /** Added or updated entries (ids still present). */
  changed: Set<string>;
  /** Entries gone (a wire-only entry absorbed by its page entry). */
  removed: Set<string>;
}

export interface TimelineOptions {
  /** Messages kept per channel entry; later ones are counted in `droppedMessages`. Default 10,000. */
  maxMessagesPerEntry?: number;
}

export function createTimeline(options: TimelineOptions = {}): Timeline {
  const maxMessages = options.maxMessagesPerEntry ?? MAX_MESSAGES_PER_ENTRY;
  const byId = new Map<string, Entry>();
  // A Map, not a WeakMap: entries leave it when dropped, and ephemerons slow every GC.
  const arrival = new Map<Entry, number>();
  let arrivals = 0;
  /** Arrivals of dropped entries, for views that remove them later (few live: a WeakMap). */
  const droppedArrival = new WeakMap<Entry, number>();
  const arrivalOf = (e: Entry) => arrival.get(e) ?? droppedArrival.get(e) ?? 0;
  const compare = (a: Entry, b: Entry) => a.startTime - b.startTime || arrivalOf(a) - arrivalOf(b);
  const order = createOrderedList<Entry>(compare);
  let snapshot: Entry[] | undefined;
  let changed = new Set<string>();
  let removed = new Set<string>();
  let version = 0;
  let captureErrors = 0;
  let pageEventsDropped = 0;

  const lookup = (id: string) => byId.get(id);
  const touch = (entry: Entry) => changed.add(entry.id);
  const join = createWireJoin(lookup);
  const preflights = createPreflightPairing(lookup, (pre, target) => {
    touch(pre);
    touch(target);
  });
  const eventSources = createEventSourceFolding(lookup);
  // A worker's entry joins webRequest's view of it as a page entry does.
  const deep = createDeepMerge({ lookup, add: (entry) => (add(entry), joinWire(entry, joinKey(entry.tabId, wireMethod(entry), entry.url))), touch, maxMessages });

  function add(entry: Entry) {
    byId.set(entry.id, entry);
    arrival.set(entry, arrivals++);
    order.insert(entry);
    snapshot = undefined;
    removed.delete(entry.id);
    touch(entry);
  }

  function drop(id: string) {
    const entry = byId.get(id);
    if (!entry) return;
    byId.delete(id);
    order.remove(entry);
    droppedArrival.set(entry, arrivalOf(entry));
    arrival.delete(entry);
    snapshot = undefined;
    changed.delete(id);
    removed.add(id);
  }

  function applyPage(rec: TabRecord, ev: PageEvent) {
    if (ev.type === 'capture-error') {
      captureErrors++;
      if (ev.where === PAGE_DROPPED_WHERE) pageEventsDropped += ev.count ?? droppedCount(ev.message);
      return;
    }
    const id = pageEntryId(rec, ev.id);
    if (ev.type !== 'start') {
      const entry = byId.get(id);
      if (!entry) return;
      applyPageEvent(entry, ev, maxMessages);
      if (ev.type === 'listen') deep.listened(entry);
      touch(entry);
      return;
    }
    if (byId.has(id)) return; // A repeated id (forged or replayed): the first one stands.
    const entry = pageEntry(rec, ev);
    add(entry);
    const key = joinKey(rec.tabId, wireMethod(entry), entry.url);
    if (entry.kind === 'eventsource') eventSources.started(key, entry);
    deep.pageStarted(key, entry);
    joinWire(entry, key);
    // Only a cross-origin request can have a preflight, and one already sent on the wire (the
    // wire-only entry it absorbed) has had its own, or none: a preflight goes before its request.
    // One the wire saw only fail (held back by its preflight) may hear of that preflight later
    // (DevTools' log: src/shared/har/devtools-wire.ts).
    const sent = entry.wire !== undefined && entry.wire.sendTime !== undefined;
    if (!sent && !entry.preflightId && originOf(entry.url) !== documentOriginOf(entry)) preflights.requestStarted(entry, wireMethod(entry));
  }

  /** A new entry takes webRequest's view of it: a wire-only entry shown meanwhile, a held view, or waits for it. */
  function joinWire(entry: Entry, key: string) {
    const wireId = join.takeWireEntry(key, entry);
    if (wireId) absorbWire(entry, wireId);
    else {
      const view = join.takeHeldView(key, entry);
      if (view) {
        entry.wire = view;
        join.bind(view.requestId, entry.id);
      } else join.waitForWire(key, entry.id);
    }
  }

  /** The page entry takes over a wire-only entry that was shown while it waited. */
  function absorbWire(page: Entry, wireEntryId: string) {
    const wireOnly = byId.get(wireEntryId);
    if (!wireOnly?.wire) return;
    page.wire = wireOnly.wire;
    join.bind(wireOnly.wire.requestId, page.id);
    const pre = wireOnly.preflightId ? byId.get(wireOnly.preflightId) : undefined;
    if (pre) preflights.pair(pre, page);
    drop(wireEntryId);
  }

  function applyWire(rec: TabRecord, ev: WireEvent) {
    const existingId = join.entryOf(ev.requestId);
    if (existingId) {
      const entry = byId.get(existingId);
      if (entry?.wire) {
        updateWire(entry, entry.wire, ev);
        touch(entry);
      }
      return;
    }
    if (join.updateHeld(ev)) return;
    if (ev.phase !== 'send' && ev.phase !== 'headers' && ev.phase !== 'error') return;
    const wire: WireView = { requestId: ev.requestId, resourceType: ev.resourceType, redirects: [] };
    const acrm = headerValue(ev.requestHeaders, 'access-control-request-method');
    if (ev.method === 'OPTIONS' && acrm) {
      preflights.preflightSeen(addWireEntry(rec, ev, wire, 'preflight'), acrm);
      return;
    }
    const key = joinKey(rec.tabId, ev.method.toUpperCase(), ev.url);
    const pageId = join.takePage(key, ev);
    const page = pageId ? byId.get(pageId) : undefined;
    if (page) {
      page.wire = wire;
      join.bind(ev.requestId, page.id);
      updateWire(page, wire, ev);
      touch(page);
      return;
    }
    const source = eventSources.reconnection(key, ev);
    if (source) {
      join.bind(ev.requestId, source.id);
      touch(source);
      return;
    }
    if (WIRE_TYPES_SHOWN_ALONE.has(ev.resourceType)) {
      const entry = addWireEntry(rec, ev, wire, wireKind(ev.resourceType));
      join.waitForPage(key, entry.id);
      // A wire-only request that a preflight was sent for: pair them now.
      preflights.wireRequestSeen(entry);
    } else {
      join.hold(key, ev, wire);
    }
  }

  function addWireEntry(rec: TabRecord, ev: WireEvent, wire: WireView, kind: Entry['kind']): Entry {
    const entry = wireEntry(rec, ev, wire, kind);
    add(entry);
    join.bind(ev.requestId, entry.id);
    updateWire(entry, wire, ev);
    return entry;
  }

  return {
    apply(record) {
      version++;
      try {
        if (record.ev.type === 'wire') applyWire(record, record.ev);
        else if (record.ev.type === 'deep') deep.apply(record, record.ev);
        else applyPage(record, record.ev);
      } catch {
        // A record the validators let through but that does not fit: counted, never fatal, and
        // no half-built entry is left behind.
        captureErrors++;
        if (record.ev.type === 'start') drop(pageEntryId(record, record.ev.id));
      }
    },
    entries: () => (snapshot ??= order.items.slice()),
    get: lookup,
    compare,
    takeChanges() {
      const out = { changed, removed };
      changed = new Set();
      removed = new Set();
      return out;
    },
    get version() {
      return version;
    },
    get captureErrors() {
      return captureErrors;
    },
    get pageEventsDropped() {
      return pageEventsDropped;
    },
  };
}

/** Records from before `count`: "<n> page events dropped: …" → n. */
function droppedCount(message: string): number {
  const m = /^(\d+) /.exec(message);
  return m ? Number(m[1]) : 0;
}
