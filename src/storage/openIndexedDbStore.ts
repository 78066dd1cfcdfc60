import { type DBSchema, type IDBPDatabase, type IDBPTransaction, unwrap, wrap } from 'idb';
import type { TelemetryEvent } from '../wire/event.js';
import { deleteDatabase } from './deviceData.js';
import { eventsOf, type QueueStore, type Segment, segmentOf } from './queueStore.js';
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

/** A segment's record: its events, serialised (see Segment). */
interface SegmentRecord {
  id: string;
  json: string;
}

export interface QueueSchema extends DBSchema {
  segments: { key: string; value: SegmentRecord };
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
        // Plain requests for the bulk puts: idb would wrap each in a promise and two listeners,
        // and a failed put aborts the transaction, which `tx.done` reports anyway. A put copies
        // one string, so a transaction's puts no longer need spreading over several tasks.
        const records = unwrap(tx.objectStore('segments'));
        const infos = unwrap(tx.objectStore('segment_info'));
        for (const [i, { id, count, json }] of segments.entries()) {
          records.put({ id, json });
          infos.put({ id, queued_at: queuedAt + i / 1000, count, lease_until: 0 });
        }
        return dropOverflow(tx, maxSize);
      }),
    claim: (limit, now, leaseMs, expireBefore, settled = []) =>
      inWrite((tx) => claimSegments(tx, limit, now, leaseMs, expireBefore, settled)),
    remove: async (ids) => {
      if (ids.length)
        await inWrite(async (tx) => {
          for (const id of ids) drop(tx, id);
        });
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
      const byId = new Map(segments.map((segment) => [segment.id, segment.json]));
      return infos.flatMap((info): TelemetryEvent[] => {
        const json = byId.get(info.id);
        return json === undefined ? [] : eventsOf({ id: info.id, count: info.count, json });
      });
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
 * Deletes `settled` segments, then leases the oldest unleased segments, whole, up to `limit`
 * events (at least one segment), deleting the expired ones on the way (see QueueStore.claim).
 */
async function claimSegments(
  tx: WriteTransaction,
  limit: number,
  now: number,
  leaseMs: number,
  expireBefore: number,
  settled: readonly string[],
): Promise<{ segments: Segment[]; expired: number }> {
  for (const id of settled) drop(tx, id);
  const picked: SegmentInfo[] = [];
  let expired = 0;
  let total = 0;
  const gone = new Set(settled);
  for (const info of await tx.objectStore('segment_info').index('queued_at').getAll()) {
    if (gone.has(info.id)) continue;
    if (info.queued_at < expireBefore) {
      drop(tx, info.id);
      expired += info.count;
      continue;
    }
    if (info.lease_until > now) continue;
    if (picked.length && total + info.count > limit) break;
    picked.push(info);
    total += info.count;
    if (total >= limit) break;
  }
  const infos = unwrap(tx.objectStore('segment_info'));
  for (const info of picked) infos.put({ ...info, lease_until: now + leaseMs });
  const records = await Promise.all(picked.map((info) => tx.objectStore('segments').get(info.id)));
  const segments: Segment[] = [];
  for (const [i, record] of records.entries())
    if (record) segments.push({ id: record.id, count: picked[i]!.count, json: record.json });
  return { segments, expired };
}

/** Keeps the events of segment `id` not in `gone`; deletes it when none is left. */
async function keepRest(tx: WriteTransaction, id: string, gone: ReadonlySet<string>) {
  const [segment, info] = await Promise.all([
    tx.objectStore('segments').get(id),
    tx.objectStore('segment_info').get(id),
  ]);
  if (!segment || !info) return;
  const events = eventsOf({ ...segment, count: info.count }).filter((event) => !gone.has(event.id));
  if (events.length === info.count) return;
  if (!events.length) drop(tx, id);
  else await rewrite(tx, info, events);
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
      drop(tx, info.id);
      size -= info.count;
      dropped += info.count;
      continue;
    }
    const segment = await tx.objectStore('segments').get(info.id);
    if (!segment) continue;
    await rewrite(tx, info, eventsOf({ ...segment, count: info.count }).slice(excess));
    size -= excess;
    dropped += excess;
  }
  return { dropped, size };
}

/**
 * Deletes a segment and its info. Plain requests, as for the bulk puts: the transaction's outcome
 * is what counts, and idb's promise per request costs more than the delete.
 */
function drop(tx: WriteTransaction, id: string): void {
  unwrap(tx.objectStore('segments')).delete(id);
  unwrap(tx.objectStore('segment_info')).delete(id);
}

/** Writes a segment anew with fewer events, keeping its place and its lease. */
function rewrite(tx: WriteTransaction, info: SegmentInfo, events: TelemetryEvent[]) {
  const { json, count } = segmentOf(info.id, events);
  return Promise.all([
    tx.objectStore('segments').put({ id: info.id, json }),
    tx.objectStore('segment_info').put({ ...info, count }),
  ]);
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
