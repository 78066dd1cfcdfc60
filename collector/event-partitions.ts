import type { SqlDatabase } from './sql-database.js';

/**
 * `telemetry_events` is partitioned by UTC month of `occurred_at` (declarative partitioning,
 * the same on PGlite and PostgreSQL): one table `telemetry_events_YYYY_MM` a month, plus
 * `telemetry_events_default` for any event whose month has no table yet, so an insert never
 * fails for want of one. Retention drops whole months instead of deleting their rows.
 */

/** A connection inside a transaction, as `SqlDatabase.transaction` hands it over. */
export type SqlTransaction = Omit<SqlDatabase, 'transaction' | 'close'>;

/** A UTC month as one number: year × 12 + month index (0–11). */
export type MonthKey = number;

/** Arbitrary constant: the lock id of partition upkeep (creating and dropping months). */
const PARTITION_LOCK = 7318005;
const NAME = /^telemetry_events_(\d{4})_(\d{2})$/;

/** The month `time` (milliseconds) falls in, in UTC. */
export function monthOf(time: number): MonthKey {
  const date = new Date(time);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** The partition table of a month; undefined for a year SQL names cannot carry (not 4 digits). */
export function partitionName(month: MonthKey): string | undefined {
  const year = Math.floor(month / 12);
  if (!Number.isInteger(month) || year < 1000 || year > 9999) return undefined;
  return `telemetry_events_${year}_${String((month % 12) + 1).padStart(2, '0')}`;
}

/** The first instant of a month, as an ISO literal (digits only come from `month`). */
export function monthStart(month: MonthKey): string {
  const year = Math.floor(month / 12);
  return `${year}-${String((month % 12) + 1).padStart(2, '0')}-01T00:00:00Z`;
}

/** The months that have a partition table now. */
export async function listMonths(database: SqlTransaction): Promise<Set<MonthKey>> {
  const rows = await database.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'telemetry_events'::regclass`,
  );
  const months = new Set<MonthKey>();
  for (const { name } of rows) {
    const match = NAME.exec(name);
    if (match) months.add(Number(match[1]) * 12 + Number(match[2]) - 1);
  }
  return months;
}

/**
 * Creates a month's partition (the caller holds the upkeep lock or is the migration). Events of
 * that month already in the default partition move into it, so creating one late is safe.
 */
export async function createMonth(database: SqlTransaction, month: MonthKey): Promise<void> {
  const name = partitionName(month);
  if (name === undefined) return;
  const from = monthStart(month);
  const to = monthStart(month + 1);
  const waiting = await database.query(
    `SELECT 1 FROM telemetry_events_default WHERE occurred_at >= $1 AND occurred_at < $2 LIMIT 1`,
    [from, to],
  );
  if (waiting.length === 0) {
    await database.query(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF telemetry_events
       FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    return;
  }
  // A partition cannot be created over rows the default one holds for its range: fill a plain
  // table with them, then attach it (which adds the parent's indexes).
  await database.query(
    `CREATE TABLE ${name} (LIKE telemetry_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
  );
  await database.query(
    `WITH moved AS (
       DELETE FROM telemetry_events_default WHERE occurred_at >= $1 AND occurred_at < $2
       RETURNING *
     ) INSERT INTO ${name} SELECT * FROM moved`,
    [from, to],
  );
  await database.query(
    `ALTER TABLE telemetry_events ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`,
  );
}

/** The store's view of its partitions: which months exist, creating and dropping them. */
export interface EventPartitions {
  /**
   * Makes sure every month of `times` (milliseconds) has its partition before events of it are
   * inserted. Answers from memory when they all exist, which is nearly always.
   */
  prepare(times: Iterable<number>): Promise<void>;
  /**
   * Drops the partitions of months wholly before `cutoff`, with their events' ids, and returns
   * how many events they held. Takes a brief exclusive lock on `telemetry_events` (inserts
   * wait meanwhile).
   */
  dropBefore(cutoff: Date): Promise<number>;
}

/** Partition upkeep for one store; the months known are refreshed on every change. */
export function eventPartitions(database: SqlDatabase): EventPartitions {
  let known = new Set<MonthKey>();
  const upkeep = <T>(work: (tx: SqlTransaction) => Promise<T>) =>
    database.transaction(async (tx) => {
      // Two collectors on one PostgreSQL take turns; each sees what the other created.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const value = await work(tx);
      known = await listMonths(tx);
      return value;
    });
  return {
    async prepare(times) {
      const missing = new Set<MonthKey>();
      for (const time of times) {
        if (Number.isNaN(time)) continue;
        const month = monthOf(time);
        if (!known.has(month) && partitionName(month) !== undefined) missing.add(month);
      }
      if (missing.size === 0) return;
      await upkeep(async (tx) => {
        const existing = await listMonths(tx);
        for (const month of [...missing].sort((a, b) => a - b)) {
          if (!existing.has(month)) await createMonth(tx, month);
        }
      });
    },
    dropBefore: (cutoff) =>
      upkeep(async (tx) => {
        const last = monthOf(cutoff.getTime()) - 1;
        const old = [...(await listMonths(tx))].filter((month) => month <= last);
        let events = 0;
        for (const month of old.sort((a, b) => a - b)) {
          const name = partitionName(month) as string;
          await tx.query(`DELETE FROM telemetry_event_ids WHERE id IN (SELECT id FROM ${name})`);
          const rows = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
          events += rows[0]?.n ?? 0;
          await tx.query(`DROP TABLE ${name}`);
        }
        return events;
      }),
  };
}
