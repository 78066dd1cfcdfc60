/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break. A text a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a
 * leading `'`, as OWASP advises: what is exported was sent by browsers, and CSV files are
 * opened in spreadsheets. Numbers are written as they are (a negative one is no formula);
 * objects as JSON; `null` and `undefined` as an empty cell.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
