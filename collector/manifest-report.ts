import type { ManifestReport, PropValue, StatsRange } from './collector-stats.js';
import type { ManifestComponent } from './manifest-schema.js';
import { loadManifest } from './manifest-store.js';
import { ROLLUP_MOUNTS_IN_SCOPE, readsRollups } from './rollup-scope.js';
import type { SqlDatabase } from './sql-database.js';
import { MOUNTS_IN_SCOPE, WEIGHT } from './stats-scope.js';

/** Which mounts `readManifestReport` compares with the manifest: a `StatsQuery` with a library. */
export type { ManifestReport } from './collector-stats.js';

export interface ManifestReportOptions extends StatsRange {
  library: string;
  /** One app's mounts only (its `service_name`); default every app's. */
  service?: string | undefined;
}

// As every stats panel counts them: a mount kept at a 10 % sampling rate stands for ten.
const WEIGHTED_MOUNTS = `coalesce((metadata->>'count')::float8, 1) * ${WEIGHT}`;
// The stats panels' parameters ($1 from, $2 to, $3 service, $4 library) and $5, the manifest's
// components with the props each lists ({ "Button": { "variant": 1 } }), so only the mounts
// and props the report shows are summed.
const MANIFEST_MOUNTS = `${MOUNTS_IN_SCOPE} AND $5::jsonb ? (metadata->>'component')`;

const EVENT_USAGE = `SELECT metadata->>'component' AS component,
         round(sum(${WEIGHTED_MOUNTS}))::float8 AS mounts,
         count(DISTINCT anonymous_id)::int AS installs,
         jsonb_agg(DISTINCT service_name ORDER BY service_name) AS services
  FROM telemetry_events WHERE ${MANIFEST_MOUNTS}
  GROUP BY 1`;
// A `props` that is not an object (an event from another client) counts as no props rather
// than failing the query: jsonb_each refuses anything else.
const EVENT_VALUES = `SELECT metadata->>'component' AS component, p.key AS prop, p.value AS value,
         round(sum(${WEIGHTED_MOUNTS}))::float8 AS mounts
  FROM telemetry_events,
       jsonb_each(CASE WHEN jsonb_typeof(metadata->'props') = 'object'
                       THEN metadata->'props' ELSE '{}'::jsonb END) AS p
  WHERE ${MANIFEST_MOUNTS} AND ($5::jsonb -> (metadata->>'component')) ? p.key
  GROUP BY 1, 2, 3`;

// The same from `telemetry_rollup_daily_mounts`, for a range of whole days.
const ROLLUP_MANIFEST_MOUNTS = `${ROLLUP_MOUNTS_IN_SCOPE} AND $5::jsonb ? component`;
const ROLLUP_USAGE = `SELECT component, round(sum(mounts))::float8 AS mounts,
         count(DISTINCT anonymous_id)::int AS installs,
         jsonb_agg(DISTINCT service_name ORDER BY service_name) AS services
  FROM telemetry_rollup_daily_mounts WHERE ${ROLLUP_MANIFEST_MOUNTS}
  GROUP BY 1`;
const ROLLUP_VALUES = `SELECT component, p.key AS prop, p.value AS value,
         round(sum(mounts))::float8 AS mounts
  FROM telemetry_rollup_daily_mounts,
       jsonb_each(CASE WHEN jsonb_typeof(props) = 'object' THEN props ELSE '{}'::jsonb END) AS p
  WHERE ${ROLLUP_MANIFEST_MOUNTS} AND ($5::jsonb -> component) ? p.key
  GROUP BY 1, 2, 3`;

/**
 * Compares the stored manifest of `options.library` with its mounts in the range: components
 * never mounted, deprecated ones still mounted, and how often each listed prop value was used.
 * Null when no manifest is stored. Two queries, whatever the number of components: on the
 * mounts rollup for a range of whole UTC days, else on the raw events.
 */
export async function readManifestReport(
  database: Pick<SqlDatabase, 'query'>,
  options: ManifestReportOptions,
): Promise<ManifestReport | null> {
  const stored = await loadManifest(database, options.library);
  if (!stored) return null;
  const { components } = stored.manifest;
  const listed = Object.fromEntries(
    components.map((component) => [
      component.name,
      Object.fromEntries(Object.keys(component.props ?? {}).map((prop) => [prop, 1])),
    ]),
  );
  const parameters = [
    options.from.toISOString(),
    options.to.toISOString(),
    options.service || null,
    options.library,
    JSON.stringify(listed),
  ];
  const rolled = readsRollups(options);
  const usage = await database.query<{
    component: string;
    mounts: number;
    installs: number;
    services: string[];
  }>(rolled ? ROLLUP_USAGE : EVENT_USAGE, parameters);
  const valueRows = await database.query<{
    component: string;
    prop: string;
    value: PropValue;
    mounts: number;
  }>(rolled ? ROLLUP_VALUES : EVENT_VALUES, parameters);

  const used = new Map(usage.map((row) => [row.component, row]));
  const valueMounts = new Map(
    valueRows.map((row) => [valueKey(row.component, row.prop, row.value), row.mounts]),
  );
  return {
    library: stored.manifest.library,
    version: stored.manifest.version,
    never_mounted: components.filter(({ name }) => !used.has(name)).map(({ name }) => name),
    deprecated_in_use: components
      .flatMap(({ name, deprecated }) => {
        const row = used.get(name);
        if (!row || deprecated === undefined || deprecated === false) return [];
        const { mounts, installs, services } = row;
        return [{ component: name, deprecated, mounts, installs, services }];
      })
      .sort((a, b) => b.mounts - a.mounts || compareText(a.component, b.component)),
    prop_coverage: components.flatMap((component) => propCoverage(component, valueMounts)),
  };
}

function propCoverage(
  component: ManifestComponent,
  valueMounts: ReadonlyMap<string, number>,
): ManifestReport['prop_coverage'] {
  return Object.entries(component.props ?? {}).map(([prop, listedValues]) => {
    const values = listedValues.map((value) => ({
      value,
      mounts: valueMounts.get(valueKey(component.name, prop, value)) ?? 0,
    }));
    const unused = values.filter((entry) => entry.mounts === 0).map((entry) => entry.value);
    return { component: component.name, prop, values, unused };
  });
}

/** Prop values compare as JSON: `1` and `"1"` are different values, as they were mounted. */
function valueKey(component: string, prop: string, value: PropValue): string {
  return JSON.stringify([component, prop, value]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
