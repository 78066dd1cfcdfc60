import type { EventStore } from './event-store.js';
import { errorResponse } from './json-response.js';
import { createPgliteStore } from './pglite-store.js';
import { createPostgresStore } from './postgres-store.js';

/** Where the collector's store comes from and how long it keeps events. */
export interface StoreLifecycleOptions {
  /** A store the caller owns (not closed here), or `undefined` to open the default one. */
  store: EventStore | Promise<EventStore> | undefined;
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  retentionDays: number;
  now: () => number;
  onError: (error: unknown, during: string) => void;
  /** Told about each failed store operation, for `telemetry_kit_store_errors_total`. */
  countStoreError: () => void;
}

/** Runs `work` on the open store; a store that did not open or failed answers `503`. */
export type WithStore = (
  work: (store: EventStore) => Promise<Response>,
  headers: HeadersInit,
) => Promise<Response>;

/** The store from opening to closing, with retention running while it is open. */
export interface StoreLifecycle {
  withStore: WithStore;
  ready(): Promise<CollectorReadiness>;
  deleteExpired(): Promise<number>;
  /** Rebuilds the store's rollups from its raw events; returns how many rows were written. */
  rebuildRollups(): Promise<number>;
  /** Stops the retention timer and closes the store if this lifecycle opened it. Idempotent. */
  close(): Promise<void>;
  /** True once `close()` was called. */
  readonly closed: boolean;
}

const DAY_MS = 86_400_000;
/** `Retry-After` seconds of every 503 the collector sends. */
/** Whether the store opened. Errors are data: the CLI prints `reason` and exits. */
export type CollectorReadiness =
  | { ok: true; storeKind: 'pglite' | 'postgres' }
  | { ok: false; reason: string };

export const STORE_RETRY_AFTER = '5';

/**
 * Opens the store in the background; `ready()` reports the outcome, which never rejects.
 *
 * @param options.store - A store the caller opened and will close; default: open one here.
 * @param options.dataDir - PGlite's data directory when no `databaseUrl` is given.
 * @param options.databaseUrl - PostgreSQL instead of PGlite.
 * @param options.retentionDays - Events older than this are deleted at start and then daily.
 * @param options.now - The clock retention counts from.
 * @param options.onError - Told about failed retention runs and store errors behind a 503.
 * @param options.countStoreError - Told once per failed store operation, those as well as a
 *   store that did not open.
 */
export function createStoreLifecycle(options: StoreLifecycleOptions): StoreLifecycle {
  const { retentionDays, now, onError, countStoreError } = options;
  const ownsStore = options.store === undefined;
  const storePromise: Promise<EventStore> = Promise.resolve(
    options.store ?? openDefaultStore(options),
  );
  storePromise.catch(() => {});
  let retentionTimer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const deleteExpired = async () => {
    const store = await storePromise;
    return store.deleteOlderThan(new Date(now() - retentionDays * DAY_MS));
  };

  const readiness: Promise<CollectorReadiness> = storePromise.then(
    (store) => {
      if (!closed) {
        // Retention runs at start and then daily; unref() so the timer never keeps the process
        // alive on its own. A failed run is retried the next day.
        const runRetention = () =>
          deleteExpired().catch((error) => {
            countStoreError();
            onError(error, 'retention');
          });
        runRetention();
        retentionTimer = setInterval(runRetention, DAY_MS);
        retentionTimer.unref();
      }
      return { ok: true as const, storeKind: store.database.kind };
    },
    (error: unknown) => ({ ok: false as const, reason: errorMessage(error) }),
  );

  const withStore: WithStore = async (work, headers) => {
    let store: EventStore;
    try {
      store = await storePromise;
    } catch (error) {
      countStoreError();
      return errorResponse(
        503,
        'store_unavailable',
        `the database did not open: ${errorMessage(error)}`,
        {
          ...headers,
          'retry-after': STORE_RETRY_AFTER,
        },
      );
    }
    try {
      return await work(store);
    } catch (error) {
      // Details stay in the server: a database error message may echo stored data.
      countStoreError();
      onError(error, 'store');
      return errorResponse(
        503,
        'store_unavailable',
        'the database did not answer; try again later',
        {
          ...headers,
          'retry-after': STORE_RETRY_AFTER,
        },
      );
    }
  };

  return {
    withStore,
    ready: () => readiness,
    deleteExpired,
    rebuildRollups: async () => (await storePromise).rebuildRollups(),
    async close() {
      if (closed) return;
      closed = true;
      if (retentionTimer) clearInterval(retentionTimer);
      if (ownsStore) {
        const store = await storePromise.catch(() => undefined);
        await store?.close();
      }
    },
    get closed() {
      return closed;
    },
  };
}

function openDefaultStore(options: StoreLifecycleOptions): Promise<EventStore> {
  if (options.databaseUrl) return createPostgresStore({ connectionString: options.databaseUrl });
  return createPgliteStore(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
