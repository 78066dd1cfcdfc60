import { WEIGHT } from '../stats-scope.js';
import { defineRollup, totalsOf } from './rollup-table.js';

const ended = (outcome: string) => ({
  name: outcome === 'success' ? 'succeeded' : outcome === 'failure' ? 'failed' : outcome,
  sql: `coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'flow.end'
    AND metadata->>'outcome' = '${outcome}'), 0)::float8`,
});

/**
 * `telemetry_rollup_daily_flows`: per day, service, install and flow name, the weighted
 * starts and ends by outcome. Durations are in `telemetry_rollup_daily_durations`.
 */
export const DAILY_FLOWS = defineRollup({
  table: 'telemetry_rollup_daily_flows',
  eventTypes: ['flow.start', 'flow.end'],
  where: "metadata->>'flow' IS NOT NULL",
  dims: [{ name: 'flow', sql: "metadata->>'flow'" }],
  values: [
    {
      name: 'started',
      sql: `coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'flow.start'), 0)::float8`,
    },
    ended('success'),
    ended('failure'),
    ended('cancelled'),
    ended('abandoned'),
  ],
});

/** `telemetry_rollup_daily_flow_totals`: `DAILY_FLOWS` summed over installs, for reads without a library filter. */
export const DAILY_FLOW_TOTALS = totalsOf(DAILY_FLOWS, 'telemetry_rollup_daily_flow_totals');
