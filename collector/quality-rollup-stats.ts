import type { CollectorStats } from './collector-stats.js';
import { ROLLUP_IN_SCOPE, rollupInScope } from './rollup-scope.js';
import { DAILY_VITAL_TOTALS, DAILY_VITALS } from './rollups/daily-vitals.js';
import { cumulative, percentileOf } from './rollups/histogram.js';
import { LIST_LIMIT, type StatsScope } from './stats-scope.js';

/** The field of the hash's latest error, over its rollup rows. */
const latest = (name: string) => `(array_agg(${name} ORDER BY last_seen DESC))[1] AS ${name}`;

/** Errors by hash from `telemetry_rollup_daily_errors`: exact, as from the events. */
export function readErrorRollups(scope: StatsScope): Promise<CollectorStats['errors']> {
  return scope.query<CollectorStats['errors'][number]>(`
    SELECT error_hash, ${latest('error_class')}, ${latest('message')}, ${latest('source')},
           round(sum(count))::float8 AS count,
           count(DISTINCT anonymous_id)::int AS installs,
           to_char(max(last_seen) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_seen
    FROM telemetry_rollup_daily_errors WHERE ${ROLLUP_IN_SCOPE}
    GROUP BY 1 ORDER BY count DESC, 1 LIMIT ${LIST_LIMIT}`);
}

/**
 * Web vitals' p75 per page and metric from the histograms of `telemetry_rollup_daily_vitals`
 * (or their totals without a library filter): the sample counts exact, the p75 within 2 %
 * (histogram.ts).
 */
export function readVitalRollups(
  scope: StatsScope,
): Promise<{ path: string; name: string; p75: number; samples: number }[]> {
  const vitals = rollupInScope(scope, DAILY_VITALS, DAILY_VITAL_TOTALS);
  const histogram = `SELECT path, name, bucket, sum(samples) AS samples
    FROM ${vitals.table} WHERE ${vitals.inScope} GROUP BY 1, 2, 3`;
  return scope.query(`
    SELECT path, name, ${percentileOf(0.75)} AS p75, max(total)::int AS samples
    FROM (${cumulative(histogram, 'path, name')}) c
    GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${LIST_LIMIT * 5}`);
}
