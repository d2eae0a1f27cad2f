/**
 * Bounded waiting lists: ids waiting for a partner, by join key, oldest first. Past the caps the
 * oldest keys' lists (or the oldest id of a list) go: they are stale by then.
 */
export interface WaitingLists {
  push(key: string, id: string): void;
  /**
   * The first waiting id under `key` that `fits` ('yes'), removed from the list. Ids judged
   * 'stale' on the way are dropped; 'no' leaves them waiting. Undefined when none fits.
   */
  take(key: string, fits?: (id: string) => Fit): string | undefined;
}

export type Fit = 'yes' | 'no' | 'stale';

/** Waiting lists holding at most `maxKeys` keys of at most `maxPerKey` ids each. */
export function createWaitingLists(maxKeys = 5_000, maxPerKey = 100): WaitingLists {
  const map = new Map<string, string[]>();
  /**
   * Past the key cap, the oldest keys go, a sixteenth of the cap at once: a Map keeps deleted
   * entries in its table until it is rebuilt, and finding the oldest key walks them, so dropping
   * one key per new key cost a walk over thousands of holes on every push once the cap was
   * reached (always, for keys that never find a partner).
   */
  const evictOldest = () => {
    let n = map.size - maxKeys + (maxKeys >> 4);
    for (const key of map.keys()) {
      if (n-- <= 0) break;
      map.delete(key);
    }
  };
  return {
    push(key, id) {
      const list = map.get(key);
      if (list) {
        list.push(id);
        if (list.length > maxPerKey) list.shift();
      } else {
        map.set(key, [id]);
        if (map.size > maxKeys) evictOldest();
      }
    },
    take(key, fits = () => 'yes') {
      const list = map.get(key);
      if (!list) return undefined;
      let found: string | undefined;
      for (let i = 0; i < list.length; i++) {
        const verdict = fits(list[i]);
        if (verdict === 'stale') list.splice(i--, 1);
        else if (verdict === 'yes') {
          found = list.splice(i, 1)[0];
          break;
        }
      }
      if (!list.length) map.delete(key);
      return found;
    },
  };
}
