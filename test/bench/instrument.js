// Injected before any page script (Playwright addInitScript) on the burst and outage pages.
// Counts the IndexedDB transactions the page opens, what each one writes, and how many events
// were durably written (the events of the segments put by transactions that completed);
// records long tasks.
(() => {
  const own = new WeakSet();
  const stats = {
    readwrite: 0,
    readonly: 0,
    appends: 0,
    claims: 0,
    removes: 0,
    other: 0,
    persisted: 0,
    longTasks: [],
  };
  const live = new WeakMap();
  /** Segment ids seen put: what is new and what is rewritten. */
  const segments = new Set();
  const originalTransaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, options) {
    const tx = originalTransaction.call(this, stores, mode, options);
    if (own.has(this)) return tx;
    if (mode === 'readwrite') {
      stats.readwrite++;
      const ops = { puts: 0, events: 0, deletes: 0, updates: 0, leases: 0 };
      live.set(tx, ops);
      tx.addEventListener('complete', () => {
        stats.persisted += ops.events;
        if (ops.puts) stats.appends++;
        else if (ops.updates || ops.leases) stats.claims++;
        else if (ops.deletes) stats.removes++;
        else stats.other++;
      });
    } else stats.readonly++;
    return tx;
  };
  const count = (proto, method, field) => {
    const original = proto[method];
    proto[method] = function (...args) {
      const tx =
        this instanceof IDBCursor
          ? (this.source.objectStore ?? this.source).transaction
          : this.transaction;
      const ops = live.get(tx);
      // Database version 3: events are put in segments ('segments', a record of up to a batch,
      // its events serialised) with a small 'segment_info' record each, which holds the count;
      // a claim writes the lease into that record. A segment is counted once, when its info is
      // first put (an overflow trim or a partial delete rewrites it under the same id).
      if (ops && field === 'puts') {
        const value = args[0];
        if (this.name === 'segments') ops.puts++;
        else if (this.name === 'segment_info' && value?.lease_until > 0) ops.leases++;
        else if (this.name === 'segment_info' && !segments.has(value?.id)) {
          segments.add(value?.id);
          ops.events += value?.count ?? 0;
        }
      } else if (ops) ops[field]++;
      return original.apply(this, args);
    };
  };
  count(IDBObjectStore.prototype, 'put', 'puts');
  count(IDBObjectStore.prototype, 'add', 'puts');
  count(IDBObjectStore.prototype, 'delete', 'deletes');
  count(IDBCursor.prototype, 'delete', 'deletes');
  count(IDBCursor.prototype, 'update', 'updates');
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        stats.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}

  /** Counts the stored events from a second connection (never creates the database). */
  const storedCount = async (name = 'telemetry-kit') => {
    const known = await indexedDB.databases();
    if (!known.some((db) => db.name === name)) return -1;
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    own.add(db);
    try {
      if (!db.objectStoreNames.contains('segment_info')) return -1;
      return await new Promise((resolve, reject) => {
        const request = db
          .transaction('segment_info', 'readonly')
          .objectStore('segment_info')
          .getAll();
        request.onsuccess = () =>
          resolve(request.result.reduce((sum, info) => sum + info.count, 0));
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  };
  window.__bench = { stats, storedCount };
})();
