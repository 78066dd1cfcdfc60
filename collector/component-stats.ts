import type { CollectorStats, ComponentAdoption, PropValue } from './collector-stats.js';
import { LIST_LIMIT, MOUNTS_IN_SCOPE, type StatsScope, WEIGHT } from './stats-scope.js';

/** The component panels: adoption per component, library and version. */
export type ComponentStats = Pick<CollectorStats, 'components'>;

const MOUNTS = `
  WITH mounts AS (
    SELECT metadata->>'component' AS component,
           coalesce(metadata->>'library', '') AS library,
           coalesce(metadata->>'version', '') AS version,
           coalesce(metadata->'props', '{}'::jsonb) AS props,
           anonymous_id,
           coalesce((metadata->>'count')::float8, 1) * ${WEIGHT} AS mounts
    FROM telemetry_events WHERE ${MOUNTS_IN_SCOPE}
  )`;

/** Reads the component panels: mounts are the sum of `metadata.count`, weighted. */
export async function readComponentStats(scope: StatsScope): Promise<ComponentStats> {
  const componentRows = await scope.query<Omit<ComponentAdoption, 'top_variants'>>(`${MOUNTS}
    SELECT component, library, version, round(sum(mounts))::float8 AS mounts,
           count(DISTINCT anonymous_id)::int AS installs
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
  return { components };
}
