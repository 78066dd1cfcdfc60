import type { CollectorStats } from './collector-stats.js';
import { readErrorRollups, readVitalRollups } from './quality-rollup-stats.js';
import { DROPS_IN_SCOPE, IN_SCOPE, LIST_LIMIT, type StatsScope, WEIGHT } from './stats-scope.js';
import { rateWebVital } from './web-vital-thresholds.js';

/** The quality panels: errors, web vitals and what devices lost before sending. */
export type QualityStats = Pick<CollectorStats, 'errors' | 'web_vitals' | 'device_drops'>;

/**
 * Reads the quality panels: errors grouped by hash, vitals' p75 per page, drops by reason. From
 * the rollups when `rolled` (a range of whole days), else from the raw events.
 */
export async function readQualityStats(scope: StatsScope, rolled: boolean): Promise<QualityStats> {
  const errors = rolled ? await readErrorRollups(scope) : await readErrorEvents(scope);
  const vitalRows = rolled ? await readVitalRollups(scope) : await readVitalEvents(scope);

  // Drop counts are kept per batch, not per event: their table is small and read as it is.
  const device_drops = await scope.query<CollectorStats['device_drops'][number]>(`
    SELECT reason, sum(count)::float8 AS count FROM telemetry_device_drops
    WHERE ${DROPS_IN_SCOPE} GROUP BY reason ORDER BY count DESC`);

  return {
    errors,
    web_vitals: vitalRows.map((row) => ({ ...row, rating: rateWebVital(row.name, row.p75) })),
    device_drops,
  };
}

function readErrorEvents(scope: StatsScope) {
  return scope.query<CollectorStats['errors'][number]>(`
    SELECT metadata->>'error_hash' AS error_hash,
           (array_agg(coalesce(metadata->>'error_class', '') ORDER BY occurred_at DESC))[1] AS error_class,
           (array_agg(coalesce(metadata->>'message', '') ORDER BY occurred_at DESC))[1] AS message,
           (array_agg(coalesce(metadata->>'source', '') ORDER BY occurred_at DESC))[1] AS source,
           round(sum(${WEIGHT}))::float8 AS count,
           count(DISTINCT anonymous_id)::int AS installs,
           to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_seen
    FROM telemetry_events WHERE event_type = 'error' AND ${IN_SCOPE}
    GROUP BY 1 ORDER BY count DESC, 1 LIMIT ${LIST_LIMIT}`);
}

function readVitalEvents(scope: StatsScope) {
  // Percentiles are not weighted: sampling is decided per session, so a sampled set of values
  // has the same distribution as the whole.
  return scope.query<{ path: string; name: string; p75: number; samples: number }>(`
    SELECT coalesce(metadata->>'path', context->>'path', '') AS path, metadata->>'name' AS name,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY (metadata->>'value')::float8) AS p75,
           count(*)::int AS samples
    FROM telemetry_events WHERE event_type = 'web_vital' AND ${IN_SCOPE}
    GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${LIST_LIMIT * 5}`);
}
