import type { CollectorRoute } from './collector-route.js';
import { renderDashboardPage } from './dashboard-page.js';
import { htmlResponse } from './html-response.js';
import { parseStatsQuery } from './stats-query.js';
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
    const parsed = parseStatsQuery(new URL(request.url), now());
    if (!parsed.ok) return parsed.response;
    const { query, fromDay, toDay } = parsed;
    return withStore(async (store) => {
      const stats = await store.stats(query);
      return htmlResponse(200, (styleNonce) =>
        renderDashboardPage(stats, {
          fromDay,
          toDay,
          styleNonce,
          canSignOut,
        }),
      );
    }, {});
  };
}
