import { WEIGHT } from '../stats-scope.js';
import { defineRollup } from './rollup-table.js';

const weighted = (condition: string) =>
  `coalesce(sum(${WEIGHT}) FILTER (WHERE ${condition}), 0)::float8`;

/**
 * `telemetry_rollup_daily_features`: per day, service, install and feature, weighted
 * toggles on and off, uses, and all of its events (`weight`, the panel's order).
 */
export const DAILY_FEATURES = defineRollup({
  table: 'telemetry_rollup_daily_features',
  eventTypes: ['feature.toggle', 'feature.use'],
  dims: [{ name: 'feature', sql: "metadata->>'feature'" }],
  values: [
    {
      name: 'toggled_on',
      sql: weighted("event_type = 'feature.toggle' AND metadata->>'enabled' = 'true'"),
    },
    {
      name: 'toggled_off',
      sql: weighted("event_type = 'feature.toggle' AND metadata->>'enabled' = 'false'"),
    },
    { name: 'uses', sql: weighted("event_type = 'feature.use'") },
    { name: 'weight', sql: `sum(${WEIGHT})::float8` },
  ],
});
