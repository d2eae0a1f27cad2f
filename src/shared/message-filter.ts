import type { Message } from './model';

/**
 * Text filter over a channel's messages, kept up to date as messages arrive: a match list is
 * extended with the new messages only, and recomputed when the text changes. Case-insensitive
 * substring of the payload as captured (text, or base64 for binary), of the SSE event name and id;
 * optionally only the messages sent, or only those received.
 */
export interface MessageMatches {
  /** Indexes into `messages` that match, ascending (the same array while the text stays). */
  readonly indexes: readonly number[];
  /** How many messages have been looked at. */
  readonly seen: number;
}

/** Which way the messages shown went: all, sent by the page, or received. */
export type MessageDirection = 'all' | Message['dir'];

export function createMessageFilter() {
  let text = '';
  let way: MessageDirection = 'all';
  let needle: RegExp | undefined;
  let indexes: number[] = [];
  let seen = 0;
  let source: readonly Message[] | undefined;
  return {
    /**
     * The matches of `filterText` among `messages` going `dir` (empty text and all directions:
     * undefined, every message shown). Cost: the messages added since the last call, or all of
     * them when the text, the direction or the list changed.
     */
    matches(messages: readonly Message[], filterText: string, dir: MessageDirection = 'all'): MessageMatches | undefined {
      if (!filterText && dir === 'all') return undefined;
      const fits = (m: Message) =>
        (dir === 'all' || m.dir === dir) &&
        (!needle || needle.test(m.data.data) || (m.eventName !== undefined && needle.test(m.eventName)) || (m.eventId !== undefined && needle.test(m.eventId)));
      if (filterText !== text || dir !== way || messages !== source || messages.length < seen) {
        // A longer text (typing on): only what matched the shorter one can match it.
        const narrower = messages === source && messages.length >= seen && dir === way && text !== '' && filterText.toLowerCase().includes(text.toLowerCase());
        text = filterText;
        way = dir;
        needle = filterText ? new RegExp(filterText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : undefined;
        source = messages;
        if (narrower) indexes = indexes.filter((i) => fits(messages[i]));
        else {
          indexes = [];
          seen = 0;
        }
      }
      for (; seen < messages.length; seen++) if (fits(messages[seen])) indexes.push(seen);
      return { indexes, seen };
    },
  };
}
