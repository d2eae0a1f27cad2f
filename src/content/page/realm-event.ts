declare const __NETLENS_REALM_EVENT__: string | undefined;

/**
 * The event a new realm dispatches on its relatives (parent, opener, top) to join their map of
 * proxies and take back the placeholders they put in it (see patch.ts joinRealms, adoptWindow).
 * Its type is a random name fixed at build time (vite.config.ts): the page cannot listen for it,
 * nor forge it. A module of its own, with no imports, so natives.ts can use it before it captures
 * anything.
 */
export const REALM_EVENT = typeof __NETLENS_REALM_EVENT__ === 'string' ? __NETLENS_REALM_EVENT__ : 'netlens-realm';
