import type { CollectorStats } from './collector-stats.js';
import { ROLLUP_IN_SCOPE, rollupInScope } from './rollup-scope.js';
import { DAILY_DURATION_TOTALS, DAILY_DURATIONS } from './rollups/daily-durations.js';
import { cumulative, percentileOf } from './rollups/histogram.js';
import { IN_SCOPE, type StatsScope } from './stats-scope.js';

type Sessions = CollectorStats['sessions'];

/**
 * The median of `session.end`'s `duration_ms` from the session histogram (within 2 %): of the
 * per-install rollup under a library filter, else of its totals.
 */
function medianFromRollups(scope: StatsScope): string {
  const durations = rollupInScope(scope, DAILY_DURATIONS, DAILY_DURATION_TOTALS);
  return `SELECT ${percentileOf(0.5)} FROM (${cumulative(
    `SELECT kind, bucket, sum(samples) AS samples FROM ${durations.table}
     WHERE kind = 'session' AND ${durations.inScope} GROUP BY 1, 2`,
    'kind',
  )}) c`;
}

/** The sessions' median duration from the rollups, for the range and filters. */
export async function readSessionMedian(scope: StatsScope): Promise<number | null> {
  const [row] = await scope.query<{ median: number | null }>(
    `SELECT (${medianFromRollups(scope)}) AS median`,
  );
  return row?.median ?? null;
}

/**
 * The sessions panel: distinct session ids, those with a `session.end`, and the median of its
 * `duration_ms`. From `telemetry_rollup_daily_sessions` (counts exact) and the session
 * histogram of `telemetry_rollup_daily_durations` (median within 2 %) when `rolled` (the
 * library filter's path; without it the activity sets count them), else from the raw events.
 */
export async function readSessionStats(scope: StatsScope, rolled: boolean): Promise<Sessions> {
  if (rolled) {
    const [sessions] = await scope.query<Sessions>(`
      SELECT count(*)::int AS count, (count(*) FILTER (WHERE ended))::int AS ended,
             (${medianFromRollups(scope)}) AS median_duration_ms
      FROM (SELECT session_id, bool_or(ends > 0) AS ended FROM telemetry_rollup_daily_sessions
            WHERE ${ROLLUP_IN_SCOPE} GROUP BY 1) sessions`);
    return sessions ?? { count: 0, ended: 0, median_duration_ms: null };
  }
  const [sessions] = await scope.query<Sessions>(`
    SELECT count(DISTINCT session_id)::int AS count,
           count(DISTINCT session_id) FILTER (WHERE event_type = 'session.end')::int AS ended,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (metadata->>'duration_ms')::float8)
              FROM telemetry_events WHERE event_type = 'session.end' AND ${IN_SCOPE}
           ) AS median_duration_ms
    FROM telemetry_events WHERE ${IN_SCOPE}`);
  return sessions ?? { count: 0, ended: 0, median_duration_ms: null };
}
