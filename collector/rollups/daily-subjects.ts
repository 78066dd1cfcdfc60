import { WEIGHT } from '../stats-scope.js';
import { defineRollup } from './rollup-table.js';

/**
 * `telemetry_rollup_daily_subjects` (migration 4): per day, service and install, its event
 * count and its page views and errors weighted by 1 / `sampling_rate`. Totals, installs per
 * day and week, and the weekly cohorts read it.
 */
export const DAILY_SUBJECTS = defineRollup({
  table: 'telemetry_rollup_daily_subjects',
  eventTypes: null,
  dims: [],
  values: [
    { name: 'events', sql: 'count(*)::int' },
    {
      name: 'page_views',
      sql: `coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'page.view'), 0)::float8`,
    },
    {
      name: 'errors',
      sql: `coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'error'), 0)::float8`,
    },
  ],
});
