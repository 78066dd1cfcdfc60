import { ACTIVITY_SET_UPSERTS } from './activity-sets.js';
import { DAILY_SESSIONS } from './daily-sessions.js';
import { DAILY_SUBJECTS } from './daily-subjects.js';
import { type RollupTable, rowsOf } from './rollup-table.js';
import { ROLLUP_TABLES } from './rollup-tables.js';

/**
 * The raw insert, as one statement with the rollups it feeds: the events travel as one JSON
 * parameter unpacked by jsonb_to_recordset, so a batch costs one round trip and no SQL is
 * built from input. Each id is claimed first in telemetry_event_ids (the dedupe key: the
 * events table, partitioned by month, cannot have a unique id; see partition-migration.ts), in
 * sorted order so that concurrent batches lock them alike; an id repeated within the batch
 * keeps its first event. Only the events whose id this statement claimed are inserted, and
 * only those rows (`RETURNING`: never a duplicate, a retry, or an event another collector
 * process inserted first) are added to the rollups, so ids, raw events and rollups commit
 * together or not at all.
 */
const INSERTED = `
  incoming AS (
    SELECT DISTINCT ON (e.id) e.*
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (
      id text, event_type text, timestamp timestamptz, anonymous_id text, session_id text,
      user_id text, sampling_rate double precision, metadata jsonb, context jsonb
    )) WITH ORDINALITY AS e(
      id, event_type, timestamp, anonymous_id, session_id, user_id, sampling_rate, metadata,
      context, position
    )
    ORDER BY e.id, e.position
  ),
  claimed AS (
    INSERT INTO telemetry_event_ids (id, occurred_at)
    SELECT id, timestamp FROM incoming ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  ),
  inserted AS (
    INSERT INTO telemetry_events (
      id, event_type, occurred_at, anonymous_id, session_id, user_id, sampling_rate,
      service_name, service_version, consent_policy_version, metadata, context, clock_skew_ms
    )
    SELECT e.id, e.event_type, e.timestamp, e.anonymous_id, e.session_id, e.user_id,
           e.sampling_rate, $2, $3, $4, e.metadata, e.context, $5::bigint
    FROM incoming AS e JOIN claimed USING (id)
    RETURNING id, event_type, occurred_at, anonymous_id, session_id, service_name,
              sampling_rate, metadata, context
  )`;

/**
 * The rollups' part of the statement. A per-install rollup that totals or the activity sets
 * read (`rowsOf`) has its rows computed once, as a CTE of their own, then upserted; its
 * totals sum those rows rather than group the events again.
 */
function rollupUpserts(tables: readonly RollupTable[]): string[] {
  const sources = new Set<RollupTable>([DAILY_SUBJECTS, DAILY_SESSIONS]);
  for (const table of tables) if (table.totalsOf) sources.add(table.totalsOf);
  return tables.flatMap((table, index) => {
    if (table.totalsOf && table.fromPerInstall) {
      const rows = table.fromPerInstall(rowsOf(table.totalsOf), 'true');
      return [`rolled_${index} AS (${table.upsertOf(rows)})`];
    }
    if (!sources.has(table)) return [`rolled_${index} AS (${table.upsert('inserted')})`];
    return [
      `${rowsOf(table)} AS (${table.rows('inserted')})`,
      `rolled_${index} AS (${table.upsertOf(`SELECT * FROM ${rowsOf(table)} ORDER BY ${table.key}`)})`,
    ];
  });
}

/** An insert statement and the name PostgreSQL keeps it prepared under. */
export interface InsertStatement {
  sql: string;
  name: string;
}

const statements = new Map<string, InsertStatement>();

/**
 * The insert statement for a batch holding `eventTypes`: it upserts only the rollups those
 * types feed (an upsert of nothing still costs its planning), then the activity sets, which
 * every event feeds (activity-sets.ts). One statement per set of
 * rollups, built from fixed text, kept, and prepared once per connection under its name, so
 * its size is parsed and planned once rather than at every batch.
 */
export function insertEventsSql(eventTypes: ReadonlySet<string>): InsertStatement {
  const tables = ROLLUP_TABLES.filter(
    (table) => table.eventTypes === null || table.eventTypes.some((type) => eventTypes.has(type)),
  );
  const key = tables.map((table) => table.table).join(',');
  let statement = statements.get(key);
  if (!statement) {
    statement = {
      sql: `WITH ${[INSERTED, ...rollupUpserts(tables), ...ACTIVITY_SET_UPSERTS].join(',\n')}
        SELECT id FROM inserted`,
      name: `telemetry_kit_insert_${statements.size}`,
    };
    statements.set(key, statement);
  }
  return statement;
}
