import type { TelemetryEvent } from 'telemetry-kit';
import { testEvent } from './harness.js';

/**
 * Writes a queue database exactly as release 0.1.0 did (src/indexeddb.ts at commit 0b18025,
 * database version 2): one `events` record per event, `{ id, queued_at, event }`, indexed by
 * `queued_at`, stamped `queuedAt + i / 1000`, and a `leases` store holding one record per
 * claimed batch, `{ id, ids, until }`. Kept apart from the library's code on purpose: it is
 * what an upgrade must read, whatever the library writes today. Resolves with the event ids
 * in queue order.
 */
export async function writeReleaseQueue(
  factory: IDBFactory,
  name: string,
  count: number,
  { leased = 0, queuedAt = 1_000 } = {},
): Promise<string[]> {
  const request = factory.open(name, 2);
  request.onupgradeneeded = (upgrade) => {
    const database = request.result;
    if (upgrade.oldVersion < 1) {
      const store = database.createObjectStore('events', { keyPath: 'id' });
      store.createIndex('queued_at', 'queued_at');
    }
    database.createObjectStore('leases', { keyPath: 'id' });
  };
  const database = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const events: TelemetryEvent[] = Array.from({ length: count }, (_, i) =>
    testEvent(`release-event-${String(i).padStart(5, '0')}`, 'release.event'),
  );
  const tx = database.transaction(['events', 'leases'], 'readwrite');
  for (const [i, event] of events.entries())
    tx.objectStore('events').put({ id: event.id, queued_at: queuedAt + i / 1000, event });
  if (leased)
    tx.objectStore('leases').put({
      id: 'lease-of-a-closed-tab',
      ids: events.slice(0, leased).map((event) => event.id),
      until: Date.now() + 60_000,
    });
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  database.close();
  return events.map((event) => event.id);
}
