import type { TelemetryEvent } from 'telemetry-kit';
import type { BatchOrigin, SqlDatabase } from 'telemetry-kit-collector';
import { migrate } from '../../collector/migrations.js';

/**
 * Empties the database (every table of the collector, whatever migrations made) and migrates
 * it only up to `version`: a database as an older collector left it, for migration tests.
 */
export async function schemaAtVersion(database: SqlDatabase, version: number): Promise<void> {
  await database.query('DROP SCHEMA public CASCADE');
  await database.query('CREATE SCHEMA public');
  await migrate(database, version);
}

/**
 * Inserts events as the collector did before the events were partitioned (migrations 3 and 4:
 * `telemetry_events` with its `clock_skew_ms` column), rollups left alone.
 */
export async function insertUnpartitioned(
  database: SqlDatabase,
  origin: BatchOrigin,
  events: readonly TelemetryEvent[],
): Promise<void> {
  await database.query(
    `INSERT INTO telemetry_events (
       id, event_type, occurred_at, anonymous_id, session_id, user_id, sampling_rate,
       service_name, service_version, consent_policy_version, metadata, context, clock_skew_ms
     )
     SELECT e.id, e.event_type, e.timestamp, e.anonymous_id, e.session_id, e.user_id,
            e.sampling_rate, $2, $3, $4, e.metadata, e.context, $5::bigint
     FROM jsonb_to_recordset($1::jsonb) AS e(
       id text, event_type text, timestamp timestamptz, anonymous_id text, session_id text,
       user_id text, sampling_rate double precision, metadata jsonb, context jsonb
     )`,
    [
      JSON.stringify(events),
      origin.service_name,
      origin.service_version,
      origin.consent_policy_version,
      origin.clock_skew_ms ?? null,
    ],
  );
}
