import { type ActivityStats, activityPanels, type CohortRow } from './activity-rows.js';
import type { CollectorStats, StatsRange } from './collector-stats.js';
import { TOTALS_IN_SCOPE } from './rollup-scope.js';
import { ACTIVITY_SETS, EMPTY_SET } from './rollups/activity-sets.js';
import { readSessionMedian } from './session-stats.js';
import { DROPS_IN_SCOPE, type StatsScope } from './stats-scope.js';

/**
 * The sets' unions of installs over the range, chunk by chunk (and week by week with `byWeek`):
 * a union's `bit_count` is its distinct installs. `day::timestamp`: date_trunc of a date would
 * go through the session's time zone.
 */
const installUnions = (byWeek: boolean) => `
  SELECT ${byWeek ? "date_trunc('week', day::timestamp)::date AS week, " : ''}chunk,
         bit_or(installs) AS members
  FROM ${ACTIVITY_SETS} WHERE ${TOTALS_IN_SCOPE} GROUP BY ${byWeek ? 'week, ' : ''}chunk`;

/**
 * The activity panels without a library filter, from the activity sets: distinct installs and
 * sessions are unions of bitmaps (exact), the counts sums of the sets' counters; what they read
 * grows with days, services and installs / 1,024, not with events.
 */
export async function readActivityFromSets(
  scope: StatsScope,
  range: StatsRange,
): Promise<ActivityStats> {
  const [counts] = await scope.query<Omit<CollectorStats['totals'], 'sessions'>>(`
    SELECT coalesce(sum(events), 0)::int AS events,
           (SELECT coalesce(sum(bit_count(members)), 0)::int FROM (${installUnions(false)}) s)
             AS installs,
           round(coalesce(sum(page_views), 0))::float8 AS page_views,
           round(coalesce(sum(errors), 0))::float8 AS errors,
           (SELECT coalesce(sum(count), 0)::float8 FROM telemetry_device_drops
             WHERE ${DROPS_IN_SCOPE}) AS device_drops
    FROM ${ACTIVITY_SETS} WHERE ${TOTALS_IN_SCOPE}`);

  const dailyRows = await scope.query<{ day: string; installs: number; page_views: number }>(`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(bit_count(members))::int AS installs,
           round(sum(page_views))::float8 AS page_views
    FROM (SELECT day, chunk, bit_or(installs) AS members, sum(page_views) AS page_views
          FROM ${ACTIVITY_SETS} WHERE ${TOTALS_IN_SCOPE} GROUP BY day, chunk) d
    GROUP BY day ORDER BY day`);

  const weekly_active = await scope.query<CollectorStats['weekly_active'][number]>(`
    SELECT to_char(week, 'YYYY-MM-DD') AS week, sum(bit_count(members))::int AS installs
    FROM (${installUnions(true)}) w
    GROUP BY week ORDER BY week`);

  // An install's cohort is the first week of the range it was active in: its bit in a week's
  // union less the union of the weeks before (a window over the chunk's weeks).
  const cohortRows = await scope.query<CohortRow>(`
    WITH weeks AS (${installUnions(true)}),
    cohorts AS (
      SELECT week, chunk, members & ~coalesce(bit_or(members) OVER (
               PARTITION BY chunk ORDER BY week ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
             ), ${EMPTY_SET}) AS fresh
      FROM weeks
    )
    SELECT to_char(c.week, 'YYYY-MM-DD') AS week, ((w.week - c.week) / 7)::int AS "offset",
           sum(bit_count(c.fresh & w.members))::int AS installs
    FROM cohorts c JOIN weeks w ON w.chunk = c.chunk AND w.week >= c.week
    GROUP BY c.week, w.week HAVING sum(bit_count(c.fresh & w.members)) > 0
    ORDER BY c.week, w.week`);

  const [sessionCounts] = await scope.query<{ count: number; ended: number }>(`
    SELECT coalesce(sum(bit_count(sessions)), 0)::int AS count,
           coalesce(sum(bit_count(ended)), 0)::int AS ended
    FROM (SELECT chunk, bit_or(sessions) AS sessions, bit_or(ended) AS ended
          FROM ${ACTIVITY_SETS} WHERE ${TOTALS_IN_SCOPE} GROUP BY chunk) s`);
  const sessions = {
    count: sessionCounts?.count ?? 0,
    ended: sessionCounts?.ended ?? 0,
    median_duration_ms: await readSessionMedian(scope),
  };
  return activityPanels(range, { counts, dailyRows, weekly_active, cohortRows, sessions });
}
