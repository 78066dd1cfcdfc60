import type { KeyValue } from './keyValue.js';

/**
 * What the library keeps in localStorage besides the consent decision: the ids (anonymous,
 * session, hashed user) and the delivery state kept beside them. All of it is written only
 * with consent, and all of it goes on a revoke or a forget.
 */
const DEVICE_KEYS = ['id', 'session', 'user', 'retry_at', 'dropped', 'beaconed'];

export function clearDeviceKeys(kv: KeyValue): void {
  for (const name of DEVICE_KEYS) kv.remove(name);
}

/**
 * Deletes the queue database without loading the delivery engine (a revoke in a tab that never
 * sent anything must still delete what another tab or an earlier visit stored). Resolves after
 * at most 3 s even when blocked: a blocked delete completes once the other tabs close their
 * connections, which they do on the `versionchange` it fires.
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
