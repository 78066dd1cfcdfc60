import { type ActivityStats, activityPanels, type CohortRow } from './activity-rows.js';
import { readActivityFromSets } from './activity-set-stats.js';
import type { CollectorStats, StatsQuery, StatsRange } from './collector-stats.js';
import { ROLLUP_IN_SCOPE } from './rollup-scope.js';
import { readSessionStats } from './session-stats.js';
import { DROPS_IN_SCOPE, IN_SCOPE, type StatsScope, WEIGHT } from './stats-scope.js';

/**
 * Reads the activity panels of `query`, one query each: from the rollups when `rolled` (a
 * range of whole days), else from the raw events.
 */
export async function readActivityStats(
  scope: StatsScope,
  query: StatsQuery,
  rolled: boolean,
): Promise<ActivityStats> {
  if (!rolled) return readFromEvents(scope, query);
  return query.library ? readFromRollups(scope, query) : readActivityFromSets(scope, query);
}

/**
 * The activity panels from `telemetry_rollup_daily_subjects`, for the library filter (the
 * activity sets cannot narrow to a library's installs): exact, as from the events.
 */
async function readFromRollups(scope: StatsScope, range: StatsRange): Promise<ActivityStats> {
  const [counts] = await scope.query<Omit<CollectorStats['totals'], 'sessions'>>(`
    SELECT coalesce(sum(events), 0)::int AS events,
           count(DISTINCT anonymous_id)::int AS installs,
           round(coalesce(sum(page_views), 0))::float8 AS page_views,
           round(coalesce(sum(errors), 0))::float8 AS errors,
           (SELECT coalesce(sum(count), 0)::float8 FROM telemetry_device_drops
             WHERE ${DROPS_IN_SCOPE}) AS device_drops
    FROM telemetry_rollup_daily_subjects WHERE ${ROLLUP_IN_SCOPE}`);

  const dailyRows = await scope.query<{ day: string; installs: number; page_views: number }>(`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, count(DISTINCT anonymous_id)::int AS installs,
           round(sum(page_views))::float8 AS page_views
    FROM telemetry_rollup_daily_subjects WHERE ${ROLLUP_IN_SCOPE} GROUP BY day ORDER BY day`);

  // `day::timestamp`: date_trunc of a date would go through the session's time zone.
  const weekly_active = await scope.query<CollectorStats['weekly_active'][number]>(`
    SELECT to_char(date_trunc('week', day::timestamp), 'YYYY-MM-DD') AS week,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_rollup_daily_subjects WHERE ${ROLLUP_IN_SCOPE} GROUP BY 1 ORDER BY 1`);

  const cohortRows = await scope.query<CohortRow>(
    cohortsSql(
      "date_trunc('week', day::timestamp)::date",
      `telemetry_rollup_daily_subjects WHERE ${ROLLUP_IN_SCOPE}`,
    ),
  );

  const sessions = await readSessionStats(scope, true);
  return activityPanels(range, { counts, dailyRows, weekly_active, cohortRows, sessions });
}

/**
 * The return cohorts' query over `source` (a table and its WHERE clause), whose rows' ISO week
 * is `week`: each install's first week, and in which later weeks it was active.
 */
const cohortsSql = (week: string, source: string) => `
    WITH activity AS (
      SELECT DISTINCT anonymous_id, ${week} AS week FROM ${source}
    ), first_seen AS (
      SELECT anonymous_id, min(week) AS cohort FROM activity GROUP BY anonymous_id
    )
    SELECT to_char(f.cohort, 'YYYY-MM-DD') AS week, ((a.week - f.cohort) / 7)::int AS "offset",
           count(*)::int AS installs
    FROM activity a JOIN first_seen f USING (anonymous_id)
    GROUP BY f.cohort, a.week ORDER BY f.cohort, a.week`;

/** The activity panels from the raw events: for ranges not of whole days. */
async function readFromEvents(scope: StatsScope, range: StatsRange): Promise<ActivityStats> {
  const [totals] = await scope.query<CollectorStats['totals']>(`
    SELECT count(*)::int AS events,
           count(DISTINCT anonymous_id)::int AS installs,
           count(DISTINCT session_id)::int AS sessions,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'page.view'), 0))::float8 AS page_views,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'error'), 0))::float8 AS errors,
           (SELECT coalesce(sum(count), 0)::float8 FROM telemetry_device_drops
             WHERE ${DROPS_IN_SCOPE}) AS device_drops
    FROM telemetry_events WHERE ${IN_SCOPE}`);

  const dailyRows = await scope.query<{ day: string; installs: number; page_views: number }>(`
    SELECT to_char(date_trunc('day', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
           count(DISTINCT anonymous_id)::int AS installs,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'page.view'), 0))::float8 AS page_views
    FROM telemetry_events WHERE ${IN_SCOPE} GROUP BY 1 ORDER BY 1`);

  const weekly_active = await scope.query<CollectorStats['weekly_active'][number]>(`
    SELECT to_char(date_trunc('week', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_events WHERE ${IN_SCOPE} GROUP BY 1 ORDER BY 1`);

  const cohortRows = await scope.query<CohortRow>(
    cohortsSql(
      "date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date",
      `telemetry_events WHERE ${IN_SCOPE}`,
    ),
  );

  const sessions = await readSessionStats(scope, false);
  return activityPanels(range, { counts: totals, dailyRows, weekly_active, cohortRows, sessions });
}
