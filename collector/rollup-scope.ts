import type { StatsRange } from './collector-stats.js';
import type { RollupTable } from './rollups/rollup-table.js';
import type { StatsScope } from './stats-scope.js';

const DAY_MS = 86_400_000;

/**
 * Whether `/v1/stats` reads the rollups: for a range of whole UTC days, which the dashboard and
 * a `from` / `to` given as days always are. Both filters are rollup keys (the service a column,
 * the library the mounts rollup's), so they read the rollups too. Any other range reads the
 * raw events, exactly as before the rollups.
 */
export function readsRollups(range: StatsRange): boolean {
  return range.from.getTime() % DAY_MS === 0 && range.to.getTime() % DAY_MS === 0;
}

/** Rollup rows of the range only, whatever the filters: for the choices a filter offers. */
export const ROLLUP_IN_RANGE = `day >= ($1::timestamptz AT TIME ZONE 'UTC')::date
  AND day < ($2::timestamptz AT TIME ZONE 'UTC')::date`;

const OF_SERVICE = '($3::text IS NULL OR service_name = $3)';

/**
 * Rollup rows of the range and service; with a library, only those of installs that mounted
 * one of its components in the range and service: `IN_SCOPE` of the rollups.
 */
export const ROLLUP_IN_SCOPE = `${ROLLUP_IN_RANGE} AND ${OF_SERVICE} AND ($4::text IS NULL
  OR anonymous_id IN (SELECT anonymous_id FROM telemetry_rollup_daily_mounts
    WHERE library = $4 AND ${ROLLUP_IN_RANGE} AND ${OF_SERVICE}))`;

/**
 * Rows of the range and service of a rollup with no install column (the activity sets, the
 * totals: rollups/activity-sets.ts, `totalsOf`), which serve only reads without a library
 * filter.
 */
export const TOTALS_IN_SCOPE = `${ROLLUP_IN_RANGE} AND ${OF_SERVICE}`;

/**
 * A per-install rollup under the library filter, else its totals: the table to read and
 * its condition for the scope.
 */
export function rollupInScope(
  scope: StatsScope,
  rollup: RollupTable,
  totals: RollupTable,
): { table: string; inScope: string } {
  return scope.byLibrary
    ? { table: rollup.table, inScope: ROLLUP_IN_SCOPE }
    : { table: totals.table, inScope: TOTALS_IN_SCOPE };
}

/** Rows of `telemetry_rollup_daily_mounts` of the range, service and library. */
export const ROLLUP_MOUNTS_IN_SCOPE = `${ROLLUP_IN_RANGE} AND ${OF_SERVICE}
  AND ($4::text IS NULL OR library = $4)`;
