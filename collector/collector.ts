import { createAdminAccess } from './admin-access.js';
import type { ClientInfo } from './collector-route.js';
import { collectorRoutes, type RouteEntry } from './collector-routes.js';
import { createCorsPolicy } from './cors.js';
import type { EventStore } from './event-store.js';
import { errorResponse } from './json-response.js';
import { createCollectorMetrics } from './metrics.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import {
  type CollectorReadiness,
  createStoreLifecycle,
  STORE_RETRY_AFTER,
} from './store-lifecycle.js';

/** Options of `createCollector`. Everything has a default; `adminToken` is strongly advised. */
export interface CollectorOptions {
  /**
   * Where events go. Default: PostgreSQL when `databaseUrl` is set, else embedded PGlite in
   * `dataDir`, else PGlite in memory. A store passed here is not closed by `close()`.
   */
  store?: EventStore | Promise<EventStore>;
  /** PGlite data directory (ignored when `store` or `databaseUrl` is given). */
  dataDir?: string;
  /** PostgreSQL connection string (ignored when `store` is given). */
  databaseUrl?: string;
  /** Origins whose pages may send and delete (`https://app.example.com`, or `*`). Default none. */
  allowedOrigins?: readonly string[];
  /**
   * Token for the dashboard, `GET /v1/stats` and `/v1/manifests/:library`. Without one they
   * answer only to loopback connections that name a loopback host.
   */
  adminToken?: string;
  /**
   * Token an OpenTelemetry SDK or Collector sends as `Authorization: Bearer <token>` to
   * `POST /v1/logs`. Without one that route is off (`404`).
   */
  ingestToken?: string;
  /** Events older than this many days are deleted, once at start and then daily. Default 400. */
  retentionDays?: number;
  /** Largest accepted body (a batch, a manifest). Default 1 MiB; larger gets 413. */
  maxBodyBytes?: number;
  /** Most events in one batch. Default 500; more gets 413 so the browser splits the batch. */
  maxEventsPerBatch?: number;
  /**
   * Most log records in one `POST /v1/logs`. Default 2,000: above the SDKs' export batches
   * (512); a Collector relaying here should cap its batches below it. More gets 413.
   */
  maxLogRecordsPerRequest?: number;
  /**
   * Per-client token bucket for ingest and deletion, or `false` for none. Clients are told
   * apart by `ClientInfo.clientAddress`; requests handled without one are not limited.
   */
  rateLimit?: RateLimitOptions | false;
  /** Path of ingest. Default `/v1/events`; deletion is the same with `/subjects/:id` for `/events`. */
  endpointPath?: string;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Told about failures the client only sees as a 5xx (database errors, bugs), since their
   * details stay out of responses. Default: `console.error`.
   */
  onError?: (error: unknown, during: string) => void;
}

export type { ClientInfo } from './collector-route.js';
export type { CollectorReadiness } from './store-lifecycle.js';

/** The reference collector: a Fetch-API handler plus its lifecycle. */
export interface Collector {
  /** Answers one request. Never rejects: failures become 4xx / 5xx responses. */
  handle(request: Request, client?: ClientInfo): Promise<Response>;
  /** Resolves once the store is open and migrated, or with why it could not be. */
  ready(): Promise<CollectorReadiness>;
  /** Deletes events older than the retention period now; returns how many. */
  deleteExpired(): Promise<number>;
  /**
   * Rebuilds the rollups the dashboard reads from the raw events (`EventStore.rebuildRollups`);
   * returns how many rollup rows were written. Ingest waits while it runs.
   */
  rebuildRollups(): Promise<number>;
  /** Stops the retention timer and closes a store this collector opened. Idempotent. */
  close(): Promise<void>;
}

/** Creates the collector. The store opens in the background; `ready()` reports the outcome. */
export function createCollector(options: CollectorOptions = {}): Collector {
  const now = options.now ?? Date.now;
  const onError =
    options.onError ??
    ((error: unknown, during: string) =>
      console.error(`telemetry-kit collector: ${during}:`, error));
  const retentionDays = options.retentionDays ?? 400;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const maxEventsPerBatch = options.maxEventsPerBatch ?? 500;
  const maxLogRecords = options.maxLogRecordsPerRequest ?? 2_000;
  const endpointPath = options.endpointPath ?? '/v1/events';
  const cors = createCorsPolicy(options.allowedOrigins ?? []);
  const admin = createAdminAccess(options.adminToken);
  const ingestLimiter =
    options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit ?? {}, now);
  const metrics = createCollectorMetrics();
  const lifecycle = createStoreLifecycle({
    store: options.store,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    retentionDays,
    now,
    onError,
    countStoreError: metrics.countStoreError,
  });
  const { withStore } = lifecycle;

  const routes = collectorRoutes({
    endpointPath,
    cors,
    admin,
    limiter: ingestLimiter,
    ingestToken: options.ingestToken ? options.ingestToken : undefined,
    maxBodyBytes,
    maxEventsPerBatch,
    maxLogRecords,
    retentionDays,
    now,
    withStore,
    metrics,
  });

  const answer = async (
    request: Request,
    client: ClientInfo,
    path: string,
    entry: RouteEntry | undefined,
  ): Promise<Response> => {
    if (lifecycle.closed)
      return errorResponse(503, 'closed', 'the collector is shutting down', {
        'retry-after': STORE_RETRY_AFTER,
      });
    if (!entry) return errorResponse(404, 'not_found', 'no such resource');
    try {
      return await entry.route(request, client);
    } catch (error) {
      onError(error, `${request.method} ${path}`);
      return errorResponse(500, 'internal_error', 'an unexpected failure; the operator can see it');
    }
  };

  return {
    async handle(request, client = {}) {
      const started = performance.now();
      const path = new URL(request.url).pathname;
      const entry = routes.find(
        (candidate) =>
          candidate.matches(path) &&
          (candidate.method === undefined || candidate.method === request.method),
      );
      const response = await answer(request, client, path, entry);
      // Unmatched paths share one label: scanners probing random URLs must not add series.
      metrics.countRequest(
        entry?.name ?? 'unmatched',
        response.status,
        (performance.now() - started) / 1000,
      );
      return response;
    },
    ready: lifecycle.ready,
    deleteExpired: lifecycle.deleteExpired,
    rebuildRollups: lifecycle.rebuildRollups,
    close: lifecycle.close,
  };
}
