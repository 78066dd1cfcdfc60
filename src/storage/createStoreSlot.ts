import { createMemoryStore } from './createMemoryStore.js';
import { deleteDatabase } from './deviceData.js';
import { openIndexedDbStore } from './openIndexedDbStore.js';
import type { QueueStore } from './queueStore.js';

export interface StoreSlotOptions {
  /** IndexedDB factory; undefined means memory only. */
  indexedDB: IDBFactory | undefined;
  databaseName: string;
  /** The consent gate, checked before a store is opened (opening creates the database). */
  allowed: () => boolean;
  /** A problem worth telling: the fallback to memory and why. */
  onProblem: (message: string, detail?: unknown) => void;
}

/**
 * Where the queue's store is opened, replaced and deleted. It opens on first use, which only
 * happens after consent: before it no database exists. It falls back to memory where IndexedDB
 * cannot be used, and an open that a revoke or a forget overtook is closed again.
 */
export function createStoreSlot(options: StoreSlotOptions) {
  let opening: Promise<QueueStore | null> | null = null;
  let current: QueueStore | null = null;
  let closed = false;
  /** How many times the store was destroyed: an open begun before a destroy must not be used. */
  let destroyed = 0;
  let destroying: Promise<void> = Promise.resolve();

  const fallBack = (reason: string, detail?: unknown): QueueStore => {
    options.onProblem(`${reason}; events are kept in memory for this page instead`, detail);
    current?.close();
    current = createMemoryStore();
    return current;
  };

  return {
    /** The store, opening it if needed; null while consent does not allow one. */
    get(): Promise<QueueStore | null> {
      if (closed || !options.allowed()) return Promise.resolve(null);
      if (current) return Promise.resolve(current);
      opening ??= (async () => {
        const generation = destroyed;
        // A deletion still running (a revoke just before a new grant) finishes first; otherwise
        // it would delete the database this open creates.
        await destroying;
        const factory = options.indexedDB;
        let opened: QueueStore | null = null;
        if (factory) {
          try {
            opened = await openIndexedDbStore(factory, options.databaseName);
          } catch {}
        }
        // A revoke (or forget) while the database was opening wins: close it again.
        if (closed || !options.allowed() || generation !== destroyed) {
          opened?.close();
          return null;
        }
        if (!opened)
          return fallBack(factory ? 'IndexedDB could not be opened' : 'IndexedDB is not available');
        current = opened;
        return current;
      })().finally(() => {
        opening = null;
      });
      return opening;
    },
    /** The open store, if one is. */
    current: () => current,
    /** Replaces the store with memory (IndexedDB failed or is full). */
    fallBack,
    /** Deletes the store and its database. Runs at once up to its first await. */
    destroy(): Promise<void> {
      destroyed++;
      const target = current;
      const pending = opening;
      current = null;
      destroying = (async () => {
        await pending;
        if (target) await target.destroy().catch(() => {});
        // Also when this tab had no connection: another tab's database may exist.
        else if (options.indexedDB) await deleteDatabase(options.indexedDB, options.databaseName);
      })();
      return destroying;
    },
    close() {
      closed = true;
      current?.close();
    },
  };
}
