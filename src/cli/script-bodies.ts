import type { HTTPResponse, Page } from 'puppeteer-core';
import { toBase64, utf8Text } from '../shared/bytes';
import { headerValue } from '../shared/headers';
import type { Entry } from '../shared/model';
import type { Payload } from '../shared/protocol';
import { DEFAULT_BODY_CAP } from '../shared/settings';
import { normUrl } from '../shared/url';

/**
 * The source of JSONP and dynamic scripts, for `netlens capture`. The page cannot read the text
 * of a classic script loaded by `src`, and the extension could get it only by requesting it again
 * (a second request the server sees). The CLI drives Chromium over the DevTools protocol, where
 * the body Chromium already received can be read (Network.getResponseBody, through puppeteer's
 * `HTTPResponse.buffer()`): no request is made, nothing changes for the page. The panel's export
 * has no such route and leaves `content` empty for scripts.
 */
export interface ScriptBodies {
  /**
   * Gives each `jsonp` / `script` entry without a response body the body of the script response
   * of the same URL (fragment ignored), matched in start order; bounded by `cap` bytes (`size` is
   * the whole length, `truncated` when cut). Text when the kept bytes are UTF-8, else base64.
   * Returns how many entries got one. Bodies Chromium no longer holds are skipped.
   */
  attach(entries: Entry[]): Promise<number>;
}

/** Starts listening to `page`'s script responses; call before the page loads. */
export function watchScriptBodies(page: Page, cap = DEFAULT_BODY_CAP): ScriptBodies {
  const seen: { url: string; response: HTTPResponse; body: Promise<Uint8Array | undefined> }[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    // Read at once: Chromium keeps a response's body only for a while.
    const body = response.buffer().then(
      (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
      () => undefined,
    );
    seen.push({ url: normUrl(response.url()), response, body });
  });
  return {
    async attach(entries) {
      const used = new Set<number>();
      let n = 0;
      for (const entry of entries) {
        if ((entry.kind !== 'jsonp' && entry.kind !== 'script') || entry.response?.body) continue;
        const url = normUrl(entry.url);
        const at = seen.findIndex((s, i) => !used.has(i) && s.url === url);
        if (at < 0) continue;
        used.add(at);
        const bytes = await seen[at].body;
        if (!bytes) continue;
        const kept = bytes.subarray(0, cap);
        const text = utf8Text(kept);
        const headers = Object.entries(seen[at].response.headers());
        const body: Payload = {
          encoding: text !== undefined ? 'text' : 'base64',
          data: text ?? toBase64(kept),
          size: bytes.length,
          truncated: kept.length < bytes.length,
          source: 'script',
        };
        const mimeType = headerValue(headers, 'content-type');
        if (mimeType !== undefined) body.mimeType = mimeType;
        // The page has no view of a script's response: the wire's stands in for it.
        entry.response ??= { status: entry.wire?.statusCode ?? seen[at].response.status(), statusText: '', headers: entry.wire?.responseHeaders ?? headers };
        entry.response.body = body;
        n++;
      }
      return n;
    },
  };
}
