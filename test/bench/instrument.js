// Injected before any page script (Playwright addInitScript) on the burst and outage pages.
// Counts the IndexedDB transactions the page opens, what each one writes, and how many events
// were durably written (puts into the events store of transactions that completed); records
// long tasks.
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
  const originalTransaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, options) {
    const tx = originalTransaction.call(this, stores, mode, options);
    if (own.has(this)) return tx;
    if (mode === 'readwrite') {
      stats.readwrite++;
      const ops = { puts: 0, deletes: 0, updates: 0, leases: 0 };
      live.set(tx, ops);
      tx.addEventListener('complete', () => {
        stats.persisted += ops.puts;
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
      // A claim writes its lease (database version 2: the 'leases' store), not the events.
      if (ops) ops[field === 'puts' && this.name === 'leases' ? 'leases' : field]++;
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
      if (!db.objectStoreNames.contains('events')) return -1;
      return await new Promise((resolve, reject) => {
        const request = db.transaction('events', 'readonly').objectStore('events').count();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  };
  window.__bench = { stats, storedCount };
})();
