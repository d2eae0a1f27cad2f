/**
 * Header lookup over `[name, value]` lists (the page's, the wire's, a multipart part's), names
 * compared case-insensitively, values as given. The variants differ only in what they return.
 */

/** Headers as gathered: name case as given, repeated names allowed. */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** Every value of `name`, in order. */
export function headerValues(headers: HeaderList | undefined, name: string): string[] {
  const values: string[] = [];
  if (!headers) return values;
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) values.push(v);
  return values;
}

/** The values of `name` joined by ", " (what `Headers.get` gives, untrimmed); undefined when absent. */
export function headerValue(headers: HeaderList | undefined, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length ? values.join(', ') : undefined;
}

/** The first value of `name`; undefined when absent. */
export function firstHeaderValue(headers: HeaderList | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

export function hasHeader(headers: HeaderList | undefined, name: string): boolean {
  return firstHeaderValue(headers, name) !== undefined;
}

/**
 * "a: b\r\nc: d", as XMLHttpRequest's getAllResponseHeaders() gives them, into a header list:
 * one line per header, split at its first colon, name and value trimmed; a line without a name
 * before a colon is left out. Undefined when there are `maxLines` lines or more (counted as it
 * goes: nothing past them is split).
 */
export function parseHeaderLines(raw: string, maxLines = Infinity): [name: string, value: string][] | undefined {
  const out: [string, string][] = [];
  let lines = 0;
  for (let from = 0; from <= raw.length; lines++) {
    // More lines than a valid list could have: given up before splitting the rest.
    if (lines >= maxLines) return undefined;
    const end = raw.indexOf('\r\n', from);
    const line = raw.slice(from, end < 0 ? raw.length : end);
    const at = line.indexOf(':');
    if (at > 0) out.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    if (end < 0) break;
    from = end + 2;
  }
  return out;
}
