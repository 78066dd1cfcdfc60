import type { CollectorRoute } from './collector-route.js';
import { jsonResponse } from './json-response.js';
import { parseStatsQuery } from './stats-query.js';
import type { WithStore } from './store-lifecycle.js';

/** What `GET /v1/stats` needs from the collector. */
export interface StatsRouteOptions {
  now: () => number;
  withStore: WithStore;
}

/**
 * `GET /v1/stats?from=&to=&service=&library=`: the dashboard's figures as JSON, with the
 * filters applied echoed in `filters`. Put it behind `adminOnly`.
 *
 * @param options.now - The clock the default range (the last 30 days) ends at.
 * @param options.withStore - Where the figures come from.
 */
export function statsRoute(options: StatsRouteOptions): CollectorRoute {
  const { now, withStore } = options;
  return (request) => {
    const parsed = parseStatsQuery(new URL(request.url), now());
    if (!parsed.ok) return parsed.response;
    return withStore(async (store) => jsonResponse(200, await store.stats(parsed.query)), {});
  };
}
