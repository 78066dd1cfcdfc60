/**
 * Everything the library keeps on the device, in one place: the localStorage keys (each under
 * `<storageKey>:`) and the IndexedDB database. `KeyValue` takes only these names, so a value
 * cannot be written under a key this list does not know, and what a revoke or a forget deletes
 * is derived from it: a key added here is deleted with the rest.
 */
export const DEVICE_KEYS = {
  /** The user's decision and its policy version: the only value written before consent. */
  consent: 'consent',
  /** The anonymous id. */
  anonymousId: 'id',
  /** The current session: id, start, last activity. */
  session: 'session',
  /** The salted SHA-256 of the id given to `identify()`. */
  userHash: 'user',
  /** The backoff deadline, so the next page load also waits out an outage. */
  retryAt: 'retry_at',
  /** Drop counts not yet reported to the collector. */
  dropped: 'dropped',
  /** Events a page-hide beacon carried, deleted from the queue on the next load. */
  beaconed: 'beaconed',
} as const;

/** A localStorage key of the library, without its prefix. */
export type DeviceKey = (typeof DEVICE_KEYS)[keyof typeof DEVICE_KEYS];

/**
 * What a revoke (`deny()`) and a forget delete: every key but the decision itself, which a
 * revoke has just written and a forget leaves standing.
 */
export const ERASED_KEYS: readonly DeviceKey[] = Object.values(DEVICE_KEYS).filter(
  (key) => key !== DEVICE_KEYS.consent,
);

/** The IndexedDB database of the event queue: named after the storage key, shared by tabs. */
export const queueDatabaseName = (storageKey: string): string => storageKey;

/** Deletes every id and delivery value: `ERASED_KEYS`. */
export function eraseDeviceKeys(kv: { remove(key: DeviceKey): void }): void {
  for (const key of ERASED_KEYS) kv.remove(key);
}

/**
 * Deletes every id and delivery value and the queue database. Needs no delivery code: a revoke
 * in a tab that never sent anything must still delete what another tab or an earlier visit
 * stored.
 */
export function eraseDeviceData(
  kv: { remove(key: DeviceKey): void },
  indexedDB: IDBFactory | undefined,
  storageKey: string,
): Promise<void> {
  eraseDeviceKeys(kv);
  return indexedDB ? deleteDatabase(indexedDB, queueDatabaseName(storageKey)) : Promise.resolve();
}

/**
 * Deletes a database. Resolves after at most 3 s even when blocked: a blocked delete completes
 * once the other tabs close their connections, which they do on the `versionchange` it fires.
 */
export function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3_000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      const request = factory.deleteDatabase(name);
      request.onsuccess = done;
      request.onerror = done;
    } catch {
      done();
    }
  });
}
