import { newId } from '../lib/newId.js';
import type { TelemetryEvent } from '../wire/event.js';

/** Events per segment made from an older queue: a default batch. */
const UPGRADE_SEGMENT_SIZE = 100;

/** A record of versions 1 and 2: one event each (version 1 also kept its lease in it). */
interface EventRecord {
  id: string;
  queued_at: number;
  event: TelemetryEvent;
}

/**
 * Creates or upgrades the queue database, inside the `versionchange` transaction: version 3
 * keeps events in segments (`segments`, with a small `segment_info` record each). A queue of
 * versions 1 and 2 (an `events` record per event, and in 2 a `leases` store) is read in its
 * order, written as segments of a default batch, and its stores deleted — in the same
 * transaction, so an upgrade that fails leaves the old queue as it was. Old leases are not
 * carried over: they lasted a minute, and a batch a tab was sending when the database changed
 * under it is sent again, and deduplicated by the collector by event id.
 */
export function upgradeQueueDatabase(
  database: IDBDatabase,
  transaction: IDBTransaction | null,
  oldVersion: number,
): void {
  if (!database.objectStoreNames.contains('segments'))
    database.createObjectStore('segments', { keyPath: 'id' });
  if (!database.objectStoreNames.contains('segment_info'))
    database
      .createObjectStore('segment_info', { keyPath: 'id' })
      .createIndex('queued_at', 'queued_at');
  if (oldVersion < 1 || oldVersion >= 3 || !transaction) return;
  if (!database.objectStoreNames.contains('events')) return;
  const read = transaction.objectStore('events').index('queued_at').getAll();
  read.onsuccess = () => {
    const records = read.result as EventRecord[];
    const segments = transaction.objectStore('segments');
    const infos = transaction.objectStore('segment_info');
    for (let start = 0; start < records.length; start += UPGRADE_SEGMENT_SIZE) {
      const chunk = records.slice(start, start + UPGRADE_SEGMENT_SIZE);
      const id = newId();
      segments.put({ id, json: JSON.stringify(chunk.map((record) => record.event)) });
      infos.put({ id, queued_at: chunk[0]!.queued_at, count: chunk.length, lease_until: 0 });
    }
    database.deleteObjectStore('events');
    if (database.objectStoreNames.contains('leases')) database.deleteObjectStore('leases');
  };
}
