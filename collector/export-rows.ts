import type { SqlDatabase } from './sql-database.js';

/** What `GET /v1/export` reads: the range and optional filters. */
export interface ExportQuery {
  from: Date;
  to: Date;
  service: string | undefined;
  eventType: string | undefined;
}

/** One stored event as exported: the wire event plus what the collector recorded with it. */
export interface ExportedEvent {
  id: string;
  event_type: string;
  timestamp: string;
  anonymous_id: string;
  session_id: string;
  user_id: string | null;
  sampling_rate: number | null;
  service_name: string;
  service_version: string;
  metadata: Record<string, unknown>;
  context: Record<string, unknown>;
  received_at: string;
}

/** Rows per page: a page is all the export holds in memory at once. */
export const EXPORT_PAGE_SIZE = 1_000;

const iso = (value: unknown) => new Date(value as string | Date).toISOString();

/** The columns an exported event is read from (`exportedEvent` maps a row of them). */
export const EXPORT_COLUMNS = `id, event_type, occurred_at, anonymous_id, session_id, user_id,
  sampling_rate, service_name, service_version, metadata, context, received_at`;

/** A row of `EXPORT_COLUMNS` as the event exported. */
export function exportedEvent(row: Record<string, unknown>): ExportedEvent {
  return {
    id: String(row.id),
    event_type: String(row.event_type),
    timestamp: iso(row.occurred_at),
    anonymous_id: String(row.anonymous_id),
    session_id: String(row.session_id),
    user_id: (row.user_id as string | null) ?? null,
    sampling_rate: (row.sampling_rate as number | null) ?? null,
    service_name: String(row.service_name),
    service_version: String(row.service_version),
    metadata: row.metadata as Record<string, unknown>,
    context: row.context as Record<string, unknown>,
    received_at: iso(row.received_at),
  };
}

const PAGE = `
  SELECT ${EXPORT_COLUMNS}, occurred_at::text AS cursor_at
    FROM telemetry_events
   WHERE occurred_at >= $1 AND occurred_at < $2
     AND ($3::text IS NULL OR service_name = $3)
     AND ($4::text IS NULL OR event_type = $4)
     AND ($5::timestamptz IS NULL OR (occurred_at, id) > ($5::timestamptz, $6::text))
   ORDER BY occurred_at, id
   LIMIT ${EXPORT_PAGE_SIZE}`;

/**
 * The events of `query`, oldest first, a page at a time: each page starts after the last row of
 * the one before (keyset pagination on occurred_at and id, which the time index serves), so an
 * export of any size holds one page in memory and sees no row twice.
 */
export async function* exportRows(
  database: SqlDatabase,
  query: ExportQuery,
): AsyncGenerator<ExportedEvent[]> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const rows: Array<Record<string, unknown>> = await database.query(PAGE, [
      query.from.toISOString(),
      query.to.toISOString(),
      query.service ?? null,
      query.eventType ?? null,
      after?.at ?? null,
      after?.id ?? null,
    ]);
    if (rows.length === 0) return;
    yield rows.map(exportedEvent);
    if (rows.length < EXPORT_PAGE_SIZE) return;
    const last = rows[rows.length - 1] as Record<string, unknown>;
    // The stored time as the database writes it (microseconds included), not the millisecond
    // ISO text: a rounded cursor could repeat rows of the same millisecond.
    after = { at: String(last.cursor_at), id: String(last.id) };
  }
}
