import { type DBSchema, type IDBPDatabase, wrap } from 'idb';
import { deleteDatabase } from './deviceData.js';
import type { EventStore, StoredEvent } from './store.js';

interface QueueSchema extends DBSchema {
  events: { key: string; value: StoredEvent; indexes: { queued_at: number } };
}

const VERSION = 1;
/** Puts issued per task inside one write transaction. */
const PUTS_PER_TASK = 200;

/**
 * Opens the shared queue database. Resolves null when IndexedDB cannot be used (blocked,
 * private mode, broken webview), so the caller falls back to memory.
 *
 * The factory is passed in rather than read from the global (which is what idb's `openDB`
 * does) so tests and hosts can supply their own; `wrap` gives the same promise API.
 */
export async function openIndexedDbStore(
  factory: IDBFactory,
  name: string,
): Promise<EventStore | null> {
  let db: IDBPDatabase<QueueSchema> | null = null;
  let closed = false;

  const open = async (): Promise<IDBPDatabase<QueueSchema>> => {
    if (db) return db;
    const request = factory.open(name, VERSION);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore('events', { keyPath: 'id' });
      store.createIndex('queued_at', 'queued_at');
    };
    const opened = (await wrap(request)) as unknown as IDBPDatabase<QueueSchema>;
    // Another tab deleting the database (a revoke or a forget there) must not wait on this
    // connection: close it at once and reopen on the next use, if consent still allows one.
    opened.addEventListener('versionchange', () => {
      opened.close();
      if (db === opened) db = null;
    });
    db = opened;
    return opened;
  };

  try {
    await withTimeout(open(), 3_000);
  } catch {
    return null;
  }

  const use = async () => {
    if (closed) throw new Error('store closed');
    return open();
  };

  return {
    kind: 'indexeddb',
    async append(events, queuedAt, maxSize) {
      const tx = (await use()).transaction('events', 'readwrite');
      const writes: Array<Promise<unknown>> = [];
      for (let start = 0; start < events.length; start += PUTS_PER_TASK) {
        for (let i = start; i < Math.min(start + PUTS_PER_TASK, events.length); i++) {
          const event = events[i]!;
          writes.push(
            tx.store.put({ id: event.id, queued_at: queuedAt + i / 1000, lease_until: 0, event }),
          );
        }
        // Each put clones its event on the main thread. Waiting for the slice's last request
        // ends the task (its success event is a new one) while the transaction stays active,
        // so one transaction's writes spread over short tasks instead of one long one.
        await writes[writes.length - 1];
      }
      let size = await tx.store.count();
      let dropped = 0;
      if (size > maxSize) {
        // Overflow drops the oldest: the newest events describe the present best.
        let cursor = await tx.store.index('queued_at').openCursor();
        while (cursor && size > maxSize) {
          writes.push(cursor.delete());
          size--;
          dropped++;
          cursor = await cursor.continue();
        }
      }
      await Promise.all([...writes, tx.done]);
      return { dropped, size };
    },
    async claim(limit, now, leaseMs, expireBefore) {
      const tx = (await use()).transaction('events', 'readwrite');
      const events: StoredEvent['event'][] = [];
      const writes: Array<Promise<unknown>> = [];
      let expired = 0;
      let cursor = await tx.store.index('queued_at').openCursor();
      while (cursor && events.length < limit) {
        const record = cursor.value;
        if (record.queued_at < expireBefore) {
          writes.push(cursor.delete());
          expired++;
        } else if (record.lease_until <= now) {
          writes.push(cursor.update({ ...record, lease_until: now + leaseMs }));
          events.push(record.event);
        }
        cursor = await cursor.continue();
      }
      await Promise.all([...writes, tx.done]);
      return { events, expired };
    },
    async remove(ids) {
      if (!ids.length) return;
      const tx = (await use()).transaction('events', 'readwrite');
      await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
    },
    async release(ids) {
      if (!ids.length) return;
      const tx = (await use()).transaction('events', 'readwrite');
      const writes = ids.map(async (id) => {
        const record = await tx.store.get(id);
        if (record) await tx.store.put({ ...record, lease_until: 0 });
      });
      await Promise.all([...writes, tx.done]);
    },
    async all() {
      const records = await (await use()).getAllFromIndex('events', 'queued_at');
      return records.map((record) => record.event);
    },
    count: async () => (await use()).count('events'),
    async destroy() {
      closed = true;
      db?.close();
      db = null;
      await deleteDatabase(factory, name);
    },
    close() {
      closed = true;
      db?.close();
      db = null;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
