import type { TelemetryEvent } from 'telemetry-kit/wire';
import type { CollectorStats, StatsQuery } from './collector-stats.js';
import { eventPartitions } from './event-partitions.js';
import { migrate } from './migrations.js';
import { dailySubjectRows, upsertDailySubjects } from './rollups.js';
import type { SqlDatabase } from './sql-database.js';
import { readStats } from './stats.js';

/** The batch-level facts stored beside each event. */
export interface BatchOrigin {
  service_name: string;
  service_version: string;
  /** From the batch's consent receipt: which policy the user agreed to. */
  consent_policy_version: number;
  /**
   * How far the device's clock was off, when the events' times were corrected by it
   * (`readBatch`); absent or null when they were not.
   */
  clock_skew_ms?: number | null;
}

/** What one insert achieved. Duplicates are events whose id was already stored (or repeated). */
export interface InsertResult {
  inserted: number;
  duplicates: number;
}

/** Everything the collector keeps, behind one interface for PGlite and PostgreSQL alike. */
export interface EventStore {
  /** The database underneath, for reports of your own (read-only use is the safe use). */
  readonly database: SqlDatabase;
  /**
   * Stores valid events, skipping ids already stored (`telemetry_event_ids` is the dedupe key,
   * so a retried or beaconed batch never doubles a count), plus the device's drop counts.
   */
  insertBatch(
    origin: BatchOrigin,
    events: readonly TelemetryEvent[],
    dropped: Readonly<Record<string, number>>,
  ): Promise<InsertResult>;
  /** Deletes every event of one anonymous id (a `forget()` request); returns how many. */
  deleteSubject(anonymousId: string): Promise<number>;
  /** Deletes events that happened before `cutoff` and drop counts received before it. */
  deleteOlderThan(cutoff: Date): Promise<number>;
  /**
   * Rebuilds the rollups from the raw events (after a restore, a manual edit of the events, or
   * to check them); ingest waits meanwhile. Returns how many rollup rows were written.
   */
  rebuildRollups(): Promise<number>;
  /** The numbers behind the dashboard and `GET /v1/stats`, for a range and optional filters. */
  stats(query: StatsQuery): Promise<CollectorStats>;
  /** Closes the database. Idempotent. */
  close(): Promise<void>;
}

// One statement per batch: the events travel as one JSON parameter and are unpacked by
// jsonb_to_recordset, so a batch of 50 costs one round trip and no SQL is built from input.
// Each id is claimed first in telemetry_event_ids (the dedupe key: the partitioned events table
// cannot have a unique id, see partition-migration.ts); only the events whose id this statement
// claimed are inserted, and those rows (RETURNING: never a duplicate) feed the rollups, so ids,
// raw events and rollups commit together or not at all. An id repeated within the batch keeps
// its first event; ids are claimed in sorted order so concurrent batches lock them alike.
const INSERT_EVENTS = `
  WITH incoming AS (
    SELECT DISTINCT ON (e.id) e.*
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (
      id text, event_type text, timestamp timestamptz, anonymous_id text, session_id text,
      user_id text, sampling_rate double precision, metadata jsonb, context jsonb
    )) WITH ORDINALITY AS e(
      id, event_type, timestamp, anonymous_id, session_id, user_id, sampling_rate, metadata,
      context, position
    )
    ORDER BY e.id, e.position
  ), claimed AS (
    INSERT INTO telemetry_event_ids (id, occurred_at)
    SELECT id, timestamp FROM incoming ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  ), inserted AS (
    INSERT INTO telemetry_events (
      id, event_type, occurred_at, anonymous_id, session_id, user_id, sampling_rate,
      service_name, service_version, consent_policy_version, metadata, context, clock_skew_ms
    )
    SELECT e.id, e.event_type, e.timestamp, e.anonymous_id, e.session_id, e.user_id,
           e.sampling_rate, $2, $3, $4, e.metadata, e.context, $5::bigint
    FROM incoming AS e JOIN claimed USING (id)
    RETURNING id, event_type, occurred_at, anonymous_id, service_name, sampling_rate
  ), rolled AS (
    ${upsertDailySubjects('inserted')}
  )
  SELECT id FROM inserted`;

const INSERT_DROPS = `
  INSERT INTO telemetry_device_drops (service_name, reason, count)
  SELECT $1, d.key, d.value::int FROM jsonb_each_text($2::jsonb) AS d
  WHERE d.value::int > 0`;

/**
 * Builds the store on any `SqlDatabase` and brings its schema up to date. The PGlite and
 * PostgreSQL factories are thin wrappers around this.
 */
export async function createSqlStore(database: SqlDatabase): Promise<EventStore> {
  await migrate(database);
  const partitions = eventPartitions(database);
  // This month's partition and the next, ahead of time (retention's daily run repeats it).
  const monthsAhead = () => partitions.prepare([Date.now(), Date.now() + 32 * 86_400_000]);
  await monthsAhead();
  return {
    database,
    async insertBatch(origin, events, dropped) {
      let inserted = 0;
      if (events.length > 0) {
        await partitions.prepare(events.map((event) => Date.parse(event.timestamp)));
        const rows = await database.query(INSERT_EVENTS, [
          JSON.stringify(events),
          origin.service_name,
          origin.service_version,
          origin.consent_policy_version,
          origin.clock_skew_ms ?? null,
        ]);
        inserted = rows.length;
      }
      if (Object.keys(dropped).length > 0) {
        await database.query(INSERT_DROPS, [origin.service_name, JSON.stringify(dropped)]);
      }
      return { inserted, duplicates: events.length - inserted };
    },
    async deleteSubject(anonymousId) {
      const rows = await database.query<{ deleted: number }>(
        `WITH gone AS (DELETE FROM telemetry_events WHERE anonymous_id = $1 RETURNING id),
              ids AS (DELETE FROM telemetry_event_ids WHERE id IN (SELECT id FROM gone)),
              rolled AS (DELETE FROM telemetry_rollup_daily_subjects WHERE anonymous_id = $1)
         SELECT count(*)::int AS deleted FROM gone`,
        [anonymousId],
      );
      return rows[0]?.deleted ?? 0;
    },
    async deleteOlderThan(cutoff) {
      const at = cutoff.toISOString();
      await monthsAhead();
      // Months wholly before the cutoff go as tables; then, in the month straddling it (and the
      // default partition), the rows before it. The ids of the events go with them.
      const dropped = await partitions.dropBefore(cutoff);
      return database.transaction(async (tx) => {
        const rows = await tx.query<{ deleted: number }>(
          `WITH gone AS (DELETE FROM telemetry_events WHERE occurred_at < $1 RETURNING id),
                ids AS (DELETE FROM telemetry_event_ids WHERE id IN (SELECT id FROM gone))
           SELECT count(*)::int AS deleted FROM gone`,
          [at],
        );
        // Whole days before the cutoff go; the cutoff's own day is rebuilt from what remains.
        await tx.query(
          `DELETE FROM telemetry_rollup_daily_subjects
           WHERE day <= ($1::timestamptz AT TIME ZONE 'UTC')::date`,
          [at],
        );
        await tx.query(
          `INSERT INTO telemetry_rollup_daily_subjects
             (day, service_name, anonymous_id, events, page_views, errors)
           ${dailySubjectRows(
             'telemetry_events',
             `occurred_at >= date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
              AND occurred_at < (date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC'`,
           )}
           ON CONFLICT (day, service_name, anonymous_id) DO NOTHING`,
          [at],
        );
        await tx.query('DELETE FROM telemetry_device_drops WHERE received_at < $1', [at]);
        return dropped + (rows[0]?.deleted ?? 0);
      });
    },
    rebuildRollups: () =>
      database.transaction(async (tx) => {
        // Ingest's statement takes its lock on the rollup first, so it waits here and its
        // events are either in the snapshot below or added after it.
        await tx.query('LOCK TABLE telemetry_rollup_daily_subjects IN EXCLUSIVE MODE');
        await tx.query('DELETE FROM telemetry_rollup_daily_subjects');
        const rows = await tx.query<{ written: number }>(
          `WITH written AS (
             INSERT INTO telemetry_rollup_daily_subjects
               (day, service_name, anonymous_id, events, page_views, errors)
             ${dailySubjectRows('telemetry_events')}
             RETURNING 1
           ) SELECT count(*)::int AS written FROM written`,
        );
        return rows[0]?.written ?? 0;
      }),
    stats: (query) => readStats(database, query),
    close: () => database.close(),
  };
}
