import { DAILY_DURATION_TOTALS, DAILY_DURATIONS } from './daily-durations.js';
import { DAILY_ERRORS } from './daily-errors.js';
import { DAILY_FEATURES } from './daily-features.js';
import { DAILY_FLOW_TOTALS, DAILY_FLOWS } from './daily-flows.js';
import { DAILY_MOUNTS } from './daily-mounts.js';
import { DAILY_PAGES } from './daily-pages.js';
import { DAILY_SESSIONS } from './daily-sessions.js';
import { DAILY_VITAL_TOTALS, DAILY_VITALS } from './daily-vitals.js';
import type { RollupTable } from './rollup-table.js';

/** The columns every rollup of migration 5 starts with; `dims_key` is md5 of its dimensions. */
const KEYED = `day date NOT NULL,
     service_name text NOT NULL,
     anonymous_id text NOT NULL,
     dims_key text NOT NULL`;

/** The columns every totals table (no install: `totalsOf`) starts with. */
const TOTALS_KEYED = `day date NOT NULL,
     service_name text NOT NULL,
     dims_key text NOT NULL`;

/**
 * A rollup's table, filled from what the database holds: a per-install rollup from the raw
 * events, totals from their per-install rollup.
 */
const create = (table: RollupTable, columns: string) => `
  CREATE TABLE ${table.table} (
     ${table.totalsOf ? TOTALS_KEYED : KEYED},
     ${columns},
     PRIMARY KEY (${table.key})
  );
  INSERT INTO ${table.table} (${table.columns}) ${
    table.totalsOf && table.fromPerInstall
      ? table.fromPerInstall(table.totalsOf.table, 'true')
      : table.rows('telemetry_events')
  };`;

// The columns of the flows and histograms beyond their keys: the same in their totals.
const FLOW_COLUMNS = `flow text NOT NULL, started double precision NOT NULL, succeeded double precision NOT NULL,
     failed double precision NOT NULL, cancelled double precision NOT NULL,
     abandoned double precision NOT NULL`;
const DURATION_COLUMNS =
  'kind text NOT NULL, name text, bucket integer NOT NULL, samples integer NOT NULL';
const VITAL_COLUMNS =
  'path text NOT NULL, name text, bucket integer NOT NULL, samples integer NOT NULL';

/**
 * Migration 5: the rollups of every other panel (see rollups/*.ts), built from the events a
 * database already holds. The backfill is each table's own `rows`, as a rebuild runs it. No
 * index on `anonymous_id`: ingest would maintain it at every batch for the rare subject
 * deletion, which scans these tables (much smaller than the events) instead.
 */
export const ROLLUPS_MIGRATION = [
  create(DAILY_SESSIONS, 'session_id text NOT NULL, ends integer NOT NULL'),
  create(DAILY_PAGES, 'path text, views double precision NOT NULL'),
  create(
    DAILY_FEATURES,
    `feature text, toggled_on double precision NOT NULL, toggled_off double precision NOT NULL,
     uses double precision NOT NULL, weight double precision NOT NULL`,
  ),
  create(
    DAILY_MOUNTS,
    `component text, library text NOT NULL, version text NOT NULL, props jsonb NOT NULL,
     mounts double precision NOT NULL`,
  ),
  create(
    DAILY_ERRORS,
    `error_hash text, error_class text NOT NULL, message text NOT NULL, source text NOT NULL,
     count double precision NOT NULL, last_seen timestamptz NOT NULL`,
  ),
  create(DAILY_FLOWS, FLOW_COLUMNS),
  create(DAILY_DURATIONS, DURATION_COLUMNS),
  create(DAILY_VITALS, VITAL_COLUMNS),
].join('\n');

/**
 * Migration 8: the totals of the flows and the two histograms, summed over installs from their
 * per-install rollups: what the dashboard reads without a library filter.
 */
export const TOTALS_MIGRATION = [
  create(DAILY_FLOW_TOTALS, FLOW_COLUMNS),
  create(DAILY_DURATION_TOTALS, DURATION_COLUMNS),
  create(DAILY_VITAL_TOTALS, VITAL_COLUMNS),
].join('\n');
