import { createMonth, type SqlTransaction } from './event-partitions.js';

/**
 * The migration that partitions `telemetry_events` by month (see event-partitions.ts).
 *
 * A unique index on a partitioned table must include the partition key, and an event's
 * `occurred_at` is not fixed by its id (a retried batch can be corrected by a different clock
 * skew, even into another month), so the event id can no longer be the events' primary key.
 * It becomes the primary key of `telemetry_event_ids` (each id with its event's occurred_at),
 * which every insert goes through first, in the same statement: the dedupe stays global and
 * exact.
 *
 * The existing table is renamed, a partitioned one is made like it (every column it has by
 * now, whatever migrations came before), a partition is created for each month its events fall
 * in, the rows are copied, and its indexes (all but the primary key) are rebuilt on the new
 * table. Its ids fill `telemetry_event_ids`.
 */
export async function partitionEvents(tx: SqlTransaction): Promise<void> {
  await tx.query('ALTER TABLE telemetry_events RENAME TO telemetry_events_unpartitioned');
  const indexes = await tx.query<{ definition: string }>(
    `SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index
     WHERE indrelid = 'telemetry_events_unpartitioned'::regclass AND NOT indisunique
     ORDER BY indexrelid`,
  );
  await tx.query(
    `CREATE TABLE telemetry_events
       (LIKE telemetry_events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
     PARTITION BY RANGE (occurred_at)`,
  );
  await tx.query('CREATE TABLE telemetry_events_default PARTITION OF telemetry_events DEFAULT');
  const months = await tx.query<{ month: number }>(
    `SELECT DISTINCT (extract(year FROM occurred_at AT TIME ZONE 'UTC') * 12
                      + extract(month FROM occurred_at AT TIME ZONE 'UTC') - 1)::int AS month
     FROM telemetry_events_unpartitioned ORDER BY 1`,
  );
  for (const { month } of months) await createMonth(tx, month);
  await tx.query('INSERT INTO telemetry_events SELECT * FROM telemetry_events_unpartitioned');
  await tx.query(
    `CREATE TABLE telemetry_event_ids (
       id text PRIMARY KEY,
       occurred_at timestamptz NOT NULL
     )`,
  );
  await tx.query(
    'INSERT INTO telemetry_event_ids (id, occurred_at) SELECT id, occurred_at FROM telemetry_events_unpartitioned',
  );
  await tx.query('DROP TABLE telemetry_events_unpartitioned');
  // Built after the copy (faster than kept up row by row); on the parent, so every partition,
  // present and future, gets them.
  for (const { definition } of indexes) {
    await tx.query(
      definition.replace(/ ON (\w+\.)?telemetry_events_unpartitioned /, ' ON telemetry_events '),
    );
  }
}
