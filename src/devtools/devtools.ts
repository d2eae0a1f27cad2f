// The DevTools page: registers the "netlens" panel. The panel itself also runs as a plain page.
import { DEVTOOLS_WIRE_BATCH_MAX, DEVTOOLS_WIRE_PORT, type DevtoolsWireBatch } from '../shared/protocol';
import { holdsWebRequest } from './wire-source';

chrome.devtools.panels.create('netlens', '', 'src/devtools/panel.html');

/** How long finished requests wait for company before they go to the worker, ms. */
const WIRE_BATCH_MS = 50;

/**
 * netlens as released holds no `webRequest` permission: it takes its wire view from DevTools' own
 * network log while DevTools is open on the tab (src/shared/har/devtools-wire.ts): each finished request's
 * HAR entry, without its body, goes to the worker. Requests DevTools finished before this page
 * ran are not sent (DevTools opens this page first thing).
 */
function sendWire() {
  const tabId = chrome.devtools.inspectedWindow.tabId;
  let port: chrome.runtime.Port | undefined;
  let waiting: unknown[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    port = chrome.runtime.connect({ name: DEVTOOLS_WIRE_PORT });
    // A stopped worker drops the port: the next batch wakes the next one.
    port.onDisconnect.addListener(() => (port = undefined));
    // The tab is watched, and its wire view recorded, from now on: not only from its first request.
    const hello: DevtoolsWireBatch = { type: 'har', tabId, entries: [] };
    port.postMessage(hello);
  };
  const flush = () => {
    timer = undefined;
    while (waiting.length) {
      const batch: DevtoolsWireBatch = { type: 'har', tabId, entries: waiting.slice(0, DEVTOOLS_WIRE_BATCH_MAX) };
      waiting = waiting.slice(DEVTOOLS_WIRE_BATCH_MAX);
      if (!port) connect();
      try {
        port!.postMessage(batch);
      } catch {
        // The worker went away in between: once more on a new port.
        connect();
        port!.postMessage(batch);
      }
    }
  };
  connect();
  chrome.devtools.network.onRequestFinished.addListener((request) => {
    // What the wire view reads; `getContent` and the body stay here.
    const { request: req, response: res } = request;
    waiting.push({
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
    });
    timer ??= setTimeout(flush, WIRE_BATCH_MS);
  });
}

if (!holdsWebRequest()) sendWire();
