/**
 * The MAIN-world page script: runs at document_start in every frame, before any page script
 * (built as a standalone IIFE). It only records facts; decoding happens elsewhere.
 */
import { installBeacon } from './beacon';
import { limits } from './body';
import { createChannel } from './channel';
import { installEventSource } from './event-source';
import { installFetch } from './fetch';
import { released } from './natives';
import { installFrameShields, installToStringShield, joinRealms, reportPatchFailures, settleAdoption } from './patch';
import { installScript } from './script';
import { installWebSocket } from './websocket';
import { installXhr } from './xhr';
import { MAX_BODY_CAP } from '../../shared/settings';

// No marker on the global: the page could find it. Chromium injects once per document.
function start() {
  const sink = createChannel((config) => {
    if (config.bodyCap !== undefined && config.bodyCap >= 0 && config.bodyCap <= MAX_BODY_CAP) limits.bodyCap = config.bodyCap;
  });
  reportPatchFailures(sink.fail);
  try {
    joinRealms();
  } catch (error) {
    sink.fail('install:joinRealms', error);
  }
  installToStringShield();
  // An index loop: for...of would use Array.prototype[Symbol.iterator] (the page's, in a frame
  // whose parent patched it).
  const installs = [installXhr, installFetch, installBeacon, installWebSocket, installEventSource, installScript, installFrameShields];
  for (let i = 0; i < installs.length; i++) {
    const install = installs[i];
    try {
      install(sink);
    } catch (error) {
      sink.fail(`install:${install.name}`, error);
    }
  }
  // A relative reached this window before we ran and put placeholders here (patch.ts adoptWindow):
  // they go back, now handing their calls to the patches just made.
  settleAdoption(released);
}

start();
