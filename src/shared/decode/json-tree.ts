/**
 * Reading and printing the `JsonNode` trees made by `parseJson`.
 * Printing keeps big numbers exact (their source text) and stops at `maxChars`.
 * Walks recurse at most `MAX_WALK_DEPTH` levels (the parser caps depth well below that).
 */
import type { JsonNode } from './json';

const MAX_WALK_DEPTH = 1024;

/** Member of an object (the last of duplicate keys, as `JSON.parse` would keep) or item of an array. */
export function jsonGet(node: JsonNode | undefined, key: string | number): JsonNode | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'array') return typeof key === 'number' ? node.items[key] : undefined;
  if (node.type !== 'object') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) {
    if (node.entries[i].key === key) return node.entries[i].value;
  }
  return undefined;
}

export function jsonString(node: JsonNode | undefined): string | undefined {
  return node?.type === 'string' ? node.value : undefined;
}

/** A string, or a number printed exactly (ids are often either). */
export function jsonScalarText(node: JsonNode | undefined): string | undefined {
  if (node?.type === 'string') return node.value;
  if (node?.type === 'number') return jsonNumberText(node);
  return undefined;
}

/**
 * A number node as JSON text: its source when a double could not hold it, else the shortest
 * text of the double, with the sign of a negative zero kept (`String(-0)` is `0`).
 */
export function jsonNumberText(node: Extract<JsonNode, { type: 'number' }>): string {
  if (node.source !== undefined) return node.source;
  return Object.is(node.value, -0) ? '-0' : String(node.value);
}

/** Plain JS value (as `JSON.parse` would give; numbers that lost precision stay lossy numbers). */
export function jsonToPlain(node: JsonNode, depth = 0): unknown {
  switch (node.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'number':
    case 'string':
      return node.value;
    case 'array':
      if (depth > MAX_WALK_DEPTH) return [];
      return node.items.map((item) => jsonToPlain(item, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > MAX_WALK_DEPTH) return out;
      for (const { key, value } of node.entries) {
        Object.defineProperty(out, key, {
          value: jsonToPlain(value, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
}

export interface StringifyOptions {
  /** Spaces per level; 0 for one line. */
  indent?: number;
  /** Stop after about this many characters and end with `…`. */
  maxChars?: number;
}

/** JSON text for a tree; numbers keep their exact source text. */
export function stringifyJson(node: JsonNode, options: StringifyOptions = {}): { text: string; truncated: boolean } {
  const out = new Printer(options.indent ?? 0, options.maxChars ?? Infinity);
  out.value(node, 0);
  return { text: out.text(), truncated: out.full };
}

/** One-line compact text, cut to `maxChars` with `…`. */
export function previewJson(node: JsonNode, maxChars = 120): string {
  return stringifyJson(node, { maxChars }).text;
}

class Printer {
  private parts: string[] = [];
  private length = 0;
  full = false;

  constructor(
    private readonly indent: number,
    private readonly maxChars: number,
  ) {}

  text(): string {
    return this.parts.join('');
  }

  private put(s: string): void {
    if (this.full) return;
    if (this.length + s.length > this.maxChars) {
      this.parts.push(s.slice(0, Math.max(0, this.maxChars - this.length)), '…');
      this.full = true;
      return;
    }
    this.parts.push(s);
    this.length += s.length;
  }

  private newline(depth: number): void {
    if (this.indent > 0) this.put('\n' + ' '.repeat(this.indent * depth));
  }

  value(node: JsonNode, depth: number): void {
    if (this.full) return;
    switch (node.type) {
      case 'null':
        return this.put('null');
      case 'boolean':
        return this.put(node.value ? 'true' : 'false');
      case 'number':
        return this.put(jsonNumberText(node));
      case 'string':
        return this.put(JSON.stringify(node.value));
      case 'array':
      case 'object': {
        const [open, close] = node.type === 'array' ? ['[', ']'] : ['{', '}'];
        const count = node.type === 'array' ? node.items.length : node.entries.length;
        if (count === 0) return this.put(open + close);
        if (depth >= MAX_WALK_DEPTH) return this.put(`${open}…${close}`);
        this.put(open);
        for (let i = 0; i < count && !this.full; i++) {
          if (i > 0) this.put(',');
          this.newline(depth + 1);
          if (node.type === 'array') {
            this.value(node.items[i], depth + 1);
          } else {
            this.put(JSON.stringify(node.entries[i].key) + (this.indent > 0 ? ': ' : ':'));
            this.value(node.entries[i].value, depth + 1);
          }
        }
        this.newline(depth);
        return this.put(close);
      }
    }
  }
}
