import { formatDuration } from '../../collector/format-duration.js';

/** RFC 4180: rows end with CRLF; a quoted cell may hold commas, CRLF and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

/** What `shownAs` reads of a table cell (a DOM or happy-dom element). */
export interface CellElement {
  readonly textContent: string | null;
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The ways the dashboard shows a figure or text that its CSV holds as `plain`. */
function shownForms(plain: string): string[] {
  const forms = [plain, plain.replace('T', ' ').replace('Z', ' UTC'), plain.replace('-', ' ')];
  if (plain === '') forms.push('—');
  const n = plain === '' ? Number.NaN : Number(plain);
  if (Number.isFinite(n)) {
    forms.push(count(n), formatDuration(n), n.toFixed(3), `${count(n)} ms`);
    forms.push(`${Math.round(n * 100)}%`, `${Math.round(n * 100)} %`);
  }
  if (plain.includes(' ')) {
    // A list cell ("label count; label count"), shown as items of a label and a count.
    const items = plain.split('; ').map((item) => {
      const space = item.lastIndexOf(' ');
      return `${item.slice(0, space)} ${count(Number(item.slice(space + 1)))}`;
    });
    forms.push(items.join(''));
  }
  return forms;
}

/**
 * Whether a CSV cell holds what the HTML cell `td` shows: the same text, or the figure the text
 * is formatted from (a count, a duration, a share, a time), with the `'` that defuses a formula
 * taken off first. A meter is checked by its bar's width.
 */
export function shownAs(cell: string, td: CellElement | undefined): boolean {
  if (!td) return false;
  const bar = td.querySelector('svg.meter .bar');
  if (bar) return (Math.min(1, Number(cell)) * 100).toFixed(1) === bar.getAttribute('width');
  const text = (td.textContent ?? '').trim();
  const plain = /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
  return shownForms(plain).includes(text);
}
