import { EVENT_TYPE_PATTERN } from 'telemetry-kit/wire';
import type { CollectorRoute } from './collector-route.js';
import { type ExportFormat, exportHeader, formatExportPage } from './export-format.js';
import { exportRows } from './export-rows.js';
import { errorResponse } from './json-response.js';
import { parseFilters } from './stats-filters.js';
import { parseRange } from './stats-range.js';
import type { WithStore } from './store-lifecycle.js';

/** What `GET /v1/export` needs from the collector. */
export interface ExportRouteOptions {
  now: () => number;
  withStore: WithStore;
}

const TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/**
 * `GET /v1/export?from=&to=&format=ndjson|csv[&service=&event_type=]`: the raw events of the
 * range (the dashboard's: days or ISO times, the last 30 days by default), oldest first,
 * streamed a page at a time so that memory stays flat however many there are. Put it behind
 * `adminOnly`. Bad parameters are a 400 with a reason.
 *
 * @param options.now - The clock the default range ends at.
 * @param options.withStore - Where the events come from.
 */
export function exportRoute(options: ExportRouteOptions): CollectorRoute {
  const { now, withStore } = options;
  return (request) => {
    const url = new URL(request.url);
    const range = parseRange(url, now());
    if (!range.ok) return errorResponse(400, 'invalid_range', range.reason);
    const filters = parseFilters(url);
    if (!filters.ok) return errorResponse(400, 'invalid_filter', filters.reason);
    if (filters.filters.library)
      return errorResponse(400, 'invalid_filter', 'the export takes `service` and `event_type`');
    const types = url.searchParams.getAll('event_type');
    const eventType = types[0] || undefined;
    if (types.length > 1 || (eventType !== undefined && !EVENT_TYPE_PATTERN.test(eventType)))
      return errorResponse(
        400,
        'invalid_filter',
        '`event_type` is at most one event type (1-64 of A-Z a-z 0-9 . _ - :)',
      );
    const format = (url.searchParams.get('format') || 'ndjson') as ExportFormat;
    if (!(format in TYPES))
      return errorResponse(400, 'invalid_format', '`format` is `ndjson` or `csv`');

    const query = {
      from: range.range.from,
      to: range.range.to,
      service: filters.filters.service,
      eventType,
    };
    const headers = {
      'content-type': TYPES[format],
      'content-disposition': `attachment; filename="telemetry-${range.fromDay}-${range.toDay}.${format}"`,
      'cache-control': 'no-store',
    };
    return withStore(async (store) => {
      const pages = exportRows(store.database, query);
      const encoder = new TextEncoder();
      let started = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!started) {
            started = true;
            const header = exportHeader(format);
            if (header) {
              controller.enqueue(encoder.encode(header));
              return;
            }
          }
          const next = await pages.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(formatExportPage(format, next.value)));
        },
        async cancel() {
          await pages.return(undefined);
        },
      });
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    }, {});
  };
}
