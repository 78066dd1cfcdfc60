import { parseJson } from '../lib/parseJson.js';
import { DEVICE_KEYS } from './deviceKeys.js';
import { ERASED_KEYS, eraseDeviceKeys } from './eraseDeviceKeys.js';
import type { KeyValue } from './keyValue.js';

/** The IndexedDB database of the event queue: named after the storage key, shared by tabs. */
export const queueDatabaseName = (storageKey: string): string => storageKey;

/** The queue database of a destination's lane. */
export const laneDatabaseName = (storageKey: string, lane: string): string =>
  `${storageKey}@${lane}`;

/** The lanes recorded in `DEVICE_KEYS.lanes`. */
export function storedLanes(kv: Pick<KeyValue, 'get'>): string[] {
  const lanes = parseJson(kv.get(DEVICE_KEYS.lanes));
  return Array.isArray(lanes) ? lanes.filter((lane) => typeof lane === 'string') : [];
}

/** Deletes a destination lane's ids, delivery values and queue database. */
export function eraseLane(
  kv: KeyValue,
  indexedDB: IDBFactory | undefined,
  storageKey: string,
  lane: string,
): Promise<void> {
  for (const key of ERASED_KEYS) kv.remove(`${key}@${lane}`);
  return indexedDB
    ? deleteDatabase(indexedDB, laneDatabaseName(storageKey, lane))
    : Promise.resolve();
}

/**
 * Deletes every id and delivery value and the queue databases, the app's and each recorded
 * destination lane's. Needs no delivery code: a revoke in a tab that never sent anything must
 * still delete what another tab or an earlier visit stored.
 */
export function eraseDeviceData(
  kv: KeyValue,
  indexedDB: IDBFactory | undefined,
  storageKey: string,
): Promise<void> {
  const erasing = storedLanes(kv).map((lane) => eraseLane(kv, indexedDB, storageKey, lane));
  eraseDeviceKeys(kv);
  if (indexedDB) erasing.push(deleteDatabase(indexedDB, queueDatabaseName(storageKey)));
  return Promise.all(erasing).then(() => {});
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
