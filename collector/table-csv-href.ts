import type { CollectorStats } from './collector-stats.js';
import type { TableSpec } from './dashboard-table.js';

/** Where a dashboard table's CSV is served: `/v1/stats/<name>.csv`. */
export const TABLE_CSV_PREFIX = '/v1/stats/';

/**
 * The link to a table's CSV with the page's range (as UTC days) and filters, so the download
 * holds exactly the rows on screen.
 */
export function tableCsvHref(
  spec: TableSpec<unknown>,
  range: { fromDay: string; toDay: string },
  filters: CollectorStats['filters'],
): string {
  const params = new URLSearchParams({ from: range.fromDay, to: range.toDay });
  if (filters.service !== null) params.set('service', filters.service);
  if (filters.library !== null) params.set('library', filters.library);
  for (const [name, value] of Object.entries(spec.linkParams ?? {})) params.set(name, value);
  return `${TABLE_CSV_PREFIX}${spec.name}.csv?${params}`;
}
