// The DevTools page: registers the "netlens" panel. The panel itself also runs as a plain page.
import { createBatcher } from '../shared/batcher';
import { DEVTOOLS_WIRE_BATCH_MAX, DEVTOOLS_WIRE_PORT, type DevtoolsWireBatch } from '../shared/protocol';
import { holdsWebRequest } from './wire-source';

chrome.devtools.panels.create('netlens', '', 'src/devtools/panel.html');

/** How long finished requests wait for company before they go to the worker, ms. */
const WIRE_BATCH_MS = 50;
/** How long after its port dropped this page connects again, ms. */
const RECONNECT_MS = 100;
/** How long a failed request reported without its response waits to be read again, ms. */
const RECHECK_MS = 500;

/** What the wire view reads of a request DevTools reports (src/shared/har/devtools-wire.ts): its HAR entry without `getContent` or the body. */
type WireEntry = ReturnType<typeof wireEntryOf>;
function wireEntryOf(request: chrome.devtools.network.Request) {
  const { request: req, response: res } = request;
  return {
    startedDateTime: request.startedDateTime,
    time: request.time,
    timings: request.timings,
    serverIPAddress: request.serverIPAddress,
    _resourceType: (request as { _resourceType?: unknown })._resourceType,
    _fromCache: (request as { _fromCache?: unknown })._fromCache,
    _connectionId: (request as { _connectionId?: unknown })._connectionId,
    request: { method: req.method, url: req.url, headers: req.headers },
    response: {
      status: res.status,
      statusText: res.statusText,
      httpVersion: res.httpVersion,
      headers: res.headers,
      redirectURL: res.redirectURL,
      _error: (res as { _error?: unknown })._error,
      _fetchedViaServiceWorker: (res as { _fetchedViaServiceWorker?: unknown })._fetchedViaServiceWorker,
    },
  };
}

/** One request in DevTools' log, across its reports (start, method, URL). */
const keyOf = (e: { startedDateTime: string; request: { method: string; url: string } }) => `${e.startedDateTime} ${e.request.method} ${e.request.url}`;

/**
 * netlens as released holds no `webRequest` permission: it takes its wire view from DevTools' own
 * network log while DevTools is open on the tab (src/shared/har/devtools-wire.ts): each finished request's
 * HAR entry, without its body, goes to the worker. Requests DevTools finished before this page
 * ran are not sent (DevTools opens this page first thing).
 */
function sendWire() {
  const tabId = chrome.devtools.inspectedWindow.tabId;
  let port: chrome.runtime.Port | undefined;
  const post = (entries: WireEntry[]) => {
    const batch: DevtoolsWireBatch = { type: 'har', tabId, entries };
    if (!port) connect();
    try {
      port!.postMessage(batch);
    } catch {
      // The worker went away in between: once more on a new port (this one's disconnect sees it replaced).
      connect();
      port!.postMessage(batch);
    }
  };
  const connect = () => {
    const mine = chrome.runtime.connect({ name: DEVTOOLS_WIRE_PORT });
    port = mine;
    // A stopped worker drops the port: connect again at once, so that the next run knows DevTools
    // is open on the tab (its wire view, a site recorded only while DevTools is open) before the
    // tab's next request, as a panel's port does (src/devtools/connection.ts).
    mine.onDisconnect.addListener(() => {
      if (port !== mine) return;
      port = undefined;
      setTimeout(() => {
        if (!port) connect();
      }, RECONNECT_MS);
    });
    // The tab is watched, and its wire view recorded, from now on: not only from its first request.
    const hello: DevtoolsWireBatch = { type: 'har', tabId, entries: [] };
    port.postMessage(hello);
  };
  connect();
  const finished = createBatcher(post, { delayMs: WIRE_BATCH_MS, maxItems: DEVTOOLS_WIRE_BATCH_MAX });
  /** Failed requests reported without a response, read again from DevTools' log after RECHECK_MS. */
  const late = createBatcher<{ key: string; entry: WireEntry }>(
    (list) =>
      chrome.devtools.network.getHAR((har) => {
        const now = new Map<string, chrome.devtools.network.Request>();
        for (const e of har.entries as chrome.devtools.network.Request[]) now.set(keyOf(e), e);
        finished.add(list.map(({ key, entry }) => (now.has(key) ? wireEntryOf(now.get(key)!) : entry)));
      }),
    { delayMs: RECHECK_MS, maxItems: Infinity },
  );
  chrome.devtools.network.onRequestFinished.addListener((request) => {
    const entry = wireEntryOf(request);
    // A CORS block can be reported before the response's headers reached DevTools (the network
    // service's extra info comes on its own): such an entry is read again a moment later.
    if (entry.response.status === 0 && entry.response._error && !entry.response.headers.length) late.add([{ key: keyOf(request), entry }]);
    else finished.add([entry]);
  });
}

if (!holdsWebRequest()) sendWire();
