import { defineRollup } from './rollup-table.js';

/**
 * `telemetry_rollup_daily_sessions`: per day, service and install, each session id it used
 * and how many `session.end` events it sent. Distinct sessions (and ended ones) are counted
 * from it exactly; it grows with sessions × days, not with events.
 */
export const DAILY_SESSIONS = defineRollup({
  table: 'telemetry_rollup_daily_sessions',
  eventTypes: null,
  dims: [{ name: 'session_id', sql: 'session_id' }],
  values: [{ name: 'ends', sql: "(count(*) FILTER (WHERE event_type = 'session.end'))::int" }],
});
