/**
 * Records the CDP Network events Chromium sends for test/fixtures/pages/deep.html (an EventSource
 * with an unlistened `Join` event, an event stream over fetch, a dedicated worker's fetch and
 * WebSocket) into test/fixtures/cdp/deep-page.json, for the deep-capture mapper's unit tests:
 *   node --import ./scripts/node20-polyfill.mjs --import tsx scripts/record-cdp.mts
 * Each item is [session, method, params]: session `tab` or `worker` (a dedicated worker's).
 * Data bodies recorded only where the mapper asks (streamResourceContent, getResponseBody).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import { startServers } from '../src/cli/server';
import { launchPlain } from '../test/helpers/plain';

const METHODS = [
  'requestWillBeSent', 'responseReceived', 'dataReceived', 'loadingFinished', 'loadingFailed', 'eventSourceMessageReceived',
  'webSocketCreated', 'webSocketWillSendHandshakeRequest', 'webSocketHandshakeResponseReceived', 'webSocketFrameSent',
  'webSocketFrameReceived', 'webSocketFrameError', 'webSocketClosed',
].map((m) => `Network.${m}`);

const servers = await startServers([resolve('test/fixtures/pages')]);
const plain = await launchPlain();
const log: [string, string, unknown][] = [];
try {
  const page = await plain.browser.newPage();
  const watch = (session: CDPSession, label: string) => {
    for (const m of METHODS) {
      session.on(m as never, (params: unknown) => {
        log.push([label, m, params]);
        const p = params as { requestId: string; response?: { mimeType?: string } };
        if (m === 'Network.responseReceived' && p.response?.mimeType === 'text/event-stream') {
          void session.send('Network.streamResourceContent' as never, { requestId: p.requestId } as never).then((r) => log.push([label, 'result:Network.streamResourceContent', { requestId: p.requestId, result: r }]));
        }
      });
    }
  };
  page.on('workercreated', (w) => {
    const client = (w as unknown as { client: CDPSession }).client;
    watch(client, 'worker');
    void client.send('Network.enable');
  });
  const cdp = await page.createCDPSession();
  watch(cdp, 'tab');
  await cdp.send('Network.enable');
  await page.goto(`${servers.a}/deep.html?sse&sse-fetch&worker`);
  await page.waitForFunction('window.done === true', { polling: 100, timeout: 30_000 });
  // Normalise what differs between runs: the port.
  const text = JSON.stringify(log, null, 1).replaceAll(servers.a.replace('http://', ''), '127.0.0.1:8000');
  writeFileSync('test/fixtures/cdp/deep-page.json', `${text}\n`);
  console.log(`${log.length} events recorded`);
} finally {
  await plain.close();
  await servers.close();
}
