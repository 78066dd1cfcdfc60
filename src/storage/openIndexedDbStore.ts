import { type DBSchema, type IDBPDatabase, type IDBPTransaction, unwrap, wrap } from 'idb';
import type { TelemetryEvent } from '../wire/event.js';
import { deleteDatabase } from './deviceData.js';
import type { QueueStore, Segment } from './queueStore.js';
import { upgradeQueueDatabase } from './upgradeQueueDatabase.js';

/** What is known of a segment without reading its events: the record a claim reads and writes. */
export interface SegmentInfo {
  id: string;
  /** When it was queued (ms): the order of delivery, overflow and expiry. */
  queued_at: number;
  /** Events in the segment. */
  count: number;
  /** Until when (ms) a tab holds it for sending; 0 when nobody does. */
  lease_until: number;
}

export interface QueueSchema extends DBSchema {
  segments: { key: string; value: Segment };
  /**
   * One small record per segment, apart from its events: a claim reads and leases these, and
   * overflow sums their counts, without cloning a single event.
   */
  segment_info: { key: string; value: SegmentInfo; indexes: { queued_at: number } };
}

type Stores = ['segments', 'segment_info'];
type WriteTransaction = IDBPTransaction<QueueSchema, Stores, 'readwrite'>;

/** 3 stores events in segments; 1 and 2 (a record per event) are converted on open. */
export const QUEUE_DATABASE_VERSION = 3;
/**
 * Events whose segments are put per task inside one write transaction: each put clones its
 * events on the main thread, so a slice is a few milliseconds, far from a long task even on a
 * busy machine.
 */
const EVENTS_PER_TASK = 200;

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
): Promise<QueueStore | null> {
  let db: IDBPDatabase<QueueSchema> | null = null;
  let closed = false;

  const open = async (): Promise<IDBPDatabase<QueueSchema>> => {
    if (db) return db;
    const request = factory.open(name, QUEUE_DATABASE_VERSION);
    request.onupgradeneeded = (event) =>
      upgradeQueueDatabase(request.result, request.transaction, event.oldVersion);
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
  const write = async () => (await use()).transaction(['segments', 'segment_info'], 'readwrite');
  /** The segments' infos, oldest first. */
  const infosOf = (tx: WriteTransaction) =>
    tx.objectStore('segment_info').index('queued_at').getAll();
  const drop = (tx: WriteTransaction, id: string) =>
    Promise.all([tx.objectStore('segments').delete(id), tx.objectStore('segment_info').delete(id)]);
  /** Keeps the events of `segment` not in `gone`; deletes it when none is left. */
  const keepRest = async (tx: WriteTransaction, id: string, gone: ReadonlySet<string>) => {
    const [segment, info] = await Promise.all([
      tx.objectStore('segments').get(id),
      tx.objectStore('segment_info').get(id),
    ]);
    if (!segment || !info) return;
    const events = segment.events.filter((event) => !gone.has(event.id));
    if (events.length === segment.events.length) return;
    if (!events.length) await drop(tx, id);
    else
      await Promise.all([
        tx.objectStore('segments').put({ id, events }),
        tx.objectStore('segment_info').put({ ...info, count: events.length }),
      ]);
  };
  /** Runs `body` in a write transaction and resolves once the transaction committed. */
  const inWrite = async <T>(body: (tx: WriteTransaction) => Promise<T>): Promise<T> => {
    const tx = await write();
    try {
      const [result] = await Promise.all([body(tx), tx.done]);
      return result;
    } catch (error) {
      // A put that failed (quota) aborted the transaction: its error says why, where the
      // request awaited next only says it was aborted. (`done` rejects too: handled here.)
      tx.done.catch(() => {});
      throw unwrap(tx).error ?? error;
    }
  };

  return {
    kind: 'indexeddb',
    append: (segments, queuedAt, maxSize) =>
      inWrite(async (tx) => {
        // The plain stores for the bulk puts: idb would wrap each request in a promise and two
        // listeners, and a failed put aborts the transaction, which `tx.done` reports anyway.
        const raw = unwrap(tx.objectStore('segments'));
        const infos = tx.objectStore('segment_info');
        let inTask = 0;
        for (const [i, segment] of segments.entries()) {
          raw.put(segment);
          const info = {
            id: segment.id,
            queued_at: queuedAt + i / 1000,
            count: segment.events.length,
            lease_until: 0,
          };
          inTask += segment.events.length;
          if (inTask < EVENTS_PER_TASK && i < segments.length - 1) unwrap(infos).put(info);
          else {
            // Each put clones its events on the main thread. Waiting for a request ends the task
            // (its success event is a new one) while the transaction stays active, so one
            // transaction's writes spread over short tasks instead of one long one.
            await infos.put(info);
            inTask = 0;
          }
        }
        return dropOverflow(tx, maxSize);
      }),
    claim: (limit, now, leaseMs, expireBefore) =>
      inWrite(async (tx) => {
        const writes: Array<Promise<unknown>> = [];
        const picked: SegmentInfo[] = [];
        let expired = 0;
        let total = 0;
        for (const info of await infosOf(tx)) {
          if (info.queued_at < expireBefore) {
            writes.push(drop(tx, info.id));
            expired += info.count;
            continue;
          }
          if (info.lease_until > now) continue;
          if (picked.length && total + info.count > limit) break;
          picked.push(info);
          total += info.count;
          if (total >= limit) break;
        }
        const infos = tx.objectStore('segment_info');
        for (const info of picked) writes.push(infos.put({ ...info, lease_until: now + leaseMs }));
        const segments = await Promise.all(
          picked.map((info) => tx.objectStore('segments').get(info.id)),
        );
        await Promise.all(writes);
        return { segments: segments.filter((segment) => segment !== undefined), expired };
      }),
    remove: async (ids) => {
      if (ids.length) await inWrite((tx) => Promise.all(ids.map((id) => drop(tx, id))));
    },
    removeEvents: async (bySegment) => {
      const ids = Object.keys(bySegment);
      if (!ids.length) return;
      await inWrite((tx) => Promise.all(ids.map((id) => keepRest(tx, id, new Set(bySegment[id])))));
    },
    release: async (ids) => {
      if (!ids.length) return;
      await inWrite(async (tx) => {
        const infos = tx.objectStore('segment_info');
        for (const info of await Promise.all(ids.map((id) => infos.get(id))))
          if (info) await infos.put({ ...info, lease_until: 0 });
      });
    },
    async all() {
      const database = await use();
      const tx = database.transaction(['segments', 'segment_info'], 'readonly');
      const [infos, segments] = await Promise.all([
        tx.objectStore('segment_info').index('queued_at').getAll(),
        tx.objectStore('segments').getAll(),
      ]);
      const byId = new Map(segments.map((segment) => [segment.id, segment.events]));
      return infos.flatMap((info): TelemetryEvent[] => byId.get(info.id) ?? []);
    },
    async count() {
      const infos = await (await use()).getAll('segment_info');
      return infos.reduce((sum, info) => sum + info.count, 0);
    },
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

/**
 * Drops the oldest events beyond `maxSize`: whole segments first, then the oldest events of
 * the next one. The newest events describe the present best.
 */
async function dropOverflow(
  tx: WriteTransaction,
  maxSize: number,
): Promise<{ dropped: number; size: number }> {
  const infos = await tx.objectStore('segment_info').index('queued_at').getAll();
  let size = infos.reduce((sum, info) => sum + info.count, 0);
  let dropped = 0;
  for (const info of infos) {
    if (size <= maxSize) break;
    const excess = size - maxSize;
    if (excess >= info.count) {
      await Promise.all([
        tx.objectStore('segments').delete(info.id),
        tx.objectStore('segment_info').delete(info.id),
      ]);
      size -= info.count;
      dropped += info.count;
      continue;
    }
    const segment = await tx.objectStore('segments').get(info.id);
    if (!segment) continue;
    const events = segment.events.slice(excess);
    await Promise.all([
      tx.objectStore('segments').put({ id: info.id, events }),
      tx.objectStore('segment_info').put({ ...info, count: events.length }),
    ]);
    size -= excess;
    dropped += excess;
  }
  return { dropped, size };
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
