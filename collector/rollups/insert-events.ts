import { ROLLUP_TABLES } from './rollup-tables.js';

/**
 * The raw insert, as one statement with the rollups it feeds: the events travel as one JSON
 * parameter unpacked by jsonb_to_recordset, so a batch costs one round trip and no SQL is
 * built from input. Only the rows actually inserted (`RETURNING`: never a duplicate, a retry,
 * or an event another collector process inserted first) are added to the rollups, so raw
 * events and rollups commit together or not at all.
 */
const INSERTED = `
  inserted AS (
    INSERT INTO telemetry_events (
      id, event_type, occurred_at, anonymous_id, session_id, user_id, sampling_rate,
      service_name, service_version, consent_policy_version, metadata, context, clock_skew_ms
    )
    SELECT e.id, e.event_type, e.timestamp, e.anonymous_id, e.session_id, e.user_id,
           e.sampling_rate, $2, $3, $4, e.metadata, e.context, $5::bigint
    FROM jsonb_to_recordset($1::jsonb) AS e(
      id text, event_type text, timestamp timestamptz, anonymous_id text, session_id text,
      user_id text, sampling_rate double precision, metadata jsonb, context jsonb
    )
    ON CONFLICT (id) DO NOTHING
    RETURNING id, event_type, occurred_at, anonymous_id, session_id, service_name,
              sampling_rate, metadata, context
  )`;

/** An insert statement and the name PostgreSQL keeps it prepared under. */
export interface InsertStatement {
  sql: string;
  name: string;
}

const statements = new Map<string, InsertStatement>();

/**
 * The insert statement for a batch holding `eventTypes`: it upserts only the rollups those
 * types feed (an upsert of nothing still costs its planning). One statement per set of
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
    const upserts = tables.map(
      (table, index) => `rolled_${index} AS (${table.upsert('inserted')})`,
    );
    statement = {
      sql: `WITH ${[INSERTED, ...upserts].join(',\n')}\nSELECT id FROM inserted`,
      name: `telemetry_kit_insert_${statements.size}`,
    };
    statements.set(key, statement);
  }
  return statement;
}
