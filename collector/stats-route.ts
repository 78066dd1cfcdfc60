import type { CollectorRoute } from './collector-route.js';
import { errorResponse, jsonResponse } from './json-response.js';
import { parseFilters } from './stats-filters.js';
import { parseRange } from './stats-range.js';
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
    const url = new URL(request.url);
    const range = parseRange(url, now());
    if (!range.ok) return errorResponse(400, 'invalid_range', range.reason);
    const filters = parseFilters(url);
    if (!filters.ok) return errorResponse(400, 'invalid_filter', filters.reason);
    const query = { ...range.range, ...filters.filters };
    return withStore(async (store) => jsonResponse(200, await store.stats(query)), {});
  };
}
