import type { CollectorStats } from './collector-stats.js';
import { ROLLUP_IN_RANGE } from './rollup-scope.js';
import { ACTIVITY_SETS } from './rollups/activity-sets.js';
import { IN_RANGE, LIST_LIMIT, type StatsScope } from './stats-scope.js';

/**
 * The services and libraries seen in the range: what the dashboard's filters offer. From the
 * rollups (`rolled`, a range of whole days: the services from the activity sets, a few rows a
 * day) or the raw events.
 */
export async function readSeenStats(
  scope: StatsScope,
  rolled: boolean,
): Promise<CollectorStats['seen']> {
  const services = await scope.query<{ service: string }>(
    rolled
      ? `SELECT DISTINCT service_name AS service FROM ${ACTIVITY_SETS}
         WHERE ${ROLLUP_IN_RANGE} ORDER BY 1 LIMIT ${LIST_LIMIT}`
      : `SELECT DISTINCT service_name AS service FROM telemetry_events
         WHERE ${IN_RANGE} ORDER BY 1 LIMIT ${LIST_LIMIT}`,
  );
  const libraries = await scope.query<{ library: string }>(
    rolled
      ? `SELECT DISTINCT library FROM telemetry_rollup_daily_mounts
         WHERE ${ROLLUP_IN_RANGE} AND library <> '' ORDER BY 1 LIMIT ${LIST_LIMIT}`
      : `SELECT DISTINCT metadata->>'library' AS library FROM telemetry_events
         WHERE event_type = 'component.mount' AND ${IN_RANGE} AND metadata->>'library' <> ''
         ORDER BY 1 LIMIT ${LIST_LIMIT}`,
  );
  return {
    services: services.map((row) => row.service),
    libraries: libraries.map((row) => row.library),
  };
}
