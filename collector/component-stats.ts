import type {
  CollectorStats,
  ComponentAdoption,
  ComponentInService,
  LibraryWeek,
  PropValue,
} from './collector-stats.js';
import { compareVersions } from './compare-versions.js';
import { ROLLUP_MOUNTS_IN_SCOPE } from './rollup-scope.js';
import { LIST_LIMIT, MOUNTS_IN_SCOPE, type StatsScope, WEIGHT } from './stats-scope.js';

/** The component panels: adoption per component, per app and per library version and week. */
export type ComponentStats = Pick<
  CollectorStats,
  'components' | 'component_services' | 'library_versions'
>;

// One row per mount (raw) or per day, install and variant (rollup), with the same columns.
const MOUNTS_OF_EVENTS = `
  WITH mounts AS (
    SELECT metadata->>'component' AS component,
           coalesce(metadata->>'library', '') AS library,
           coalesce(metadata->>'version', '') AS version,
           coalesce(metadata->'props', '{}'::jsonb) AS props,
           service_name AS service,
           anonymous_id,
           date_trunc('week', occurred_at AT TIME ZONE 'UTC') AS week,
           coalesce((metadata->>'count')::float8, 1) * ${WEIGHT} AS mounts
    FROM telemetry_events WHERE ${MOUNTS_IN_SCOPE}
  )`;
// `day::timestamp`: date_trunc of a date would go through the session's time zone.
const MOUNTS_OF_ROLLUP = `
  WITH mounts AS (
    SELECT component, library, version, props, service_name AS service, anonymous_id,
           date_trunc('week', day::timestamp) AS week, mounts
    FROM telemetry_rollup_daily_mounts WHERE ${ROLLUP_MOUNTS_IN_SCOPE}
  )`;

/**
 * Reads the component panels: mounts are the sum of `metadata.count`, weighted. From
 * `telemetry_rollup_daily_mounts` when `rolled` (a range of whole days), else the raw events.
 */
export async function readComponentStats(
  scope: StatsScope,
  rolled: boolean,
): Promise<ComponentStats> {
  const MOUNTS = rolled ? MOUNTS_OF_ROLLUP : MOUNTS_OF_EVENTS;
  const componentRows = await scope.query<Omit<ComponentAdoption, 'top_variants'>>(`${MOUNTS}
    SELECT component, library, version, round(sum(mounts))::float8 AS mounts,
           count(DISTINCT anonymous_id)::int AS installs,
           count(DISTINCT service)::int AS services
    FROM mounts GROUP BY component, library, version
    ORDER BY mounts DESC, component, library, version LIMIT ${LIST_LIMIT}`);
  const variantRows = await scope.query<{
    component: string;
    library: string;
    version: string;
    props: Record<string, PropValue>;
    mounts: number;
  }>(`${MOUNTS}
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

  const component_services = await scope.query<ComponentInService>(`${MOUNTS}
    SELECT component, library, version, service, round(sum(mounts))::float8 AS mounts,
           count(DISTINCT anonymous_id)::int AS installs
    FROM mounts GROUP BY component, library, version, service
    ORDER BY mounts DESC, component, library, version, service LIMIT ${LIST_LIMIT * 5}`);

  // One pass gives both the installs per version and, in the grouping set without a version
  // (where `version` is NULL), the week's distinct installs over all versions.
  const versionRows = await scope.query<{
    library: string;
    week: string;
    version: string | null;
    installs: number;
  }>(`${MOUNTS}
    SELECT library, to_char(week, 'YYYY-MM-DD') AS week, version,
           count(DISTINCT anonymous_id)::int AS installs
    FROM mounts WHERE library <> ''
    GROUP BY GROUPING SETS ((library, week, version), (library, week))
    ORDER BY library, week LIMIT ${LIST_LIMIT * 20}`);

  return { components, component_services, library_versions: groupLibraryWeeks(versionRows) };
}

function groupLibraryWeeks(
  rows: { library: string; week: string; version: string | null; installs: number }[],
): LibraryWeek[] {
  const weeks = new Map<string, LibraryWeek>();
  for (const row of rows) {
    const key = JSON.stringify([row.library, row.week]);
    const week = weeks.get(key) ?? {
      library: row.library,
      week: row.week,
      installs: 0,
      versions: [],
    };
    if (row.version === null) week.installs = row.installs;
    else week.versions.push({ version: row.version, installs: row.installs });
    weeks.set(key, week);
  }
  for (const week of weeks.values()) {
    week.versions.sort((a, b) => compareVersions(b.version, a.version));
  }
  return [...weeks.values()];
}
