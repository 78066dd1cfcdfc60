import type { CollectorRoute } from './collector-route.js';
import { renderDashboardPage } from './dashboard-page.js';
import { htmlResponse } from './html-response.js';
import { errorResponse } from './json-response.js';
import { parseRange } from './stats-range.js';
import type { WithStore } from './store-lifecycle.js';

/** What the dashboard page needs from the collector. */
export interface DashboardRouteOptions {
  now: () => number;
  withStore: WithStore;
  canSignOut: boolean;
}

/**
 * `GET /?from=&to=`: the dashboard page for a range of UTC days. Put it behind `adminOnly`.
 *
 * @param options.now - The clock the default range (the last 30 days) ends at.
 * @param options.withStore - Where the figures come from.
 * @param options.canSignOut - Whether to offer sign-out: only a token signs in.
 */
export function dashboardRoute(options: DashboardRouteOptions): CollectorRoute {
  const { now, withStore, canSignOut } = options;
  return (request) => {
    const range = parseRange(new URL(request.url), now());
    if (!range.ok) return errorResponse(400, 'invalid_range', range.reason);
    return withStore(async (store) => {
      const stats = await store.stats(range.range);
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
