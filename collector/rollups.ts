/**
 * Rollups: figures kept up to date at ingest so the dashboard's activity panels read a table
 * that grows with installs × days rather than with events.
 *
 * `telemetry_rollup_daily_subjects` holds one row per UTC day, service and anonymous id, with
 * that install's event count and its page views and errors weighted by 1 / `sampling_rate`.
 * Distinct installs per day and week and the weekly cohorts are counted from it exactly (it is
 * the same set of ids the raw events hold, one row per active day instead of one per event).
 *
 * Only events actually inserted feed it (the raw insert's `RETURNING`), in the same statement,
 * so a duplicate, a retried batch or the same batch posted to two collectors counts once; the
 * counters are upserted (`ON CONFLICT DO UPDATE`), which is safe with concurrent writers.
 */

/** Counts are scaled back up by the sampling rate the client recorded (as `WEIGHT`). */
const WEIGHT = '(1.0 / coalesce(nullif(sampling_rate, 0), 1))';

/** The rollup's rows of the events of `source` (a table or CTE with the raw columns). */
export function dailySubjectRows(source: string, where = 'true'): string {
  return `SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, service_name, anonymous_id,
         count(*)::int AS events,
         coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'page.view'), 0)::float8 AS page_views,
         coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'error'), 0)::float8 AS errors
  FROM ${source} WHERE ${where}
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
}

/**
 * Adds the rows of `source` to the rollup. Sorted, so two writers take the rows' locks in the
 * same order and do not deadlock.
 */
export function upsertDailySubjects(source: string): string {
  return `INSERT INTO telemetry_rollup_daily_subjects
    (day, service_name, anonymous_id, events, page_views, errors)
  ${dailySubjectRows(source)}
  ON CONFLICT (day, service_name, anonymous_id) DO UPDATE SET
    events = telemetry_rollup_daily_subjects.events + excluded.events,
    page_views = telemetry_rollup_daily_subjects.page_views + excluded.page_views,
    errors = telemetry_rollup_daily_subjects.errors + excluded.errors`;
}
