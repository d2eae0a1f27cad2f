import type { Page } from 'puppeteer-core';

/**
 * The record store's IndexedDB (src/background/record-store.ts) as an extension page reads it
 * (same origin as the worker), opened without a version (whatever is there): its version, the
 * `records` store's indexes, and one tab's rows, counted (`count`) or read (`getAll`).
 */
export function storeRows<T>(ext: Page, tabId: number, op: 'count' | 'getAll'): Promise<{ version: number; indexes: string[]; rows: T }> {
  return ext.evaluate(
    (tab: number, how: 'count' | 'getAll') =>
      new Promise<{ version: number; indexes: string[]; rows: T }>((resolve, reject) => {
        const open = indexedDB.open('netlens-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('records').objectStore('records');
          const q = store[how](IDBKeyRange.bound([tab, 0], [tab, Infinity]));
          q.onsuccess = () => {
            resolve({ version: db.version, indexes: [...store.indexNames], rows: q.result as T });
            db.close();
          };
          q.onerror = () => reject(q.error);
        };
      }),
    tabId,
    op,
  );
}
