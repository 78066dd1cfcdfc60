import type { QueueStore } from './queueStore.js';

/**
 * How many events the store holds, as last learnt, and of which store: a count that arrives
 * after the queue moved on to another store (or to none: a revoke destroyed it) is ignored, so
 * a write that completes after a destroy does not bring its count back.
 */
export function createStoredCount() {
  let size = 0;
  let of: QueueStore | null = null;
  return {
    get: () => size,
    /** Counts `target` from now on; true when it was another store's count until now. */
    follow(target: QueueStore): boolean {
      if (target === of) return false;
      of = target;
      size = 0;
      return true;
    },
    set(target: QueueStore, count: number) {
      if (target === of) size = Math.max(0, count);
    },
    subtract(target: QueueStore, count: number) {
      if (target === of) size = Math.max(0, size - count);
    },
    reset() {
      size = 0;
      of = null;
    },
  };
}

export type StoredCount = ReturnType<typeof createStoredCount>;
