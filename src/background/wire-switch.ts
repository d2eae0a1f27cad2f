import { planWire, wireKept, wireKeys, type WireKey, type WireMode, type WireState } from '../shared/wire-scope';

/**
 * Applies the wire scope (src/shared/wire-scope.ts): keeps netlens's webRequest listeners
 * registered for exactly the tabs the mode asks for.
 *
 * The worker starts with listeners for every tab, registered in its first task: a worker woken
 * by a request in `always` mode must have them then, or the event is not delivered. Once the
 * settings are read (`start`), `update` narrows them to what the mode asks for; it runs again
 * whenever the mode or the set of panel tabs changes. A worker that stops loses its listeners
 * and its panels: the panels reconnect to the next run, which registers theirs again.
 */
export interface WireSwitch {
  /** Whether a wire event of `tabId` is kept (wireKept). */
  keeps(tabId: number): boolean;
  /**
   * The mode is read: registrations follow it from now on. `alwaysSince`: when `always` mode
   * began, if during this browser session (the start of every tab's registration kept from the
   * worker's first task; undefined: all along).
   */
  start(alwaysSince?: number): void;
  /** The mode changed, or the tabs with a panel open did: registrations follow. */
  update(): void;
  /** What the panel of `tabId` is told. */
  state(tabId: number): WireState;
}

/**
 * `observe(tabId?)` registers the listeners (for one tab, or every tab without it) and returns
 * what removes them; `mode()` is the setting, `panelTabs()` the tabs with a panel open and
 * `panelOpen(tabId)` whether `tabId` is one of them. `now()`: epoch ms.
 */
export function createWireSwitch(deps: {
  observe: (tabId?: number) => () => void;
  mode: () => WireMode;
  panelTabs: () => Iterable<number>;
  panelOpen: (tabId: number) => boolean;
  now?: () => number;
}): WireSwitch {
  const now = deps.now ?? Date.now;
  /**
   * Registrations in place, and since when (epoch ms; undefined: all along). The first one, every
   * tab's, is since now until start() gives its start (before it, in panel mode, nothing was seen
   * earlier): in `always` mode this run goes on from the last one (a request wakes the worker).
   */
  const registered = new Map<WireKey, { remove: () => void; since?: number }>([['all', { remove: deps.observe(), since: now() }]]);
  /**
   * While every tab is registered: the tabs that had their own registration when it began, and
   * since when (a switch of the mode at run time leaves them seen all along, not from the switch).
   */
  const carried = new Map<number, number | undefined>();
  /** Since when `tabId` has been seen without a gap, if it is now (else undefined and false). */
  const seenSince = (tabId: number): { seen: boolean; since?: number } => {
    const own = registered.get(tabId);
    if (own) return { seen: true, since: own.since };
    const all = registered.get('all');
    if (!all) return { seen: false };
    return { seen: true, since: carried.has(tabId) ? carried.get(tabId) : all.since };
  };
  let started = false;
  const update = () => {
    if (!started) return;
    const { add, remove } = planWire(registered.keys(), wireKeys(deps.mode(), deps.panelTabs()));
    // Additions first (planWire): a registration that takes over from another goes on from its start.
    for (const key of add) {
      if (key === 'all') {
        carried.clear();
        for (const [k, reg] of registered) if (k !== 'all') carried.set(k, reg.since);
        registered.set(key, { remove: deps.observe(), since: now() });
        continue;
      }
      const before = seenSince(key);
      registered.set(key, { remove: deps.observe(key), since: before.seen ? before.since : now() });
    }
    for (const key of remove) {
      registered.get(key)!.remove();
      registered.delete(key);
      if (key === 'all') carried.clear();
    }
  };
  return {
    keeps: (tabId) => wireKept(started ? deps.mode() : undefined, deps.panelOpen(tabId)),
    start(alwaysSince) {
      started = true;
      const first = registered.get('all');
      // In panel mode the first registration only bridged the worker's start: it carries no start.
      if (first) first.since = deps.mode() === 'always' ? alwaysSince : now();
      update();
    },
    update,
    state(tabId) {
      const { seen, since } = seenSince(tabId);
      // No registration for the tab (not one a panel can be open on): nothing seen from now on.
      return { mode: deps.mode(), since: seen ? since : now() };
    },
  };
}
