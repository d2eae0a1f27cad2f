import { readFileSync, readdirSync } from 'node:fs';
import harValidator from 'har-validator';
import type { Entry, Message } from '../../../src/shared/model';
import type { Payload } from '../../../src/shared/protocol';

/** Real-world HARs from other tools, copied byte for byte; SOURCES.md there says where from. */
const FIXTURES = new URL('../../fixtures/har/', import.meta.url);

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURES).sort();
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export function fixture(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

export const FIXTURE_NAMES = [
  'mitmproxy-websocket.har',
  'mitmproxy-event-stream.har',
  'chrome-xhr-json-reqres.har',
  'chrome-document-image-failed.har',
  'firefox-111-page-load.har',
  'firefox-77-json-post.har',
  'charles-4.2-multipart-filename.har',
  'chrome-61-multipart.har',
  'firefox-56-multipart-binary.har',
];

/** Throws with the schema errors when the HAR is not valid HAR 1.2. */
export async function validateHar(har: unknown): Promise<void> {
  try {
    await harValidator.har(har);
  } catch (e) {
    const errors = (e as { errors?: unknown }).errors;
    throw new Error(`invalid HAR: ${JSON.stringify(errors ?? String(e)).slice(0, 2000)}`);
  }
}

export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

export function text(data: string, extra: Partial<Payload> = {}): Payload {
  return { encoding: 'text', data, size: new TextEncoder().encode(data).length, truncated: false, ...extra };
}

export function base64(bytes: number[], extra: Partial<Payload> = {}): Payload {
  return { encoding: 'base64', data: btoa(String.fromCharCode(...bytes)), size: bytes.length, truncated: false, ...extra };
}

export function msg(t: number, dir: Message['dir'], data: Payload, extra: Partial<Message> = {}): Message {
  return { t, dir, data, ...extra };
}

let counter = 0;

/** A finished fetch on page doc-1, with whatever the test overrides. */
export function makeEntry(over: Partial<Entry> = {}): Entry {
  counter++;
  return {
    id: `doc-1:${counter}`,
    tabId: 7,
    frameId: 0,
    frameUrl: 'https://app.example/',
    doc: 'doc-1',
    kind: 'fetch',
    method: 'GET',
    url: 'https://api.example/items?page=2',
    startTime: T0 + counter,
    endTime: T0 + counter + 120.5,
    state: 'done',
    request: { headers: [['Accept', 'application/json']] },
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json']], body: text('{"items":[1,2]}') },
    lifecycle: [{ t: T0 + counter, step: 'start' }],
    messages: [],
    droppedMessages: 0,
    ...over,
  };
}
