import type { Entry, Message } from '../model';

/**
 * "Messages inline": the shown entries and their messages (WebSocket and EventSource messages,
 * a fetch/XHR's streamed chunks) as one time-ordered list, so that a request shows between the
 * socket messages it came between.
 *
 * Ordering. Each entry sits at its start time, each message at its time `t` (both epoch ms, the
 * page's clock, coarsened to 5–100 µs by the browser). A stream must never go back in time for
 * the merge to be a merge, so keys are running maxima: an entry's key is the largest start time
 * among it and the shown entries before it (the list is in start order, so this is its start
 * time — but an imported trace's file order need not be); a message's key is the largest of its
 * time, the key of the message before it in its channel, and (the next double above) its entry's
 * key. A message therefore never sits above its own entry nor above an earlier message of its
 * channel. Ties: messages before entries — within one clock tick, a page that reacts to a message
 * by sending a request is the usual story, and a request that started in the same tick as a
 * message cannot have caused it — then by the entry's place in the list, then by the message's
 * index.
 *
 * Cost. The index is three typed arrays (16 bytes a row: 16 MB for a million messages), not row
 * objects; a row is made only when drawn (`at`). It is brought up to date per redraw (`sync`):
 * one pass over the shown entries to find what is new (entries appended, messages appended to a
 * channel), then the new items are merged in — sorted per channel already, they are merged
 * pairwise, and into the index only from the first row they precede (new messages are recent,
 * so that is the tail). Entries gone from the list (a narrower filter) have their rows dropped in
 * one pass over the rows, reading no message; entries that come back above the end are appended
 * again with those after them. A new message filter (`body:`) or a channel whose messages were
 * replaced rebuilds the index: O(rows · log channels).
 */
export interface InlineRow {
  entry: Entry;
  /** The entry's index in the list `sync` was given. */
  slot: number;
  /** The message's index in `entry.messages`; -1 for the entry's own row. */
  message: number;
}

/** Which messages show (the filter's `body:` terms); undefined: all of them. */
export type MessagePredicate = (m: Message) => boolean;

export interface InlineIndex {
  /**
   * Brings the index up to date with `entries` (the shown list, in display order) and their
   * messages that `accepts` lets through (a new predicate object rebuilds). Returns whether the
   * index was rebuilt rather than extended.
   */
  sync(entries: readonly Entry[], accepts?: MessagePredicate): boolean;
  /** Rows: entries plus their shown messages. */
  readonly count: number;
  /** Messages in the index. */
  readonly messages: number;
  /** Row `row` (0 ≤ row < count). */
  at(row: number): InlineRow;
  /** The row of the entry at `slot` in the list; -1 when out of range. */
  rowOf(slot: number): number;
  /** The row of message `index` of the entry at `slot`; -1 when it is not shown. */
  rowOfMessage(slot: number, index: number): number;
}

/** Items sorted by key: parallel arrays. */
interface Run {
  slots: Int32Array;
  msgs: Int32Array;
  keys: Float64Array;
  length: number;
}

/** The next double above `k`: a key after `k` and before anything the page's clock can stamp later. */
const above = (k: number) => k + (k === 0 ? Number.MIN_VALUE : Math.abs(k) * Number.EPSILON);

const emptyRun = (capacity: number): Run => ({ slots: new Int32Array(capacity), msgs: new Int32Array(capacity), keys: new Float64Array(capacity), length: 0 });

/** Whether item i of `a` sorts before item j of `b` (see the ordering above). */
function before(a: Run, i: number, b: Run, j: number): boolean {
  const dk = a.keys[i] - b.keys[j];
  if (dk !== 0) return dk < 0;
  const am = a.msgs[i] < 0 ? 1 : 0;
  const bm = b.msgs[j] < 0 ? 1 : 0;
  if (am !== bm) return am < bm;
  if (a.slots[i] !== b.slots[j]) return a.slots[i] < b.slots[j];
  return a.msgs[i] < b.msgs[j];
}

/** `a[from..a.length)` and all of `b`, merged into `out` from `at` (out must have room). */
function mergeInto(a: Run, from: number, b: Run, out: Run, at: number) {
  let i = from;
  let j = 0;
  let k = at;
  while (i < a.length && j < b.length) {
    if (before(b, j, a, i)) {
      out.slots[k] = b.slots[j];
      out.msgs[k] = b.msgs[j];
      out.keys[k++] = b.keys[j++];
    } else {
      out.slots[k] = a.slots[i];
      out.msgs[k] = a.msgs[i];
      out.keys[k++] = a.keys[i++];
    }
  }
  // What is left of one side is copied as a block.
  const copyRest = (r: Run, from: number) => {
    out.slots.set(r.slots.subarray(from, r.length), k);
    out.msgs.set(r.msgs.subarray(from, r.length), k);
    out.keys.set(r.keys.subarray(from, r.length), k);
    k += r.length - from;
  };
  if (i < a.length) copyRest(a, i);
  if (j < b.length) copyRest(b, j);
  out.length = k;
}

/** Room for rows to come when an index is made of `n` rows (growing copies every row). */
const roomFor = (n: number) => Math.max(1024, Math.ceil(n * 1.5));

/** Sorted runs merged pairwise into one: O(items · log runs). The last merge leaves room (roomFor). */
function mergeAll(runs: Run[]): Run {
  while (runs.length > 1) {
    const next: Run[] = [];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const n = runs[r].length + runs[r + 1].length;
      const out = emptyRun(runs.length === 2 ? roomFor(n) : n);
      mergeInto(runs[r], 0, runs[r + 1], out, 0);
      next.push(out);
    }
    if (runs.length % 2) next.push(runs[runs.length - 1]);
    runs = next;
  }
  return runs[0] ?? emptyRun(0);
}

/** An empty inline index (see InlineIndex). */
export function createInlineIndex(): InlineIndex {
  let index = emptyRun(1024);
  /** The entries merged, by slot: the prefix of the list seen so far. */
  let merged: Entry[] = [];
  /** Per slot: the entry's key, its channel's running key, and its messages looked at. */
  let entryKeys: number[] = [];
  let channelKeys: number[] = [];
  let seen: number[] = [];
  /** Per slot: the messages array merged from (a new array, a new list: rebuilt). */
  let lists: (readonly Message[])[] = [];
  let entryMax = -Infinity;
  let accepted: MessagePredicate | undefined;
  let messageRows = 0;
  let started = false;

  const grow = (need: number) => {
    if (need <= index.slots.length) return;
    const bigger = emptyRun(Math.max(roomFor(need), index.slots.length * 2));
    bigger.slots.set(index.slots.subarray(0, index.length));
    bigger.msgs.set(index.msgs.subarray(0, index.length));
    bigger.keys.set(index.keys.subarray(0, index.length));
    bigger.length = index.length;
    index = bigger;
  };

  /** The first row whose key is ≥ key. */
  const lowerBound = (key: number) => {
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (index.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const clear = () => {
    index = emptyRun(1024);
    merged = [];
    entryKeys = [];
    channelKeys = [];
    seen = [];
    lists = [];
    entryMax = -Infinity;
    messageRows = 0;
  };

  /** Is the list still the merged prefix plus appended entries, with the same message arrays only grown? */
  const extends_ = (entries: readonly Entry[]) => {
    if (entries.length < merged.length) return false;
    for (let s = 0; s < merged.length; s++) if (entries[s] !== merged[s] || entries[s].messages !== lists[s] || lists[s].length < seen[s]) return false;
    return true;
  };

  /**
   * Keeps what the index has of `entries` when they are not merely appended to (a filter that
   * narrowed, or widened): the longest head of `entries` found in order among the merged entries
   * (same objects, same message arrays not shrunk) keeps its rows, the other merged entries'
   * rows are dropped and the slots renumbered, in one pass over the rows without reading a
   * message; the rest of `entries` is then appended as new. False when a kept entry's key would
   * change (a dropped entry had raised the running maximum: an imported trace out of time
   * order): then the index is built again.
   */
  const keep = (entries: readonly Entry[]): boolean => {
    const to = new Int32Array(merged.length).fill(-1);
    const kept: number[] = [];
    let max = -Infinity;
    for (let k = 0, j = 0; k < entries.length; k++, j++) {
      const e = entries[k];
      while (j < merged.length && merged[j] !== e) j++;
      if (j === merged.length || lists[j] !== e.messages || e.messages.length < seen[j]) break;
      if (e.startTime > max) max = e.startTime;
      if (entryKeys[j] !== max) return false;
      to[j] = kept.length;
      kept.push(j);
    }
    let w = 0;
    let messagesKept = 0;
    for (let r = 0; r < index.length; r++) {
      const slot = to[index.slots[r]];
      if (slot < 0) continue;
      const m = index.msgs[r];
      index.slots[w] = slot;
      index.msgs[w] = m;
      index.keys[w++] = index.keys[r];
      if (m >= 0) messagesKept++;
    }
    index.length = w;
    merged = kept.map((j) => merged[j]);
    entryKeys = kept.map((j) => entryKeys[j]);
    channelKeys = kept.map((j) => channelKeys[j]);
    seen = kept.map((j) => seen[j]);
    lists = kept.map((j) => lists[j]);
    entryMax = kept.length ? entryKeys[kept.length - 1] : -Infinity;
    messageRows = messagesKept;
    return true;
  };

  return {
    sync(entries, accepts) {
      let rebuilt = !started;
      started = true;
      if (accepts !== accepted || (!extends_(entries) && !keep(entries))) {
        clear();
        accepted = accepts;
        rebuilt = true;
      }
      const runs: Run[] = [];
      // Entries appended.
      if (entries.length > merged.length) {
        const run = emptyRun(entries.length - merged.length);
        for (let s = merged.length; s < entries.length; s++) {
          const e = entries[s];
          if (e.startTime > entryMax) entryMax = e.startTime;
          run.slots[run.length] = s;
          run.msgs[run.length] = -1;
          run.keys[run.length++] = entryMax;
          merged.push(e);
          entryKeys.push(entryMax);
          channelKeys.push(above(entryMax));
          seen.push(0);
          lists.push(e.messages);
        }
        runs.push(run);
      }
      // Messages appended, per channel.
      for (let s = 0; s < merged.length; s++) {
        const list = merged[s].messages;
        if (list.length === seen[s]) continue;
        const run = emptyRun(list.length - seen[s]);
        let key = channelKeys[s];
        for (let i = seen[s]; i < list.length; i++) {
          const m = list[i];
          if (accepts && !accepts(m)) continue;
          if (m.t > key) key = m.t;
          run.slots[run.length] = s;
          run.msgs[run.length] = i;
          run.keys[run.length++] = key;
        }
        channelKeys[s] = key;
        seen[s] = list.length;
        messageRows += run.length;
        if (run.length) runs.push(run);
      }
      if (!runs.length) return rebuilt;
      const fresh = mergeAll(runs);
      if (!index.length) {
        // Built from nothing: the merge is the index.
        index = fresh;
        return rebuilt;
      }
      // Merged into the index from the first row the new items may precede.
      const from = lowerBound(fresh.keys[0]);
      const tail: Run = {
        slots: index.slots.slice(from, index.length),
        msgs: index.msgs.slice(from, index.length),
        keys: index.keys.slice(from, index.length),
        length: index.length - from,
      };
      grow(index.length + fresh.length);
      mergeInto(tail, 0, fresh, index, from);
      return rebuilt;
    },
    get count() {
      return index.length;
    },
    get messages() {
      return messageRows;
    },
    at(row) {
      const slot = index.slots[row];
      return { entry: merged[slot], slot, message: index.msgs[row] };
    },
    rowOf(slot) {
      if (slot < 0 || slot >= merged.length) return -1;
      for (let r = lowerBound(entryKeys[slot]); r < index.length; r++) if (index.slots[r] === slot && index.msgs[r] < 0) return r;
      return -1;
    },
    rowOfMessage(slot, i) {
      if (slot < 0 || slot >= merged.length || i < 0 || i >= seen[slot]) return -1;
      // The message's key is above its entry's key and at least its own time: search from there.
      for (let r = lowerBound(Math.max(above(entryKeys[slot]), merged[slot].messages[i].t)); r < index.length; r++) {
        if (index.slots[r] === slot && index.msgs[r] === i) return r;
        if (index.slots[r] === slot && index.msgs[r] > i) return -1;
      }
      return -1;
    },
  };
}
