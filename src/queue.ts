import { deleteDatabase } from './deviceData.js';
import { openIndexedDbStore } from './indexeddb.js';
import { createMemoryStore, type EventStore } from './store.js';
import type { DropReason, StorageKind, TelemetryEvent } from './types.js';

/**
 * Events per IndexedDB transaction. Each `put` structured-clones its value on the main thread,
 * so one huge transaction would be one long task; chunks with a yield between them keep every
 * task short while 10,000 events still take only 10 transactions.
 */
export const PERSIST_CHUNK = 1_000;
/** A burst of calls within this window is persisted together. */
const PERSIST_DELAY_MS = 20;
/** This tab's not-yet-acknowledged events kept in memory for the page-hide beacon. */
const LOCAL_LIMIT = 2_000;

export interface QueueOptions {
  /** IndexedDB factory; undefined means memory only. */
  indexedDB: IDBFactory | undefined;
  databaseName: string;
  maxSize: number;
  now: () => number;
  /** The consent gate, checked before anything is written. */
  allowed: () => boolean;
  onDropped: (reason: DropReason, count: number) => void;
  onProblem: (message: string, detail?: unknown) => void;
}

/**
 * Staging in memory, then persisting in batched transactions. The store is opened on the first
 * write, which only happens after consent: before it no database exists.
 */
export interface Queue {
  /** Adds an event to memory; `persist` (or `schedule`) writes it. */
  stage(event: TelemetryEvent): void;
  /** Persists what is staged soon, together with whatever else is staged until then. */
  schedule(): void;
  /** Writes everything staged. Resolves once it is stored (or known lost and counted). */
  persist(): Promise<void>;
  /** The store, opening it if needed; null while consent does not allow one. */
  store(): Promise<EventStore | null>;
  storage(): StorageKind;
  /** Staged plus stored (as last seen): the events waiting on this device. */
  size(): number;
  /** This tab's events that no request has acknowledged or another tab claimed, oldest first. */
  unacknowledged(): TelemetryEvent[];
  /** Tells the other tabs that this one claimed these events, so they do not beacon them. */
  announceClaim(ids: readonly string[]): void;
  /** Forgets events that were delivered, from memory and (if `fromStore`) from storage. */
  acknowledge(ids: readonly string[], fromStore: boolean): Promise<void>;
  /** Staged and stored events, without removing anything. */
  snapshot(): Promise<TelemetryEvent[]>;
  /** Learns the stored count after another module changed it. */
  noteStoredSize(size: number): void;
  /** Discards everything and deletes the database. */
  destroy(): Promise<void>;
  close(): void;
}

export function createQueue(options: QueueOptions): Queue {
  let staged: TelemetryEvent[] = [];
  /** The chunk being written: neither staged nor known to be stored yet. */
  let inWrite: TelemetryEvent[] = [];
  /**
   * This tab's recent events, for the page-hide beacon, minus the ids in `taken` (acknowledged,
   * dropped, or claimed by another tab). An array and a set rather than a Map keyed by id:
   * `stage()` runs on every `track()`, and a push is cheaper than hashing the id.
   */
  let recent: TelemetryEvent[] = [];
  let taken = new Set<string>();
  const forget = (id: string) => taken.add(id);
  let opening: Promise<EventStore | null> | null = null;
  let current: EventStore | null = null;
  let storedSize = 0;
  let writing: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  /** How many times the queue was destroyed: an open begun before a destroy must not be used. */
  let destroyed = 0;
  let destroying: Promise<void> = Promise.resolve();
  /**
   * Tabs tell each other which events they claimed: an event persisted by tab A and sent by
   * tab B must not go out again in A's page-hide beacon.
   */
  let channel: BroadcastChannel | null = null;
  const openChannel = () => {
    if (channel || typeof BroadcastChannel !== 'function') return;
    try {
      channel = new BroadcastChannel(`${options.databaseName}:claims`);
      channel.onmessage = (message: MessageEvent<{ claimed?: unknown }>) => {
        const claimed = message.data?.claimed;
        if (Array.isArray(claimed)) for (const id of claimed) forget(String(id));
      };
    } catch {
      channel = null;
    }
  };
  const closeChannel = () => {
    channel?.close();
    channel = null;
  };
  /** Next free queue stamp: chunks written in the same millisecond still keep their order. */
  let nextStamp = 0;
  const stamp = (count: number) => {
    const start = Math.max(options.now(), nextStamp);
    nextStamp = start + count / 1000;
    return start;
  };

  const fallBackToMemory = (reason: string, detail?: unknown) => {
    options.onProblem(`${reason}; events are kept in memory for this page instead`, detail);
    current?.close();
    current = createMemoryStore();
    storedSize = 0;
    return current;
  };

  const store = (): Promise<EventStore | null> => {
    if (closed || !options.allowed()) return Promise.resolve(null);
    if (current) return Promise.resolve(current);
    opening ??= (async () => {
      const generation = destroyed;
      // A deletion still running (a revoke just before a new grant) finishes first; otherwise
      // it would delete the database this open creates.
      await destroying;
      const factory = options.indexedDB;
      let opened: EventStore | null = null;
      if (factory) {
        try {
          opened = await openIndexedDbStore(factory, options.databaseName);
        } catch {}
      }
      // A revoke (or forget) while the database was opening wins: close it again.
      if (closed || !options.allowed() || generation !== destroyed) {
        opened?.close();
        return null;
      }
      if (!opened)
        return fallBackToMemory(
          factory ? 'IndexedDB could not be opened' : 'IndexedDB is not available',
        );
      current = opened;
      openChannel();
      storedSize = await opened.count().catch(() => 0);
      return current;
    })().finally(() => {
      opening = null;
    });
    return opening;
  };

  const writeChunk = async (chunk: TelemetryEvent[]) => {
    const target = await store();
    if (!target) return false;
    try {
      const result = await target.append(chunk, stamp(chunk.length), options.maxSize);
      storedSize = result.size;
      if (result.dropped) options.onDropped('overflow', result.dropped);
    } catch (error) {
      const quota = (error as { name?: string } | null)?.name === 'QuotaExceededError';
      const memory = fallBackToMemory(
        quota ? 'IndexedDB is full' : 'IndexedDB failed to write',
        error,
      );
      const result = await memory.append(chunk, stamp(chunk.length), options.maxSize);
      storedSize = result.size;
      if (result.dropped) options.onDropped('overflow', result.dropped);
    }
    return true;
  };

  const persist = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    writing = writing
      .then(async () => {
        while (staged.length && !closed && options.allowed()) {
          // The chunk leaves staging before the write, so staging's own bound cannot drop (and
          // count) events that the store is about to keep, or drop and count, itself.
          // writeChunk fails only when no store may be used: consent revoked or the queue
          // destroyed or closed, and then these events are to be discarded anyway.
          inWrite = staged.splice(0, PERSIST_CHUNK);
          const stored = await writeChunk(inWrite);
          inWrite = [];
          if (!stored) return;
          if (staged.length) await new Promise((resolve) => setTimeout(resolve, 0));
        }
      })
      .catch((error) => options.onProblem('could not persist events', error));
    return writing;
  };

  return {
    stage(event) {
      staged.push(event);
      // Trimmed now and then, not on every call: keep the newest LOCAL_LIMIT.
      if (recent.push(event) > LOCAL_LIMIT * 2) {
        recent = recent.slice(-LOCAL_LIMIT);
        const kept = new Set(recent.map((item) => item.id));
        taken = new Set([...taken].filter((id) => kept.has(id)));
      }
      // Staged events are bounded too: a tab whose writes stall must not grow without limit.
      if (staged.length > options.maxSize) {
        const dropped = staged.splice(0, staged.length - options.maxSize);
        for (const event of dropped) forget(event.id);
        options.onDropped('overflow', dropped.length);
      }
    },
    schedule() {
      timer ??= setTimeout(() => {
        timer = undefined;
        void persist();
      }, PERSIST_DELAY_MS);
    },
    persist,
    store,
    storage: () => current?.kind ?? 'none',
    size: () => staged.length + inWrite.length + storedSize,
    unacknowledged: () => recent.slice(-LOCAL_LIMIT).filter((event) => !taken.has(event.id)),
    announceClaim(ids) {
      try {
        channel?.postMessage({ claimed: ids });
      } catch {}
    },
    async acknowledge(ids, fromStore) {
      const gone = new Set(ids);
      for (const id of ids) forget(id);
      staged = staged.filter((event) => !gone.has(event.id));
      if (!fromStore) return;
      const target = await store();
      if (!target) return;
      try {
        await target.remove(ids);
        storedSize = Math.max(0, storedSize - ids.length);
      } catch (error) {
        options.onProblem(
          'could not delete delivered events; the collector will drop the repeats',
          error,
        );
      }
    },
    async snapshot() {
      // Open the store if needed: right after start-up it may still be opening.
      const target = await store();
      const stored = target ? await target.all().catch(() => []) : [];
      const seen = new Set(stored.map((event) => event.id));
      return [...stored, ...[...inWrite, ...staged].filter((event) => !seen.has(event.id))];
    },
    noteStoredSize(size) {
      storedSize = size;
    },
    destroy() {
      // Everything up to the first await runs at once, so a grant right after a revoke sees an
      // empty queue and waits for the deletion before it opens the database again.
      destroyed++;
      staged = [];
      inWrite = [];
      recent = [];
      taken = new Set();
      storedSize = 0;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const target = current;
      const pending = opening;
      current = null;
      closeChannel();
      destroying = (async () => {
        await pending;
        if (target) await target.destroy().catch(() => {});
        // Also when this tab had no connection: another tab's database may exist.
        else if (options.indexedDB) await deleteDatabase(options.indexedDB, options.databaseName);
      })();
      return destroying;
    },
    close() {
      closed = true;
      closeChannel();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      current?.close();
    },
  };
}
