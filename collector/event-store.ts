import type { TelemetryEvent } from 'telemetry-kit/wire';
import type { CollectorStats, StatsQuery } from './collector-stats.js';
import { eventPartitions } from './event-partitions.js';
import { migrate } from './migrations.js';
import { lockActivitySets } from './rollups/activity-sets.js';
import { insertEventsSql } from './rollups/insert-events.js';
import {
  deleteSubjectEverywhere,
  rebuildAllRollups,
  trimRollups,
} from './rollups/rollup-maintenance.js';
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
        const insert = insertEventsSql(new Set(events.map((event) => event.event_type)));
        const rows = await database.query(
          insert.sql,
          [
            JSON.stringify(events),
            origin.service_name,
            origin.service_version,
            origin.consent_policy_version,
            origin.clock_skew_ms ?? null,
          ],
          { prepareAs: insert.name },
        );
        inserted = rows.length;
      }
      if (Object.keys(dropped).length > 0) {
        await database.query(INSERT_DROPS, [origin.service_name, JSON.stringify(dropped)]);
      }
      return { inserted, duplicates: events.length - inserted };
    },
    deleteSubject: (anonymousId) => deleteSubjectEverywhere(database, anonymousId),
    async deleteOlderThan(cutoff) {
      const at = cutoff.toISOString();
      await monthsAhead();
      // Months wholly before the cutoff go as tables; then, in the month straddling it (and the
      // default partition), the rows before it. The ids of the events go with them.
      const dropped = await partitions.dropBefore(cutoff);
      return database.transaction(async (tx) => {
        await lockActivitySets(tx);
        const rows = await tx.query<{ deleted: number }>(
          `WITH gone AS (DELETE FROM telemetry_events WHERE occurred_at < $1 RETURNING id),
                ids AS (DELETE FROM telemetry_event_ids WHERE id IN (SELECT id FROM gone))
           SELECT count(*)::int AS deleted FROM gone`,
          [at],
        );
        await trimRollups(tx, at);
        await tx.query('DELETE FROM telemetry_device_drops WHERE received_at < $1', [at]);
        return dropped + (rows[0]?.deleted ?? 0);
      });
    },
    rebuildRollups: () => database.transaction(rebuildAllRollups),
    stats: (query) => readStats(database, query),
    close: () => database.close(),
  };
}
