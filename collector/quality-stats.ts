import type { CollectorStats } from './collector-stats.js';
import { DROPS_IN_SCOPE, IN_SCOPE, LIST_LIMIT, type StatsScope, WEIGHT } from './stats-scope.js';
import { rateWebVital } from './web-vital-thresholds.js';

/** The quality panels: errors, web vitals and what devices lost before sending. */
export type QualityStats = Pick<CollectorStats, 'errors' | 'web_vitals' | 'device_drops'>;

/** Reads the quality panels: errors grouped by hash, vitals' p75 per page, drops by reason. */
export async function readQualityStats(scope: StatsScope): Promise<QualityStats> {
  const errors = await scope.query<CollectorStats['errors'][number]>(`
    SELECT metadata->>'error_hash' AS error_hash,
           (array_agg(coalesce(metadata->>'error_class', '') ORDER BY occurred_at DESC))[1] AS error_class,
           (array_agg(coalesce(metadata->>'message', '') ORDER BY occurred_at DESC))[1] AS message,
           (array_agg(coalesce(metadata->>'source', '') ORDER BY occurred_at DESC))[1] AS source,
           round(sum(${WEIGHT}))::float8 AS count,
           count(DISTINCT anonymous_id)::int AS installs,
           to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_seen
    FROM telemetry_events WHERE event_type = 'error' AND ${IN_SCOPE}
    GROUP BY 1 ORDER BY count DESC, 1 LIMIT ${LIST_LIMIT}`);

  // Percentiles are not weighted: sampling is decided per session, so a sampled set of values
  // has the same distribution as the whole.
  const vitalRows = await scope.query<{
    path: string;
    name: string;
    p75: number;
    samples: number;
  }>(`
    SELECT coalesce(metadata->>'path', context->>'path', '') AS path, metadata->>'name' AS name,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY (metadata->>'value')::float8) AS p75,
           count(*)::int AS samples
    FROM telemetry_events WHERE event_type = 'web_vital' AND ${IN_SCOPE}
    GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${LIST_LIMIT * 5}`);

  const device_drops = await scope.query<CollectorStats['device_drops'][number]>(`
    SELECT reason, sum(count)::float8 AS count FROM telemetry_device_drops
    WHERE ${DROPS_IN_SCOPE} GROUP BY reason ORDER BY count DESC`);

  return {
    errors,
    web_vitals: vitalRows.map((row) => ({ ...row, rating: rateWebVital(row.name, row.p75) })),
    device_drops,
  };
}
