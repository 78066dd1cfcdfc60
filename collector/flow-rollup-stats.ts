import type { CollectorStats } from './collector-stats.js';
import { rollupInScope } from './rollup-scope.js';
import { DAILY_DURATION_TOTALS, DAILY_DURATIONS } from './rollups/daily-durations.js';
import { DAILY_FLOW_TOTALS, DAILY_FLOWS } from './rollups/daily-flows.js';
import { cumulative, percentileOf } from './rollups/histogram.js';
import { LIST_LIMIT, type StatsScope } from './stats-scope.js';

type FlowRow = Omit<CollectorStats['flows'][number], 'success_rate'>;

/**
 * The flows panel's rows from `telemetry_rollup_daily_flows` (counts, exact) and the duration
 * histograms of `telemetry_rollup_daily_durations` (p50 / p95, within 2 %: histogram.ts), or
 * from their totals without a library filter.
 */
export function readFlowRollups(scope: StatsScope): Promise<FlowRow[]> {
  const flows = rollupInScope(scope, DAILY_FLOWS, DAILY_FLOW_TOTALS);
  const durations = rollupInScope(scope, DAILY_DURATIONS, DAILY_DURATION_TOTALS);
  const histogram = `SELECT name, bucket, sum(samples) AS samples
    FROM ${durations.table} WHERE kind = 'flow' AND ${durations.inScope} GROUP BY 1, 2`;
  return scope.query<FlowRow>(`
    WITH counts AS (
      SELECT flow, round(sum(started))::float8 AS started,
             round(sum(succeeded))::float8 AS succeeded, round(sum(failed))::float8 AS failed,
             round(sum(cancelled))::float8 AS cancelled,
             round(sum(abandoned))::float8 AS abandoned
      FROM ${flows.table} WHERE ${flows.inScope}
      GROUP BY 1 ORDER BY started DESC, 1 LIMIT ${LIST_LIMIT}
    ), durations AS (
      SELECT name AS flow, ${percentileOf(0.5)} AS p50_ms, ${percentileOf(0.95)} AS p95_ms
      FROM (${cumulative(histogram, 'name')}) c GROUP BY 1
    )
    SELECT counts.*, durations.p50_ms, durations.p95_ms
    FROM counts LEFT JOIN durations USING (flow) ORDER BY started DESC, flow`);
}
