import { bucketOf } from './histogram.js';
import { defineRollup, totalsOf } from './rollup-table.js';

/** `duration_ms` where it is a number (a flow.end of another client may send anything). */
const DURATION = `CASE WHEN jsonb_typeof(metadata->'duration_ms') = 'number'
  THEN (metadata->>'duration_ms')::float8 END`;

/**
 * `telemetry_rollup_daily_durations`: histograms (see histogram.ts) of `duration_ms`, per day,
 * service and install: of `session.end` (kind `session`, name '') and of `flow.end` (kind
 * `flow`, name the flow). The median session and the flows' p50 / p95 come from it.
 */
export const DAILY_DURATIONS = defineRollup({
  table: 'telemetry_rollup_daily_durations',
  eventTypes: ['session.end', 'flow.end'],
  where: `${DURATION} IS NOT NULL
    AND (event_type = 'session.end' OR metadata->>'flow' IS NOT NULL)`,
  dims: [
    { name: 'kind', sql: "CASE WHEN event_type = 'session.end' THEN 'session' ELSE 'flow' END" },
    {
      name: 'name',
      sql: "CASE WHEN event_type = 'session.end' THEN '' ELSE metadata->>'flow' END",
    },
    { name: 'bucket', sql: bucketOf(DURATION) },
  ],
  values: [{ name: 'samples', sql: 'count(*)::int' }],
});

/** `telemetry_rollup_daily_duration_totals`: `DAILY_DURATIONS` summed over installs, for reads without a library filter. */
export const DAILY_DURATION_TOTALS = totalsOf(
  DAILY_DURATIONS,
  'telemetry_rollup_daily_duration_totals',
);
