import { csvCell } from './csv-cell.js';
import type { ExportedEvent } from './export-rows.js';

/** The export formats: one JSON object per line, or CSV with a header row. */
export type ExportFormat = 'ndjson' | 'csv';

const CSV_COLUMNS = [
  'id',
  'event_type',
  'timestamp',
  'anonymous_id',
  'session_id',
  'user_id',
  'sampling_rate',
  'service_name',
  'service_version',
  'metadata',
  'context',
  'received_at',
] as const satisfies readonly (keyof ExportedEvent)[];

/** The first bytes of an export: CSV's header row; nothing for NDJSON. */
export const exportHeader = (format: ExportFormat): string =>
  format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '';

/** A page of events in `format`. */
export function formatExportPage(format: ExportFormat, events: readonly ExportedEvent[]): string {
  let out = '';
  for (const event of events)
    out +=
      format === 'csv'
        ? `${CSV_COLUMNS.map((column) => csvCell(event[column])).join(',')}\r\n`
        : `${JSON.stringify(event)}\n`;
  return out;
}
