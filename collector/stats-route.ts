import type { CollectorRoute } from './collector-route.js';
import { errorResponse, jsonResponse } from './json-response.js';
import { parseRange } from './stats-range.js';
import type { WithStore } from './store-lifecycle.js';

/** What `GET /v1/stats` needs from the collector. */
export interface StatsRouteOptions {
  now: () => number;
  withStore: WithStore;
}

/**
 * `GET /v1/stats?from=&to=`: the dashboard's figures as JSON. Put it behind `adminOnly`.
 *
 * @param options.now - The clock the default range (the last 30 days) ends at.
 * @param options.withStore - Where the figures come from.
 */
export function statsRoute(options: StatsRouteOptions): CollectorRoute {
  const { now, withStore } = options;
  return (request) => {
    const range = parseRange(new URL(request.url), now());
    if (!range.ok) return errorResponse(400, 'invalid_range', range.reason);
    return withStore(async (store) => jsonResponse(200, await store.stats(range.range)), {});
  };
}
