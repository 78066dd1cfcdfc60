import { type Html, html } from './html.js';

/** A count as the dashboard shows it: rounded, with thousands separators. */
export const count = (value: number): string => Math.round(value).toLocaleString('en-US');

/** A right-aligned count for a table cell. */
export function num(value: number): Html {
  return html`<span class="num">${count(value)}</span>`;
}

/** A cell of a table's CSV: numbers as computed (not rounded, not grouped), `null` empty. */
export type CsvValue = string | number | boolean | null;

/** One column of a dashboard table: how it is shown and what its CSV holds. */
export interface TableColumn<Row> {
  /**
   * A heading starting with `#` is a numeric column, right-aligned like its figures; one given
   * as `Html` is used as it is (for one read out but not shown), with `csvHeading` in the CSV.
   */
  heading: string | Html;
  csvHeading?: string;
  cell(row: Row): Html | string;
  value(row: Row): CsvValue;
}

/** A dashboard table: its rows, and its columns for the page and for the CSV alike. */
export interface TableSpec<Row> {
  /** Its `data-table` and the name of its CSV (`/v1/stats/<name>.csv`). */
  name: string;
  /** What it shows, for the download link's accessible name ("Download CSV of …"). */
  label: string;
  columns: readonly TableColumn<Row>[];
  rows: readonly Row[];
  /** Shown instead of the table when there are no rows. */
  empty: string;
  /** What else its CSV link must say to name it: `of` for one library's version table. */
  linkParams?: Readonly<Record<string, string>>;
}

/** The URL of a table's CSV with the page's range and filters; `undefined` for no link. */
export type CsvLink = ((spec: TableSpec<unknown>) => string) | undefined;

/** The heading a column has in the CSV. */
export function csvHeading(column: TableColumn<unknown>): string {
  if (typeof column.heading !== 'string') return column.csvHeading ?? '';
  return column.heading.replace(/^#/, '');
}

/**
 * A table (its `data-table` is `spec.name`) followed by its "Download CSV" link, or the
 * `empty` sentence when there are no rows.
 */
export function table<Row>(spec: TableSpec<Row>, link: CsvLink): Html {
  if (spec.rows.length === 0)
    return html`<p class="empty" data-table="${spec.name}">${spec.empty}</p>`;
  const heading = (h: string | Html) => {
    if (typeof h !== 'string') return html`<th>${h}</th>`;
    return h.startsWith('#') ? html`<th class="num">${h.slice(1)}</th>` : html`<th>${h}</th>`;
  };
  return html`<table data-table="${spec.name}"><thead><tr>${spec.columns.map((c) => heading(c.heading))}</tr></thead>
    <tbody>${spec.rows.map((row) => html`<tr>${spec.columns.map((c) => html`<td>${c.cell(row)}</td>`)}</tr>`)}</tbody></table>
    ${csvLink(spec, link)}`;
}

/** "Download CSV", named for screen readers by what it downloads. */
export function csvLink(spec: TableSpec<unknown>, link: CsvLink): Html | '' {
  if (!link) return '';
  return html`<p class="download"><a href="${link(spec)}" download data-csv="${spec.name}">Download CSV<span class="visually-hidden"> of ${spec.label}</span></a></p>`;
}
