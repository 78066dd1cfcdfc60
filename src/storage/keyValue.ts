import type { DeviceKey } from './deviceKeys.js';

/**
 * The few small values kept in localStorage (the keys of `DEVICE_KEYS`). Every access is
 * guarded: storage can be disabled, full, or throw a SecurityError in sandboxed frames, and then
 * values live in memory for the page.
 */
export interface KeyValue {
  get(key: DeviceKey): string | null;
  set(key: DeviceKey, value: string): boolean;
  remove(key: DeviceKey): void;
  /** The full localStorage key of `key`, to match `storage` events from other tabs. */
  keyOf(key: DeviceKey): string;
}

export function createKeyValue(storage: Storage | undefined, prefix: string): KeyValue {
  const memory = new Map<string, string>();
  const keyOf = (key: DeviceKey) => `${prefix}:${key}`;
  return {
    keyOf,
    get(key) {
      try {
        if (storage) return storage.getItem(keyOf(key));
      } catch {}
      return memory.get(key) ?? null;
    },
    set(key, value) {
      try {
        if (storage) {
          storage.setItem(keyOf(key), value);
          return true;
        }
      } catch {}
      memory.set(key, value);
      return false;
    },
    remove(key) {
      memory.delete(key);
      try {
        storage?.removeItem(keyOf(key));
      } catch {}
    },
  };
}
