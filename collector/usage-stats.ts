import type { CollectorStats } from './collector-stats.js';
import { ROLLUP_IN_SCOPE } from './rollup-scope.js';
import { IN_SCOPE, LIST_LIMIT, type StatsScope, WEIGHT } from './stats-scope.js';

/** The usage panels: features toggled and used, pages viewed. */
export type UsageStats = Pick<CollectorStats, 'features' | 'pages'>;

type Feature = CollectorStats['features'][number];
type Page = CollectorStats['pages'][number];

/**
 * Reads the usage panels, most used first: from `telemetry_rollup_daily_features` and
 * `_pages` when `rolled` (a range of whole days), else from the raw events.
 */
export async function readUsageStats(scope: StatsScope, rolled: boolean): Promise<UsageStats> {
  if (rolled) {
    const features = await scope.query<Feature>(`
      SELECT feature, round(sum(toggled_on))::float8 AS toggled_on,
             round(sum(toggled_off))::float8 AS toggled_off, round(sum(uses))::float8 AS uses,
             count(DISTINCT anonymous_id)::int AS installs
      FROM telemetry_rollup_daily_features WHERE ${ROLLUP_IN_SCOPE}
      GROUP BY 1 ORDER BY sum(weight) DESC, 1 LIMIT ${LIST_LIMIT}`);
    const pages = await scope.query<Page>(`
      SELECT path, round(sum(views))::float8 AS views,
             count(DISTINCT anonymous_id)::int AS installs
      FROM telemetry_rollup_daily_pages WHERE ${ROLLUP_IN_SCOPE}
      GROUP BY 1 ORDER BY views DESC, 1 LIMIT ${LIST_LIMIT}`);
    return { features, pages };
  }

  const features = await scope.query<Feature>(`
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

  const pages = await scope.query<Page>(`
    SELECT metadata->>'path' AS path, round(sum(${WEIGHT}))::float8 AS views,
           count(DISTINCT anonymous_id)::int AS installs
    FROM telemetry_events WHERE event_type = 'page.view' AND ${IN_SCOPE}
    GROUP BY 1 ORDER BY views DESC, 1 LIMIT ${LIST_LIMIT}`);

  return { features, pages };
}
