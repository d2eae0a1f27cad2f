/**
 * The ISOLATED-world relay: takes the private port from the page script and bridges it to the
 * background. Keeps every batch until the background acknowledges it, and re-sends after the
 * service worker was stopped and the port dropped.
 */
import browser from 'webextension-polyfill';
import type { BackgroundToRelay, Handshake, PageBatch, RelayBatch } from '../shared/protocol';
import { HANDSHAKE_EVENT, HANDSHAKE_KEY, PAGE_BATCH_EVENT, PROTOCOL_VERSION, RELAY_PORT, type PageConfigMessage, type PagePace } from '../shared/protocol';
import { validDoc } from '../shared/page-events';
import { createPageOrder } from '../shared/page-batch-order';
import { BLOB_CUT_BYTES, PART_BYTES, approxEventBytes, blobSize, splitEvent } from '../shared/payload-parts';
import { SETTINGS_KEY, readSettings } from '../shared/settings';

const MAX_UNACKED = 2_000;
/**
 * The page script already coalesces its events (src/content/page/channel.ts: one port message per
 * 25 ms at most while the page is busy), so each page batch goes on to the worker as it comes: a
 * timer here would be one more task on the page's thread per batch. Big batches are split.
 */
const COALESCE_MAX_EVENTS = 2_000;
/**
 * A message of 64 KiB or more costs the sender (this, the page's thread) 30 to 100 times more
 * than one just under it (src/shared/payload-parts.ts): batches stay under, and a payload bigger
 * than a part goes in parts.
 */
const COALESCE_MAX_BYTES = PART_BYTES + 8 * 1024;

let accepted = false;

// The page script's offer of its port (src/shared/protocol.ts HANDSHAKE_EVENT): a type no page
// knows, so only the page script can send it and no page listener sees it. The first one is
// taken; the event is cancelled so the page script knows.
addEventListener(
  HANDSHAKE_EVENT,
  (event) => {
    // A plain Event of this type is our own ask (below): for the page script, not for us.
    if (!(event instanceof MessageEvent)) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    const data = event.data as Partial<Handshake> | null;
    const port = event.ports[0];
    if (accepted || !port || !data || typeof data !== 'object' || data[HANDSHAKE_KEY] !== true || !validDoc(data.doc)) return;
    accepted = true;
    bridge(port, data.doc, event.source instanceof MessagePort ? event.source : undefined);
  },
  true,
);
// A page script that ran before this relay offers its port again when asked.
dispatchEvent(new Event(HANDSHAKE_EVENT));

function bridge(pagePort: MessagePort, doc: string, pageEnd: MessagePort | undefined) {
  let seq = 0;
  let partKey = 0;
  const nextPartKey = () => ++partKey;
  const unacked = new Map<number, RelayBatch>();
  let port: browser.Runtime.Port | undefined;

  const connect = () => {
    try {
      port = browser.runtime.connect({ name: RELAY_PORT });
    } catch {
      port = undefined; // The extension was reloaded: this page's context is orphaned.
      return;
    }
    port.onMessage.addListener((msg: unknown) => {
      const m = msg as BackgroundToRelay;
      if (m?.type === 'ack' && Array.isArray(m.seqs)) for (const seq of m.seqs) unacked.delete(seq);
      else if (m?.type === 'pace' && typeof m.watched === 'boolean') pagePort.postMessage({ type: 'pace', watched: m.watched } satisfies PagePace);
    });
    const mine = port;
    port.onDisconnect.addListener(() => {
      if (port !== mine) return;
      port = undefined;
      // The worker was stopped (or restarted): reconnect and re-send what was not acknowledged.
      setTimeout(() => {
        connect();
        for (const batch of unacked.values()) send(batch);
      }, 50);
    });
  };

  const send = (batch: RelayBatch) => {
    try {
      port?.postMessage(batch);
    } catch (error) {
      // The worker stopped and its port is gone, and onDisconnect has not run yet: the batch
      // stays unacknowledged and goes again once connected. Split up, it would go to the same
      // dead port, whose next throw would leave this catch with the batch already given up.
      if (/disconnected/i.test(String((error as Error | undefined)?.message))) return;
      // Too big for one message (or not serializable): the port is fine. Send the events one by
      // one; an event that still does not go is replaced by a capture error, never lost silently.
      unacked.delete(batch.seq);
      for (const ev of batch.events) {
        const single: RelayBatch = { ...batch, seq: ++seq, events: [ev] };
        try {
          port?.postMessage(single);
        } catch {
          const type = String((ev as { type?: unknown } | null)?.type).slice(0, 32);
          single.events = [{ type: 'capture-error', id: 'capture', t: performance.timeOrigin + performance.now(), where: 'relay', message: `event too large to send (${type})` }];
          port?.postMessage(single);
        }
        unacked.set(single.seq, single);
      }
    }
  };

  let pending: unknown[] = [];
  /** Events in unacknowledged batches given up to stay bounded; reported in the next batch. */
  let unackedLost = 0;
  let pendingBytes = 0;
  /** Bytes of the Blobs handed over in `pending` (a batch is cut before they pass BLOB_CUT_BYTES). */
  let pendingBlobBytes = 0;
  const flush = () => {
    if (!pending.length) return;
    if (unackedLost) {
      // Said once the worker takes batches again: how much never reached it.
      pending.push({ type: 'capture-error', id: 'capture', t: performance.timeOrigin + performance.now(), where: 'relay:unacked', message: `${unackedLost} events dropped: the service worker did not acknowledge ${MAX_UNACKED} batches in a row` });
      unackedLost = 0;
    }
    const batch: RelayBatch = { type: 'batch', v: PROTOCOL_VERSION, doc, seq: ++seq, frameUrl: location.href, events: pending };
    pending = [];
    pendingBytes = 0;
    pendingBlobBytes = 0;
    if (unacked.size >= MAX_UNACKED) {
      const oldest = unacked.keys().next().value as number;
      unackedLost += unacked.get(oldest)!.events.length;
      unacked.delete(oldest);
    }
    unacked.set(batch.seq, batch);
    send(batch);
  };

  connect();
  // A document put in the back/forward cache loses its port (without always hearing of it): once
  // restored it takes a new one and re-sends what was not acknowledged (the worker drops repeats).
  addEventListener(
    'pageshow',
    (event) => {
      if (!event.persisted) return;
      try {
        port?.disconnect();
      } catch {
        // Already gone.
      }
      port = undefined;
      connect();
      for (const batch of unacked.values()) send(batch);
    },
    true,
  );
  // The user's settings, down to the page script (requests before they arrive use the default).
  void browser.storage.local
    .get(SETTINGS_KEY)
    .then((got) => {
      const config: PageConfigMessage = { type: 'config', bodyCap: readSettings(got[SETTINGS_KEY]).bodyCap };
      pagePort.postMessage(config);
    })
    .catch(() => {});
  addEventListener('pagehide', flush, true);
  addEventListener('visibilitychange', flush, true);
  const isBatch = (data: unknown): data is PageBatch => !!data && typeof data === 'object' && (data as PageBatch).v === PROTOCOL_VERSION && Array.isArray((data as PageBatch).events);
  // Either way a batch comes (the port, or PAGE_BATCH_EVENT), it is taken in the page's order.
  const receive = createPageOrder<PageBatch>((data) => take(data));
  pagePort.onmessage = (event) => {
    if (isBatch(event.data)) receive(event.data.n, event.data);
  };
  // Batches handed over at once, in the page's task (see PAGE_BATCH_EVENT): cancelled once taken,
  // so the page script does not send them over the port too.
  pageEnd?.addEventListener(PAGE_BATCH_EVENT, (event) => {
    let data: unknown;
    try {
      // A clone of the page world's batch, made here: one that cannot be cloned goes over the port (and fails there, counted).
      data = (event as CustomEvent).detail;
    } catch {
      return;
    }
    if (!isBatch(data)) return;
    event.preventDefault();
    receive(data.n, data);
  });
  const take = (data: PageBatch) => {
    // Validated in the background (src/shared/page-events.ts), once: here only weighed, and a
    // big payload cut in parts.
    for (const raw of data.events) {
      for (const ev of splitEvent(raw, nextPartKey)) {
        const bytes = approxEventBytes(ev);
        const blob = blobSize(ev);
        if (pending.length && (pendingBytes + bytes > COALESCE_MAX_BYTES || pendingBlobBytes + blob > BLOB_CUT_BYTES || pending.length >= COALESCE_MAX_EVENTS)) flush();
        pending.push(ev);
        pendingBytes += bytes;
        pendingBlobBytes += blob;
      }
    }
    flush();
  };
}
