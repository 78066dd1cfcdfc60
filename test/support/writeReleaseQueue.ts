/** Options of `writeReleaseQueue`; plain data, so a real browser page can be handed them. */
export interface ReleaseQueue {
  /** The IndexedDB factory; the page's own `indexedDB` when left out. */
  factory?: IDBFactory;
  name: string;
  /** Events to write. */
  count: number;
  /** The first `leased` events are held by a lease of a tab that then closed. */
  leased?: number;
  /** When they were queued (ms); the i-th is stamped `queuedAt + i / 1000`. */
  queuedAt?: number;
}

/**
 * Writes a queue database exactly as release 0.1.0 did (src/indexeddb.ts at commit 0b18025,
 * database version 2): one `events` record per event, `{ id, queued_at, event }`, indexed by
 * `queued_at`, and a `leases` store holding one record per claimed batch, `{ id, ids, until }`.
 * Kept apart from the library's code on purpose: it is what an upgrade must read, whatever the
 * library writes today. Self-contained (no import, no outer name) so that Playwright can run it
 * in a page. Resolves with the event ids in queue order.
 */
export async function writeReleaseQueue(queue: ReleaseQueue): Promise<string[]> {
  const { name, count, leased = 0, queuedAt = Date.now() - 60_000 } = queue;
  const factory = queue.factory ?? indexedDB;
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
  const ids = Array.from(
    { length: count },
    (_, i) => `release-event-${String(i).padStart(5, '0')}`,
  );
  const tx = database.transaction(['events', 'leases'], 'readwrite');
  for (const [i, id] of ids.entries()) {
    const event = {
      id,
      event_type: 'release.event',
      timestamp: new Date(queuedAt + i).toISOString(),
      anonymous_id: 'release-anonymous-id',
      session_id: 'release-session-id',
      metadata: { i },
      context: { path: '/' },
    };
    tx.objectStore('events').put({ id, queued_at: queuedAt + i / 1000, event });
  }
  if (leased)
    tx.objectStore('leases').put({
      id: 'lease-of-a-closed-tab',
      ids: ids.slice(0, leased),
      until: Date.now() + 60_000,
    });
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  database.close();
  return ids;
}
