import type { StatsRange } from './collector-stats.js';

const DAY_MS = 86_400_000;
const DEFAULT_STATS_DAYS = 30;
const MAX_STATS_DAYS = 800;

/** A range read from a query string, with the days to show back in the filter. */
export type ParsedRange =
  | { ok: true; range: StatsRange; fromDay: string; toDay: string }
  | { ok: false; reason: string };

/**
 * `from` / `to` as `YYYY-MM-DD` (UTC days, both inclusive, as in the dashboard's filter) or full
 * ISO timestamps (`to` exclusive). Default: the last 30 days including today.
 */
export function parseRange(url: URL, now: number): ParsedRange {
  const fromText = url.searchParams.get('from') || undefined;
  const toText = url.searchParams.get('to') || undefined;
  const startOfTomorrow = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  const to = toText === undefined ? startOfTomorrow : parseBound(toText, true);
  if (Number.isNaN(to)) return { ok: false, reason: '`to` must be YYYY-MM-DD or an ISO timestamp' };
  const from =
    fromText === undefined ? to - DEFAULT_STATS_DAYS * DAY_MS : parseBound(fromText, false);
  if (Number.isNaN(from))
    return { ok: false, reason: '`from` must be YYYY-MM-DD or an ISO timestamp' };
  if (from >= to) return { ok: false, reason: '`from` must be before `to`' };
  if (to - from > MAX_STATS_DAYS * DAY_MS)
    return { ok: false, reason: `a range spans at most ${MAX_STATS_DAYS} days` };
  return {
    ok: true,
    range: { from: new Date(from), to: new Date(to) },
    fromDay: new Date(from).toISOString().slice(0, 10),
    toDay: new Date(to - 1).toISOString().slice(0, 10),
  };
}

function parseBound(text: string, isEnd: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = Date.parse(`${text}T00:00:00Z`);
    return isEnd ? day + DAY_MS : day;
  }
  if (text.length > 40 || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return Number.NaN;
  return Date.parse(text);
}
