import { bucketOf } from './histogram.js';
import { defineRollup, totalsOf } from './rollup-table.js';

/**
 * `telemetry_rollup_daily_vitals`: per day, service, install, page and metric, a histogram
 * (see histogram.ts) of web vital values; the p75 per page and metric comes from it.
 */
export const DAILY_VITALS = defineRollup({
  table: 'telemetry_rollup_daily_vitals',
  eventTypes: ['web_vital'],
  dims: [
    { name: 'path', sql: "coalesce(metadata->>'path', context->>'path', '')" },
    { name: 'name', sql: "metadata->>'name'" },
    { name: 'bucket', sql: bucketOf("(metadata->>'value')::float8") },
  ],
  values: [{ name: 'samples', sql: 'count(*)::int' }],
});

/** `telemetry_rollup_daily_vital_totals`: `DAILY_VITALS` summed over installs, for reads without a library filter. */
export const DAILY_VITAL_TOTALS = totalsOf(DAILY_VITALS, 'telemetry_rollup_daily_vital_totals');
