import { WEIGHT } from '../stats-scope.js';
import { defineRollup, type RollupColumn } from './rollup-table.js';

const TABLE = 'telemetry_rollup_daily_errors';

/** The field of the group's latest error; on conflict, of whichever row saw it last. */
const latest = (name: string): RollupColumn => ({
  name,
  sql: `(array_agg(coalesce(metadata->>'${name}', '') ORDER BY occurred_at DESC))[1]`,
  merge: `CASE WHEN excluded.last_seen > ${TABLE}.last_seen THEN excluded.${name}
    ELSE ${TABLE}.${name} END`,
});

/**
 * `telemetry_rollup_daily_errors`: per day, service, install and `error_hash`, the weighted
 * count, the last time it was seen and that latest error's class, message and source.
 */
export const DAILY_ERRORS = defineRollup({
  table: TABLE,
  eventTypes: ['error'],
  dims: [{ name: 'error_hash', sql: "metadata->>'error_hash'" }],
  // `last_seen` last: every SET expression reads the row as it was before the update.
  values: [
    latest('error_class'),
    latest('message'),
    latest('source'),
    { name: 'count', sql: `sum(${WEIGHT})::float8` },
    {
      name: 'last_seen',
      sql: 'max(occurred_at)',
      merge: `greatest(${TABLE}.last_seen, excluded.last_seen)`,
    },
  ],
});
