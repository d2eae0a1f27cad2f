/**
 * Bounded waiting lists: ids waiting for a partner, by join key, oldest first. Past the caps the
 * oldest key's list (or the oldest id of a list) goes: it is stale by then.
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
  return {
    push(key, id) {
      const list = map.get(key);
      if (list) {
        list.push(id);
        if (list.length > maxPerKey) list.shift();
      } else {
        map.set(key, [id]);
        if (map.size > maxKeys) map.delete(map.keys().next().value as string);
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
