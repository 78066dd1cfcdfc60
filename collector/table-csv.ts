import { csvCell } from './csv-cell.js';
import { csvHeading, type TableSpec } from './dashboard-table.js';

/**
 * A dashboard table as CSV: a header row of its headings, then one row per row of the table,
 * in the same order, lines ended by CRLF (RFC 4180). Cells hold the figures unformatted.
 */
export function tableCsv(spec: TableSpec<unknown>): string {
  const line = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;
  let out = line(spec.columns.map(csvHeading));
  for (const row of spec.rows) out += line(spec.columns.map((column) => column.value(row)));
  return out;
}
