import type { AdminAccess } from './admin-access.js';
import { adminOnly } from './admin-only.js';
import type { CollectorRoute } from './collector-route.js';
import type { CorsPolicy } from './cors.js';
import { dashboardRoute } from './dashboard-route.js';
import { exportRoute } from './export-route.js';
import { ingestRoute } from './ingest-route.js';
import { createIngestTokenCheck } from './ingest-token.js';
import { jsonResponse } from './json-response.js';
import { logsRoute } from './logs-route.js';
import { manifestsRoute } from './manifests-route.js';
import type { CollectorMetrics } from './metrics.js';
import { metricsRoute } from './metrics-route.js';
import type { RateLimiter } from './rate-limit.js';
import { signInRoute, signOutRoute } from './sign-in-routes.js';
import { statsRoute } from './stats-route.js';
import type { WithStore } from './store-lifecycle.js';
import { subjectsRoute } from './subjects-route.js';
import { TABLE_CSV_PREFIX } from './table-csv-href.js';
import { tableCsvRoute } from './table-csv-route.js';

/** OTLP/HTTP's default path for logs, where every exporter sends unless told otherwise. */
const OTLP_LOGS_PATH = '/v1/logs';

/** `PUT` / `GET /v1/manifests/:library`: a component library's manifest. */
const MANIFESTS_PREFIX = '/v1/manifests/';

/** A row of the route table: the first whose path, and method if it names one, match answers. */
export interface RouteEntry {
  /** The `route` label of its requests in `GET /metrics`: a path template, never a raw path. */
  name: string;
  matches(path: string): boolean;
  /** Other methods fall through to the next entries, and so to `404`. Default: any method. */
  method?: string;
  route: CollectorRoute;
}

/** What the routes share: the collector's options, resolved, and its parts. */
export interface RouteContext {
  endpointPath: string;
  cors: CorsPolicy;
  admin: AdminAccess;
  /** Per-client buckets of ingest and subject requests; `undefined` for none. */
  limiter: RateLimiter | undefined;
  /** The bearer token of `POST /v1/logs`; without one that route is off. */
  ingestToken: string | undefined;
  maxBodyBytes: number;
  maxEventsPerBatch: number;
  maxLogRecords: number;
  retentionDays: number;
  now: () => number;
  withStore: WithStore;
  metrics: CollectorMetrics;
}

/**
 * The collector's route table, in the order it is searched: ingest (native, OTLP when an
 * ingest token is configured), the subject's own access and deletion, health, sign-in, and the
 * admin-only dashboard, stats, CSV tables, export, metrics and manifests.
 */
export function collectorRoutes(context: RouteContext): readonly RouteEntry[] {
  const { endpointPath, cors, admin, limiter, ingestToken, maxBodyBytes, now, withStore } = context;
  const subjectsPrefix = `${endpointPath.replace(/\/events$/, '')}/subjects/`;
  const ingest = {
    cors,
    limiter,
    maxBodyBytes,
    retentionDays: context.retentionDays,
    now,
    withStore,
    metrics: context.metrics,
  };
  return [
    {
      name: endpointPath,
      matches: (path) => path === endpointPath,
      route: ingestRoute({ ...ingest, maxEventsPerBatch: context.maxEventsPerBatch }),
    },
    ...(ingestToken === undefined
      ? []
      : [
          {
            name: OTLP_LOGS_PATH,
            matches: (path: string) => path === OTLP_LOGS_PATH,
            route: logsRoute({
              ...ingest,
              isIngestToken: createIngestTokenCheck(ingestToken),
              maxLogRecords: context.maxLogRecords,
            }),
          },
        ]),
    {
      name: `${subjectsPrefix}:anonymous_id`,
      matches: (path) => path.startsWith(subjectsPrefix),
      route: subjectsRoute({ cors, limiter, pathPrefix: subjectsPrefix, withStore }),
    },
    {
      name: '/healthz',
      matches: (path) => path === '/healthz',
      route: () => jsonResponse(200, { ok: true }),
    },
    {
      name: '/sign-in',
      matches: (path) => path === '/sign-in',
      method: 'POST',
      route: signInRoute({ admin, now }),
    },
    {
      name: '/sign-out',
      matches: (path) => path === '/sign-out',
      method: 'POST',
      route: signOutRoute({ admin }),
    },
    {
      name: '/',
      matches: (path) => path === '/',
      route: adminOnly(
        admin,
        dashboardRoute({ now, withStore, canSignOut: admin.tokenConfigured }),
      ),
    },
    {
      name: '/v1/stats',
      matches: (path) => path === '/v1/stats',
      route: adminOnly(admin, statsRoute({ now, withStore })),
    },
    {
      name: `${TABLE_CSV_PREFIX}:table.csv`,
      matches: (path) => path.startsWith(TABLE_CSV_PREFIX),
      route: adminOnly(admin, tableCsvRoute({ now, withStore })),
    },
    {
      name: '/v1/export',
      matches: (path) => path === '/v1/export',
      route: adminOnly(admin, exportRoute({ now, withStore })),
    },
    {
      name: '/metrics',
      matches: (path) => path === '/metrics',
      route: adminOnly(admin, metricsRoute({ metrics: context.metrics })),
    },
    {
      name: `${MANIFESTS_PREFIX}:library`,
      matches: (path) => path.startsWith(MANIFESTS_PREFIX),
      route: adminOnly(
        admin,
        manifestsRoute({ pathPrefix: MANIFESTS_PREFIX, maxBodyBytes, now, withStore }),
        ['GET', 'HEAD', 'PUT'],
      ),
    },
  ];
}
