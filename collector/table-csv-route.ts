import type { CollectorRoute } from './collector-route.js';
import { DASHBOARD_TABLE_NAMES, dashboardTable, isDashboardTable } from './dashboard-tables.js';
import { errorResponse } from './json-response.js';
import { parseStatsQuery } from './stats-query.js';
import type { WithStore } from './store-lifecycle.js';
import { tableCsv } from './table-csv.js';
import { TABLE_CSV_PREFIX } from './table-csv-href.js';

/** What `GET /v1/stats/<table>.csv` needs from the collector. */
export interface TableCsvRouteOptions {
  now: () => number;
  withStore: WithStore;
}

const NAME = new RegExp(`^${TABLE_CSV_PREFIX}([a-z-]+)\\.csv$`);

/**
 * `GET /v1/stats/<table>.csv?from=&to=&service=&library=`: one dashboard table as CSV, the rows
 * the page shows for the same range and filters (its "Download CSV" link), read from the same
 * stats. `library-versions.csv` also takes `of=<library>`: one library's table. Put it behind
 * `adminOnly`. A table that is not on the page is a `404`, bad parameters a `400`, with a reason.
 *
 * @param options.now - The clock the default range (the last 30 days) ends at.
 * @param options.withStore - Where the figures come from.
 */
export function tableCsvRoute(options: TableCsvRouteOptions): CollectorRoute {
  const { now, withStore } = options;
  return (request) => {
    const url = new URL(request.url);
    const name = NAME.exec(url.pathname)?.[1];
    if (name === undefined || !isDashboardTable(name))
      return errorResponse(
        404,
        'not_found',
        `no such table; the tables are ${DASHBOARD_TABLE_NAMES.map((table) => `${table}.csv`).join(', ')}`,
      );
    const parsed = parseStatsQuery(url, now());
    if (!parsed.ok) return parsed.response;
    const ofs = url.searchParams.getAll('of');
    const of = ofs[0];
    if (name === 'library-versions' && (ofs.length !== 1 || !of || of.length > 200))
      return errorResponse(
        400,
        'invalid_table',
        '`library-versions.csv` takes `of=<library>` once',
      );
    if (name !== 'library-versions' && ofs.length > 0)
      return errorResponse(400, 'invalid_table', 'only `library-versions.csv` takes `of`');

    return withStore(async (store) => {
      const spec = dashboardTable(await store.stats(parsed.query), name, of);
      if (!spec)
        return errorResponse(
          404,
          'no_such_table',
          name === 'library-versions'
            ? 'that library has no version table in this range'
            : 'no library manifest applies to this view, so it has no such table',
        );
      const file = [name, of, parsed.fromDay, parsed.toDay].filter(Boolean).join('-');
      return new Response(request.method === 'HEAD' ? null : tableCsv(spec), {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="telemetry-${file.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      });
    }, {});
  };
}
