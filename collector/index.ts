/**
 * `telemetry-kit-collector`: the reference ingest server and dashboard (Node >= 20).
 *
 * ```ts
 * import { createCollector, listen } from 'telemetry-kit-collector';
 * const collector = createCollector({ dataDir: '.data', allowedOrigins: ['https://app.example.com'],
 *   adminToken: process.env.TELEMETRY_ADMIN_TOKEN });
 * const { url } = await listen(collector, { port: 4318 });
 * ```
 */
export {
  type ClientInfo,
  type Collector,
  type CollectorOptions,
  type CollectorReadiness,
  createCollector,
} from './collector.js';
export type {
  CollectorStats,
  ComponentAdoption,
  ComponentInService,
  LibraryWeek,
  PropValue,
  StatsFilters,
  StatsQuery,
  StatsRange,
} from './collector-stats.js';
export type { BatchOrigin, EventStore, InsertResult } from './event-store.js';
export { createSqlStore } from './event-store.js';
export type { ManifestReport, ManifestReportOptions } from './manifest-report.js';
export type { Manifest, ManifestComponent } from './manifest-schema.js';
export {
  createNodeHandler,
  type ListenOptions,
  listen,
  type NodeHandlerOptions,
  type RunningServer,
} from './node-http.js';
export { createPgliteStore, type PgliteStoreOptions } from './pglite-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { SqlDatabase, SqlParameter, SqlRow } from './sql-database.js';
export { rateWebVital, type WebVitalRating } from './web-vital-thresholds.js';
