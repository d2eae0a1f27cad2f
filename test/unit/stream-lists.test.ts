import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { NdjsonList, SseList } from '../../src/devtools/BodyView';
import { parseNdjson } from '../../src/shared/decode/ndjson';
import { parseSse } from '../../src/shared/decode/sse';

/** The text a tree of intrinsic-element vnodes shows (the lists call no components for error records). */
function textOf(node: unknown): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  return textOf((node as VNode<{ children?: unknown }>).props.children);
}

describe('event-stream and JSON Lines lists: decoder errors', () => {
  it('say "could not decode" once (the decoders\' errors already start with it)', () => {
    const sse = textOf(SseList({ records: parseSse('data: 123456789\n\n', { maxLineLength: 8 }).records }));
    expect(sse).toBe('could not decode: line longer than 8 characters; skipped to the next line end');
    const ndjson = textOf(NdjsonList({ records: parseNdjson('{broken\n').records }));
    expect(ndjson).toBe('could not decode line 1: unexpected "b", expected a "quoted" key at line 1, column 2 — {broken');
  });
});
