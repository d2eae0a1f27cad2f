/**
 * The entry detail's tabs, as Chrome DevTools' Network panel names and orders them (Preview and
 * Response apart), and which of them apply to an entry.
 */
import type { CorsAnalysis } from './cors';
import type { LongPollGroup } from './long-polling';
import type { Entry } from './model';

/** The detail's tabs, in the Network panel's order (Preview and Response as DevTools splits them). */
export const DETAIL_TABS = ['headers', 'payload', 'preview', 'response', 'messages', 'transfer', 'timing', 'cors', 'initiator'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

function hasQuery(url: string): boolean {
  try {
    return new URL(url).search.length > 1;
  } catch {
    return false;
  }
}

/**
 * The tabs that apply to an entry, in order: Headers and Timing always; Payload with a request
 * body or a query string; Preview with a response body or an LLM stream; Response with a
 * response body; Messages for a channel, a streamed body or a long-poll group; CORS with a
 * cross-origin analysis; Initiator with a stack; Transfer for a request of a resumable upload
 * (shared/transfers). No Messages for a plain GET.
 */
export function tabsFor(entry: Entry, cors: CorsAnalysis | undefined, longPoll: LongPollGroup | undefined, hasLlm: boolean, inTransfer = false): DetailTab[] {
  const tabs: DetailTab[] = ['headers'];
  if (entry.request.body || hasQuery(entry.url)) tabs.push('payload');
  if (entry.response?.body || hasLlm) tabs.push('preview');
  if (entry.response?.body) tabs.push('response');
  if (entry.kind === 'websocket' || entry.kind === 'eventsource' || entry.messages.length > 0 || longPoll) tabs.push('messages');
  if (inTransfer) tabs.push('transfer');
  tabs.push('timing');
  if (cors) tabs.push('cors');
  if (entry.initiator) tabs.push('initiator');
  return tabs;
}

