import type { StatsRange } from './collector-stats.js';
import type { SqlDatabase, SqlRow } from './sql-database.js';

// Counts are scaled back up by the sampling rate the client recorded: an event kept at 10 %
// stands for ten.
export const WEIGHT = '(1.0 / coalesce(nullif(sampling_rate, 0), 1))';
/** Events of the range: `$1` inclusive, `$2` exclusive. */
export const IN_SCOPE = 'occurred_at >= $1 AND occurred_at < $2';
/** The longest list a panel returns. */
export const LIST_LIMIT = 100;

/** The panels' one way to the database: every query gets the same parameters. */
export interface StatsScope {
  /** Runs `sql` with `$1` = from and `$2` = to (ISO timestamps). */
  query<Row extends SqlRow>(sql: string): Promise<Row[]>;
}

/** The scope of one stats read: `range` as the parameters of every panel's query. */
export function statsScope(database: SqlDatabase, range: StatsRange): StatsScope {
  const parameters = [range.from.toISOString(), range.to.toISOString()];
  return {
    query: <Row extends SqlRow>(sql: string) => database.query<Row>(sql, parameters),
  };
}
