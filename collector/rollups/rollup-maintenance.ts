import type { SqlDatabase } from '../sql-database.js';
import {
  ACTIVITY_NUMBERS,
  ACTIVITY_SET_TABLES,
  lockActivitySets,
  rebuildActivitySets,
} from './activity-sets.js';
import { ROLLUP_TABLES } from './rollup-tables.js';

type Querier = Pick<SqlDatabase, 'query'>;

/**
 * Deletes every event of one anonymous id, its rows in every per-install rollup and its
 * install and session numbers, in one statement; then rebuilds the totals and the activity
 * sets of the days it was active on without it. Returns how many events.
 */
export async function deleteSubjectEverywhere(database: SqlDatabase, anonymousId: string) {
  return database.transaction(async (tx) => {
    await lockActivitySets(tx);
    const rollups = ROLLUP_TABLES.filter((table) => !table.totalsOf).map(
      (table, index) => `rolled_${index} AS (DELETE FROM ${table.table} WHERE anonymous_id = $1)`,
    );
    const rows = await tx.query<{ deleted: number; days: string }>(
      `WITH gone AS (DELETE FROM telemetry_events WHERE anonymous_id = $1 RETURNING id),
            ids AS (DELETE FROM telemetry_event_ids WHERE id IN (SELECT id FROM gone)),
            ${rollups.join(',\n            ')},
            numbers AS (DELETE FROM ${ACTIVITY_NUMBERS} WHERE (kind = 'install' AND id = $1)
              OR (kind = 'session' AND id IN (SELECT session_id
                    FROM telemetry_rollup_daily_sessions WHERE anonymous_id = $1)))
       SELECT (SELECT count(*)::int FROM gone) AS deleted,
              (SELECT coalesce(jsonb_agg(DISTINCT day), '[]')::text
                 FROM telemetry_rollup_daily_subjects WHERE anonymous_id = $1) AS days`,
      [anonymousId],
    );
    const [row] = rows;
    const days = [row?.days ?? '[]'];
    const ofDays = 'day IN (SELECT value::date FROM jsonb_array_elements_text($1::jsonb))';
    // The totals and the sets of those days, again from the per-install rollups without it.
    for (const table of ROLLUP_TABLES) {
      if (!table.totalsOf || !table.fromPerInstall) continue;
      await tx.query(`DELETE FROM ${table.table} WHERE ${ofDays}`, days);
      await tx.query(
        `INSERT INTO ${table.table} (${table.columns})
         ${table.fromPerInstall(table.totalsOf.table, ofDays)}`,
        days,
      );
    }
    await rebuildActivitySets(tx, { where: ofDays, parameters: days });
    return row?.deleted ?? 0;
  });
}

// The UTC day of $1, as the bounds of the events it holds.
const CUT_DAY = "date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC')";

/**
 * After retention deleted the events before `cutoff` (ISO): drops the rollups' whole days
 * before it and rebuilds the cutoff's own day from the events left.
 */
export async function trimRollups(tx: Querier, cutoff: string): Promise<void> {
  // The caller locked the activity sets (lockActivitySets) before anything else.
  for (const table of ROLLUP_TABLES) {
    await tx.query(`DELETE FROM ${table.table} WHERE day <= (${CUT_DAY})::date`, [cutoff]);
    await tx.query(
      `INSERT INTO ${table.table} (${table.columns})
       ${table.rows(
         'telemetry_events',
         `occurred_at >= ${CUT_DAY} AT TIME ZONE 'UTC'
          AND occurred_at < (${CUT_DAY} + interval '1 day') AT TIME ZONE 'UTC'`,
       )}
       ON CONFLICT (${table.key}) DO NOTHING`,
      [cutoff],
    );
  }
  await rebuildActivitySets(tx, {
    where: `day <= (${CUT_DAY})::date`,
    parameters: [cutoff],
    prune: true,
  });
}

/**
 * Rebuilds every rollup from the raw events, in the caller's transaction; returns how many
 * rows were written. The tables are locked first, in ingest's order: an ingest statement
 * waits, and its events are either in the snapshot read here or added after it.
 */
export async function rebuildAllRollups(tx: Querier): Promise<number> {
  const names = [...ROLLUP_TABLES.map((table) => table.table), ...ACTIVITY_SET_TABLES];
  await tx.query(`LOCK TABLE ${names.join(', ')} IN EXCLUSIVE MODE`);
  let written = 0;
  for (const table of ROLLUP_TABLES) {
    await tx.query(`DELETE FROM ${table.table}`);
    const rows = await tx.query<{ written: number }>(
      `WITH written AS (
         INSERT INTO ${table.table} (${table.columns}) ${table.rows('telemetry_events')}
         RETURNING 1
       ) SELECT count(*)::int AS written FROM written`,
    );
    written += rows[0]?.written ?? 0;
  }
  return written + (await rebuildActivitySets(tx, { prune: true }));
}
