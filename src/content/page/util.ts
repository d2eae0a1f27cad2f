import type { Header } from '../../shared/protocol';
import { NativeError, NativeURL, R, getter } from './natives';

const baseURI = getter<string>(Node.prototype, 'baseURI');

/** Resolves a URL the way the browser will, against the document's base URL. */
export function absoluteUrl(url: unknown): string {
  const text = String(url);
  try {
    return new NativeURL(text, baseURI(document)).href;
  } catch {
    return text;
  }
}

/** Who started it: the JS stack without our own frames. */
export function stackHere(): string | undefined {
  try {
    const stack = new NativeError().stack;
    if (!stack) return undefined;
    const lines = stack.split('\n');
    // Drop "Error" and our own frames (they sit above the page's caller).
    const out: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].includes('chrome-extension://') || lines[i].includes('moz-extension://')) continue;
      out[out.length] = lines[i].trim();
      if (out.length >= 12) break;
    }
    return out.join('\n');
  } catch {
    return undefined;
  }
}

/** Appends a header, combining a repeated name as the browser does ("a, b"). */
export function appendHeader(headers: Header[], name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const h of headers) {
    if (h[0].toLowerCase() === lower) {
      h[1] = `${h[1]}, ${value}`;
      return;
    }
  }
  headers[headers.length] = [name, value];
}

/** "a: b\r\nc: d" from getAllResponseHeaders() into a header list. */
export function parseRawHeaders(raw: string): Header[] {
  const out: Header[] = [];
  for (const line of raw.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) out[out.length] = [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  }
  return out;
}

export function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

export const isStreamingType = (contentType: string | null | undefined): boolean =>
  !!contentType && /^\s*(text\/event-stream|application\/(x-)?ndjson|application\/jsonl|application\/x-jsonlines|application\/stream\+json)/i.test(contentType);

export { R };
