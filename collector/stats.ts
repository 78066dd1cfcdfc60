import { readActivityStats } from './activity-stats.js';
import type { CollectorStats, StatsQuery } from './collector-stats.js';
import { readComponentStats } from './component-stats.js';
import { readFlowStats } from './flow-stats.js';
import { readManifestReport } from './manifest-report.js';
import { readQualityStats } from './quality-stats.js';
import { readsRollups } from './rollup-scope.js';
import { readSeenStats } from './seen-stats.js';
import type { SqlDatabase } from './sql-database.js';
import { statsScope } from './stats-scope.js';
import { readUsageStats } from './usage-stats.js';

/**
 * The report of the library filter's manifest; without a filter, of the one library that has a
 * manifest, if only one has (a library author's own collector, typically).
 */
async function readManifestOf(database: SqlDatabase, query: StatsQuery) {
  let library = query.library;
  if (!library) {
    const rows = await database.query<{ library: string }>(
      'SELECT library FROM telemetry_manifests ORDER BY library LIMIT 2',
    );
    if (rows.length !== 1) return null;
    library = rows[0]?.library;
  }
  if (!library) return null;
  return readManifestReport(database, { ...query, library });
}

/**
 * Reads every dashboard figure for `query`'s range and filters, one parameterised query per
 * panel: from the rollups for a range of whole UTC days (`readsRollups`), else from the raw
 * events. The panels run one after another: PGlite answers one query at a time anyway.
 */
export async function readStats(database: SqlDatabase, query: StatsQuery): Promise<CollectorStats> {
  const scope = statsScope(database, query);
  const rolled = readsRollups(query);
  const seen = await readSeenStats(scope, rolled);
  const activity = await readActivityStats(scope, query, rolled);
  const components = await readComponentStats(scope, rolled);
  const usage = await readUsageStats(scope, rolled);
  const quality = await readQualityStats(scope, rolled);
  const { flows } = await readFlowStats(scope, rolled);
  const manifest = await readManifestOf(database, query);
  return {
    ...(manifest ? { manifest } : {}),
    range: { from: query.from.toISOString(), to: query.to.toISOString() },
    filters: { service: query.service || null, library: query.library || null },
    seen,
    totals: activity.totals,
    components: components.components,
    component_services: components.component_services,
    library_versions: components.library_versions,
    features: usage.features,
    pages: usage.pages,
    daily_active: activity.daily_active,
    weekly_active: activity.weekly_active,
    cohorts: activity.cohorts,
    sessions: activity.sessions,
    errors: quality.errors,
    web_vitals: quality.web_vitals,
    device_drops: quality.device_drops,
    flows,
  };
}
