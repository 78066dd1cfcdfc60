import type { CollectorRoute } from './collector-route.js';
import { renderDashboardPage } from './dashboard-page.js';
import { htmlResponse } from './html-response.js';
import { errorResponse } from './json-response.js';
import { parseFilters } from './stats-filters.js';
import { parseRange } from './stats-range.js';
import type { WithStore } from './store-lifecycle.js';

/** What the dashboard page needs from the collector. */
export interface DashboardRouteOptions {
  now: () => number;
  withStore: WithStore;
  canSignOut: boolean;
}

/**
 * `GET /?from=&to=&service=&library=`: the dashboard page for a range of UTC days, narrowed
 * to an app and a component library when they are given. Put it behind `adminOnly`.
 *
 * @param options.now - The clock the default range (the last 30 days) ends at.
 * @param options.withStore - Where the figures come from.
 * @param options.canSignOut - Whether to offer sign-out: only a token signs in.
 */
export function dashboardRoute(options: DashboardRouteOptions): CollectorRoute {
  const { now, withStore, canSignOut } = options;
  return (request) => {
    const url = new URL(request.url);
    const range = parseRange(url, now());
    if (!range.ok) return errorResponse(400, 'invalid_range', range.reason);
    const filters = parseFilters(url);
    if (!filters.ok) return errorResponse(400, 'invalid_filter', filters.reason);
    const query = { ...range.range, ...filters.filters };
    return withStore(async (store) => {
      const stats = await store.stats(query);
      return htmlResponse(200, (styleNonce) =>
        renderDashboardPage(stats, {
          fromDay: range.fromDay,
          toDay: range.toDay,
          styleNonce,
          canSignOut,
        }),
      );
    }, {});
  };
}
