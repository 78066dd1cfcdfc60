import type { StatsQuery } from './collector-stats.js';
import type { SqlDatabase, SqlParameter, SqlRow } from './sql-database.js';

// Counts are scaled back up by the sampling rate the client recorded: an event kept at 10 %
// stands for ten.
export const WEIGHT = '(1.0 / coalesce(nullif(sampling_rate, 0), 1))';
/** The longest list a panel returns. */
export const LIST_LIMIT = 100;

// The parameters of every panel's query: $1 from, $2 to, $3 service, $4 library. A filter not
// given is NULL and its condition is true, so one statement serves every combination and no
// SQL is ever built from a filter's value.
const OF_SERVICE = '($3::text IS NULL OR service_name = $3)';

/** Events of the range only, whatever the filters: for the choices a filter offers. */
export const IN_RANGE = 'occurred_at >= $1 AND occurred_at < $2';

/**
 * Events of the range and service; with a library, only those of installs that mounted one of
 * its components in the range and service. Panels with no library of their own (pages,
 * errors, active installs, ...) so show the apps' use by the library's adopters.
 */
export const IN_SCOPE = `${IN_RANGE} AND ${OF_SERVICE} AND ($4::text IS NULL OR anonymous_id IN (
  SELECT anonymous_id FROM telemetry_events
  WHERE event_type = 'component.mount' AND metadata->>'library' = $4 AND ${IN_RANGE} AND ${OF_SERVICE}
))`;

/** `component.mount` events of the range, service and library. */
export const MOUNTS_IN_SCOPE = `event_type = 'component.mount' AND ${IN_RANGE} AND ${OF_SERVICE}
  AND ($4::text IS NULL OR metadata->>'library' = $4)`;

/**
 * Device drop counts of the range and service. They come per batch, with no install or
 * library attached, so a library filter cannot narrow them.
 */
export const DROPS_IN_SCOPE = `received_at >= $1 AND received_at < $2 AND ${OF_SERVICE}`;

/** The panels' one way to the database. */
export interface StatsScope {
  /** Runs `sql` with `$1` from, `$2` to (ISO), `$3` service and `$4` library (NULL: any). */
  query<Row extends SqlRow>(sql: string): Promise<Row[]>;
  /**
   * Whether a library filter narrows the read: then the panels read the per-install rollups
   * (only they can be narrowed to the library's installs), else their totals and the sets.
   */
  readonly byLibrary: boolean;
}

/** The scope of one stats read: `query`'s range and filters as every panel's parameters. */
export function statsScope(database: SqlDatabase, query: StatsQuery): StatsScope {
  const parameters: SqlParameter[] = [
    query.from.toISOString(),
    query.to.toISOString(),
    query.service || null,
    query.library || null,
  ];
  return {
    byLibrary: Boolean(query.library),
    query<Row extends SqlRow>(sql: string) {
      // PostgreSQL takes exactly as many parameters as the statement's highest `$n`, so a
      // query that needs no filter is sent only the range.
      const used = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
      return database.query<Row>(sql, parameters.slice(0, used));
    },
  };
}
