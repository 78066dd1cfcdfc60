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

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break. A text a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a
 * leading `'`: events carry what browsers sent, and an export is opened in spreadsheets.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The first bytes of an export: CSV's header row; nothing for NDJSON. */
export const exportHeader = (format: ExportFormat): string =>
  format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '';

/** A page of events in `format`. */
export function formatExportPage(format: ExportFormat, events: readonly ExportedEvent[]): string {
  let out = '';
  for (const event of events)
    out +=
      format === 'csv'
        ? `${CSV_COLUMNS.map((column) => cell(event[column])).join(',')}\r\n`
        : `${JSON.stringify(event)}\n`;
  return out;
}
