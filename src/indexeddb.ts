import { type DBSchema, type IDBPDatabase, type IDBPTransaction, unwrap, wrap } from 'idb';
import { deleteDatabase } from './deviceData.js';
import { newId } from './ids.js';
import type { EventStore, StoredEvent } from './store.js';

interface QueueSchema extends DBSchema {
  events: { key: string; value: StoredEvent; indexes: { queued_at: number } };
  /**
   * One small record per claimed batch: a claim writes one record, not one per event (an
   * update per event cloned the whole event again, the largest cost of a delivery).
   */
  leases: { key: string; value: Lease };
}

interface Lease {
  id: string;
  /** The events claimed. */
  ids: string[];
  /** Until when (ms) they are held. */
  until: number;
}

type LeaseTransaction = IDBPTransaction<QueueSchema, ['events', 'leases'], 'readwrite'>;

/** Takes events out of the leases that hold them: sent and removed, or released. */
async function unlease(tx: LeaseTransaction, ids: readonly string[]): Promise<void> {
  const done = new Set(ids);
  const leases = tx.objectStore('leases');
  const writes: Array<Promise<unknown>> = [];
  for (const lease of await leases.getAll()) {
    if (!lease.ids.some((id) => done.has(id))) continue;
    const rest = lease.ids.filter((id) => !done.has(id));
    writes.push(rest.length ? leases.put({ ...lease, ids: rest }) : leases.delete(lease.id));
  }
  await Promise.all(writes);
}

/** 2 added the `leases` store; version 1's `lease_until` field is no longer read. */
const VERSION = 2;
/**
 * Puts issued per task inside one write transaction: each clones its event on the main thread
 * (about 35 µs), so a slice is a few milliseconds, far from a long task even on a busy machine.
 */
const PUTS_PER_TASK = 150;

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
    request.onupgradeneeded = (event) => {
      const database = request.result;
      if (event.oldVersion < 1) {
        const store = database.createObjectStore('events', { keyPath: 'id' });
        store.createIndex('queued_at', 'queued_at');
      }
      database.createObjectStore('leases', { keyPath: 'id' });
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
      // The plain store for the bulk puts: idb would wrap each request in a promise and two
      // listeners, and a failed put aborts the transaction, which `tx.done` reports anyway.
      const raw = unwrap(tx.store);
      try {
        for (let start = 0; start < events.length; start += PUTS_PER_TASK) {
          const end = Math.min(start + PUTS_PER_TASK, events.length);
          for (let i = start; i < end - 1; i++) {
            const event = events[i]!;
            raw.put({ id: event.id, queued_at: queuedAt + i / 1000, event });
          }
          const last = events[end - 1]!;
          // Each put clones its event on the main thread. Waiting for the slice's last request
          // ends the task (its success event is a new one) while the transaction stays active,
          // so one transaction's writes spread over short tasks instead of one long one.
          await tx.store.put({ id: last.id, queued_at: queuedAt + (end - 1) / 1000, event: last });
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
      } catch (error) {
        // A put that failed (quota) aborted the transaction: its error says why, where the
        // request awaited next only says it was aborted. (`done` rejects too: handled here.)
        tx.done.catch(() => {});
        throw unwrap(tx).error ?? error;
      }
    },
    async claim(limit, now, leaseMs, expireBefore) {
      // One transaction over both stores: IndexedDB runs read-write transactions on the same
      // stores one at a time, so two tabs never claim the same event.
      const tx = (await use()).transaction(['events', 'leases'], 'readwrite');
      const events = tx.objectStore('events');
      const leases = tx.objectStore('leases');
      const writes: Array<Promise<unknown>> = [];
      const held = new Set<string>();
      for (const lease of await leases.getAll()) {
        if (lease.until > now) for (const id of lease.ids) held.add(id);
        else writes.push(leases.delete(lease.id));
      }
      // Whole batches in a request or two, rather than a cursor step (a round trip) per event.
      const byAge = events.index('queued_at');
      const stale = await byAge.getAllKeys(IDBKeyRange.upperBound(expireBefore, true));
      for (const id of stale) writes.push(events.delete(id));
      const claimed: StoredEvent['event'][] = [];
      // Held events are skipped by reading past them: at most `held.size` more records.
      for (const record of await byAge.getAll(
        IDBKeyRange.lowerBound(expireBefore),
        limit + held.size,
      )) {
        if (claimed.length >= limit) break;
        if (!held.has(record.id)) claimed.push(record.event);
      }
      if (claimed.length)
        writes.push(
          leases.put({ id: newId(), ids: claimed.map((e) => e.id), until: now + leaseMs }),
        );
      await Promise.all([...writes, tx.done]);
      return { events: claimed, expired: stale.length };
    },
    async remove(ids) {
      if (!ids.length) return;
      const tx = (await use()).transaction(['events', 'leases'], 'readwrite');
      // Plain requests, as in `append`: the transaction's outcome is what counts.
      const events = unwrap(tx.objectStore('events'));
      for (const id of ids) events.delete(id);
      await Promise.all([unlease(tx, ids), tx.done]);
    },
    async release(ids) {
      if (!ids.length) return;
      const tx = (await use()).transaction(['events', 'leases'], 'readwrite');
      await Promise.all([unlease(tx, ids), tx.done]);
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
