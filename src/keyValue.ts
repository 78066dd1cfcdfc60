/**
 * The few small values kept in localStorage: the consent decision (the only one allowed before
 * consent), the anonymous id, the session and the hashed user id. Every access is guarded:
 * storage can be disabled, full, or throw a SecurityError in sandboxed frames.
 */
export interface KeyValue {
  get(name: string): string | null;
  set(name: string, value: string): boolean;
  remove(name: string): void;
  /** The full localStorage key of `name`, to match `storage` events from other tabs. */
  keyOf(name: string): string;
}

export function createKeyValue(storage: Storage | undefined, prefix: string): KeyValue {
  const memory = new Map<string, string>();
  const keyOf = (name: string) => `${prefix}:${name}`;
  return {
    keyOf,
    get(name) {
      try {
        if (storage) return storage.getItem(keyOf(name));
      } catch {}
      return memory.get(name) ?? null;
    },
    set(name, value) {
      try {
        if (storage) {
          storage.setItem(keyOf(name), value);
          return true;
        }
      } catch {}
      memory.set(name, value);
      return false;
    },
    remove(name) {
      memory.delete(name);
      try {
        storage?.removeItem(keyOf(name));
      } catch {}
    },
  };
}

/** `JSON.parse` that answers `undefined` instead of throwing. */
export function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
