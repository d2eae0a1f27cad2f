/**
 * The MAIN-world page script: runs at document_start in every frame, before any page script
 * (built as a standalone IIFE). It only records facts; decoding happens elsewhere.
 */
import { installBeacon } from './beacon';
import { createChannel } from './channel';
import { installEventSource } from './event-source';
import { installFetch } from './fetch';
import { installToStringShield } from './patch';
import { installScript } from './script';
import { installWebSocket } from './websocket';
import { installXhr } from './xhr';

// No marker on the global: the page could find it. Chromium injects once per document.
function start() {
  const sink = createChannel();
  installToStringShield();
  for (const install of [installXhr, installFetch, installBeacon, installWebSocket, installEventSource, installScript]) {
    try {
      install(sink);
    } catch (error) {
      sink.fail(`install:${install.name}`, error);
    }
  }
}

start();
