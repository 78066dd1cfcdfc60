import { WEIGHT } from '../stats-scope.js';
import { defineRollup } from './rollup-table.js';

/**
 * `telemetry_rollup_daily_mounts`: per day, service, install, component, library, version and
 * props, the mounts (`metadata.count`, weighted). Every component panel, the libraries the
 * filter offers and the library filter itself read it.
 */
export const DAILY_MOUNTS = defineRollup({
  table: 'telemetry_rollup_daily_mounts',
  eventTypes: ['component.mount'],
  dims: [
    { name: 'component', sql: "metadata->>'component'" },
    { name: 'library', sql: "coalesce(metadata->>'library', '')" },
    { name: 'version', sql: "coalesce(metadata->>'version', '')" },
    { name: 'props', sql: "coalesce(metadata->'props', '{}'::jsonb)" },
  ],
  values: [
    { name: 'mounts', sql: `sum(coalesce((metadata->>'count')::float8, 1) * ${WEIGHT})::float8` },
  ],
});
