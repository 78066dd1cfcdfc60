import type { StatsQuery } from './collector-stats.js';
import { errorResponse } from './json-response.js';
import { parseFilters } from './stats-filters.js';
import { parseRange } from './stats-range.js';

/** A stats request's query, with the days to show back in the filter, or its 400 answer. */
export type ParsedStatsQuery =
  | { ok: true; query: StatsQuery; fromDay: string; toDay: string }
  | { ok: false; response: Response };

/**
 * The range (`from`, `to`) and filters (`service`, `library`) of `GET /v1/stats` and of the
 * dashboard page, which read the same figures.
 */
export function parseStatsQuery(url: URL, now: number): ParsedStatsQuery {
  const range = parseRange(url, now);
  if (!range.ok) return { ok: false, response: errorResponse(400, 'invalid_range', range.reason) };
  const filters = parseFilters(url);
  if (!filters.ok)
    return { ok: false, response: errorResponse(400, 'invalid_filter', filters.reason) };
  return {
    ok: true,
    query: { ...range.range, ...filters.filters },
    fromDay: range.fromDay,
    toDay: range.toDay,
  };
}
