import type { SqlTransaction } from './event-partitions.js';
import { partitionEvents } from './partition-migration.js';
import { ACTIVITY_SETS_MIGRATION } from './rollups/activity-sets.js';
import { ROLLUPS_MIGRATION, TOTALS_MIGRATION } from './rollups/rollups-migration.js';
import type { SqlDatabase } from './sql-database.js';

/** SQL statements separated by `;`, or a step that needs more than SQL (run in the same transaction). */
type Migration = string | ((tx: SqlTransaction) => Promise<void>);

/**
 * The schema, as an append-only list: never edit a shipped migration, add the next one. The
 * same statements run on PGlite and PostgreSQL.
 */
const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE telemetry_events (
     id text PRIMARY KEY,
     event_type text NOT NULL,
     occurred_at timestamptz NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now(),
     anonymous_id text NOT NULL,
     session_id text NOT NULL,
     user_id text,
     sampling_rate double precision,
     service_name text NOT NULL,
     service_version text NOT NULL,
     consent_policy_version integer NOT NULL,
     metadata jsonb NOT NULL,
     context jsonb NOT NULL
   );
   CREATE INDEX telemetry_events_occurred_at ON telemetry_events (occurred_at);
   CREATE INDEX telemetry_events_type_occurred_at ON telemetry_events (event_type, occurred_at);
   CREATE INDEX telemetry_events_anonymous_id ON telemetry_events (anonymous_id);
   CREATE TABLE telemetry_device_drops (
     received_at timestamptz NOT NULL DEFAULT now(),
     service_name text NOT NULL,
     reason text NOT NULL,
     count integer NOT NULL
   );
   CREATE INDEX telemetry_device_drops_received_at ON telemetry_device_drops (received_at);`,
  // One manifest per library (PUT /v1/manifests/:library replaces it): what the library
  // exports, compared with its mounts. `version` is a column so a listing needs no JSON.
  `CREATE TABLE telemetry_manifests (
     library text PRIMARY KEY,
     version text NOT NULL,
     manifest jsonb NOT NULL,
     updated_at timestamptz NOT NULL
   );`,
  // How far the sending device's clock was off (the collector's receive time minus the batch's
  // sent_at) when an event's time was corrected by it; null when it was not. The device's own
  // time is occurred_at minus this.
  'ALTER TABLE telemetry_events ADD COLUMN clock_skew_ms bigint;',
  // Rollups (see rollups.ts): one row per UTC day, service and install, kept at ingest, and
  // built here from the events a database already holds. The weight is 1 / sampling_rate.
  `CREATE TABLE telemetry_rollup_daily_subjects (
     day date NOT NULL,
     service_name text NOT NULL,
     anonymous_id text NOT NULL,
     events integer NOT NULL,
     page_views double precision NOT NULL,
     errors double precision NOT NULL,
     PRIMARY KEY (day, service_name, anonymous_id)
   );
   CREATE INDEX telemetry_rollup_daily_subjects_anonymous_id
     ON telemetry_rollup_daily_subjects (anonymous_id);
   INSERT INTO telemetry_rollup_daily_subjects
     (day, service_name, anonymous_id, events, page_views, errors)
   SELECT (occurred_at AT TIME ZONE 'UTC')::date, service_name, anonymous_id, count(*)::int,
          coalesce(sum(1.0 / coalesce(nullif(sampling_rate, 0), 1))
            FILTER (WHERE event_type = 'page.view'), 0)::float8,
          coalesce(sum(1.0 / coalesce(nullif(sampling_rate, 0), 1))
            FILTER (WHERE event_type = 'error'), 0)::float8
   FROM telemetry_events GROUP BY 1, 2, 3;`,
  // The rollups of the other panels (sessions, pages, features, components, errors, flows,
  // durations, web vitals), built from the events already held: see rollups/*.ts.
  ROLLUPS_MIGRATION,
  // Raw events partitioned by month, dedupe through telemetry_event_ids (partition-migration.ts).
  partitionEvents,
  // Installs and sessions numbered, and their daily activity as bitmaps, so distinct counts
  // cost what the days do (rollups/activity-sets.ts); filled from the per-install rollups.
  ACTIVITY_SETS_MIGRATION,
  // The flows' and histograms' rollups summed over installs, for reads without a library
  // filter (rollups/rollup-table.ts, totalsOf).
  TOTALS_MIGRATION,
];

/**
 * Brings the schema up to date. Runs in one transaction holding an advisory lock, so two
 * collectors starting against the same PostgreSQL do not both migrate.
 *
 * @param upTo - Stop after this version (tests build an older schema with it); default: all.
 */
export async function migrate(
  database: SqlDatabase,
  upTo: number = MIGRATIONS.length,
): Promise<void> {
  await database.transaction(async (tx) => {
    // Arbitrary constant: the lock id of telemetry-kit's migrations.
    await tx.query('SELECT pg_advisory_xact_lock(7318004)');
    await tx.query(
      `CREATE TABLE IF NOT EXISTS telemetry_schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows = await tx.query<{ version: number }>(
      'SELECT coalesce(max(version), 0)::int AS version FROM telemetry_schema_migrations',
    );
    const applied = rows[0]?.version ?? 0;
    for (let version = applied + 1; version <= Math.min(upTo, MIGRATIONS.length); version += 1) {
      const migration = MIGRATIONS[version - 1] ?? '';
      if (typeof migration === 'function') await migration(tx);
      else for (const statement of splitStatements(migration)) await tx.query(statement);
      await tx.query('INSERT INTO telemetry_schema_migrations (version) VALUES ($1)', [version]);
    }
  });
}

/** Prepared statements take one command each; migrations hold no `;` inside literals. */
function splitStatements(script: string): string[] {
  return script
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
