import type { SqlDatabase } from './sql-database.js';
import { rateWebVital, type WebVitalRating } from './web-vital-thresholds.js';

/** A half-open time range: `from` inclusive, `to` exclusive. */
export interface StatsRange {
  from: Date;
  to: Date;
}

/** A primitive prop value, as `component.mount` records them. */
export type PropValue = string | number | boolean | null;

/** One row of component adoption. Mounts are weighted by 1 / `sampling_rate`. */
export interface ComponentAdoption {
  component: string;
  library: string;
  version: string;
  /** Sum of `metadata.count`. */
  mounts: number;
  /** Distinct anonymous ids that mounted it. */
  installs: number;
  /** The most mounted prop combinations, most first (at most three). */
  top_variants: { props: Record<string, PropValue>; mounts: number }[];
}

/** The numbers behind the dashboard, also served as JSON by `GET /v1/stats`. */
export interface CollectorStats {
  range: { from: string; to: string };
  totals: {
    events: number;
    installs: number;
    sessions: number;
    page_views: number;
    errors: number;
    device_drops: number;
  };
  components: ComponentAdoption[];
  features: {
    feature: string;
    toggled_on: number;
    toggled_off: number;
    uses: number;
    installs: number;
  }[];
  pages: { path: string; views: number; installs: number }[];
  /** Every UTC day of the range, with the distinct installs active on it (zero included). */
  daily_active: { day: string; installs: number; page_views: number }[];
  /** ISO weeks (Monday, UTC) with the distinct installs active in them. */
  weekly_active: { week: string; installs: number }[];
  /**
   * Weekly return cohorts: installs grouped by the week they were first seen in the range;
   * `returning[k]` is how many of them were active `k` weeks later (`returning[0]` = size).
   */
  cohorts: { week: string; installs: number; returning: number[] }[];
  sessions: { count: number; ended: number; median_duration_ms: number | null };
  errors: {
    error_hash: string;
    error_class: string;
    message: string;
    source: string;
    count: number;
    installs: number;
    last_seen: string;
  }[];
  web_vitals: {
    path: string;
    name: string;
    p75: number;
    samples: number;
    rating: WebVitalRating;
  }[];
  /** Events lost on devices before they were sent, by reason (from batches' `dropped`). */
  device_drops: { reason: string; count: number }[];
}

// Counts are scaled back up by the sampling rate the client recorded: an event kept at 10 %
// stands for ten.
const WEIGHT = '(1.0 / coalesce(nullif(sampling_rate, 0), 1))';
const IN_RANGE = 'occurred_at >= $1 AND occurred_at < $2';
const LIST_LIMIT = 100;

/** Reads every dashboard figure for `range`, one query per panel, all parameterised. */
export async function readStats(database: SqlDatabase, range: StatsRange): Promise<CollectorStats> {
  const bounds = [range.from.toISOString(), range.to.toISOString()];
  const q = <Row extends Record<string, unknown>>(sql: string) => database.query<Row>(sql, bounds);

  const [totals] = await q<CollectorStats['totals']>(`
    SELECT count(*)::int AS events,
           count(DISTINCT anonymous_id)::int AS installs,
           count(DISTINCT session_id)::int AS sessions,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'page.view'), 0))::float8 AS page_views,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'error'), 0))::float8 AS errors,
           (SELECT coalesce(sum(count), 0)::float8 FROM telemetry_device_drops
             WHERE received_at >= $1 AND received_at < $2) AS device_drops
    FROM telemetry_events WHERE ${IN_RANGE}`);

  const mountsCte = `
    WITH mounts AS (
      SELECT metadata->>'component' AS component,
             coalesce(metadata->>'library', '') AS library,
             coalesce(metadata->>'version', '') AS version,
             coalesce(metadata->'props', '{}'::jsonb) AS props,
             anonymous_id,
             coalesce((metadata->>'count')::float8, 1) * ${WEIGHT} AS mounts
      FROM telemetry_events WHERE event_type = 'component.mount' AND ${IN_RANGE}
    )`;
  const componentRows = await q<Omit<ComponentAdoption, 'top_variants'>>(`${mountsCte}
    SELECT component, library, version, round(sum(mounts))::float8 AS mounts,
           count(DISTINCT anonymous_id)::int AS installs
    FROM mounts GROUP BY component, library, version
    ORDER BY mounts DESC, component LIMIT ${LIST_LIMIT}`);
  const variantRows = await q<{
    component: string;
    library: string;
    version: string;
    props: Record<string, PropValue>;
    mounts: number;
  }>(`${mountsCte}
    SELECT component, library, version, props, mounts FROM (
      SELECT component, library, version, props, round(sum(mounts))::float8 AS mounts,
             row_number() OVER (PARTITION BY component, library, version
                                ORDER BY sum(mounts) DESC, props::text) AS rank
      FROM mounts GROUP BY component, library, version, props
    ) ranked WHERE rank <= 3 ORDER BY mounts DESC`);
  const components = componentRows.map((row) => ({
    ...row,
    top_variants: variantRows
      .filter(
        (v) =>
          v.component === row.component && v.library === row.library && v.version === row.version,
      )
      .map((v) => ({ props: v.props, mounts: v.mounts })),
  }));

  const features = await q<CollectorStats['features'][number]>(`
    SELECT metadata->>'feature' AS feature,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'feature.toggle'
                 AND metadata->>'enabled' = 'true'), 0))::float8 AS toggled_on,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'feature.toggle'
                 AND metadata->>'enabled' = 'false'), 0))::float8 AS toggled_off,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'feature.use'), 0))::float8 AS uses,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_events
    WHERE event_type IN ('feature.toggle', 'feature.use') AND ${IN_RANGE}
    GROUP BY 1 ORDER BY sum(${WEIGHT}) DESC, 1 LIMIT ${LIST_LIMIT}`);

  const pages = await q<CollectorStats['pages'][number]>(`
    SELECT metadata->>'path' AS path, round(sum(${WEIGHT}))::float8 AS views,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_events WHERE event_type = 'page.view' AND ${IN_RANGE}
    GROUP BY 1 ORDER BY views DESC, 1 LIMIT ${LIST_LIMIT}`);

  const dailyRows = await q<{ day: string; installs: number; page_views: number }>(`
    SELECT to_char(date_trunc('day', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
           count(DISTINCT anonymous_id)::int AS installs,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'page.view'), 0))::float8 AS page_views
    FROM telemetry_events WHERE ${IN_RANGE} GROUP BY 1 ORDER BY 1`);

  const weekly_active = await q<CollectorStats['weekly_active'][number]>(`
    SELECT to_char(date_trunc('week', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_events WHERE ${IN_RANGE} GROUP BY 1 ORDER BY 1`);

  const cohortRows = await q<{ week: string; offset: number; installs: number }>(`
    WITH activity AS (
      SELECT DISTINCT anonymous_id, date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date AS week
      FROM telemetry_events WHERE ${IN_RANGE}
    ), first_seen AS (
      SELECT anonymous_id, min(week) AS cohort FROM activity GROUP BY anonymous_id
    )
    SELECT to_char(f.cohort, 'YYYY-MM-DD') AS week, ((a.week - f.cohort) / 7)::int AS "offset",
           count(*)::int AS installs
    FROM activity a JOIN first_seen f USING (anonymous_id)
    GROUP BY f.cohort, a.week ORDER BY f.cohort, a.week`);

  const [sessions] = await q<CollectorStats['sessions']>(`
    SELECT count(DISTINCT session_id)::int AS count,
           count(DISTINCT session_id) FILTER (WHERE event_type = 'session.end')::int AS ended,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (metadata->>'duration_ms')::float8)
              FROM telemetry_events WHERE event_type = 'session.end' AND ${IN_RANGE}
           ) AS median_duration_ms
    FROM telemetry_events WHERE ${IN_RANGE}`);

  const errors = await q<CollectorStats['errors'][number]>(`
    SELECT metadata->>'error_hash' AS error_hash,
           (array_agg(coalesce(metadata->>'error_class', '') ORDER BY occurred_at DESC))[1] AS error_class,
           (array_agg(coalesce(metadata->>'message', '') ORDER BY occurred_at DESC))[1] AS message,
           (array_agg(coalesce(metadata->>'source', '') ORDER BY occurred_at DESC))[1] AS source,
           round(sum(${WEIGHT}))::float8 AS count,
           count(DISTINCT anonymous_id)::int AS installs,
           to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_seen
    FROM telemetry_events WHERE event_type = 'error' AND ${IN_RANGE}
    GROUP BY 1 ORDER BY count DESC, 1 LIMIT ${LIST_LIMIT}`);

  // Percentiles are not weighted: sampling is decided per session, so a sampled set of values
  // has the same distribution as the whole.
  const vitalRows = await q<{ path: string; name: string; p75: number; samples: number }>(`
    SELECT coalesce(metadata->>'path', context->>'path', '') AS path, metadata->>'name' AS name,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY (metadata->>'value')::float8) AS p75,
           count(*)::int AS samples
    FROM telemetry_events WHERE event_type = 'web_vital' AND ${IN_RANGE}
    GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${LIST_LIMIT * 5}`);

  const device_drops = await q<CollectorStats['device_drops'][number]>(`
    SELECT reason, sum(count)::float8 AS count FROM telemetry_device_drops
    WHERE received_at >= $1 AND received_at < $2 GROUP BY reason ORDER BY count DESC`);

  return {
    range: { from: bounds[0] ?? '', to: bounds[1] ?? '' },
    totals: totals ?? {
      events: 0,
      installs: 0,
      sessions: 0,
      page_views: 0,
      errors: 0,
      device_drops: 0,
    },
    components,
    features,
    pages,
    daily_active: fillDays(range, dailyRows),
    weekly_active,
    cohorts: groupCohorts(cohortRows),
    sessions: sessions ?? { count: 0, ended: 0, median_duration_ms: null },
    errors,
    web_vitals: vitalRows.map((row) => ({ ...row, rating: rateWebVital(row.name, row.p75) })),
    device_drops,
  };
}

/** Charts read better with quiet days shown as zero rather than skipped. */
function fillDays(
  range: StatsRange,
  rows: { day: string; installs: number; page_views: number }[],
): CollectorStats['daily_active'] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const days: CollectorStats['daily_active'] = [];
  const dayMs = 86_400_000;
  const first = Math.floor(range.from.getTime() / dayMs) * dayMs;
  // A range longer than ~3 years is shown by its active days only.
  if ((range.to.getTime() - first) / dayMs > 1100) return rows;
  for (let time = first; time < range.to.getTime(); time += dayMs) {
    const day = new Date(time).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, installs: 0, page_views: 0 });
  }
  return days;
}

function groupCohorts(
  rows: { week: string; offset: number; installs: number }[],
): CollectorStats['cohorts'] {
  const cohorts = new Map<string, number[]>();
  for (const row of rows) {
    const returning = cohorts.get(row.week) ?? [];
    while (returning.length < row.offset) returning.push(0);
    returning[row.offset] = row.installs;
    cohorts.set(row.week, returning);
  }
  return [...cohorts].map(([week, returning]) => ({
    week,
    installs: returning[0] ?? 0,
    returning,
  }));
}
