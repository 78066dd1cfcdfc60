import { WEIGHT } from '../stats-scope.js';
import { defineRollup } from './rollup-table.js';

/** `telemetry_rollup_daily_pages`: per day, service, install and path, weighted page views. */
export const DAILY_PAGES = defineRollup({
  table: 'telemetry_rollup_daily_pages',
  eventTypes: ['page.view'],
  dims: [{ name: 'path', sql: "metadata->>'path'" }],
  values: [{ name: 'views', sql: `sum(${WEIGHT})::float8` }],
});
