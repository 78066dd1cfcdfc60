import type { CollectorStats } from './collector-stats.js';
import { IN_SCOPE, LIST_LIMIT, type StatsScope, WEIGHT } from './stats-scope.js';

/** The usage panels: features toggled and used, pages viewed. */
export type UsageStats = Pick<CollectorStats, 'features' | 'pages'>;

/** Reads the usage panels, most used first. */
export async function readUsageStats(scope: StatsScope): Promise<UsageStats> {
  const features = await scope.query<CollectorStats['features'][number]>(`
    SELECT metadata->>'feature' AS feature,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'feature.toggle'
                 AND metadata->>'enabled' = 'true'), 0))::float8 AS toggled_on,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'feature.toggle'
                 AND metadata->>'enabled' = 'false'), 0))::float8 AS toggled_off,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'feature.use'), 0))::float8 AS uses,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_events
    WHERE event_type IN ('feature.toggle', 'feature.use') AND ${IN_SCOPE}
    GROUP BY 1 ORDER BY sum(${WEIGHT}) DESC, 1 LIMIT ${LIST_LIMIT}`);

  const pages = await scope.query<CollectorStats['pages'][number]>(`
    SELECT metadata->>'path' AS path, round(sum(${WEIGHT}))::float8 AS views,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_events WHERE event_type = 'page.view' AND ${IN_SCOPE}
    GROUP BY 1 ORDER BY views DESC, 1 LIMIT ${LIST_LIMIT}`);

  return { features, pages };
}
