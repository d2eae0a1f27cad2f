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
